/*
 * test-report-pipeline: the report pipeline fed hand-built frames (no
 * capture file): the DNS log's query/response pairing (query time, an
 * unanswered query written after 30 s and at the end, an answer without a
 * captured query), DHCP host names with hostile bytes ('?' as lib/proto/dhcp
 * documents), a router learned
 * only after it was counted (still not a device), and time-aware naming.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report.h"
#include "test.h"
#include "util.h"

static const uint8_t DEV[6] = { 0x68, 0xdb, 0xf5, 0x4e, 0x7a, 0x11 };
static const uint8_t RTR[6] = { 0xdc, 0xa6, 0x32, 0x1a, 0x2b, 0x3c };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const int64_t T0 = 1761955200LL * IOTAP_NS_PER_SEC;   /* 2025-11-01 */

static uint8_t frame[2048];
static iotap_packet pkt;

/* Ethernet + IPv4 header for an L4 part of l4len bytes and protocol proto;
 * returns where the L4 header goes and sets up `pkt` for the whole frame. */
static uint8_t *eth_ipv4(int64_t ts, const uint8_t *smac, const uint8_t *dmac, const char *sip,
                         const char *dip, uint8_t proto, size_t l4len)
{
    iotap_addr s, d;
    iotap_addr_parse(sip, &s);
    iotap_addr_parse(dip, &d);
    uint8_t *p = frame;
    memcpy(p, dmac, 6);
    memcpy(p + 6, smac, 6);
    p[12] = 0x08, p[13] = 0x00;
    p += 14;
    size_t iplen = 20 + l4len;
    uint8_t ip[20] = { 0x45, 0, (uint8_t)(iplen >> 8), (uint8_t)iplen, 0, 0, 0x40, 0, 64, proto };
    memcpy(ip + 12, s.a, 4);
    memcpy(ip + 16, d.a, 4);
    memcpy(p, ip, 20);
    memset(&pkt, 0, sizeof pkt);
    pkt.ts_ns = ts;
    pkt.caplen = pkt.len = (uint32_t)(14 + iplen);
    pkt.linktype = IOTAP_LINK_ETHERNET;
    pkt.data = frame;
    pkt.input = "test";
    return p + 20;
}

/* Ethernet + IPv4 + UDP with payload; the packet is in `pkt`. */
static void udp(int64_t ts, const uint8_t *smac, const uint8_t *dmac, const char *sip,
                const char *dip, uint16_t sp, uint16_t dp, const uint8_t *pl, size_t n)
{
    uint8_t *p = eth_ipv4(ts, smac, dmac, sip, dip, 17, 8 + n);
    uint8_t uh[8] = { (uint8_t)(sp >> 8), (uint8_t)sp, (uint8_t)(dp >> 8), (uint8_t)dp,
                      (uint8_t)((8 + n) >> 8), (uint8_t)(8 + n), 0, 0 };
    memcpy(p, uh, 8);
    memcpy(p + 8, pl, n);
}

/* Ethernet + IPv4 + TCP with payload; the packet is in `pkt`. */
static void tcp(int64_t ts, const uint8_t *smac, const uint8_t *dmac, const char *sip,
                const char *dip, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack,
                uint8_t flags, const void *pl, size_t n)
{
    uint8_t *p = eth_ipv4(ts, smac, dmac, sip, dip, 6, 20 + n);
    uint8_t th[20] = { (uint8_t)(sp >> 8), (uint8_t)sp, (uint8_t)(dp >> 8), (uint8_t)dp,
                       (uint8_t)(seq >> 24), (uint8_t)(seq >> 16), (uint8_t)(seq >> 8), (uint8_t)seq,
                       (uint8_t)(ack >> 24), (uint8_t)(ack >> 16), (uint8_t)(ack >> 8), (uint8_t)ack,
                       0x50, flags, 0xff, 0xff, 0, 0, 0, 0 };
    memcpy(p, th, 20);
    if (n)
        memcpy(p + 20, pl, n);
}

/* A DNS message: one question, optionally one A answer. */
static size_t dns(uint8_t *b, uint16_t id, bool resp, uint8_t rcode, const char *name,
                  const char *addr)
{
    size_t n = 0;
    b[n++] = (uint8_t)(id >> 8), b[n++] = (uint8_t)id;
    b[n++] = resp ? 0x81 : 0x01, b[n++] = resp ? (uint8_t)(0x80 | rcode) : 0;
    uint8_t counts[8] = { 0, 1, 0, (uint8_t)(addr ? 1 : 0), 0, 0, 0, 0 };
    memcpy(b + n, counts, 8);
    n += 8;
    for (const char *s = name; *s;) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        b[n++] = (uint8_t)l;
        memcpy(b + n, s, l);
        n += l;
        s += l + (dot ? 1 : 0);
    }
    b[n++] = 0;
    b[n++] = 0, b[n++] = 1, b[n++] = 0, b[n++] = 1;
    if (addr) {
        iotap_addr a;
        iotap_addr_parse(addr, &a);
        uint8_t rr[12] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4 };
        memcpy(b + n, rr, 12);
        memcpy(b + n + 12, a.a, 4);
        n += 16;
    }
    return n;
}

typedef struct run {
    iotap_cli cli;
    FILE *out;
    iotap_csv *csv;
    iotap_report *r;
} run;

static void start(run *x, int kind)
{
    memset(&x->cli, 0, sizeof x->cli);
    x->out = tmpfile();
    x->csv = iotap_csv_new(x->out);
    iotap_report_opts o;
    iotap_report_opts_default(&o, kind);
    x->r = iotap_report_new(&o, &x->cli, x->csv);
}

/* Finishes and returns the output (malloc'd). */
static char *finish(run *x)
{
    iotap_report_finish(x->r);
    iotap_csv_close(x->csv);
    long n = ftell(x->out);
    char *s = xcalloc(1, (size_t)n + 1);
    rewind(x->out);
    if (fread(s, 1, (size_t)n, x->out) != (size_t)n)
        s[0] = 0;
    fclose(x->out);
    iotap_report_free(x->r);
    return s;
}

static void test_dns_log(void)
{
    run x;
    start(&x, IOTAP_REPORT_DNS);
    uint8_t b[512];
    size_t n;
    const int64_t ms = 1000000;
    n = dns(b, 1, false, 0, "A.Example.com", NULL);
    udp(T0, DEV, RTR, "192.168.1.20", "192.168.1.1", 40001, 53, b, n);
    iotap_report_packet(x.r, &pkt);
    n = dns(b, 1, true, 0, "a.example.com", "203.0.113.7");
    udp(T0 + 15 * ms, RTR, DEV, "192.168.1.1", "192.168.1.20", 53, 40001, b, n);
    iotap_report_packet(x.r, &pkt);
    n = dns(b, 2, false, 0, "lost.example", NULL);
    udp(T0 + 1000 * ms, DEV, RTR, "192.168.1.20", "192.168.1.1", 40002, 53, b, n);
    iotap_report_packet(x.r, &pkt);
    /* 40 s later: the lost query is written before this one is kept. */
    n = dns(b, 3, false, 0, "late.example", NULL);
    udp(T0 + 40000 * ms, DEV, RTR, "192.168.1.20", "192.168.1.1", 40003, 53, b, n);
    iotap_report_packet(x.r, &pkt);
    n = dns(b, 9, true, 3, "unasked.example", NULL);
    udp(T0 + 50000 * ms, RTR, DEV, "192.168.1.1", "192.168.1.20", 53, 40009, b, n);
    iotap_report_packet(x.r, &pkt);
    /* A response with the wrong id does not answer query 3. */
    n = dns(b, 4, true, 0, "late.example", "203.0.113.8");
    udp(T0 + 50001 * ms, RTR, DEV, "192.168.1.1", "192.168.1.20", 53, 40003, b, n);
    iotap_report_packet(x.r, &pkt);
    char *s = finish(&x);
    CHECK_STR(s,
        "time,mac,query,type,rcode,answers,ttl\n"
        "2025-11-01T00:00:00.000000Z,68:db:f5:4e:7a:11,a.example.com,A,NOERROR,203.0.113.7,60\n"
        "2025-11-01T00:00:01.000000Z,68:db:f5:4e:7a:11,lost.example,A,,,\n"
        "2025-11-01T00:00:50.000000Z,68:db:f5:4e:7a:11,unasked.example,A,NXDOMAIN,,\n"
        "2025-11-01T00:00:50.001000Z,68:db:f5:4e:7a:11,late.example,A,NOERROR,203.0.113.8,60\n"
        "2025-11-01T00:00:40.000000Z,68:db:f5:4e:7a:11,late.example,A,,,\n");
    free(s);
}

static void test_devices(void)
{
    run x;
    start(&x, IOTAP_REPORT_DEVICES);
    /* The router answers DNS first (both ends on the LAN: not yet known as
     * a router), then the device sends to an outside address through it. */
    uint8_t b[600];
    size_t n = dns(b, 1, true, 0, "a.example", "203.0.113.7");
    udp(T0, RTR, DEV, "192.168.1.1", "192.168.1.20", 53, 40001, b, n);
    iotap_report_packet(x.r, &pkt);
    udp(T0 + 1000, DEV, RTR, "192.168.1.20", "203.0.113.7", 40002, 443, (const uint8_t *)"x", 1);
    iotap_report_packet(x.r, &pkt);
    /* DHCP REQUEST: host name with a control byte, a comma and a backslash
     * before 'x' (written \x2c and \x5c: no report value holds a comma);
     * vendor class with a comma; then an option whose length runs past the end. */
    memset(b, 0, sizeof b);
    b[0] = 1, b[1] = 1, b[2] = 6;
    memcpy(b + 28, DEV, 6);
    b[236] = 99, b[237] = 130, b[238] = 83, b[239] = 99;
    n = 240;
    const uint8_t opts[] = { 53, 1, 3, 12, 8, 'b', 'a', 0x01, ',', 'd', '\\', 'x', 0, 60, 3, 'v', ',', 'c', 81, 200, 1 };
    memcpy(b + n, opts, sizeof opts);
    n += sizeof opts;
    udp(T0 + 2000, DEV, BCAST, "0.0.0.0", "255.255.255.255", 68, 67, b, n);
    iotap_report_packet(x.r, &pkt);
    uint32_t dhcp_len = pkt.len;
    char *s = finish(&x);
    char want[1024];
    snprintf(want, sizeof want,
        "mac,vendor,label,hostname,vendor_class,ipv4,ipv6,first_seen,last_seen,packets_out,"
        "packets_in,bytes_out,bytes_in,flows,domains,randomized\n"
        "68:db:f5:4e:7a:11,%s,,ba?\\x2cd\\x5cx,v\\x2cc,192.168.1.20,,2025-11-01T00:00:00.000000Z,"
        "2025-11-01T00:00:00.000002Z,2,1,%u,%u,2,1,no\n",
        "Amazon Technologies Inc.", 14 + 20 + 8 + 1 + dhcp_len, 14 + 20 + 8 + 43);
    (void)want;
    /* The vendor depends on the installed ieee-data; compare the rest. */
    char *comma = strchr(strchr(s, '\n') + 1, ',');
    char *rest = comma ? strchr(comma + 1, ',') : NULL;
    char *wrest = strchr(strchr(strchr(want, '\n') + 1, ',') + 1, ',');
    CHECK(rest != NULL);
    if (rest)
        CHECK_STR(rest, wrest);
    CHECK(strstr(s, "dc:a6:32") == NULL);      /* the router is no device */
    free(s);
}

/* A TCP connection from DEV to ip:port: handshake, then `first` from the
 * server (server_first) or the client, one reply the other way, FIN. */
static void tcp_conn(iotap_report *r, int64_t t, const char *ip, uint16_t port,
                     bool server_first, const char *first)
{
    const char *me = "192.168.1.20";
    uint16_t lp = (uint16_t)(40000 + port % 1000);
    tcp(t, DEV, RTR, me, ip, lp, port, 100, 0, 0x02, NULL, 0);
    iotap_report_packet(r, &pkt);
    tcp(t + 1000, RTR, DEV, ip, me, port, lp, 500, 101, 0x12, NULL, 0);
    iotap_report_packet(r, &pkt);
    tcp(t + 2000, DEV, RTR, me, ip, lp, port, 101, 501, 0x10, NULL, 0);
    iotap_report_packet(r, &pkt);
    size_t n = strlen(first);
    if (server_first) {
        tcp(t + 3000, RTR, DEV, ip, me, port, lp, 501, 101, 0x18, first, n);
        iotap_report_packet(r, &pkt);
        tcp(t + 4000, DEV, RTR, me, ip, lp, port, 101, 501 + (uint32_t)n, 0x18, "zz\r\n", 4);
    } else {
        tcp(t + 3000, DEV, RTR, me, ip, lp, port, 101, 501, 0x18, first, n);
        iotap_report_packet(r, &pkt);
        tcp(t + 4000, RTR, DEV, ip, me, port, lp, 501, 101 + (uint32_t)n, 0x18, "zz\r\n", 4);
    }
    iotap_report_packet(r, &pkt);
}

/* cleartext_bytes: SSH (banner either way), DTLS and WireGuard are
 * encrypted; other UDP and TCP payloads (also near misses) are cleartext.
 * Compared as "remote_addrs:cleartext_bytes/bytes" per row, ';'-joined. */
static void test_cleartext(void)
{
    run x;
    start(&x, IOTAP_REPORT_DOMAINS);
    const int64_t ms = 1000000;
    const char *me = "192.168.1.20";
    uint8_t b[200];
    memset(b, 0x5a, sizeof b);
    /* DTLS 1.2 ClientHello record (type 22, version fe fd). */
    uint8_t dtls[40] = { 22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 27, 1 };
    udp(T0, DEV, RTR, me, "203.0.113.20", 40010, 4433, dtls, sizeof dtls);
    iotap_report_packet(x.r, &pkt);
    /* DTLS 1.0 application data. */
    uint8_t dtls10[30] = { 23, 0xfe, 0xff, 0, 1 };
    udp(T0 + ms, DEV, RTR, me, "203.0.113.21", 40011, 5684, dtls10, sizeof dtls10);
    iotap_report_packet(x.r, &pkt);
    /* WireGuard handshake initiation (148 bytes), then its response. */
    uint8_t wg[148] = { 1, 0, 0, 0 };
    udp(T0 + 2 * ms, DEV, RTR, me, "203.0.113.22", 40012, 51820, wg, 148);
    iotap_report_packet(x.r, &pkt);
    uint8_t wgr[92] = { 2, 0, 0, 0 };
    udp(T0 + 3 * ms, RTR, DEV, "203.0.113.22", me, 51820, 40012, wgr, 92);
    iotap_report_packet(x.r, &pkt);
    /* WireGuard transport data (type 4, 64 bytes). */
    uint8_t wgd[64] = { 4, 0, 0, 0 };
    udp(T0 + 4 * ms, DEV, RTR, me, "203.0.113.23", 40013, 51821, wgd, 64);
    iotap_report_packet(x.r, &pkt);
    /* Near misses: type 1 with the wrong size; DTLS-like with version fe fe. */
    uint8_t wgbad[100] = { 1, 0, 0, 0 };
    udp(T0 + 5 * ms, DEV, RTR, me, "203.0.113.24", 40014, 51822, wgbad, 100);
    iotap_report_packet(x.r, &pkt);
    uint8_t dtlsbad[30] = { 22, 0xfe, 0xfe };
    udp(T0 + 6 * ms, DEV, RTR, me, "203.0.113.25", 40015, 4434, dtlsbad, sizeof dtlsbad);
    iotap_report_packet(x.r, &pkt);
    /* Plain UDP text. */
    udp(T0 + 7 * ms, DEV, RTR, me, "203.0.113.26", 40016, 9999, (const uint8_t *)"hello", 5);
    iotap_report_packet(x.r, &pkt);
    /* SSH: the server's banner first; the client's banner first; and a
     * TCP payload that merely mentions SSH later on is cleartext. */
    tcp_conn(x.r, T0 + 8 * ms, "203.0.113.27", 22, true, "SSH-2.0-OpenSSH_9.2p1\r\n");
    tcp_conn(x.r, T0 + 9 * ms, "203.0.113.28", 2222, false, "SSH-2.0-dropbear\r\n");
    tcp_conn(x.r, T0 + 10 * ms, "203.0.113.29", 2323, false, "LOGIN SSH-2.0\r\n");
    char *s = finish(&x);
    /* remote_addrs (6th), bytes_out/in (14, 15), cleartext_bytes (16). */
    char got[1024] = "";
    char *save = NULL;
    for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[20] = { 0 };
        size_t nf = 0;
        for (char *p = line; nf < 20;) {
            f[nf++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = 0;
            p = c + 1;
        }
        if (nf < 16 || strcmp(f[0], "mac") == 0)
            continue;
        unsigned long long total = strtoull(f[13], NULL, 10) + strtoull(f[14], NULL, 10);
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s:%s/%llu", got[0] ? ";" : "",
                 f[5], f[15], total);
    }
    CHECK_STR(got,
        "203.0.113.20:0/82;203.0.113.21:0/72;203.0.113.22:0/324;203.0.113.23:0/106;"
        "203.0.113.24:142/142;203.0.113.25:72/72;203.0.113.26:47/47;"
        "203.0.113.27:0/297;203.0.113.28:0/292;203.0.113.29:289/289");
    free(s);
}

int main(void)
{
    iotap_set_progname("test-report-pipeline");
    setenv("IOTAP_IEEE_DATA", "/nonexistent", 1);  /* vendor lookups need not be loaded */
    test_dns_log();
    test_devices();
    test_cleartext();
    return TEST_DONE();
}
