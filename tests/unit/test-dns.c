/*
 * test-dns.c - lib/proto/dns: hand-built messages with known fields
 * (compression, CNAME chains, escaping, 0x20 case), hostile ones (pointer
 * loops, long pointer chains, names over 255 octets, truncation) that must
 * fail cleanly, and every DNS packet of the corpus captures compared with
 * tshark's reading of the same frames.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pcapwalk.h"
#include "proto/dns.h"
#include "test.h"

typedef struct buf { uint8_t b[2048]; size_t n; } buf;
static void put(buf *b, const void *p, size_t n) { memcpy(b->b + b->n, p, n); b->n += n; }
static void u8(buf *b, unsigned v) { b->b[b->n++] = (uint8_t)v; }
static void u16(buf *b, unsigned v) { u8(b, v >> 8 & 0xff); u8(b, v & 0xff); }
static void u32(buf *b, uint32_t v) { u16(b, v >> 16); u16(b, v & 0xffff); }
static void name(buf *b, const char *dotted)    /* uncompressed, with root */
{
    while (*dotted) {
        const char *dot = strchr(dotted, '.');
        size_t l = dot ? (size_t)(dot - dotted) : strlen(dotted);
        u8(b, (unsigned)l);
        put(b, dotted, l);
        dotted += l + (dot != NULL);
    }
    u8(b, 0);
}
static void header(buf *b, unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns, unsigned ar)
{
    b->n = 0;
    u16(b, id); u16(b, flags); u16(b, qd); u16(b, an); u16(b, ns); u16(b, ar);
}

static iotap_dns_msg m;

static void test_response(void)
{
    buf b;
    header(&b, 0x1234, 0x8180, 1, 4, 0, 0);
    size_t qname = b.n;
    name(&b, "WwW.ExAmple.COM");        /* 0x20 randomized case */
    u16(&b, 1); u16(&b, 1);
    /* www.example.com CNAME cdn.example.net (owner compressed) */
    u16(&b, 0xc000 | qname); u16(&b, 5); u16(&b, 1); u32(&b, 300);
    size_t rdlen_at = b.n;
    u16(&b, 0);
    size_t cname_at = b.n;
    name(&b, "cdn.example.net");
    b.b[rdlen_at] = 0; b.b[rdlen_at + 1] = (uint8_t)(b.n - cname_at);
    /* cdn.example.net A 93.184.216.34 (owner = pointer to the CNAME target) */
    u16(&b, 0xc000 | cname_at); u16(&b, 1); u16(&b, 1); u32(&b, 60); u16(&b, 4);
    u8(&b, 93); u8(&b, 184); u8(&b, 216); u8(&b, 34);
    /* an MX answer, skipped */
    u16(&b, 0xc000 | qname); u16(&b, 15); u16(&b, 1); u32(&b, 60); u16(&b, 4);
    u16(&b, 10); u16(&b, 0xc000 | qname);
    /* cdn.example.net AAAA 2606:2800:220:1:248:1893:25c8:1946 */
    u16(&b, 0xc000 | cname_at); u16(&b, 28); u16(&b, 0x8001); u32(&b, 60); u16(&b, 16);
    uint8_t a6[16];
    inet_pton(AF_INET6, "2606:2800:220:1:248:1893:25c8:1946", a6);
    put(&b, a6, 16);

    CHECK(iotap_dns_parse(b.b, b.n, &m) == NULL);
    CHECK_EQ_U(m.id, 0x1234);
    CHECK(m.qr);
    CHECK(m.rd && m.ra && !m.tc && !m.aa);
    CHECK_EQ_U(m.rcode, 0);
    CHECK_EQ_U(m.nq, 1);
    CHECK_STR(m.q[0].name, "www.example.com");
    CHECK_EQ_U(m.q[0].type, 1);
    CHECK_EQ_U(m.nan, 3);
    CHECK_EQ_U(m.other_answers, 1);
    CHECK_STR(m.an[0].name, "www.example.com");
    CHECK_EQ_U(m.an[0].type, IOTAP_DNS_CNAME);
    CHECK_EQ_U(m.an[0].ttl, 300);
    CHECK_STR(m.an[0].target, "cdn.example.net");
    CHECK_STR(m.an[1].name, "cdn.example.net");
    CHECK_EQ_U(m.an[1].addr.family, 4);
    CHECK(memcmp(m.an[1].addr.a, "\x5d\xb8\xd8\x22", 4) == 0);
    CHECK_EQ_U(m.an[2].type, IOTAP_DNS_AAAA);
    CHECK_EQ_U(m.an[2].cls, 1);         /* cache-flush bit removed */
    CHECK_EQ_U(m.an[2].addr.family, 6);
    CHECK(memcmp(m.an[2].addr.a, a6, 16) == 0);

    /* The same over TCP (2-byte length in front). */
    buf t;
    t.n = 0;
    u16(&t, (unsigned)b.n);
    put(&t, b.b, b.n);
    CHECK(iotap_dns_parse_tcp(t.b, t.n, &m) == NULL);
    CHECK_EQ_U(m.nan, 3);
    CHECK(iotap_dns_parse_tcp(t.b, t.n - 1, &m) != NULL);

    /* Every truncation of it fails cleanly, never reads past the end
     * (ASan would see it), and keeps what came before the cut. */
    for (size_t cut = 0; cut < b.n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, b.b, cut);
        const char *err = iotap_dns_parse(copy, cut, &m);
        CHECK(err != NULL);
        if (cut >= 33)                  /* header + question complete */
            CHECK_EQ_U(m.nq, 1);
        free(copy);
    }
    CHECK_STR(iotap_dns_type_name(28), "AAAA");
    CHECK(iotap_dns_type_name(9999) == NULL);
}

static void test_escape_and_root(void)
{
    buf b;
    header(&b, 1, 0x0100, 2, 0, 0, 0);
    u8(&b, 4); put(&b, "a.b\x01", 4); u8(&b, 2); put(&b, "Xy", 2); u8(&b, 0);
    u16(&b, 28); u16(&b, 1);
    u8(&b, 0); u16(&b, 2); u16(&b, 1);     /* root */
    CHECK(iotap_dns_parse(b.b, b.n, &m) == NULL);
    CHECK(!m.qr);
    CHECK_EQ_U(m.nq, 2);
    CHECK_STR(m.q[0].name, "a\\046b\\001.xy");
    CHECK_STR(m.q[1].name, "");
}

static void test_hostile(void)
{
    buf b;
    /* A pointer to itself. */
    header(&b, 1, 0, 1, 0, 0, 0);
    u16(&b, 0xc00c); u16(&b, 1); u16(&b, 1);
    CHECK(iotap_dns_parse(b.b, b.n, &m) != NULL);
    /* Two pointers pointing at each other (the second forward). */
    header(&b, 1, 0, 1, 0, 0, 0);
    u16(&b, 0xc00e); u16(&b, 0xc00c);
    CHECK(iotap_dns_parse(b.b, b.n, &m) != NULL);
    /* A label then a pointer back to that label: a loop through the name. */
    header(&b, 1, 0, 1, 0, 0, 0);
    u8(&b, 1); u8(&b, 'a'); u16(&b, 0xc00c);
    CHECK(iotap_dns_parse(b.b, b.n, &m) != NULL);

    /* A chain of backward pointers: K hops is fine up to the cap. */
    for (unsigned k = 10; k <= 100; k += 90) {
        header(&b, 1, 0x8000, 1, 2, 0, 0);
        u8(&b, 0); u16(&b, 1); u16(&b, 1);          /* question: root */
        u8(&b, 0); u16(&b, 99); u16(&b, 1); u32(&b, 0); u16(&b, (unsigned)(3 + 2 * k));
        size_t first = b.n;
        u8(&b, 1); u8(&b, 'z'); u8(&b, 0);           /* "z" */
        size_t prev = first;
        for (unsigned i = 0; i < k; i++) {
            size_t here = b.n;
            u16(&b, 0xc000 | prev);
            prev = here;
        }
        u16(&b, 0xc000 | prev); u16(&b, 1); u16(&b, 1); u32(&b, 1); u16(&b, 4); u32(&b, 0x01020304);
        const char *err = iotap_dns_parse(b.b, b.n, &m);
        if (k < IOTAP_DNS_MAX_HOPS) {
            CHECK(err == NULL);
            CHECK_EQ_U(m.nan, 1);
            CHECK_STR(m.an[0].name, "z");
        } else {
            CHECK_STR(err, "too many compression pointers");
        }
    }

    /* Name longer than 255 octets: 5 labels of 63. */
    header(&b, 1, 0, 1, 0, 0, 0);
    for (int i = 0; i < 5; i++) {
        u8(&b, 63);
        for (int j = 0; j < 63; j++) u8(&b, 'a');
    }
    u8(&b, 0); u16(&b, 1); u16(&b, 1);
    CHECK_STR(iotap_dns_parse(b.b, b.n, &m), "name longer than 255 octets");
    /* Exactly 255 octets (63*3 + 62 + 4 length bytes + root = 255) is fine. */
    header(&b, 1, 0, 1, 0, 0, 0);
    for (int i = 0; i < 4; i++) {
        unsigned l = i < 3 ? 63 : 61;
        u8(&b, l);
        for (unsigned j = 0; j < l; j++) u8(&b, 'a');
    }
    u8(&b, 0); u16(&b, 1); u16(&b, 1);
    CHECK(iotap_dns_parse(b.b, b.n, &m) == NULL);
    CHECK_EQ_U(strlen(m.q[0].name), 253);
    /* Extended label type. */
    header(&b, 1, 0, 1, 0, 0, 0);
    u8(&b, 0x41); u8(&b, 0);
    CHECK_STR(iotap_dns_parse(b.b, b.n, &m), "unsupported label type");
    /* A record with a lying RDLENGTH. */
    header(&b, 1, 0x8000, 0, 1, 0, 0);
    u8(&b, 0); u16(&b, 1); u16(&b, 1); u32(&b, 0); u16(&b, 5); u32(&b, 0); u8(&b, 0);
    CHECK(iotap_dns_parse(b.b, b.n, &m) != NULL);
    /* Counts far above what the message holds: stops at the end. */
    header(&b, 1, 0x8000, 65535, 65535, 0, 0);
    CHECK(iotap_dns_parse(b.b, b.n, &m) != NULL);
    CHECK(iotap_dns_parse(NULL, 0, &m) != NULL);
    /* More questions than kept: the rest is counted. */
    header(&b, 1, 0, 6, 0, 0, 0);
    for (int i = 0; i < 6; i++) { u8(&b, 0); u16(&b, 1); u16(&b, 1); }
    CHECK(iotap_dns_parse(b.b, b.n, &m) == NULL);
    CHECK_EQ_U(m.nq, IOTAP_DNS_MAX_QD);
    CHECK_EQ_U(m.dropped, 6 - IOTAP_DNS_MAX_QD);
}

/* ---- corpus against tshark ---- */

typedef struct cctx { char *tshark; unsigned compared, addrs, errors; const char *file; } cctx;

/* The line of tshark's output for frame num, or NULL. */
static char *find_line(char *out, unsigned num)
{
    char key[16];
    int kl = snprintf(key, sizeof key, "%u\t", num);
    for (char *l = out; l && *l; ) {
        if (strncmp(l, key, (size_t)kl) == 0)
            return l;
        l = strchr(l, '\n');
        if (l) l++;
    }
    return NULL;
}

static void field(const char *line, int idx, char *out, size_t cap)
{
    for (int i = 0; i < idx && line; i++) {
        line = strchr(line, '\t');
        if (line) line++;
    }
    size_t n = 0;
    while (line && line[n] && line[n] != '\t' && line[n] != '\n' && n + 1 < cap) {
        out[n] = line[n];
        n++;
    }
    out[n] = '\0';
}

static void on_pkt(const pw_pkt *p, void *vctx)
{
    cctx *c = vctx;
    if (p->proto != 17)
        return;
    if (p->sport != 53 && p->dport != 53 && p->sport != 5353 && p->dport != 5353)
        return;
    const char *err = iotap_dns_parse(p->payload, p->len, &m);
    char *line = find_line(c->tshark, p->num);
    if (!line) {        /* tshark calls it malformed: we must say so too */
        if (!err)
            fprintf(stderr, "%s frame %u: tshark: malformed, we: ok\n", c->file, p->num);
        c->errors += err != NULL;
        return;
    }
    if (err) {
        /* tshark reads it without complaint but we refuse: only allowed
         * for the parts we are stricter about (names). */
        fprintf(stderr, "%s frame %u: we: %s\n", c->file, p->num, err);
        CHECK(p->snapped || strstr(err, "name") || strstr(err, "label") || strstr(err, "pointer"));
        return;
    }
    char f[4096];
    field(line, 1, f, sizeof f);
    if (strchr(f, ','))
        *strchr(f, ',') = '\0';
    if (m.nq > 0 && !strchr(m.q[0].name, '\\')) {
        if (m.q[0].name[0] == '\0')
            CHECK_STR(f, "<Root>");
        else if (strcasecmp(f, m.q[0].name) != 0) {
            fprintf(stderr, "%s frame %u: tshark name %s, we %s\n", c->file, p->num, f, m.q[0].name);
            CHECK(0);
        }
    }
    field(line, 4, f, sizeof f);
    CHECK_EQ_U(strtoul(f, NULL, 10), m.ancount);
    CHECK_EQ_U(m.nan + m.other_answers + m.dropped, m.ancount);
    char ns[16], ar[16];
    field(line, 5, ns, sizeof ns);
    field(line, 6, ar, sizeof ar);
    bool exact = strcmp(ns, "0") == 0 && strcmp(ar, "0") == 0;
    for (int fam = 4; fam <= 6; fam += 2) {
        char mine[4096] = "";
        size_t n = 0;
        for (size_t i = 0; i < m.nan; i++) {
            if (m.an[i].addr.family != fam)
                continue;
            char s[64];
            inet_ntop(fam == 4 ? AF_INET : AF_INET6, m.an[i].addr.a, s, sizeof s);
            n += (size_t)snprintf(mine + n, sizeof mine - n, "%s%s", n ? "," : "", s);
            c->addrs++;
        }
        field(line, fam == 4 ? 2 : 3, f, sizeof f);
        if (exact) {
            CHECK_STR(mine, f);
        } else {                    /* answers come first in tshark's list */
            if (n && !(strncmp(f, mine, n) == 0 && (f[n] == '\0' || f[n] == ','))) {
                fprintf(stderr, "%s frame %u: tshark %s, we %s\n", c->file, p->num, f, mine);
                CHECK(0);
            }
        }
    }
    c->compared++;
}

static void test_dns_corpus(void)
{
    const char *corpus = test_corpus();
    if (!corpus || !pw_have_tshark()) {
        fprintf(stderr, "corpus part skipped: no corpus or no tshark\n");
        return;
    }
    static const char *files[] = {
        "tcpdump/tests/dns_udp.pcap", "tcpdump/tests/dns_udp_2.pcap",
        "tcpdump/tests/dns-badlabel.pcap", "tcpdump/tests/dns_fwdptr.pcap",
        "tcpdump/tests/dns-badvers.pcap", "tcpdump/tests/edns-opts.pcap",
        "tcpdump/tests/dns-zlip-1.pcap", "tcpdump/tests/dns-zlip-2.pcap",
        "tcpdump/tests/dns-zlip-3.pcap", "tcpdump/tests/dns-badcookie.pcap",
        "tcpdump/tests/dns-uri.pcap",
        "zeek/testing/btest/Traces/dns-huge-ttl.pcap",
        "zeek/testing/btest/Traces/dns-two-responses.pcap",
        "zeek/testing/btest/Traces/dns/mdns.pcap",
        "zeek/testing/btest/Traces/dns/dns-corrupt.pcap",
        "zeek/testing/btest/Traces/dns/max-compression-depth.pcap",
        "zeek/testing/btest/Traces/dns/dns-invalid-names.pcap",
        "zeek/testing/btest/Traces/dns/dns-edns-bad-length.pcap",
        "zeek/testing/btest/Traces/dns-edns-ecs-bad.pcap",
        "zeek/testing/btest/Traces/dns-svcb-rdlength-mismatch.pcap",
        "zeek/testing/btest/Traces/dns-zero-RRs.pcap",
        "zeek/testing/btest/Traces/dns-https.pcap",
        "suricata-verify/tests/dns/dns-corrupt-additionals/input.pcap",
        "suricata-verify/tests/dns/dns-truncated-rname/poc2.pcap",
    };
    unsigned compared = 0, addrs = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1024], cmd[2048];
        snprintf(path, sizeof path, "%s/%s", corpus, files[i]);
        if (access(path, R_OK) != 0) {
            fprintf(stderr, "missing %s\n", path);
            continue;
        }
        snprintf(cmd, sizeof cmd,
                 "tshark -r '%s' "
                 "-Y '(dns || mdns) && !_ws.malformed && !(_ws.expert.severity >= error) && udp && !icmp && !icmpv6' "
                 "-T fields -e frame.number -e dns.qry.name -e dns.a -e dns.aaaa "
                 "-e dns.count.answers -e dns.count.auth_rr -e dns.count.add_rr "
                 "-E occurrence=a -E aggregator=, 2>/dev/null", path);
        cctx c = { pw_run(cmd), 0, 0, 0, files[i] };
        CHECK(c.tshark != NULL);
        if (!c.tshark)
            continue;
        CHECK(pw_walk(path, on_pkt, &c) > 0);
        fprintf(stderr, "%s: %u messages compared, %u addresses, %u malformed\n",
                files[i], c.compared, c.addrs, c.errors);
        compared += c.compared;
        addrs += c.addrs;
        free(c.tshark);
    }
    CHECK(compared >= 30);
    CHECK(addrs >= 20);
}

int main(void)
{
    test_response();
    test_escape_and_root();
    test_hostile();
    test_dns_corpus();
    return TEST_DONE();
}
