/*
 * pcapwalk.h - test helper (header only): walks a capture file with libpcap
 * and hands each packet's IPv4/IPv6 UDP or TCP payload to a callback, so the
 * protocol-parser tests can compare against tshark on corpus captures
 * without depending on the shared decoder. Understands Ethernet (with up to
 * two 802.1Q tags), raw IP, BSD null and Linux SLL/SLL2; IPv6 extension
 * headers are not walked (such packets are skipped); fragments are skipped.
 */
#ifndef IOTAP_TEST_PCAPWALK_H
#define IOTAP_TEST_PCAPWALK_H
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef struct pw_pkt {
    unsigned num;               /* 1-based frame number, as tshark counts */
    int64_t ts_ns;
    const uint8_t *src_mac, *dst_mac;   /* NULL without Ethernet */
    int ipver;
    uint8_t src[16], dst[16];   /* v4 in the first 4 bytes */
    uint8_t proto;              /* 6 or 17 */
    uint16_t sport, dport;
    uint8_t tcp_flags;
    uint32_t seq;
    const uint8_t *payload;
    size_t len;
    bool snapped;               /* caplen cut the IP packet short */
} pw_pkt;

typedef void (*pw_fn)(const pw_pkt *p, void *ctx);

static inline uint16_t pw_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Returns the number of packets read, or -1 when the file cannot be opened. */
static inline long pw_walk(const char *path, pw_fn fn, void *ctx)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, errbuf);
    if (!pc)
        return -1;
    int dlt = pcap_datalink(pc);
    struct pcap_pkthdr *h;
    const uint8_t *d;
    long n = 0;
    while (pcap_next_ex(pc, &h, &d) == 1) {
        n++;
        pw_pkt p;
        memset(&p, 0, sizeof p);
        p.num = (unsigned)n;
        p.ts_ns = (int64_t)h->ts.tv_sec * 1000000000LL + (int64_t)h->ts.tv_usec * 1000;
        size_t cap = h->caplen, off = 0;
        uint16_t et = 0;
        if (dlt == DLT_EN10MB) {
            if (cap < 14) continue;
            p.dst_mac = d;
            p.src_mac = d + 6;
            et = pw_be16(d + 12);
            off = 14;
            for (int v = 0; v < 2 && (et == 0x8100 || et == 0x88a8); v++) {
                if (cap < off + 4) break;
                et = pw_be16(d + off + 2);
                off += 4;
            }
        } else if (dlt == DLT_RAW || dlt == 228 || dlt == 229 || dlt == 12 || dlt == 14) {
            if (cap < 1) continue;
            et = (d[0] >> 4) == 6 ? 0x86dd : 0x0800;
        } else if (dlt == DLT_NULL) {
            if (cap < 5) continue;
            off = 4;
            et = (d[4] >> 4) == 6 ? 0x86dd : 0x0800;
        } else if (dlt == DLT_LINUX_SLL) {
            if (cap < 16) continue;
            et = pw_be16(d + 14);
            off = 16;
        } else if (dlt == 276) {
            if (cap < 20) continue;
            et = pw_be16(d);
            off = 20;
        } else {
            continue;
        }
        size_t ipend;
        if (et == 0x0800) {
            if (cap < off + 20) continue;
            const uint8_t *ip = d + off;
            size_t ihl = (size_t)(ip[0] & 0xf) * 4, tot = pw_be16(ip + 2);
            if ((ip[0] >> 4) != 4 || ihl < 20 || tot < ihl || cap < off + ihl) continue;
            if ((pw_be16(ip + 6) & 0x3fff) != 0) continue;   /* fragment */
            p.ipver = 4;
            p.proto = ip[9];
            memcpy(p.src, ip + 12, 4);
            memcpy(p.dst, ip + 16, 4);
            ipend = off + tot;
            off += ihl;
        } else if (et == 0x86dd) {
            if (cap < off + 40) continue;
            const uint8_t *ip = d + off;
            p.ipver = 6;
            p.proto = ip[6];
            memcpy(p.src, ip + 8, 16);
            memcpy(p.dst, ip + 24, 16);
            ipend = off + 40 + pw_be16(ip + 4);
            off += 40;
        } else {
            continue;
        }
        if (ipend > cap) { ipend = cap; p.snapped = true; }
        if (p.proto == 17) {
            if (ipend < off + 8) continue;
            p.sport = pw_be16(d + off);
            p.dport = pw_be16(d + off + 2);
            off += 8;
        } else if (p.proto == 6) {
            if (ipend < off + 20) continue;
            const uint8_t *t = d + off;
            p.sport = pw_be16(t);
            p.dport = pw_be16(t + 2);
            p.seq = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7];
            p.tcp_flags = t[13];
            size_t doff = (size_t)(t[12] >> 4) * 4;
            if (doff < 20 || ipend < off + doff) continue;
            off += doff;
        } else {
            continue;
        }
        p.payload = d + off;
        p.len = ipend - off;
        fn(&p, ctx);
    }
    pcap_close(pc);
    return n;
}

/* Runs a shell command and returns its whole stdout (malloc'd, NUL-ended),
 * or NULL when it could not run or exited non-zero. */
#include <stdio.h>
#include <stdlib.h>
static inline char *pw_run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) { free(buf); buf = NULL; }
            else buf = nb;
        }
    }
    int st = pclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (st != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* True when tshark can be run. */
static inline bool pw_have_tshark(void)
{
    return system("tshark -v >/dev/null 2>&1") == 0;
}
#endif
