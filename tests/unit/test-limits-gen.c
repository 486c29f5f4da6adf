/*
 * test-limits-gen.c - builds the hostile captures of the resource-limit
 * tests (tests/e2e/limits-*.sh) and, run without arguments, checks its own
 * gzip bomb construction with zlib.
 *
 *   test-limits-gen synflood N OUT.pcap        N SYNs, distinct (addr, port)
 *   test-limits-gen dnsflood N K OUT.pcap      N queries + responses, K
 *                                              distinct A records each, then
 *                                              SYNs to the last answer's first
 *                                              address and to the first's
 *   test-limits-gen dnsloop OUT.pcap           compression-pointer loops,
 *                                              then one healthy answer
 *   test-limits-gen cname N OUT.pcap           one answer: a CNAME chain of N
 *                                              names, then a CNAME loop
 *   test-limits-gen bomb GIB OUT.pcap          HTTP response, Content-Encoding:
 *                                              gzip of GIB GiB of zeros
 *   test-limits-gen chunked N OUT.pcap BODY    HTTP response of N chunks; the
 *                                              de-chunked body goes to BODY
 *   test-limits-gen hole MIB OUT.pcap          HTTP response whose body
 *                                              misses its first segment, then
 *                                              MIB MiB follow (never ACKed)
 *   test-limits-gen manyholes N MIB OUT.pcap   N such connections at once,
 *                                              interleaved
 *   test-limits-gen bigheaders N MIB OUT.pcap  N connections at once, each a
 *                                              request whose header block runs
 *                                              on for MIB MiB
 *   test-limits-gen macflood N OUT.pcap        N frames from N distinct
 *                                              LAN MACs
 *   test-limits-gen partial N OUT.pcap         N HTTP connections left open
 *                                              inside a request header
 *   test-limits-gen holestart MIB OUT.pcap     the same, but the lost segment
 *                                              also held the response headers
 *
 * The device is 02:11:22:33:44:55 / 192.168.1.10, the router
 * 02:aa:bb:cc:dd:01 / 192.168.1.1. The gzip bomb is built without inflating
 * anything: one raw-deflate piece B that decodes to 64 MiB of zeros given a
 * window of zeros (it only refers back to its own output), ended by a sync
 * flush so it is byte aligned, repeated; the CRC-32 comes from
 * crc32_combine(). About 10 MB of stream for 10 GiB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "pcapwrite.h"
#include "test.h"

static const uint8_t DEV_MAC[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t GW_MAC[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01};
#define DEV_IP 0xc0a8010au
#define GW_IP 0xc0a80101u

static iotap_pcapw *W;
static int64_t T_NS = 1767225600LL * 1000000000LL;   /* 2026-01-01T00:00:00Z */
static uint8_t frame[70000];

static void die(const char *what) { perror(what); exit(2); }
static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

static unsigned ipsum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2) s += (uint32_t)(p[i] << 8 | p[i + 1]);
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return ~s & 0xffff;
}

/* Writes Ethernet + IPv4 + the L4 header and payload; from_dev picks the MACs. */
static void emit(int from_dev, uint32_t src, uint32_t dst, int proto,
                 const uint8_t *l4, size_t l4len)
{
    if (l4len > sizeof frame - 34) { fprintf(stderr, "frame too large\n"); exit(2); }
    memcpy(frame, from_dev ? GW_MAC : DEV_MAC, 6);
    memcpy(frame + 6, from_dev ? DEV_MAC : GW_MAC, 6);
    put16(frame + 12, 0x0800);
    uint8_t *ip = frame + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (unsigned)(20 + l4len));
    put16(ip + 6, 0x4000);
    ip[8] = 64;
    ip[9] = (uint8_t)proto;
    put32(ip + 12, src);
    put32(ip + 16, dst);
    put16(ip + 10, ipsum(ip, 20));
    memcpy(ip + 20, l4, l4len);
    uint32_t n = (uint32_t)(34 + l4len);
    if (iotap_pcapw_write(W, T_NS, n, n, frame) != 0) die("write");
    T_NS += 10000;   /* 10 us apart */
}

static void udp(int from_dev, uint32_t src, uint32_t dst, unsigned sp, unsigned dp,
                const uint8_t *data, size_t len)
{
    static uint8_t u[66000];
    put16(u, sp);
    put16(u + 2, dp);
    put16(u + 4, (unsigned)(8 + len));
    put16(u + 6, 0);   /* no checksum (allowed over IPv4) */
    if (len) memcpy(u + 8, data, len);
    emit(from_dev, src, dst, 17, u, 8 + len);
}

/* ---- TCP conversations: the device is the client ---- */
typedef struct conv {
    uint32_t sip;
    unsigned cport, sport;
    uint32_t cseq, sseq;     /* next sequence number of each side */
    uint32_t cack;           /* what the client acknowledges */
    int hold_ack;            /* client stops ACKing (a hole it waits for) */
} conv;

#define F_FIN 0x01
#define F_SYN 0x02
#define F_PSH 0x08
#define F_ACK 0x10

static void seg(conv *c, int from_client, int flags, const uint8_t *data, size_t len)
{
    uint8_t t[20 + 1500];
    put16(t, from_client ? c->cport : c->sport);
    put16(t + 2, from_client ? c->sport : c->cport);
    put32(t + 4, from_client ? c->cseq : c->sseq);
    put32(t + 8, (flags & F_ACK) ? (from_client ? c->cack : c->cseq) : 0);
    t[12] = 5 << 4;
    t[13] = (uint8_t)flags;
    put16(t + 14, 65535);
    put16(t + 16, 0);
    put16(t + 18, 0);
    if (len) memcpy(t + 20, data, len);
    if (from_client) emit(1, DEV_IP, c->sip, 6, t, 20 + len);
    else emit(0, c->sip, DEV_IP, 6, t, 20 + len);
    uint32_t adv = (uint32_t)len + ((flags & (F_SYN | F_FIN)) ? 1 : 0);
    if (from_client) c->cseq += adv;
    else {
        c->sseq += adv;
        if (!c->hold_ack) c->cack = c->sseq;
    }
}

static void handshake(conv *c)
{
    c->cseq = 1000;
    c->sseq = 500000;
    seg(c, 1, F_SYN, NULL, 0);
    seg(c, 0, F_SYN | F_ACK, NULL, 0);
    seg(c, 1, F_ACK, NULL, 0);
}

/* Sends len bytes in MSS-sized segments; the client ACKs every second one. */
static unsigned nseg;
static void send_data(conv *c, int from_client, const uint8_t *p, size_t len)
{
    while (len > 0) {
        size_t n = len < 1448 ? len : 1448;
        seg(c, from_client, F_ACK | F_PSH, p, n);
        p += n;
        len -= n;
        if (!from_client && ++nseg % 2 == 0) seg(c, 1, F_ACK, NULL, 0);
    }
}

static void finish(conv *c)
{
    seg(c, 0, F_FIN | F_ACK, NULL, 0);
    seg(c, 1, F_FIN | F_ACK, NULL, 0);
    seg(c, 0, F_ACK, NULL, 0);
}

static void request(conv *c, const char *uri)
{
    char req[256];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: limits.example\r\n"
                     "User-Agent: limits-gen\r\n\r\n", uri);
    send_data(c, 1, (const uint8_t *)req, (size_t)n);
}

/* ---- the gzip bomb ---- */
typedef struct bomb { uint8_t *b; size_t blen; unsigned copies; uint32_t crc; uint64_t size; } bomb;

/* piece_mib MiB of zeros per copy of B. */
static void bomb_build(bomb *k, unsigned piece_mib, unsigned copies)
{
    static uint8_t zeros[1 << 20];
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) exit(2);
    size_t cap = (size_t)piece_mib * 1100 + 4096;
    k->b = malloc(cap);
    if (!k->b) exit(2);
    z.next_out = k->b;
    z.avail_out = (uInt)cap;
    for (unsigned i = 0; i < piece_mib; i++) {
        z.next_in = zeros;
        z.avail_in = sizeof zeros;
        if (deflate(&z, i + 1 == piece_mib ? Z_SYNC_FLUSH : Z_NO_FLUSH) != Z_OK || z.avail_in) exit(2);
    }
    k->blen = cap - z.avail_out;
    deflateEnd(&z);
    uLong c1 = crc32(0, zeros, sizeof zeros), cp = c1;
    for (unsigned i = 1; i < piece_mib; i++) cp = crc32_combine(cp, c1, (z_off_t)sizeof zeros);
    uLong crc = cp;
    z_off_t plen = (z_off_t)piece_mib << 20;
    for (unsigned i = 1; i < copies; i++) crc = crc32_combine(crc, cp, plen);
    k->copies = copies;
    k->crc = (uint32_t)crc;
    k->size = (uint64_t)piece_mib * copies << 20;
}

static size_t bomb_len(const bomb *k) { return 10 + k->blen * k->copies + 2 + 8; }

/* Byte i of the gzip member. */
static void bomb_bytes(const bomb *k, size_t off, uint8_t *out, size_t n)
{
    static const uint8_t hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    uint8_t tail[10] = {0x03, 0x00};   /* final empty fixed-Huffman block */
    for (int i = 0; i < 4; i++) {
        tail[2 + i] = (uint8_t)(k->crc >> (8 * i));
        tail[6 + i] = (uint8_t)(k->size >> (8 * i));   /* ISIZE: size mod 2^32 */
    }
    size_t body = k->blen * k->copies;
    for (size_t i = 0; i < n; i++, off++) {
        if (off < 10) out[i] = hdr[off];
        else if (off - 10 < body) out[i] = k->b[(off - 10) % k->blen];
        else out[i] = tail[off - 10 - body];
    }
}

static int selftest(void)
{
    bomb k;
    bomb_build(&k, 2, 3);   /* 6 MiB */
    size_t n = bomb_len(&k);
    uint8_t *gz = malloc(n), *out = malloc(8 << 20);
    if (!gz || !out) return 2;
    bomb_bytes(&k, 0, gz, n);
    z_stream z;
    memset(&z, 0, sizeof z);
    CHECK(inflateInit2(&z, 15 + 16) == Z_OK);
    z.next_in = gz;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = 8 << 20;
    int rc = inflate(&z, Z_FINISH);
    CHECK_EQ_I(rc, Z_STREAM_END);          /* CRC and ISIZE verified by zlib */
    CHECK_EQ_U(z.total_out, 6u << 20);
    CHECK_EQ_U(z.avail_in, 0);
    size_t nz = 0;
    for (size_t i = 0; i < z.total_out; i++) nz += out[i] != 0;
    CHECK_EQ_U(nz, 0);
    inflateEnd(&z);
    CHECK(k.blen < (2u << 20) / 1000);     /* deflate's best ratio is about 1:1030 */
    free(k.b);
    bomb_build(&k, 64, 160);
    CHECK_EQ_U(k.size, 10ull << 30);
    CHECK(bomb_len(&k) < 12u << 20);
    free(k.b);
    free(gz);
    free(out);
    return TEST_DONE();
}

/* ---- DNS ---- */
static size_t dns_name(uint8_t *p, const char *name)
{
    size_t o = 0;
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t l = dot ? (size_t)(dot - name) : strlen(name);
        p[o++] = (uint8_t)l;
        memcpy(p + o, name, l);
        o += l;
        name += l + (dot ? 1 : 0);
    }
    p[o++] = 0;
    return o;
}

static size_t dns_header(uint8_t *p, unsigned id, int response, unsigned an)
{
    put16(p, id);
    put16(p + 2, response ? 0x8180 : 0x0100);
    put16(p + 4, 1);
    put16(p + 6, an);
    put16(p + 8, 0);
    put16(p + 10, 0);
    return 12;
}

static size_t rr_head(uint8_t *p, unsigned owner_ptr, unsigned type, unsigned rdlen)
{
    put16(p, 0xc000 | owner_ptr);
    put16(p + 2, type);
    put16(p + 4, 1);
    put32(p + 6, 300);
    put16(p + 10, rdlen);
    return 12;
}

static void dns_query(unsigned id, unsigned port, const char *name)
{
    uint8_t m[512];
    size_t o = dns_header(m, id, 0, 0);
    o += dns_name(m + o, name);
    put16(m + o, 1);
    put16(m + o + 2, 1);
    udp(1, DEV_IP, GW_IP, port, 53, m, o + 4);
}

static void dns_answer_a(unsigned id, unsigned port, const char *name, uint32_t first, unsigned k)
{
    static uint8_t m[65000];
    size_t o = dns_header(m, id, 1, k);
    o += dns_name(m + o, name);
    put16(m + o, 1);
    put16(m + o + 2, 1);
    o += 4;
    for (unsigned j = 0; j < k; j++) {
        o += rr_head(m + o, 12, 1, 4);
        put32(m + o, first + j);
        o += 4;
    }
    udp(0, GW_IP, DEV_IP, 53, port, m, o);
}

static void gen_dnsflood(unsigned long n, unsigned k)
{
    char name[64];
    for (unsigned long i = 0; i < n; i++) {
        snprintf(name, sizeof name, "q%lu.flood.example", i);
        unsigned port = 10000 + (unsigned)(i % 50000), id = (unsigned)(i & 0xffff);
        dns_query(id, port, name);
        /* 12.0.0.0 on: public addresses, distinct across the whole flood */
        dns_answer_a(id, port, name, 0x0c000000u + (uint32_t)(i * k), k);
    }
    /* Then a connection to the last answer's first address (still in the
     * name cache) and one to the first answer's (long evicted). */
    uint32_t to[2] = {0x0c000000u + (uint32_t)((n - 1) * k), 0x0c000000u};
    for (int j = 0; j < 2; j++) {
        uint8_t t[20] = {0};
        put16(t, 50000 + (unsigned)j);
        put16(t + 2, 443);
        put32(t + 4, 1);
        t[12] = 5 << 4;
        t[13] = F_SYN;
        put16(t + 14, 64240);
        emit(1, DEV_IP, to[j], 6, t, 20);
    }
}

/* Each damaged response follows its query; the last pair is healthy. */
static void gen_dnsloop(void)
{
    uint8_t m[1024];
    size_t o;
    memset(m, 0, sizeof m);
    /* 1: the question name is a pointer to itself */
    dns_query(1, 20001, "self.loop.example");
    o = dns_header(m, 1, 1, 0);
    m[o++] = 0xc0;
    m[o++] = 12;
    put16(m + o, 1);
    put16(m + o + 2, 1);
    udp(0, GW_IP, DEV_IP, 53, 20001, m, o + 4);
    /* 2: an answer's owner points forward to a pointer that points back */
    dns_query(2, 20002, "pair.loop.example");
    o = dns_header(m, 2, 1, 1);
    o += dns_name(m + o, "pair.loop.example");
    put16(m + o, 1);
    put16(m + o + 2, 1);
    o += 4;
    size_t at = o;
    m[o++] = 0xc0;
    m[o++] = (uint8_t)(at + 2);
    m[o++] = 0xc0;
    m[o++] = (uint8_t)at;
    udp(0, GW_IP, DEV_IP, 53, 20002, m, o + 14);   /* rest of the RR: zeros */
    /* 3: 200 pointers, each to the one before (all backwards), 200 hops */
    dns_query(3, 20003, "deep.loop.example");
    memset(m, 0, sizeof m);
    o = dns_header(m, 3, 1, 2);
    o += dns_name(m + o, "deep.loop.example");
    put16(m + o, 1);
    put16(m + o + 2, 1);
    o += 4;
    o += rr_head(m + o, 12, 16, 400);   /* a TXT record holding the chain */
    size_t base = o;
    for (unsigned i = 0; i < 200; i++) {
        unsigned to = i == 0 ? 12 : (unsigned)(base + 2 * (i - 1));
        put16(m + o, 0xc000 | to);
        o += 2;
    }
    put16(m + o, 0xc000 | (unsigned)(base + 2 * 199));   /* the A record's owner */
    put16(m + o + 2, 1);
    put16(m + o + 4, 1);
    put32(m + o + 6, 300);
    put16(m + o + 10, 4);
    put32(m + o + 12, 0xc6336409);   /* 198.51.100.9 */
    udp(0, GW_IP, DEV_IP, 53, 20003, m, o + 16);
    /* 4: healthy */
    dns_query(4, 20004, "ok.loop.example");
    dns_answer_a(4, 20004, "ok.loop.example", 0xc6336407u, 1);   /* 198.51.100.7 */
}

/* c0.chain.example CNAME c1.chain.example ... c(N-1) CNAME -> A 198.51.100.8,
 * every name compressed against the one before; then a CNAME loop
 * x.cloop.example -> y.cloop.example -> x.cloop.example. */
static void gen_cname(unsigned n)
{
    static uint8_t m[65000];
    dns_query(7, 30007, "c0.chain.example");
    size_t o = dns_header(m, 7, 1, n + 1);
    o += dns_name(m + o, "c0.chain.example");
    put16(m + o, 1);
    put16(m + o + 2, 1);
    o += 4;
    unsigned suffix = 12 + 3;   /* "chain.example" inside the question */
    /* Owner and target are each a label plus a pointer to the suffix, so no
     * pointer has to reach past offset 0x3fff (the chain is ~23 KB). */
    for (unsigned i = 1; i <= n; i++) {
        char l[16];
        int ll = snprintf(l, sizeof l, "c%u", i - 1);
        m[o++] = (uint8_t)ll;
        memcpy(m + o, l, (size_t)ll);
        o += (size_t)ll;
        put16(m + o, 0xc000 | suffix);
        o += 2;
        put16(m + o, i < n ? 5 : 1);
        put16(m + o + 2, 1);
        put32(m + o + 4, 300);
        o += 8;
        if (i == n) {
            put16(m + o, 4);
            put32(m + o + 2, 0xc6336408);   /* 198.51.100.8 */
            o += 6;
            break;
        }
        ll = snprintf(l, sizeof l, "c%u", i);
        put16(m + o, (unsigned)(1 + ll + 2));
        o += 2;
        m[o++] = (uint8_t)ll;
        memcpy(m + o, l, (size_t)ll);
        o += (size_t)ll;
        put16(m + o, 0xc000 | suffix);
        o += 2;
    }
    put16(m + 6, n);   /* n-1 CNAMEs + the A record */
    udp(0, GW_IP, DEV_IP, 53, 30007, m, o);

    dns_query(8, 30008, "x.cloop.example");
    o = dns_header(m, 8, 1, 2);
    o += dns_name(m + o, "x.cloop.example");
    put16(m + o, 1);
    put16(m + o + 2, 1);
    o += 4;
    o += rr_head(m + o, 12, 5, 4);
    size_t y = o;
    m[o++] = 1;
    m[o++] = 'y';
    put16(m + o, 0xc000 | 14);   /* "cloop.example" */
    o += 2;
    o += rr_head(m + o, (unsigned)y, 5, 2);
    put16(m + o, 0xc000 | 12);
    o += 2;
    udp(0, GW_IP, DEV_IP, 53, 30008, m, o);
}

static void gen_synflood(unsigned long n)
{
    uint8_t t[20];
    for (unsigned long i = 0; i < n; i++) {
        /* 1,024 ports per address, addresses from 11.0.0.0 on */
        uint32_t src = 0x0b000000u + (uint32_t)(i >> 10);
        memset(t, 0, sizeof t);
        put16(t, 1024 + (unsigned)(i & 1023));
        put16(t + 2, 80);
        put32(t + 4, (uint32_t)(i * 2654435761u));
        t[12] = 5 << 4;
        t[13] = F_SYN;
        put16(t + 14, 64240);
        emit(0, src, DEV_IP, 6, t, 20);
    }
}

static void gen_bomb(unsigned gib, conv *c)
{
    bomb k;
    bomb_build(&k, 64, gib * 16);
    size_t len = bomb_len(&k);
    handshake(c);
    request(c, "/bomb.json");
    char h[256];
    int hn = snprintf(h, sizeof h, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Content-Encoding: gzip\r\nContent-Length: %zu\r\n\r\n", len);
    send_data(c, 0, (const uint8_t *)h, (size_t)hn);
    uint8_t buf[1448];
    for (size_t off = 0; off < len; off += sizeof buf) {
        size_t n = len - off < sizeof buf ? len - off : sizeof buf;
        bomb_bytes(&k, off, buf, n);
        send_data(c, 0, buf, n);
    }
    finish(c);
    free(k.b);
}

static void gen_chunked(unsigned long n, conv *c, const char *bodyfile)
{
    FILE *bf = fopen(bodyfile, "wb");
    if (!bf) die(bodyfile);
    size_t cap = n * 60 + 4096, o = 0;
    uint8_t *w = malloc(cap);
    if (!w) exit(2);
    o += (size_t)sprintf((char *)w, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n");
    for (unsigned long i = 0; i < n; i++) {
        size_t len = i % 37 + 1;
        /* a chunk extension now and then (RFC 9112 7.1.1), ignored */
        o += (size_t)sprintf((char *)w + o, i % 1000 == 0 ? "%zx;ext=\"v\"\r\n" : "%zx\r\n", len);
        for (size_t j = 0; j < len; j++) w[o + j] = (uint8_t)('a' + (i + j) % 26);
        if (fwrite(w + o, 1, len, bf) != len) die(bodyfile);
        o += len;
        w[o++] = '\r';
        w[o++] = '\n';
    }
    o += (size_t)sprintf((char *)w + o, "0\r\n\r\n");
    if (fclose(bf) != 0) die(bodyfile);
    handshake(c);
    request(c, "/chunks.txt");
    send_data(c, 0, w, o);
    finish(c);
    free(w);
}

/* at_start: the response's first segment (its header block and the start
 * of the body) is the one lost, so the stream itself starts with a hole. */
static void gen_hole(unsigned mib, conv *c, int at_start)
{
    uint64_t body = ((uint64_t)mib << 20) + 1448;
    handshake(c);
    request(c, "/hole.bin");
    char h[256];
    int hn = snprintf(h, sizeof h, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                      "Content-Length: %llu\r\n\r\n", (unsigned long long)body);
    c->hold_ack = 1;          /* the client waits for the lost segment */
    if (at_start)
        c->sseq += (uint32_t)hn;
    else
        send_data(c, 0, (const uint8_t *)h, (size_t)hn);
    c->sseq += 1448;          /* the first body segment is never captured */
    uint8_t buf[1448];
    memset(buf, 'h', sizeof buf);
    for (uint64_t left = (uint64_t)mib << 20; left > 0;) {
        size_t n = left < sizeof buf ? (size_t)left : sizeof buf;
        send_data(c, 0, buf, n);
        left -= n;
    }
}

/* n connections at once, each with its first body segment lost and then
 * mib MiB the client never ACKs, interleaved segment by segment so that
 * every stream holds out-of-order data at the same time. */
static void gen_manyholes(unsigned n, unsigned mib)
{
    conv *cs = calloc(n, sizeof *cs);
    if (!cs) exit(2);
    char h[256];
    int hn = snprintf(h, sizeof h, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                      "Content-Length: %llu\r\n\r\n", ((unsigned long long)mib << 20) + 1448);
    for (unsigned i = 0; i < n; i++) {
        cs[i] = (conv){.sip = 0xcb00710au, .cport = 20000 + i, .sport = 80};
        handshake(&cs[i]);
        char uri[32];
        snprintf(uri, sizeof uri, "/hole%u.bin", i);
        request(&cs[i], uri);
        send_data(&cs[i], 0, (const uint8_t *)h, (size_t)hn);
        cs[i].hold_ack = 1;
        cs[i].sseq += 1448;
    }
    uint8_t buf[1448];
    memset(buf, 'h', sizeof buf);
    uint64_t total = (uint64_t)mib << 20;
    for (uint64_t off = 0; off < total; off += sizeof buf) {
        size_t len = total - off < sizeof buf ? (size_t)(total - off) : sizeof buf;
        for (unsigned i = 0; i < n; i++) send_data(&cs[i], 0, buf, len);
    }
    free(cs);
}

/* n connections from distinct client ports/addresses, each opened and sent
 * the first line of a request and a header, never finished or closed. */
static void gen_partial(unsigned long n)
{
    static const char req[] = "GET /p HTTP/1.1\r\nHost: limits.example\r\nX-Pad: ";
    for (unsigned long i = 0; i < n; i++) {
        conv c = {.sip = 0xcb00710au, .cport = 1024 + (unsigned)(i % 60000), .sport = 80};
        c.sip += (uint32_t)(i / 60000);
        handshake(&c);
        send_data(&c, 1, (const uint8_t *)req, sizeof req - 1);
    }
}

/* n connections at once, each sending a request line and then mib MiB of
 * header lines (100 bytes each) that never end, interleaved. */
static void gen_bigheaders(unsigned n, unsigned mib)
{
    conv *cs = calloc(n, sizeof *cs);
    if (!cs) exit(2);
    for (unsigned i = 0; i < n; i++) {
        cs[i] = (conv){.sip = 0xcb00710au, .cport = 30000 + i, .sport = 80};
        handshake(&cs[i]);
        static const char line[] = "GET /h HTTP/1.1\r\nHost: limits.example\r\n";
        send_data(&cs[i], 1, (const uint8_t *)line, sizeof line - 1);
    }
    uint8_t buf[1400];
    for (size_t i = 0; i < sizeof buf; i += 100) {
        memcpy(buf + i, "X-Pad: ", 7);
        memset(buf + i + 7, 'p', 91);
        memcpy(buf + i + 98, "\r\n", 2);
    }
    for (uint64_t off = 0; off < (uint64_t)mib << 20; off += sizeof buf)
        for (unsigned i = 0; i < n; i++) send_data(&cs[i], 1, buf, sizeof buf);
    free(cs);
}

/* n frames, each from its own unicast LAN MAC (02:00:xx:xx:xx:xx) and
 * address (10.x.x.x) to the router: a UDP datagram to 198.51.100.53:9999
 * (no protocol of interest, so nothing is parsed). */
static void gen_macflood(unsigned long n)
{
    uint8_t u[8 + 4] = {0};
    for (unsigned long i = 0; i < n; i++) {
        memcpy(frame, GW_MAC, 6);
        uint8_t mac[6] = {0x02, 0x00, (uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
        memcpy(frame + 6, mac, 6);
        put16(frame + 12, 0x0800);
        uint8_t *ip = frame + 14;
        memset(ip, 0, 20);
        ip[0] = 0x45;
        put16(ip + 2, 20 + sizeof u);
        ip[8] = 64;
        ip[9] = 17;
        put32(ip + 12, 0x0a000000u + (uint32_t)i + 1);
        put32(ip + 16, 0xc6336435u);
        put16(ip + 10, ipsum(ip, 20));
        put16(u, 40000);
        put16(u + 2, 9999);
        put16(u + 4, sizeof u);
        memcpy(ip + 20, u, sizeof u);
        uint32_t len = 14 + 20 + sizeof u;
        if (iotap_pcapw_write(W, T_NS, len, len, frame) != 0) die("write");
        T_NS += 10000;
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) return selftest();
    const char *mode = argv[1];
    int need = strcmp(mode, "dnsloop") == 0 ? 3 : strcmp(mode, "dnsflood") == 0 ? 5 :
               strcmp(mode, "chunked") == 0 ? 5 : strcmp(mode, "manyholes") == 0 ? 5 : strcmp(mode, "bigheaders") == 0 ? 5 : 4;
    if (argc != need) {
        fprintf(stderr, "usage: test-limits-gen MODE ARGS... OUT.pcap (see the source)\n");
        return 2;
    }
    const char *out = strcmp(mode, "dnsflood") == 0 || strcmp(mode, "chunked") == 0 ? argv[3] :
                      argv[need - 1];
    if (strcmp(mode, "dnsflood") == 0 || strcmp(mode, "manyholes") == 0 ||
        strcmp(mode, "bigheaders") == 0)
        out = argv[4];
    FILE *f = fopen(out, "wb");
    if (!f) die(out);
    W = iotap_pcapw_new(f, 1, 262144, false);
    conv c = {.sip = 0xcb00710au, .cport = 40000, .sport = 80};   /* 203.0.113.10 */
    if (strcmp(mode, "synflood") == 0) gen_synflood(strtoul(argv[2], NULL, 10));
    else if (strcmp(mode, "dnsflood") == 0)
        gen_dnsflood(strtoul(argv[2], NULL, 10), (unsigned)strtoul(argv[3], NULL, 10));
    else if (strcmp(mode, "dnsloop") == 0) gen_dnsloop();
    else if (strcmp(mode, "cname") == 0) gen_cname((unsigned)strtoul(argv[2], NULL, 10));
    else if (strcmp(mode, "bomb") == 0) gen_bomb((unsigned)strtoul(argv[2], NULL, 10), &c);
    else if (strcmp(mode, "chunked") == 0) gen_chunked(strtoul(argv[2], NULL, 10), &c, argv[4]);
    else if (strcmp(mode, "hole") == 0) gen_hole((unsigned)strtoul(argv[2], NULL, 10), &c, 0);
    else if (strcmp(mode, "manyholes") == 0)
        gen_manyholes((unsigned)strtoul(argv[2], NULL, 10), (unsigned)strtoul(argv[3], NULL, 10));
    else if (strcmp(mode, "bigheaders") == 0)
        gen_bigheaders((unsigned)strtoul(argv[2], NULL, 10), (unsigned)strtoul(argv[3], NULL, 10));
    else if (strcmp(mode, "macflood") == 0) gen_macflood(strtoul(argv[2], NULL, 10));
    else if (strcmp(mode, "partial") == 0) gen_partial(strtoul(argv[2], NULL, 10));
    else if (strcmp(mode, "holestart") == 0) gen_hole((unsigned)strtoul(argv[2], NULL, 10), &c, 1);
    else { fprintf(stderr, "unknown mode %s\n", mode); return 2; }
    if (iotap_pcapw_free(W) != 0 || fclose(f) != 0) die(out);
    return 0;
}
