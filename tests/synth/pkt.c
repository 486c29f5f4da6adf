/*
 * pkt.c - frame builders for the synthetic home: Ethernet II, ARP, IPv4,
 * IPv6, UDP, TCP, ICMP and ICMPv6, every checksum computed (tshark's checksum
 * validation must find none bad). Frames shorter than the Ethernet minimum
 * are padded to 60 bytes, as they are on the wire.
 */
#include "synth.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

const uint8_t MAC_BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

saddr ip4(int a, int b, int c, int d)
{
    saddr x = {.family = 4};
    x.a[0] = (uint8_t)a; x.a[1] = (uint8_t)b; x.a[2] = (uint8_t)c; x.a[3] = (uint8_t)d;
    return x;
}

saddr ip6_parse(const char *s)
{
    saddr x = {.family = 6};
    if (inet_pton(AF_INET6, s, x.a) != 1)
        x.family = 0;
    return x;
}

bool saddr_eq(const saddr *x, const saddr *y)
{
    return x->family == y->family && memcmp(x->a, y->a, x->family == 4 ? 4 : 16) == 0;
}

void saddr_str(const saddr *x, char *buf, size_t n)
{
    if (x->family == 4)
        inet_ntop(AF_INET, x->a, buf, (socklen_t)n);
    else if (x->family == 6)
        inet_ntop(AF_INET6, x->a, buf, (socklen_t)n);
    else if (n)
        buf[0] = 0;
}

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)(p[n - 1] << 8);
    return s;
}

static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

static size_t eth(uint8_t *b, const uint8_t *dmac, const uint8_t *smac, unsigned type)
{
    memcpy(b, dmac, 6);
    memcpy(b + 6, smac, 6);
    put16(b + 12, type);
    return 14;
}

static size_t pad(uint8_t *b, size_t n)
{
    if (n < 60) {
        memset(b + n, 0, 60 - n);
        n = 60;
    }
    return n;
}

/* IP header + pseudo-header sum for the transport checksum. */
static size_t iphdr(uint8_t *b, const saddr *src, const saddr *dst, uint8_t proto,
                    size_t plen, uint16_t ipid, uint32_t *psum)
{
    uint8_t ttl = (src->family == 4 && src->a[0] == 192 && src->a[1] == 168) ? 64 : 57;
    if (src->family == 4) {
        b[0] = 0x45; b[1] = 0;
        put16(b + 2, (unsigned)(20 + plen));
        put16(b + 4, ipid);
        put16(b + 6, 0x4000);
        b[8] = ttl; b[9] = proto;
        put16(b + 10, 0);
        memcpy(b + 12, src->a, 4);
        memcpy(b + 16, dst->a, 4);
        put16(b + 10, fold(sum16(0, b, 20)));
        uint32_t s = sum16(0, src->a, 4);
        s = sum16(s, dst->a, 4);
        *psum = s + proto + (uint32_t)plen;
        return 20;
    }
    put32(b, 0x60000000);
    put16(b + 4, (unsigned)plen);
    b[6] = proto;
    b[7] = proto == 58 ? 255 : (src->a[0] == 0xfe ? 255 : 64);
    memcpy(b + 8, src->a, 16);
    memcpy(b + 24, dst->a, 16);
    uint32_t s = sum16(0, src->a, 16);
    s = sum16(s, dst->a, 16);
    *psum = s + proto + (uint32_t)plen;
    return 40;
}

size_t pkt_udp(uint8_t *b, const sep *src, const sep *dst, const uint8_t *pl, size_t n, uint16_t ipid)
{
    size_t o = eth(b, dst->mac, src->mac, src->ip.family == 4 ? 0x0800 : 0x86dd);
    uint32_t ps;
    o += iphdr(b + o, &src->ip, &dst->ip, 17, 8 + n, ipid, &ps);
    uint8_t *u = b + o;
    put16(u, src->port); put16(u + 2, dst->port);
    put16(u + 4, (unsigned)(8 + n)); put16(u + 6, 0);
    if (n)
        memcpy(u + 8, pl, n);
    uint16_t c = fold(sum16(ps, u, 8 + n));
    put16(u + 6, c ? c : 0xffff);
    return pad(b, o + 8 + n);
}

size_t pkt_tcp(uint8_t *b, const sep *src, const sep *dst, uint32_t seq, uint32_t ack,
               uint8_t flags, uint16_t win, const uint8_t *opt, size_t optlen,
               const uint8_t *pl, size_t n, uint16_t ipid)
{
    size_t o = eth(b, dst->mac, src->mac, src->ip.family == 4 ? 0x0800 : 0x86dd);
    size_t hl = 20 + ((optlen + 3) & ~(size_t)3);
    uint32_t ps;
    o += iphdr(b + o, &src->ip, &dst->ip, 6, hl + n, ipid, &ps);
    uint8_t *t = b + o;
    put16(t, src->port); put16(t + 2, dst->port);
    put32(t + 4, seq); put32(t + 8, (flags & TH_ACK) ? ack : 0);
    t[12] = (uint8_t)((hl / 4) << 4); t[13] = flags;
    put16(t + 14, win); put16(t + 16, 0); put16(t + 18, 0);
    memset(t + 20, 1, hl - 20);         /* NOP padding */
    if (optlen)
        memcpy(t + 20, opt, optlen);
    if (n)
        memcpy(t + hl, pl, n);
    put16(t + 16, fold(sum16(ps, t, hl + n)));
    return pad(b, o + hl + n);
}

size_t pkt_icmp4(uint8_t *b, const sep *src, const sep *dst, uint8_t type, uint16_t id,
                 uint16_t seqno, const uint8_t *pl, size_t n, uint16_t ipid)
{
    size_t o = eth(b, dst->mac, src->mac, 0x0800);
    uint32_t ps;
    o += iphdr(b + o, &src->ip, &dst->ip, 1, 8 + n, ipid, &ps);
    uint8_t *c = b + o;
    c[0] = type; c[1] = 0; put16(c + 2, 0); put16(c + 4, id); put16(c + 6, seqno);
    memcpy(c + 8, pl, n);
    put16(c + 2, fold(sum16(0, c, 8 + n)));
    return pad(b, o + 8 + n);
}

size_t pkt_icmp6(uint8_t *b, const uint8_t *smac, const uint8_t *dmac, const saddr *src,
                 const saddr *dst, const uint8_t *body, size_t n)
{
    size_t o = eth(b, dmac, smac, 0x86dd);
    uint32_t ps;
    o += iphdr(b + o, src, dst, 58, n, 0, &ps);
    uint8_t *c = b + o;
    memcpy(c, body, n);
    put16(c + 2, 0);
    put16(c + 2, fold(sum16(ps, c, n)));
    return pad(b, o + n);
}

size_t pkt_arp(uint8_t *b, const uint8_t *smac, const uint8_t *dmac, int op,
               const uint8_t *sha, const saddr *spa, const uint8_t *tha, const saddr *tpa)
{
    size_t o = eth(b, dmac, smac, 0x0806);
    uint8_t *a = b + o;
    put16(a, 1); put16(a + 2, 0x0800); a[4] = 6; a[5] = 4; put16(a + 6, (unsigned)op);
    memcpy(a + 8, sha, 6); memcpy(a + 14, spa->a, 4);
    memcpy(a + 18, tha, 6); memcpy(a + 24, tpa->a, 4);
    return pad(b, o + 28);
}
