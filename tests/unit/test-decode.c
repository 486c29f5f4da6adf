/*
 * test-decode.c - the packet decoder (lib/decode.c) on hand-built packets:
 * every link type, VLAN/QinQ/MPLS/PPPoE, IPv4 options and fragments, IPv6
 * extension headers, each transport; every truncation of several packets
 * decoded from an exactly-sized heap copy (so ASan sees any overread); and
 * headers that lie.
 */
#include "capture.h"
#include "decode.h"
#include "test.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- a tiny packet builder ---------------------------------------------- */

typedef struct buf { uint8_t b[4096]; size_t n; } buf;

static void p8(buf *b, unsigned v) { b->b[b->n++] = (uint8_t)v; }
static void p16(buf *b, unsigned v) { p8(b, v >> 8); p8(b, v); }
static void p16le(buf *b, unsigned v) { p8(b, v); p8(b, v >> 8); }
static void p32(buf *b, uint32_t v) { p16(b, v >> 16); p16(b, v & 0xffff); }
static void pmem(buf *b, const void *p, size_t n) { memcpy(b->b + b->n, p, n); b->n += n; }
static void pfill(buf *b, uint8_t v, size_t n) { memset(b->b + b->n, v, n); b->n += n; }

static const uint8_t MAC_DST[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t MAC_SRC[6] = { 0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e };

static void eth(buf *b, unsigned type)
{
    pmem(b, MAC_DST, 6);
    pmem(b, MAC_SRC, 6);
    p16(b, type);
}

static void paddr(buf *b, int af, const char *s)
{
    uint8_t a[16];
    if (inet_pton(af, s, a) != 1) {
        fprintf(stderr, "bad address %s\n", s);
        exit(2);
    }
    pmem(b, a, af == AF_INET ? 4 : 16);
}

/* IPv4 header with optlen bytes of options (NOPs, then EOL), total length
 * covering l4len bytes after it. */
static void ip4(buf *b, unsigned proto, const char *src, const char *dst,
                unsigned l4len, unsigned optlen, unsigned fragfield)
{
    p8(b, 0x40 | (20 + optlen) / 4);
    p8(b, 0);
    p16(b, 20 + optlen + l4len);
    p16(b, 0x1234);
    p16(b, fragfield);
    p8(b, 64);
    p8(b, proto);
    p16(b, 0);
    paddr(b, AF_INET, src);
    paddr(b, AF_INET, dst);
    if (optlen) {
        pfill(b, 0x01, optlen - 1);
        p8(b, 0x00);
    }
}

static void ip6(buf *b, unsigned nh, const char *src, const char *dst, unsigned plen)
{
    p32(b, 0x60000000);
    p16(b, plen);
    p8(b, nh);
    p8(b, 255);
    paddr(b, AF_INET6, src);
    paddr(b, AF_INET6, dst);
}

/* A generic extension header of 8*(units+1) bytes. */
static void ext6(buf *b, unsigned next, unsigned units)
{
    p8(b, next);
    p8(b, units);
    p16(b, 0x0104);     /* PadN */
    pfill(b, 0, 4 + units * 8);
}

static void frag6(buf *b, unsigned next, unsigned offset8, bool more, uint32_t id)
{
    p8(b, next);
    p8(b, 0);
    p16(b, offset8 << 3 | (more ? 1 : 0));
    p32(b, id);
}

/* TCP header with optlen (multiple of 4) bytes of options: MSS, then NOPs. */
static void tcp(buf *b, unsigned sp, unsigned dp, uint32_t seq, uint32_t ack,
                unsigned flags, unsigned optlen)
{
    p16(b, sp);
    p16(b, dp);
    p32(b, seq);
    p32(b, ack);
    p8(b, ((20 + optlen) / 4) << 4);
    p8(b, flags);
    p16(b, 29200);
    p16(b, 0);
    p16(b, 0);
    if (optlen) {
        p8(b, 2); p8(b, 4); p16(b, 1460);
        pfill(b, 0x01, optlen - 4);
    }
}

static void udp(buf *b, unsigned sp, unsigned dp, unsigned datalen)
{
    p16(b, sp);
    p16(b, dp);
    p16(b, 8 + datalen);
    p16(b, 0);
}

/* ---- decoding from an exact-size heap copy ------------------------------ */

static uint8_t *held;
static iotap_packet pkt;

static int dec_cut(int linktype, const buf *b, size_t caplen, iotap_decoded *d)
{
    free(held);
    held = malloc(caplen ? caplen : 1);
    memcpy(held, b->b, caplen);
    memset(&pkt, 0, sizeof pkt);
    pkt.linktype = linktype;
    pkt.data = caplen ? held : NULL;
    pkt.caplen = (uint32_t)caplen;
    pkt.len = (uint32_t)b->n;
    pkt.ts_ns = 1;
    int rc = iotap_decode(&pkt, d);
    /* Whatever the bytes, the payload lies inside the captured data. */
    if (d->payload_caplen > 0) {
        CHECK(d->payload >= held && d->payload + d->payload_caplen <= held + caplen);
        CHECK(d->payload_caplen <= d->payload_len);
    }
    return rc;
}

static int dec(int linktype, const buf *b, iotap_decoded *d)
{
    return dec_cut(linktype, b, b->n, d);
}

static const char *fmt(const iotap_addr *a)
{
    static char s[4][IOTAP_ADDR_BUFSZ];
    static int i;
    i = (i + 1) % 4;
    return iotap_addr_format(a, s[i]);
}

static const char HELLO[] = "hello, world";     /* 12 bytes */

/* ---- the cases ---------------------------------------------------------- */

static void test_eth_ipv4_tcp(void)
{
    buf b = { .n = 0 };
    eth(&b, 0x0800);
    ip4(&b, 6, "192.168.1.20", "93.184.216.34", 20 + 12 + 12, 0, 0x4000);
    tcp(&b, 51000, 443, 1000, 2000, IOTAP_TCP_PSH | IOTAP_TCP_ACK, 12);
    pmem(&b, HELLO, 12);
    iotap_decoded d;
    CHECK_EQ_I(dec(IOTAP_LINK_ETHERNET, &b, &d), 0);
    CHECK(d.has_mac);
    CHECK(memcmp(d.src_mac, MAC_SRC, 6) == 0);
    CHECK(memcmp(d.dst_mac, MAC_DST, 6) == 0);
    CHECK_EQ_U(d.ethertype, 0x0800);
    CHECK_EQ_U(d.nvlan, 0);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK_STR(fmt(&d.src), "192.168.1.20");
    CHECK_STR(fmt(&d.dst), "93.184.216.34");
    CHECK_EQ_U(d.ttl, 64);
    CHECK_EQ_U(d.ip_id, 0x1234);
    CHECK_EQ_U(d.proto, 6);
    CHECK(!d.frag);             /* DF alone is not a fragment */
    CHECK(d.has_l4);
    CHECK_EQ_U(d.sport, 51000);
    CHECK_EQ_U(d.dport, 443);
    CHECK_EQ_U(d.tcp_seq, 1000);
    CHECK_EQ_U(d.tcp_ack, 2000);
    CHECK_EQ_U(d.tcp_flags, IOTAP_TCP_PSH | IOTAP_TCP_ACK);
    CHECK_EQ_U(d.tcp_win, 29200);
    CHECK_EQ_U(d.payload_len, 12);
    CHECK_EQ_U(d.payload_caplen, 12);
    CHECK(d.payload && memcmp(d.payload, HELLO, 12) == 0);
    CHECK(!d.truncated);
    CHECK(d.error == NULL);
    CHECK(d.pkt == &pkt);
}

/* Ethernet pads short frames to 60 bytes; the padding is not payload. */
static void test_padding(void)
{
    buf b = { .n = 0 };
    eth(&b, 0x0800);
    ip4(&b, 17, "192.168.1.20", "192.168.1.1", 8 + 4, 0, 0);
    udp(&b, 5353, 53, 4);
    pmem(&b, "abcd", 4);
    pfill(&b, 0, 60 - b.n);
    iotap_decoded d;
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.sport, 5353);
    CHECK_EQ_U(d.dport, 53);
    CHECK_EQ_U(d.payload_len, 4);
    CHECK_EQ_U(d.payload_caplen, 4);
    CHECK(memcmp(d.payload, "abcd", 4) == 0);
    CHECK(d.error == NULL);
    /* TCP too. */
    b.n = 0;
    eth(&b, 0x0800);
    ip4(&b, 6, "192.168.1.20", "192.168.1.1", 20, 0, 0);
    tcp(&b, 1, 2, 0, 0, IOTAP_TCP_ACK, 0);
    pfill(&b, 0xee, 60 - b.n);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.payload_len, 0);
    CHECK_EQ_U(d.payload_caplen, 0);
}

static void test_vlan(void)
{
    iotap_decoded d;
    buf b = { .n = 0 };
    pmem(&b, MAC_DST, 6);
    pmem(&b, MAC_SRC, 6);
    p16(&b, 0x8100);
    p16(&b, 0xa000 | 100);          /* priority 5, VLAN 100 */
    p16(&b, 0x0800);
    ip4(&b, 17, "10.0.0.2", "10.0.0.3", 8, 0, 0);
    udp(&b, 1000, 2000, 0);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.nvlan, 1);
    CHECK_EQ_U(d.vlan[0], 100);
    CHECK_EQ_U(d.ethertype, 0x0800);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.dport, 2000);

    /* QinQ: 802.1ad outer (and the older 0x9100), 802.1Q inner, IPv6. */
    unsigned outers[] = { 0x88a8, 0x9100, 0x8100 };
    for (int i = 0; i < 3; i++) {
        b.n = 0;
        pmem(&b, MAC_DST, 6);
        pmem(&b, MAC_SRC, 6);
        p16(&b, outers[i]);
        p16(&b, 10);
        p16(&b, 0x8100);
        p16(&b, 0x1000 | 20);       /* DEI set, VLAN 20 */
        p16(&b, 0x86dd);
        ip6(&b, 17, "fe80::1", "ff02::fb", 8 + 3);
        udp(&b, 5353, 5353, 3);
        pmem(&b, "xyz", 3);
        dec(IOTAP_LINK_ETHERNET, &b, &d);
        CHECK_EQ_U(d.nvlan, 2);
        CHECK_EQ_U(d.vlan[0], 10);
        CHECK_EQ_U(d.vlan[1], 20);
        CHECK_EQ_U(d.ethertype, 0x86dd);
        CHECK_EQ_U(d.ip_ver, 6);
        CHECK_STR(fmt(&d.dst), "ff02::fb");
        CHECK_EQ_U(d.payload_len, 3);
        CHECK(memcmp(d.payload, "xyz", 3) == 0);
    }

    /* Three tags: the first two are kept, IP is still found. */
    b.n = 0;
    pmem(&b, MAC_DST, 6);
    pmem(&b, MAC_SRC, 6);
    p16(&b, 0x88a8); p16(&b, 1);
    p16(&b, 0x8100); p16(&b, 2);
    p16(&b, 0x8100); p16(&b, 3);
    p16(&b, 0x0800);
    ip4(&b, 17, "10.0.0.2", "10.0.0.3", 8, 0, 0);
    udp(&b, 1, 2, 0);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.nvlan, 2);
    CHECK_EQ_U(d.vlan[1], 2);
    CHECK(d.has_l4);

    /* Tags forever: bounded, reported. */
    b.n = 0;
    pmem(&b, MAC_DST, 6);
    pmem(&b, MAC_SRC, 6);
    for (int i = 0; i < 40; i++) {
        p16(&b, 0x8100);
        p16(&b, i);
    }
    p16(&b, 0x0800);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.ip_ver, 0);
    CHECK(d.error != NULL);
}

static void test_other_ethernet(void)
{
    iotap_decoded d;
    buf b = { .n = 0 };
    /* ARP request. */
    eth(&b, 0x0806);
    p16(&b, 1); p16(&b, 0x0800); p8(&b, 6); p8(&b, 4); p16(&b, 1);
    pmem(&b, MAC_SRC, 6); paddr(&b, AF_INET, "192.168.1.20");
    pfill(&b, 0, 6); paddr(&b, AF_INET, "192.168.1.1");
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.is_arp);
    CHECK_EQ_U(d.ethertype, 0x0806);
    CHECK_EQ_U(d.ip_ver, 0);
    CHECK_EQ_U(d.payload_caplen, 28);
    CHECK(d.has_mac);

    /* 802.3 length frame with LLC (spanning tree): not IP. */
    b.n = 0;
    eth(&b, 38);
    p8(&b, 0x42); p8(&b, 0x42); p8(&b, 0x03);
    pfill(&b, 0, 35);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.ip_ver, 0);
    CHECK(!d.is_arp);
    CHECK(d.has_mac);
    CHECK(d.error == NULL);

    /* 802.3 + LLC/SNAP carrying IPv4. */
    b.n = 0;
    eth(&b, 8 + 20 + 8);
    p8(&b, 0xaa); p8(&b, 0xaa); p8(&b, 0x03); p8(&b, 0); p8(&b, 0); p8(&b, 0);
    p16(&b, 0x0800);
    ip4(&b, 17, "10.0.0.2", "10.0.0.3", 8, 0, 0);
    udp(&b, 7, 9, 0);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK_EQ_U(d.dport, 9);

    /* MPLS, two labels, then IPv4. */
    b.n = 0;
    eth(&b, 0x8847);
    p32(&b, 100u << 12 | 64);
    p32(&b, 200u << 12 | 0x100 | 64);
    ip4(&b, 6, "10.0.0.2", "10.0.0.3", 20, 0, 0);
    tcp(&b, 80, 1234, 5, 6, IOTAP_TCP_SYN | IOTAP_TCP_ACK, 0);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.sport, 80);
    CHECK_EQ_U(d.tcp_flags, IOTAP_TCP_SYN | IOTAP_TCP_ACK);

    /* PPPoE session, PPP IPv6. */
    b.n = 0;
    eth(&b, 0x8864);
    p8(&b, 0x11); p8(&b, 0); p16(&b, 0x0042); p16(&b, 2 + 40 + 8);
    p16(&b, 0x0057);
    ip6(&b, 17, "2001:db8::1", "2001:db8::2", 8);
    udp(&b, 1, 2, 0);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.ip_ver, 6);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.dport, 2);

    /* Unknown EtherType (LLDP): no IP, no error. */
    b.n = 0;
    eth(&b, 0x88cc);
    pfill(&b, 0, 30);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.ethertype, 0x88cc);
    CHECK_EQ_U(d.ip_ver, 0);
    CHECK(d.error == NULL);
}

static void sll_header(buf *b, unsigned pkttype, unsigned halen, unsigned proto)
{
    p16(b, pkttype);
    p16(b, 1);              /* ARPHRD_ETHER */
    p16(b, halen);
    pmem(b, MAC_SRC, 6);
    p16(b, 0);
    p16(b, proto);
}

static void sll2_header(buf *b, unsigned pkttype, unsigned halen, unsigned proto)
{
    p16(b, proto);
    p16(b, 0);
    p32(b, 3);              /* ifindex */
    p16(b, 1);
    p8(b, pkttype);
    p8(b, halen);
    pmem(b, MAC_SRC, 6);
    p16(b, 0);
}

static void test_cooked(void)
{
    iotap_decoded d;
    buf b = { .n = 0 };
    sll_header(&b, 4, 6, 0x0800);
    ip4(&b, 17, "192.168.1.20", "8.8.8.8", 8 + 12, 0, 0);
    udp(&b, 40000, 53, 12);
    pmem(&b, HELLO, 12);
    dec(IOTAP_LINK_LINUX_SLL, &b, &d);
    CHECK(d.has_mac);
    CHECK(memcmp(d.src_mac, MAC_SRC, 6) == 0);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK_STR(fmt(&d.dst), "8.8.8.8");
    CHECK_EQ_U(d.dport, 53);
    CHECK_EQ_U(d.payload_len, 12);

    /* No link-layer address (e.g. a tun device): no MAC. */
    b.n = 0;
    sll_header(&b, 0, 0, 0x86dd);
    ip6(&b, 58, "2001:db8::1", "2001:db8::2", 8);
    p8(&b, 128); p8(&b, 0); p16(&b, 0); p16(&b, 7); p16(&b, 1);
    dec(IOTAP_LINK_LINUX_SLL, &b, &d);
    CHECK(!d.has_mac);
    CHECK_EQ_U(d.ip_ver, 6);
    CHECK_EQ_U(d.proto, 58);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.sport, 128);
    CHECK_EQ_U(d.dport, 0);
    CHECK_EQ_U(d.payload_len, 8);

    /* SLL with a VLAN tag left in. */
    b.n = 0;
    sll_header(&b, 0, 6, 0x8100);
    p16(&b, 7);
    p16(&b, 0x0806);
    pfill(&b, 0, 28);
    dec(IOTAP_LINK_LINUX_SLL, &b, &d);
    CHECK(d.is_arp);
    CHECK_EQ_U(d.nvlan, 1);
    CHECK_EQ_U(d.vlan[0], 7);

    b.n = 0;
    sll2_header(&b, 0, 6, 0x0800);
    ip4(&b, 6, "192.168.1.20", "1.1.1.1", 20 + 3, 0, 0);
    tcp(&b, 50000, 853, 1, 2, IOTAP_TCP_ACK, 0);
    pmem(&b, "abc", 3);
    dec(IOTAP_LINK_LINUX_SLL2, &b, &d);
    CHECK(d.has_mac);
    CHECK(memcmp(d.src_mac, MAC_SRC, 6) == 0);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK_EQ_U(d.dport, 853);
    CHECK_EQ_U(d.payload_len, 3);
    CHECK(memcmp(d.payload, "abc", 3) == 0);

    b.n = 0;
    sll2_header(&b, 0, 0, 0x86dd);
    ip6(&b, 17, "::1", "::1", 8);
    udp(&b, 1, 2, 0);
    dec(IOTAP_LINK_LINUX_SLL2, &b, &d);
    CHECK(!d.has_mac);
    CHECK_EQ_U(d.ip_ver, 6);
    CHECK(d.has_l4);
}

static void test_raw_and_null(void)
{
    iotap_decoded d;
    buf v4 = { .n = 0 }, v6 = { .n = 0 };
    ip4(&v4, 17, "10.1.1.1", "10.2.2.2", 8 + 2, 0, 0);
    udp(&v4, 123, 123, 2);
    p16(&v4, 0xabcd);
    ip6(&v6, 6, "2001:db8::a", "2001:db8::b", 20);
    tcp(&v6, 22, 60000, 9, 10, IOTAP_TCP_RST, 0);

    int raw[] = { IOTAP_LINK_RAW, 12, 14 };
    for (int i = 0; i < 3; i++) {
        dec(raw[i], &v4, &d);
        CHECK_EQ_U(d.ip_ver, 4);
        CHECK(!d.has_mac);
        CHECK_EQ_U(d.ethertype, 0x0800);
        CHECK_EQ_U(d.sport, 123);
        CHECK_EQ_U(d.payload_len, 2);
        dec(raw[i], &v6, &d);
        CHECK_EQ_U(d.ip_ver, 6);
        CHECK_STR(fmt(&d.src), "2001:db8::a");
        CHECK_EQ_U(d.tcp_flags, IOTAP_TCP_RST);
    }
    dec(IOTAP_LINK_IPV4, &v4, &d);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK_EQ_U(d.dport, 123);
    dec(IOTAP_LINK_IPV6, &v6, &d);
    CHECK_EQ_U(d.ip_ver, 6);
    CHECK_EQ_U(d.dport, 60000);
    /* The link type promises IPv4; IPv6 bytes are an error, not a crash. */
    dec(IOTAP_LINK_IPV4, &v6, &d);
    CHECK(d.error != NULL);
    CHECK(!d.has_l4);

    /* BSD loopback: AF_INET in little-endian host order; AF_INET6 as
     * Darwin's 30 in big-endian order; OpenBSD LOOP (108). */
    buf b = { .n = 0 };
    p8(&b, 2); p8(&b, 0); p8(&b, 0); p8(&b, 0);
    pmem(&b, v4.b, v4.n);
    dec(IOTAP_LINK_NULL, &b, &d);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK_EQ_U(d.payload_len, 2);
    b.n = 0;
    p32(&b, 30);
    pmem(&b, v6.b, v6.n);
    dec(IOTAP_LINK_NULL, &b, &d);
    CHECK_EQ_U(d.ip_ver, 6);
    CHECK_EQ_U(d.sport, 22);
    b.n = 0;
    p32(&b, 24);
    pmem(&b, v6.b, v6.n);
    dec(108, &b, &d);
    CHECK_EQ_U(d.ip_ver, 6);
    b.n = 0;
    p32(&b, 7);             /* some other family */
    pmem(&b, v4.b, v4.n);
    dec(IOTAP_LINK_NULL, &b, &d);
    CHECK_EQ_U(d.ip_ver, 0);

    /* NFLOG: header, a prefix TLV, then the payload TLV (little-endian). */
    b.n = 0;
    p8(&b, 2); p8(&b, 0); p16(&b, 1);
    p16le(&b, 4 + 5); p16le(&b, 10); pmem(&b, "pfx\0\0", 5); pfill(&b, 0, 3);
    p16le(&b, (unsigned)(4 + v4.n)); p16le(&b, 9); pmem(&b, v4.b, v4.n);
    dec(239, &b, &d);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK_EQ_U(d.dport, 123);
    CHECK_EQ_U(d.payload_len, 2);

    /* PPP: with address/control, without, with a compressed protocol;
     * PPP in HDLC framing (50); Cisco HDLC (104). */
    b.n = 0;
    p8(&b, 0xff); p8(&b, 0x03); p16(&b, 0x0021);
    pmem(&b, v4.b, v4.n);
    dec(9, &b, &d);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK_EQ_U(d.dport, 123);
    dec(50, &b, &d);
    CHECK_EQ_U(d.ip_ver, 4);
    b.n = 0;
    p16(&b, 0x0057);
    pmem(&b, v6.b, v6.n);
    dec(9, &b, &d);
    CHECK_EQ_U(d.ip_ver, 6);
    CHECK_EQ_U(d.sport, 22);
    b.n = 0;
    p8(&b, 0x21);
    pmem(&b, v4.b, v4.n);
    dec(9, &b, &d);
    CHECK_EQ_U(d.ip_ver, 4);
    CHECK_EQ_U(d.payload_len, 2);
    b.n = 0;
    p16(&b, 0xc021);        /* LCP */
    pfill(&b, 0, 10);
    dec(9, &b, &d);
    CHECK_EQ_U(d.ip_ver, 0);
    CHECK(d.error == NULL);
    b.n = 0;
    p8(&b, 0x0f); p8(&b, 0); p16(&b, 0x86dd);
    pmem(&b, v6.b, v6.n);
    dec(104, &b, &d);
    CHECK_EQ_U(d.ip_ver, 6);
    CHECK_EQ_U(d.ethertype, 0x86dd);

    /* Link types. */
    CHECK(iotap_linktype_supported(IOTAP_LINK_ETHERNET));
    CHECK(iotap_linktype_supported(IOTAP_LINK_LINUX_SLL2));
    CHECK(iotap_linktype_supported(IOTAP_LINK_NULL));
    CHECK(!iotap_linktype_supported(105));    /* 802.11 */
    CHECK(!iotap_linktype_supported(127));    /* radiotap */
    CHECK_EQ_I(dec(127, &v4, &d), -1);
}

static void test_ipv4_options_and_fragments(void)
{
    iotap_decoded d;
    buf b = { .n = 0 };
    eth(&b, 0x0800);
    ip4(&b, 17, "192.168.1.5", "192.168.1.6", 8 + 12, 12, 0);    /* IHL 8 */
    udp(&b, 4444, 5555, 12);
    pmem(&b, HELLO, 12);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.sport, 4444);
    CHECK_EQ_U(d.dport, 5555);
    CHECK_EQ_U(d.payload_len, 12);
    CHECK(memcmp(d.payload, HELLO, 12) == 0);

    /* First fragment: MF, offset 0: L4 header parsed. */
    b.n = 0;
    eth(&b, 0x0800);
    ip4(&b, 17, "192.168.1.5", "192.168.1.6", 8 + 16, 0, 0x2000);
    p16(&b, 4444); p16(&b, 5555); p16(&b, 8 + 40); p16(&b, 0);
    pfill(&b, 'a', 16);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.frag);
    CHECK(d.frag_first);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.ip_id, 0x1234);
    CHECK_EQ_U(d.dport, 5555);
    /* The UDP length (48) is bigger than this piece: the piece wins. */
    CHECK_EQ_U(d.payload_len, 16);

    /* Later fragment: offset 3 (24 bytes), no L4 header. */
    b.n = 0;
    eth(&b, 0x0800);
    ip4(&b, 17, "192.168.1.5", "192.168.1.6", 24, 0, 3);
    pfill(&b, 'b', 24);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.frag);
    CHECK(!d.frag_first);
    CHECK(!d.has_l4);
    CHECK_EQ_U(d.proto, 17);
    CHECK_EQ_U(d.payload_len, 24);
    CHECK_EQ_U(d.payload_caplen, 24);
    CHECK_EQ_U(d.payload[0], 'b');

    /* Last fragment: offset only, no MF. */
    b.n = 0;
    eth(&b, 0x0800);
    ip4(&b, 1, "192.168.1.5", "192.168.1.6", 8, 0, 100);
    pfill(&b, 'c', 8);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.frag);
    CHECK(!d.frag_first);
    CHECK(!d.has_l4);

    /* ICMP echo request. */
    b.n = 0;
    eth(&b, 0x0800);
    ip4(&b, 1, "192.168.1.5", "8.8.8.8", 8 + 4, 0, 0);
    p8(&b, 8); p8(&b, 0); p16(&b, 0); p16(&b, 0x77); p16(&b, 1); pmem(&b, "ping", 4);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.proto, 1);
    CHECK_EQ_U(d.sport, 8);
    CHECK_EQ_U(d.dport, 0);
    CHECK_EQ_U(d.payload_len, 12);      /* the whole ICMP message */
    CHECK_EQ_U(d.payload[0], 8);

    /* IGMP: no transport ports, payload is the IP payload. */
    b.n = 0;
    eth(&b, 0x0800);
    ip4(&b, 2, "192.168.1.5", "224.0.0.22", 8, 4, 0);
    p8(&b, 0x22); pfill(&b, 0, 7);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.proto, 2);
    CHECK(!d.has_l4);
    CHECK_EQ_U(d.payload_len, 8);
    CHECK_EQ_U(d.payload[0], 0x22);

    /* TSO capture at the sender: total length 0 means "the frame". */
    b.n = 0;
    eth(&b, 0x0800);
    size_t ipat = b.n;
    ip4(&b, 6, "192.168.1.5", "1.2.3.4", 20 + 12, 0, 0);
    tcp(&b, 1, 2, 3, 4, IOTAP_TCP_ACK, 0);
    pmem(&b, HELLO, 12);
    b.b[ipat + 2] = b.b[ipat + 3] = 0;
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.payload_len, 12);
}

static void test_ipv6(void)
{
    iotap_decoded d;
    buf b = { .n = 0 };
    /* hop-by-hop (8) + routing (24) + destination options (16) + TCP. */
    eth(&b, 0x86dd);
    ip6(&b, 0, "2001:db8::1", "2001:db8::2", 8 + 24 + 16 + 20 + 12);
    ext6(&b, 43, 0);
    ext6(&b, 60, 2);
    ext6(&b, 6, 1);
    tcp(&b, 443, 50123, 7, 8, IOTAP_TCP_ACK | IOTAP_TCP_FIN, 0);
    pmem(&b, HELLO, 12);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.ip_ver, 6);
    CHECK_EQ_U(d.ttl, 255);
    CHECK_EQ_U(d.proto, 6);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.sport, 443);
    CHECK_EQ_U(d.tcp_flags, IOTAP_TCP_ACK | IOTAP_TCP_FIN);
    CHECK_EQ_U(d.payload_len, 12);
    CHECK(memcmp(d.payload, HELLO, 12) == 0);
    CHECK(!d.frag);
    CHECK(d.error == NULL);

    /* AH: length in 4-octet units minus 2 (len 4 -> 24 bytes). */
    b.n = 0;
    eth(&b, 0x86dd);
    ip6(&b, 51, "2001:db8::1", "2001:db8::2", 24 + 8);
    p8(&b, 17); p8(&b, 4); p16(&b, 0); pfill(&b, 0x5a, 20);
    udp(&b, 500, 4500, 0);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.proto, 17);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.dport, 4500);

    /* First fragment, later fragment, atomic fragment. */
    b.n = 0;
    eth(&b, 0x86dd);
    ip6(&b, 44, "2001:db8::1", "2001:db8::2", 8 + 8 + 16);
    frag6(&b, 17, 0, true, 0xdeadbeef);
    p16(&b, 7000); p16(&b, 7001); p16(&b, 8 + 100); p16(&b, 0);
    pfill(&b, 'q', 16);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.frag);
    CHECK(d.frag_first);
    CHECK_EQ_U(d.ip_id, 0xdeadbeef);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.dport, 7001);
    CHECK_EQ_U(d.payload_len, 16);

    b.n = 0;
    eth(&b, 0x86dd);
    ip6(&b, 44, "2001:db8::1", "2001:db8::2", 8 + 40);
    frag6(&b, 17, 3, false, 0xdeadbeef);
    pfill(&b, 'r', 40);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.frag);
    CHECK(!d.frag_first);
    CHECK(!d.has_l4);
    CHECK_EQ_U(d.proto, 17);
    CHECK_EQ_U(d.payload_len, 40);
    CHECK_EQ_U(d.payload[0], 'r');

    b.n = 0;
    eth(&b, 0x86dd);
    ip6(&b, 44, "2001:db8::1", "2001:db8::2", 8 + 20);
    frag6(&b, 6, 0, false, 1);
    tcp(&b, 80, 1025, 1, 1, IOTAP_TCP_ACK, 0);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(!d.frag);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.sport, 80);

    /* No next header, length 0, in a padded frame: nothing follows. */
    b.n = 0;
    eth(&b, 0x86dd);
    ip6(&b, 59, "2001:db8::1", "2001:db8::2", 0);
    pfill(&b, 0, 8);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK_EQ_U(d.proto, 59);
    CHECK(!d.has_l4);
    CHECK(d.error == NULL);
    CHECK_EQ_U(d.payload_len, 0);

    /* ICMPv6 neighbour solicitation. */
    b.n = 0;
    eth(&b, 0x86dd);
    ip6(&b, 58, "fe80::1", "ff02::1:ff00:2", 24);
    p8(&b, 135); p8(&b, 0); p16(&b, 0); p32(&b, 0); paddr(&b, AF_INET6, "fe80::2");
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.sport, 135);
    CHECK_EQ_U(d.dport, 0);
    CHECK_EQ_U(d.payload_len, 24);

    /* Payload length 0 (jumbogram / TSO): the frame gives the length, and
     * a UDP length of 0 is what RFC 2675 says to send. */
    b.n = 0;
    eth(&b, 0x86dd);
    ip6(&b, 17, "2001:db8::1", "2001:db8::2", 0);
    p16(&b, 1); p16(&b, 2); p16(&b, 0); p16(&b, 0);
    pmem(&b, HELLO, 12);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.payload_len, 12);
    CHECK(d.error == NULL);
}

static void test_lies(void)
{
    iotap_decoded d;
    buf b = { .n = 0 };
    size_t ipat;

    /* IHL < 5. */
    eth(&b, 0x0800);
    ipat = b.n;
    ip4(&b, 6, "10.0.0.1", "10.0.0.2", 20, 0, 0);
    tcp(&b, 1, 2, 0, 0, IOTAP_TCP_SYN, 0);
    b.b[ipat] = 0x44;
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.error != NULL);
    CHECK(!d.has_l4);
    CHECK(!d.truncated);

    /* Total length < header length. */
    b.b[ipat] = 0x45;
    b.b[ipat + 2] = 0; b.b[ipat + 3] = 19;
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.error != NULL);
    CHECK(!d.has_l4);

    /* Total length > the frame: error, decoded as far as the frame goes. */
    b.b[ipat + 2] = 0x05; b.b[ipat + 3] = 0xdc;
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.error != NULL);
    CHECK(d.payload_len == 0);

    /* IPv4 version field other than 4 under EtherType IPv4. */
    b.b[ipat] = 0x65;
    b.b[ipat + 2] = 0; b.b[ipat + 3] = 40;
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.error != NULL);
    CHECK_EQ_U(d.ip_ver, 0);

    /* TCP data offset < 5, and beyond the segment. */
    b.n = 0;
    eth(&b, 0x0800);
    ip4(&b, 6, "10.0.0.1", "10.0.0.2", 20, 0, 0);
    size_t tcpat = b.n;
    tcp(&b, 1, 2, 0, 0, IOTAP_TCP_SYN, 0);
    b.b[tcpat + 12] = 0x40;
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.error != NULL);
    CHECK(!d.has_l4);
    b.b[tcpat + 12] = 0xf0;     /* 60 bytes of header in a 20-byte segment */
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.error != NULL);
    CHECK(!d.has_l4);

    /* UDP length bigger than the IP payload. */
    b.n = 0;
    eth(&b, 0x0800);
    ip4(&b, 17, "10.0.0.1", "10.0.0.2", 8 + 4, 0, 0);
    p16(&b, 1); p16(&b, 2); p16(&b, 500); p16(&b, 0);
    pmem(&b, "abcd", 4);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.error != NULL);
    CHECK_EQ_U(d.payload_len, 4);       /* IP's length wins */

    /* IPv6: a chain of 20 destination-options headers. */
    b.n = 0;
    eth(&b, 0x86dd);
    ip6(&b, 60, "2001:db8::1", "2001:db8::2", 20 * 8 + 8);
    for (int i = 0; i < 20; i++)
        ext6(&b, i == 19 ? 17 : 60, 0);
    udp(&b, 1, 2, 0);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.error != NULL);
    CHECK(!d.has_l4);

    /* An extension header longer than the payload length. */
    b.n = 0;
    eth(&b, 0x86dd);
    ip6(&b, 0, "2001:db8::1", "2001:db8::2", 16);
    ext6(&b, 17, 4);    /* 40 bytes */
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.error != NULL);
    CHECK(!d.has_l4);

    /* IPv6 payload length beyond the frame. */
    b.n = 0;
    eth(&b, 0x86dd);
    ip6(&b, 17, "2001:db8::1", "2001:db8::2", 1000);
    udp(&b, 1, 2, 0);
    dec(IOTAP_LINK_ETHERNET, &b, &d);
    CHECK(d.error != NULL);
    CHECK(d.has_l4);
    CHECK_EQ_U(d.payload_len, 0);

    /* NFLOG TLV length < 4. */
    b.n = 0;
    p8(&b, 2); p8(&b, 0); p16(&b, 0);
    p16le(&b, 2); p16le(&b, 9);
    dec(239, &b, &d);
    CHECK(d.error != NULL);
}

/* Every cut of a packet: the header cut sets `truncated`; a cut inside the
 * payload keeps the header lengths and reports what is left. */
static void cut_all(int linktype, const buf *b, size_t l4_at, size_t l4_fixed,
                    size_t hdr_end, size_t payload_at, uint32_t payload_len)
{
    iotap_decoded d;
    for (size_t n = 0; n <= b->n; n++) {
        CHECK_EQ_I(dec_cut(linktype, b, n, &d), 0);
        if (n < hdr_end) {
            if (!d.truncated)
                fprintf(stderr, "linktype %d cut at %zu: not truncated\n", linktype, n);
            CHECK(d.truncated);
            CHECK_EQ_U(d.payload_caplen, 0);
        } else {
            CHECK(!d.truncated);
            CHECK_EQ_U(d.payload_len, payload_len);
            CHECK_EQ_U(d.payload_caplen, n - payload_at < payload_len ? n - payload_at : payload_len);
        }
        CHECK_EQ_I(d.has_l4, n >= l4_at + l4_fixed);
        CHECK(d.error == NULL);
    }
}

static void test_truncation(void)
{
    buf b = { .n = 0 };
    /* Ethernet / IPv4 with options / TCP with options / 12 bytes. */
    eth(&b, 0x0800);
    ip4(&b, 6, "192.168.1.20", "93.184.216.34", 20 + 12 + 12, 8, 0);
    size_t l4 = b.n;
    tcp(&b, 51000, 443, 1, 2, IOTAP_TCP_ACK, 12);
    size_t hdr = b.n;
    pmem(&b, HELLO, 12);
    cut_all(IOTAP_LINK_ETHERNET, &b, l4, 20, hdr, hdr, 12);

    /* Ethernet / QinQ / IPv6 / hop-by-hop / fragment (first) / UDP. */
    b.n = 0;
    pmem(&b, MAC_DST, 6);
    pmem(&b, MAC_SRC, 6);
    p16(&b, 0x88a8); p16(&b, 5);
    p16(&b, 0x8100); p16(&b, 6);
    p16(&b, 0x86dd);
    ip6(&b, 0, "2001:db8::1", "2001:db8::2", 8 + 8 + 8 + 12);
    ext6(&b, 44, 0);
    frag6(&b, 17, 0, true, 9);
    l4 = b.n;
    udp(&b, 53, 53, 12);
    hdr = b.n;
    pmem(&b, HELLO, 12);
    cut_all(IOTAP_LINK_ETHERNET, &b, l4, 8, hdr, hdr, 12);

    /* SLL2 / IPv4 / ICMP (payload = the whole message). */
    b.n = 0;
    sll2_header(&b, 0, 6, 0x0800);
    ip4(&b, 1, "192.168.1.5", "8.8.8.8", 8 + 12, 0, 0);
    l4 = b.n;
    p8(&b, 8); p8(&b, 0); p16(&b, 0); p16(&b, 1); p16(&b, 2);
    pmem(&b, HELLO, 12);
    cut_all(IOTAP_LINK_LINUX_SLL2, &b, l4, 4, l4 + 4, l4, 20);

    /* SLL / VLAN / IPv6 / TCP. */
    b.n = 0;
    sll_header(&b, 0, 6, 0x8100);
    p16(&b, 42);
    p16(&b, 0x86dd);
    ip6(&b, 6, "2001:db8::1", "2001:db8::2", 32 + 12);
    l4 = b.n;
    tcp(&b, 1, 2, 3, 4, IOTAP_TCP_SYN, 12);
    hdr = b.n;
    pmem(&b, HELLO, 12);
    cut_all(IOTAP_LINK_LINUX_SLL, &b, l4, 20, hdr, hdr, 12);

    /* NULL / IPv4 / UDP. */
    b.n = 0;
    p8(&b, 2); p8(&b, 0); p8(&b, 0); p8(&b, 0);
    ip4(&b, 17, "127.0.0.1", "127.0.0.1", 8 + 12, 0, 0);
    l4 = b.n;
    udp(&b, 1, 2, 12);
    hdr = b.n;
    pmem(&b, HELLO, 12);
    cut_all(IOTAP_LINK_NULL, &b, l4, 8, hdr, hdr, 12);

    /* Raw IPv6 with AH then TCP. */
    b.n = 0;
    ip6(&b, 51, "2001:db8::1", "2001:db8::2", 16 + 20 + 12);
    p8(&b, 6); p8(&b, 2); p16(&b, 0); pfill(&b, 1, 12);
    l4 = b.n;
    tcp(&b, 1, 2, 3, 4, IOTAP_TCP_ACK, 0);
    hdr = b.n;
    pmem(&b, HELLO, 12);
    cut_all(IOTAP_LINK_RAW, &b, l4, 20, hdr, hdr, 12);
}

/* Random bytes under every link type: no crash, no overread (ASan). */
static void test_garbage(void)
{
    int lts[] = { 0, 1, 9, 12, 14, 50, 101, 104, 108, 113, 228, 229, 239, 276 };
    uint32_t seed = 12345;
    buf b;
    iotap_decoded d;
    for (int i = 0; i < 20000; i++) {
        b.n = 0;
        size_t n = (seed = seed * 1103515245 + 12345) % 200;
        for (size_t k = 0; k < n; k++) {
            seed = seed * 1103515245 + 12345;
            p8(&b, seed >> 16);
        }
        /* Make the interesting paths likely: plausible link headers. */
        int lt = lts[i % (int)(sizeof lts / sizeof lts[0])];
        if (lt == 1 && b.n >= 14) {
            static const unsigned types[] = { 0x0800, 0x86dd, 0x8100, 0x88a8, 0x8847, 0x8864, 0x0806 };
            unsigned t = types[(seed >> 8) % 7];
            b.b[12] = (uint8_t)(t >> 8);
            b.b[13] = (uint8_t)t;
            if (b.n > 14 && t == 0x0800)
                b.b[14] = (uint8_t)(0x40 | (b.b[14] & 0x0f));
            if (b.n > 14 && t == 0x86dd)
                b.b[14] = (uint8_t)(0x60 | (b.b[14] & 0x0f));
        }
        if ((lt == 101 || lt == 228) && b.n > 0)
            b.b[0] = (uint8_t)(0x40 | (b.b[0] & 0x0f));
        if (lt == 229 && b.n > 0)
            b.b[0] = (uint8_t)(0x60 | (b.b[0] & 0x0f));
        CHECK_EQ_I(dec(lt, &b, &d), 0);
        CHECK(d.payload_caplen <= b.n);
        CHECK(d.payload_caplen <= d.payload_len || d.ip_ver == 0);
    }
}

/* ---- public captures against tshark ------------------------------------ */

/* Packets with a TCP, UDP and ICMP/ICMPv6 header, and the sum of the TCP
 * and UDP payload lengths by header, as this decoder and as tshark see them.
 * IP reassembly is off in tshark so that both count each frame once; a
 * packet quoted inside an ICMP error counts as ICMP (it is not the frame's
 * own transport). */
typedef struct counts { unsigned long tcp, tcp_bytes, udp, udp_bytes, icmp; } counts;

static bool tshark_counts(const char *path, counts *c)
{
    memset(c, 0, sizeof *c);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "tshark -n -r '%s' -o ip.defragment:FALSE -o ipv6.defragment:FALSE "
             "-T fields -e tcp.len -e udp.length -e icmp.type -e icmpv6.type 2>/dev/null | "
             "awk -F '\\t' '$3 != \"\" || $4 != \"\" { i++; next } "
             "$1 != \"\" { t++; tb += $1; next } $2 != \"\" { u++; ub += $2 - 8 } "
             "END { print t+0, tb+0, u+0, ub+0, i+0 }'",
             path);
    FILE *f = popen(cmd, "r");
    if (!f)
        return false;
    int n = fscanf(f, "%lu %lu %lu %lu %lu", &c->tcp, &c->tcp_bytes, &c->udp, &c->udp_bytes, &c->icmp);
    pclose(f);
    return n == 5;
}

static void corpus_file(const char *corpus, const char *rel)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", corpus, rel);
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "skip (absent): %s\n", rel);
        return;
    }
    const char *inputs[1] = { path };
    iotap_reader *r = iotap_reader_open(inputs, 1);
    iotap_packet p;
    counts us = { 0 }, ts;
    unsigned long pkts = 0;
    while (iotap_reader_next(r, &p)) {
        iotap_decoded d;
        pkts++;
        CHECK_EQ_I(iotap_decode(&p, &d), 0);
        if (!d.has_l4)
            continue;
        if (d.proto == 6) {
            us.tcp++;
            us.tcp_bytes += d.payload_len;
        } else if (d.proto == 17) {
            us.udp++;
            us.udp_bytes += d.payload_len;
        } else if (d.proto == 1 || d.proto == 58) {
            us.icmp++;
        }
    }
    CHECK_EQ_U(iotap_reader_damaged(r), 0);
    iotap_reader_close(r);
    CHECK(tshark_counts(path, &ts));
    fprintf(stderr, "%s: %lu packets; tcp %lu/%lu (tshark %lu/%lu), udp %lu/%lu (tshark %lu/%lu), "
            "icmp %lu (tshark %lu)\n", rel, pkts, us.tcp, us.tcp_bytes, ts.tcp, ts.tcp_bytes,
            us.udp, us.udp_bytes, ts.udp, ts.udp_bytes, us.icmp, ts.icmp);
    CHECK(pkts > 0);
    CHECK(us.tcp + us.udp + us.icmp > 0);
    CHECK_EQ_U(us.tcp, ts.tcp);
    CHECK_EQ_U(us.tcp_bytes, ts.tcp_bytes);
    CHECK_EQ_U(us.udp, ts.udp);
    CHECK_EQ_U(us.udp_bytes, ts.udp_bytes);
    CHECK_EQ_U(us.icmp, ts.icmp);
}

static void test_public_captures(void)
{
    const char *corpus = test_corpus();
    if (!corpus) {
        fprintf(stderr, "skip corpus comparison: no IOTAP_CORPUS\n");
        return;
    }
    if (system("tshark -v >/dev/null 2>&1") != 0) {
        fprintf(stderr, "skip corpus comparison: no tshark\n");
        return;
    }
    static const char *const files[] = {
        "zeek/testing/btest/Traces/http/get.pcap",                      /* Ethernet */
        "zeek/testing/btest/Traces/http/bro.org.pcap",
        "zeek/testing/btest/Traces/http/zeek-image-1080-80-x.pcapng",
        "zeek/testing/btest/Traces/http-vlan-0.pcap",                   /* 802.1Q */
        "zeek/testing/btest/Traces/http-qinq-0.pcap",                   /* QinQ */
        "zeek/testing/btest/Traces/mixed-vlan-mpls.pcap",               /* MPLS */
        "zeek/testing/btest/Traces/tcp-http-with-padding.pcap",         /* padding */
        "zeek/testing/btest/Traces/ipv6-http-atomic-frag.pcap",         /* IPv6 frag hdr */
        "zeek/testing/btest/Traces/nflog-http.pcap",                    /* NFLOG */
        "zeek/testing/btest/Traces/dns/mdns.pcap",                      /* UDP, v4+v6 */
        "zeek/testing/btest/Traces/http/261/variant-01-chunk_2pow64_overflow.pcap", /* raw IPv4 */
        "suricata-verify/tests/http-event-chunk/input.pcap",            /* BSD null */
        "suricata-verify/tests/quic-v2/input.pcap",
        "zeek/testing/btest/Traces/linux_dlt_sll2.pcap",                /* SLL2 */
        "zeek/testing/btest/Traces/tls/openjdk-25.0.2-zeek.org.pcap",
        "tcpdump/tests/babel.pcap",                                     /* SLL, IPv6 UDP */
        "tcpdump/tests/LINKTYPE_IPV6.pcap",                             /* raw IPv6 */
        "tcpdump/tests/LINKTYPE_RAW_ipv4.pcap",
        "tcpdump/tests/bigtcp-ipv4.pcap",                               /* IPv4 length 0, 80 kB */
        "zeek/testing/btest/Traces/quic/interop/quic-go_quic-go/retry.pcap", /* PPP */
        "tcpdump/tests/HDLC.pcap",                                      /* Cisco HDLC */
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        corpus_file(corpus, files[i]);
}

/* Valid packets with a few bytes changed at random: every layer sees
 * near-miss values (lengths off by a little, versions, next headers). */
static void test_mutations(void)
{
    buf base[4];
    int lt[4] = { IOTAP_LINK_ETHERNET, IOTAP_LINK_ETHERNET, IOTAP_LINK_LINUX_SLL2, IOTAP_LINK_RAW };
    memset(base, 0, sizeof base);
    eth(&base[0], 0x0800);
    ip4(&base[0], 6, "192.168.1.20", "93.184.216.34", 20 + 12 + 12, 8, 0);
    tcp(&base[0], 51000, 443, 1, 2, IOTAP_TCP_ACK, 12);
    pmem(&base[0], HELLO, 12);
    pmem(&base[1], MAC_DST, 6);
    pmem(&base[1], MAC_SRC, 6);
    p16(&base[1], 0x8100); p16(&base[1], 5);
    p16(&base[1], 0x86dd);
    ip6(&base[1], 0, "2001:db8::1", "2001:db8::2", 8 + 8 + 16 + 12);
    ext6(&base[1], 44, 0);
    frag6(&base[1], 60, 0, true, 9);
    ext6(&base[1], 17, 1);
    udp(&base[1], 53, 53, 12);
    pmem(&base[1], HELLO, 12);
    sll2_header(&base[2], 0, 6, 0x0800);
    ip4(&base[2], 1, "192.168.1.5", "8.8.8.8", 8 + 12, 4, 0);
    p8(&base[2], 8); p8(&base[2], 0); p16(&base[2], 0); p16(&base[2], 1); p16(&base[2], 2);
    pmem(&base[2], HELLO, 12);
    ip6(&base[3], 51, "2001:db8::1", "2001:db8::2", 16 + 20 + 12);
    p8(&base[3], 6); p8(&base[3], 2); p16(&base[3], 0); pfill(&base[3], 1, 12);
    tcp(&base[3], 1, 2, 3, 4, IOTAP_TCP_ACK, 0);
    pmem(&base[3], HELLO, 12);
    uint32_t seed = 777;
    iotap_decoded d;
    unsigned long l4 = 0;
    for (int i = 0; i < 40000; i++) {
        int k = i % 4;
        buf b = base[k];
        int flips = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 4;
        for (int j = 0; j < flips; j++) {
            seed = seed * 1103515245 + 12345;
            size_t at = (seed >> 8) % b.n;
            seed = seed * 1103515245 + 12345;
            b.b[at] = (seed >> 13) & 1 ? (uint8_t)(seed >> 16) : (uint8_t)(b.b[at] + ((seed >> 17) & 1 ? 1 : -1));
        }
        seed = seed * 1103515245 + 12345;
        size_t cut = (seed >> 16) % 4 == 0 ? (seed >> 8) % (b.n + 1) : b.n;
        CHECK_EQ_I(dec_cut(lt[k], &b, cut, &d), 0);
        l4 += d.has_l4;
    }
    /* Most mutations leave a decodable transport header: the walk is
     * exercised, not rejected at the first byte. */
    CHECK(l4 > 10000);
}

int main(void)
{
    test_eth_ipv4_tcp();
    test_padding();
    test_vlan();
    test_other_ethernet();
    test_cooked();
    test_raw_and_null();
    test_ipv4_options_and_fragments();
    test_ipv6();
    test_lies();
    test_truncation();
    test_garbage();
    test_mutations();
    test_public_captures();
    free(held);
    return TEST_DONE();
}
