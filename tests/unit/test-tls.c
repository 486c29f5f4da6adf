/*
 * test-tls.c - lib/proto/tls: hand-built ClientHellos (SNI, ALPN,
 * supported_versions with GREASE, split over records, every prefix must say
 * "more", hostile lengths), SSLv2 hellos, and the corpus TLS captures: the
 * SNIs found through lib/hello.h (TCP segments in order) must be the ones
 * tshark reports for tls.handshake.type == 1.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "decode.h"
#include "hello.h"
#include "pcapwalk.h"
#include "proto/tls.h"
#include "test.h"
#include "tlsbuild.h"
#include "util.h"

static iotap_tls_hello h;

static void test_basic(void)
{
    tb hs = { .n = 0 };
    tb_client_hello(&hs, "WWW.Example.com", "h2,http/1.1", 1, 0);
    const char *err = NULL;
    CHECK_EQ_I(iotap_tls_handshake_stream(hs.b, hs.n, &h, &err), IOTAP_TLS_DONE);
    CHECK(err == NULL);
    CHECK_STR(h.sni, "www.example.com");
    CHECK_STR(h.alpn, "h2,http/1.1");
    CHECK_EQ_U(h.legacy_version, 0x0303);
    CHECK_EQ_U(h.version, 0x0304);      /* GREASE 0x5a5a ignored */
    CHECK_EQ_U(h.nextensions, 4);
    CHECK(!h.sni_invalid && !h.sslv2 && !h.has_ech);
    CHECK_STR(iotap_tls_version_name(h.version), "TLSv1.3");

    /* In one record, then split over records of 7 bytes: same result. */
    static const size_t recs[] = {7, 100, 16384};
    for (size_t ri = 0; ri < 3; ri++) {
        size_t rec = recs[ri];
        tb s = { .n = 0 };
        tb_records(&s, hs.b, hs.n, rec);
        memset(&h, 0, sizeof h);
        CHECK_EQ_I(iotap_tls_client_stream(s.b, s.n, &h, &err), IOTAP_TLS_DONE);
        CHECK_STR(h.sni, "www.example.com");
        CHECK_EQ_U(h.record_version, 0x0301);
        /* Every proper prefix needs more. */
        int bad = 0;
        for (size_t cut = 0; cut < s.n; cut++)
            bad += iotap_tls_client_stream(s.b, cut, &h, &err) != IOTAP_TLS_MORE;
        CHECK_EQ_I(bad, 0);
    }

    /* No SNI, no extensions list at all (TLS 1.0 client). */
    tb t = { .n = 0 };
    tb_client_hello(&t, NULL, NULL, 0, 0);
    CHECK_EQ_I(iotap_tls_handshake_stream(t.b, t.n, &h, &err), IOTAP_TLS_DONE);
    CHECK_STR(h.sni, "");
    CHECK_EQ_U(h.version, 0x0303);
    static const uint8_t noext[] = {1, 0, 0, 38, 3, 1, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0, 0, 2, 0, 0x2f, 1, 0};
    /* 2+32+1+2+2+1+1 = 41 bytes of body: fix the length */
    uint8_t buf[sizeof noext];
    memcpy(buf, noext, sizeof buf);
    buf[3] = (uint8_t)(sizeof buf - 4);
    CHECK_EQ_I(iotap_tls_handshake_stream(buf, sizeof buf, &h, &err), IOTAP_TLS_DONE);
    CHECK_EQ_U(h.version, 0x0301);
    CHECK_EQ_U(h.nextensions, 0);

    /* A big hello (Chrome with post-quantum key shares) over many records. */
    tb big = { .n = 0 };
    tb_client_hello(&big, "lh3.google.com", "h2", 1, 5000);
    tb s = { .n = 0 };
    tb_records(&s, big.b, big.n, 1400);
    CHECK_EQ_I(iotap_tls_client_stream(s.b, s.n, &h, &err), IOTAP_TLS_DONE);
    CHECK_STR(h.sni, "lh3.google.com");
}

static void test_bad(void)
{
    const char *err = NULL;
    tb hs = { .n = 0 };
    /* SNI with a space and one with a control byte: not kept. */
    tb_client_hello(&hs, "bad name", NULL, 0, 0);
    CHECK_EQ_I(iotap_tls_handshake_stream(hs.b, hs.n, &h, &err), IOTAP_TLS_DONE);
    CHECK_STR(h.sni, "");
    CHECK(h.sni_invalid);
    hs.n = 0;
    tb_client_hello(&hs, "x\x01y", NULL, 0, 0);
    CHECK_EQ_I(iotap_tls_handshake_stream(hs.b, hs.n, &h, &err), IOTAP_TLS_DONE);
    CHECK(h.sni_invalid);
    /* 256-character name: too long. */
    char longname[257];
    memset(longname, 'a', 256);
    longname[256] = '\0';
    hs.n = 0;
    tb_client_hello(&hs, longname, NULL, 0, 0);
    CHECK_EQ_I(iotap_tls_handshake_stream(hs.b, hs.n, &h, &err), IOTAP_TLS_DONE);
    CHECK(h.sni_invalid);
    longname[255] = '\0';
    hs.n = 0;
    tb_client_hello(&hs, longname, NULL, 0, 0);
    CHECK_EQ_I(iotap_tls_handshake_stream(hs.b, hs.n, &h, &err), IOTAP_TLS_DONE);
    CHECK_EQ_U(strlen(h.sni), 255);

    /* Extension length running past the extensions block. */
    hs.n = 0;
    tb_client_hello(&hs, "a.example", NULL, 1, 0);
    size_t ext0 = 4 + 2 + 32 + 1 + 32 + 2 + 6 + 2 + 2;   /* first ext type */
    CHECK_EQ_U(hs.b[ext0], 0x3a);
    hs.b[ext0 + 3] = 0xff;              /* GREASE ext length 255 */
    CHECK_EQ_I(iotap_tls_handshake_stream(hs.b, hs.n, &h, &err), IOTAP_TLS_BAD);
    CHECK(err != NULL);
    /* Hello length over the cap. */
    static const uint8_t huge[] = {22, 3, 1, 0, 4, 1, 0xff, 0xff, 0xff};
    CHECK_EQ_I(iotap_tls_client_stream(huge, sizeof huge, &h, &err), IOTAP_TLS_BAD);
    /* First handshake message not a ClientHello (a ServerHello). */
    static const uint8_t sh[] = {22, 3, 3, 0, 4, 2, 0, 0, 0};
    CHECK_EQ_I(iotap_tls_client_stream(sh, sizeof sh, &h, &err), IOTAP_TLS_BAD);
    /* Application data after a partial hello. */
    tb s = { .n = 0 };
    hs.n = 0;
    tb_client_hello(&hs, "a.example", NULL, 1, 0);
    tb_records(&s, hs.b, 20, 20);
    tb_u8(&s, 23); tb_u16(&s, 0x0303); tb_u16(&s, 1); tb_u8(&s, 0);
    CHECK_EQ_I(iotap_tls_client_stream(s.b, s.n, &h, &err), IOTAP_TLS_BAD);
    /* Zero-length record. */
    static const uint8_t zero[] = {22, 3, 1, 0, 0};
    CHECK_EQ_I(iotap_tls_client_stream(zero, sizeof zero, &h, &err), IOTAP_TLS_BAD);
    /* Not TLS at all. */
    CHECK_EQ_I(iotap_tls_client_stream((const uint8_t *)"GET / HTTP/1.1\r\n", 16, &h, &err), IOTAP_TLS_NOT);
    CHECK_EQ_I(iotap_tls_client_stream((const uint8_t *)"\x16\x09\x01\x00\x10", 5, &h, &err), IOTAP_TLS_NOT);
    CHECK_EQ_I(iotap_tls_client_stream(NULL, 0, &h, &err), IOTAP_TLS_MORE);

    /* Every truncation of a record-wrapped hello, with the record length
     * left claiming the full size, ends in MORE, never a crash. Random
     * byte flips: never crashes (ASan/UBSan), any verdict. */
    s.n = 0;
    hs.n = 0;
    tb_client_hello(&hs, "fuzz.example", "h2", 1, 0);
    tb_records(&s, hs.b, hs.n, 16384);
    srand(7);
    for (int i = 0; i < 20000; i++) {
        uint8_t m[600];
        size_t n = s.n < sizeof m ? s.n : sizeof m;
        memcpy(m, s.b, n);
        for (int k = 0; k < 3; k++)
            m[(size_t)rand() % n] = (uint8_t)rand();
        size_t cut = (size_t)rand() % (n + 1);
        uint8_t *heap = malloc(cut ? cut : 1);
        memcpy(heap, m, cut);
        int r = iotap_tls_client_stream(heap, cut, &h, &err);
        CHECK(r >= IOTAP_TLS_BAD && r <= IOTAP_TLS_DONE);
        if (r == IOTAP_TLS_DONE)
            CHECK(strlen(h.sni) < IOTAP_TLS_NAME_BUFSZ);
        free(heap);
    }
}

static void test_sslv2(void)
{
    /* SSLv2-compatible CLIENT-HELLO offering TLS 1.0 (RFC 5246 E.2). */
    static const uint8_t v2[] = {0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00,
        0x00, 0x10, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,
        1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16};
    const char *err = NULL;
    CHECK_EQ_I(iotap_tls_client_stream(v2, sizeof v2, &h, &err), IOTAP_TLS_DONE);
    CHECK(h.sslv2);
    CHECK_EQ_U(h.version, 0x0301);
    CHECK_STR(h.sni, "");
    CHECK_EQ_I(iotap_tls_client_stream(v2, 3, &h, &err), IOTAP_TLS_MORE);
}

/* ---- corpus: TCP streams through lib/hello.h, against tshark ---- */

typedef struct stream {
    iotap_addr src, dst;
    uint16_t sport, dport;
    iotap_hello *h;
    bool done;
} stream;

typedef struct found { unsigned long frame; char sni[256]; } found;

static size_t walk(const char *path, found *out, size_t max)
{
    stream st[512];
    size_t nst = 0, nout = 0;
    const char *in[1] = { path };
    iotap_reader *r = iotap_reader_open(in, 1);
    iotap_packet p;
    while (iotap_reader_next(r, &p)) {
        iotap_decoded d;
        if (iotap_decode(&p, &d) != 0 || !d.has_l4 || d.proto != 6 || d.frag)
            continue;
        stream *s = NULL;
        for (size_t i = 0; i < nst; i++)
            if (st[i].sport == d.sport && st[i].dport == d.dport &&
                memcmp(&st[i].src, &d.src, sizeof d.src) == 0 &&
                memcmp(&st[i].dst, &d.dst, sizeof d.dst) == 0)
                s = &st[i];
        if (!s) {
            if (nst == sizeof st / sizeof *st)
                continue;
            s = &st[nst++];
            memset(s, 0, sizeof *s);
            s->src = d.src;
            s->dst = d.dst;
            s->sport = d.sport;
            s->dport = d.dport;
            s->h = iotap_hello_new(0);
        }
        if (s->done)
            continue;
        iotap_hello_info info;
        if (iotap_hello_segment(s->h, d.tcp_flags, d.tcp_seq, d.payload, d.payload_caplen, &info)
            == IOTAP_HELLO_DONE) {
            s->done = true;
            if (info.kind == IOTAP_HELLO_TLS && info.tls.sni[0] && nout < max) {
                out[nout].frame = (unsigned long)p.num;
                snprintf(out[nout].sni, sizeof out[nout].sni, "%s", info.tls.sni);
                nout++;
            }
        }
    }
    iotap_reader_close(r);
    for (size_t i = 0; i < nst; i++)
        iotap_hello_free(st[i].h);
    return nout;
}

static void test_tls_corpus(void)
{
    const char *corpus = test_corpus();
    if (!corpus || !pw_have_tshark()) {
        fprintf(stderr, "corpus part skipped: no corpus or no tshark\n");
        return;
    }
    static const char *files[] = {
        "suricata-verify/tests/tls/tls-client-hello-frag-01/dump_mtu300.pcap",
        "suricata-verify/tests/tls-duplicate-hello/input.pcap",
        "zeek/testing/btest/Traces/tls/chrome-1250-tls-x25519-kyber.pcap",
        "zeek/testing/btest/Traces/tls/tls13-ech.pcap",
        "zeek/testing/btest/Traces/tls/hrr.pcap",
        "zeek/testing/btest/Traces/tls/tls-fragmented-handshake.pcap.gz",
        "zeek/testing/btest/Traces/tls/ssl-v2.pcap",
        "zeek/testing/btest/Traces/tls/tls1.2.pcap",
        "zeek/testing/btest/Traces/tls/chrome-34-google.pcap",
        "zeek/testing/btest/Traces/tls/openjdk-25.0.2-zeek.org.pcap",
        "zeek/testing/btest/Traces/tls/tls-1.2-handshake-failure.pcap",
        "zeek/testing/btest/Traces/tls/CVE-2015-3194.pcap",
        "zeek/testing/btest/Traces/tls/tls-conn-with-extensions.pcap",
    };
    unsigned total = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1024], cmd[2048];
        snprintf(path, sizeof path, "%s/%s", corpus, files[i]);
        if (access(path, R_OK) != 0) {
            fprintf(stderr, "missing %s\n", path);
            continue;
        }
        found mine[64];
        size_t n = walk(path, mine, 64);
        /* tshark reads .gz itself. */
        snprintf(cmd, sizeof cmd, "tshark -r '%s' -Y 'tls.handshake.type == 1' -T fields "
                 "-e frame.number -e tls.handshake.extensions_server_name 2>/dev/null", path);
        char *ts = pw_run(cmd);
        CHECK(ts != NULL);
        if (!ts)
            continue;
        /* Each of ours is a (frame, sni) tshark has too. */
        for (size_t k = 0; k < n; k++) {
            char line[400];
            snprintf(line, sizeof line, "%lu\t%s\n", mine[k].frame, mine[k].sni);
            bool ok = strncmp(ts, line, strlen(line)) == 0;
            if (!ok) {
                char nl[401];
                snprintf(nl, sizeof nl, "\n%s", line);
                ok = strstr(ts, nl) != NULL;
            }
            if (!ok)
                fprintf(stderr, "%s: we found %s in frame %lu, tshark did not\n%s",
                        files[i], mine[k].sni, mine[k].frame, ts);
            CHECK(ok);
        }
        /* Every SNI tshark found, we found too (maybe in fewer frames:
         * a second hello on the same connection is not looked at). */
        for (char *l = ts; *l; ) {
            char *e = strchr(l, '\n');
            if (!e) break;
            *e = '\0';
            char *tab = strchr(l, '\t');
            if (tab && tab[1]) {
                bool have = false;
                for (size_t k = 0; k < n; k++)
                    have |= strcmp(mine[k].sni, tab + 1) == 0;
                if (!have)
                    fprintf(stderr, "%s: tshark found %s (frame %s), we did not\n", files[i], tab + 1, l);
                CHECK(have);
            }
            l = e + 1;
        }
        fprintf(stderr, "%s: %zu SNIs\n", files[i], n);
        /* What the corpus README says these carry (independent of tshark). */
        if (strstr(files[i], "frag-01"))
            CHECK(n == 1 && strcmp(mine[0].sni, "www.google.com") == 0);
        if (strstr(files[i], "kyber"))
            CHECK(n == 1 && strcmp(mine[0].sni, "lh3.google.com") == 0);
        if (strstr(files[i], "openjdk"))
            CHECK(n == 1 && strcmp(mine[0].sni, "zeek.org") == 0);
        total += (unsigned)n;
        free(ts);
    }
    CHECK(total >= 9);
}

int main(void)
{
    iotap_set_progname("test-tls");
    test_basic();
    test_bad();
    test_sslv2();
    test_tls_corpus();
    return TEST_DONE();
}
