/*
 * test-hello.c - lib/hello: the first client bytes of a TCP flow put in
 * order (out-of-order, retransmitted, overlapping and wrapped-around
 * segments, with and without a SYN), and recognised as a TLS ClientHello or
 * an HTTP request head only once complete; caps and give-up rules.
 */
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "test.h"
#include "tlsbuild.h"

static void test_hbuf(void)
{
    iotap_hbuf r;
    iotap_hbuf_init(&r, 100);
    CHECK(!iotap_hbuf_add(&r, 10, (const uint8_t *)"world", 5));
    CHECK_EQ_U(r.contig, 0);
    CHECK(iotap_hbuf_add(&r, 0, (const uint8_t *)"hello", 5));
    CHECK_EQ_U(r.contig, 5);
    CHECK(iotap_hbuf_add(&r, 3, (const uint8_t *)"XXabcdeYYY", 10)); /* overlap both */
    CHECK_EQ_U(r.contig, 15);
    CHECK(memcmp(r.buf, "helloabcdeworld", 15) == 0);      /* first copy wins */
    CHECK(!iotap_hbuf_add(&r, 200, (const uint8_t *)"x", 1)); /* past cap: dropped */
    uint8_t big[300];
    memset(big, 'z', sizeof big);
    CHECK(iotap_hbuf_add(&r, 15, big, sizeof big));            /* clipped at cap */
    CHECK_EQ_U(r.contig, 100);
    CHECK(r.alloc <= 100);
    iotap_hbuf_free(&r);
}

/* Feeds segments of stream s (cut at the given offsets) in the given order,
 * starting at sequence number isn; returns the index in `order` at which
 * the collector said DONE, or -1. */
static int feed(iotap_hello *h, const uint8_t *s, size_t n, const size_t *cuts, size_t ncuts,
                const int *order, size_t norder, uint32_t isn, iotap_hello_info *info)
{
    for (size_t i = 0; i < norder; i++) {
        int k = order[i];
        size_t a = k == 0 ? 0 : cuts[k - 1], b = (size_t)k < ncuts ? cuts[k] : n;
        if (iotap_hello_segment(h, 0x18, isn + 1 + (uint32_t)a, s + a, b - a, info) == IOTAP_HELLO_DONE)
            return (int)i;
    }
    return -1;
}

static void test_tls_split(void)
{
    tb hs = { .n = 0 }, s = { .n = 0 };
    tb_client_hello(&hs, "Split.Example.org", "h2", 1, 1000);
    CHECK(hs.n > 1100);
    tb_records(&s, hs.b, hs.n, 300);            /* records of 300 bytes */
    size_t cuts[] = {100, 250, 700, 900};        /* segment boundaries */
    iotap_hello_info info;

    /* In order after a SYN; the ISN near the 32-bit wrap. */
    uint32_t isn = 0xfffffe00u;
    iotap_hello *h = iotap_hello_new(0);
    CHECK_EQ_I(iotap_hello_segment(h, 0x02, isn, NULL, 0, &info), IOTAP_HELLO_MORE);
    int order1[] = {0, 1, 2, 3, 4};
    CHECK_EQ_I(feed(h, s.b, s.n, cuts, 4, order1, 5, isn, &info), 4);
    CHECK_EQ_I(info.kind, IOTAP_HELLO_TLS);
    CHECK_STR(info.tls.sni, "split.example.org");
    CHECK_STR(info.tls.alpn, "h2");
    CHECK(info.error == NULL);
    /* Done stays done, and costs nothing. */
    CHECK_EQ_I(iotap_hello_segment(h, 0x18, 5, (const uint8_t *)"x", 1, &info), IOTAP_HELLO_DONE);
    CHECK_STR(info.tls.sni, "split.example.org");
    iotap_hello_free(h);

    /* Out of order with retransmissions: done exactly when the last hole
     * closes (the 7th segment delivered, segment 0). */
    h = iotap_hello_new(0);
    iotap_hello_segment(h, 0x02, 1000, NULL, 0, &info);
    int order2[] = {3, 1, 4, 1, 2, 3, 0, 2};
    CHECK_EQ_I(feed(h, s.b, s.n, cuts, 4, order2, 8, 1000, &info), 6);
    CHECK_STR(info.tls.sni, "split.example.org");
    iotap_hello_free(h);

    /* A retransmission with different bytes does not overwrite. */
    h = iotap_hello_new(0);
    iotap_hello_segment(h, 0x02, 50, NULL, 0, &info);
    tb evil = s;
    const uint8_t *sni = memmem(s.b, s.n, "Split", 5);
    CHECK(sni && sni - s.b >= 100 && sni - s.b < 240);   /* inside segment 1 */
    memcpy(evil.b + (sni - s.b), "Evil!", 5);
    int o1[] = {1};
    CHECK_EQ_I(feed(h, s.b, s.n, cuts, 4, o1, 1, 50, &info), -1);
    CHECK_EQ_I(feed(h, evil.b, evil.n, cuts, 4, o1, 1, 50, &info), -1);
    int rest[] = {0, 2, 3, 4};
    CHECK_EQ_I(feed(h, s.b, s.n, cuts, 4, rest, 4, 50, &info), 3);
    CHECK_STR(info.tls.sni, "split.example.org");
    iotap_hello_free(h);

    /* No SYN seen: the first data segment starts the stream; a segment
     * starting before it is trimmed, not mistaken for new data. */
    h = iotap_hello_new(0);
    CHECK_EQ_I(iotap_hello_segment(h, 0x18, 7000, s.b, 100, &info), IOTAP_HELLO_MORE);
    CHECK_EQ_I(iotap_hello_segment(h, 0x18, 6950, s.b, 50, &info), IOTAP_HELLO_MORE);  /* wholly before */
    CHECK_EQ_I(iotap_hello_segment(h, 0x18, 7050, s.b + 50, s.n - 50, &info), IOTAP_HELLO_DONE);
    CHECK_STR(info.tls.sni, "split.example.org");
    iotap_hello_free(h);

    /* The flow ends with a hole: finish() says TLS, incomplete. */
    h = iotap_hello_new(0);
    iotap_hello_segment(h, 0x02, 0, NULL, 0, &info);
    int o3[] = {0, 2};
    CHECK_EQ_I(feed(h, s.b, s.n, cuts, 4, o3, 2, 0, &info), -1);
    iotap_hello_finish(h, &info);
    CHECK_EQ_I(info.kind, IOTAP_HELLO_TLS);
    CHECK_STR(info.tls.sni, "");
    CHECK(info.error != NULL);
    iotap_hello_free(h);

    /* Give up after IOTAP_HELLO_MAX_SEGMENTS segments while a hole stays. */
    h = iotap_hello_new(0);
    iotap_hello_segment(h, 0x02, 0, NULL, 0, &info);
    int r = IOTAP_HELLO_MORE, i;
    for (i = 0; i < 1000 && r == IOTAP_HELLO_MORE; i++)
        r = iotap_hello_segment(h, 0x18, 1 + 100, s.b + 100, 10, &info);
    CHECK_EQ_I(r, IOTAP_HELLO_DONE);
    CHECK_EQ_I(i, IOTAP_HELLO_MAX_SEGMENTS);
    CHECK_EQ_I(info.kind, IOTAP_HELLO_NONE);
    iotap_hello_free(h);

    /* A small cap: a hello bigger than the cap ends as incomplete TLS. */
    h = iotap_hello_new(512);
    iotap_hello_segment(h, 0x02, 0, NULL, 0, &info);
    CHECK_EQ_I(iotap_hello_segment(h, 0x18, 1, s.b, s.n, &info), IOTAP_HELLO_DONE);
    CHECK_EQ_I(info.kind, IOTAP_HELLO_TLS);
    CHECK(info.error != NULL);
    iotap_hello_free(h);
}

static void test_http(void)
{
    static const char req[] = "GET /index.html HTTP/1.1\r\nUser-Agent: x\r\n"
                              "host:  Camera.Example.com:8080 \r\nAccept: */*\r\n\r\nBODY";
    size_t n = strlen(req);
    size_t cuts[] = {2, 30, 60};
    iotap_hello_info info;
    for (int variant = 0; variant < 2; variant++) {
        iotap_hello *h = iotap_hello_new(0);
        iotap_hello_segment(h, 0x02, 99, NULL, 0, &info);
        int inorder[] = {0, 1, 2, 3}, shuffled[] = {3, 1, 2, 0};
        int at = feed(h, (const uint8_t *)req, n, cuts, 3, variant ? shuffled : inorder, 4, 99, &info);
        CHECK_EQ_I(at, 3);
        CHECK_EQ_I(info.kind, IOTAP_HELLO_HTTP);
        CHECK_STR(info.http_method, "GET");
        CHECK_STR(info.http_host, "Camera.Example.com:8080");
        iotap_hello_free(h);
    }
    /* Direct: no Host (HTTP/1.0), HTTP/0.9, LF-only lines, not HTTP. */
    CHECK_EQ_I(iotap_http_request_head((const uint8_t *)"POST /a HTTP/1.0\r\n\r\n", 20, &info), IOTAP_HELLO_DONE);
    CHECK_STR(info.http_method, "POST");
    CHECK_STR(info.http_host, "");
    CHECK_EQ_I(iotap_http_request_head((const uint8_t *)"GET /\r\n", 7, &info), IOTAP_HELLO_DONE);
    CHECK_EQ_I(iotap_http_request_head((const uint8_t *)"GET / HTTP/1.1\nHost: a.b\n\n", 26, &info), IOTAP_HELLO_DONE);
    CHECK_STR(info.http_host, "a.b");
    CHECK_EQ_I(iotap_http_request_head((const uint8_t *)"GE", 2, &info), IOTAP_HELLO_MORE);
    CHECK_EQ_I(iotap_http_request_head((const uint8_t *)"GET / HTTP/1.1\r\nHo", 18, &info), IOTAP_HELLO_MORE);
    CHECK_EQ_I(iotap_http_request_head((const uint8_t *)"get / HTTP/1.1\r\n", 16, &info), -1);
    CHECK_EQ_I(iotap_http_request_head((const uint8_t *)"SSH-2.0-x\r\n", 11, &info), -1);
    CHECK_EQ_I(iotap_http_request_head((const uint8_t *)"GET / HTTP/1.1\r\nHost: a\x01z\r\n\r\n", 29, &info), IOTAP_HELLO_DONE);
    CHECK_STR(info.http_host, "");
    CHECK(info.error != NULL);

    /* SSH banner through the collector: OTHER at once. */
    iotap_hello *h = iotap_hello_new(0);
    CHECK_EQ_I(iotap_hello_segment(h, 0x18, 5, (const uint8_t *)"SSH-2.0-OpenSSH\r\n", 17, &info), IOTAP_HELLO_DONE);
    CHECK_EQ_I(info.kind, IOTAP_HELLO_OTHER);
    iotap_hello_free(h);
    /* A head cut off by the end of the flow still gives its Host. */
    h = iotap_hello_new(0);
    CHECK_EQ_I(iotap_hello_segment(h, 0x18, 5, (const uint8_t *)"GET / HTTP/1.1\r\nHost: h.example\r\nX-A", 36, &info), IOTAP_HELLO_MORE);
    iotap_hello_finish(h, &info);
    CHECK_EQ_I(info.kind, IOTAP_HELLO_HTTP);
    CHECK_STR(info.http_host, "h.example");
    iotap_hello_free(h);
    /* A flow with no data at all. */
    h = iotap_hello_new(0);
    iotap_hello_segment(h, 0x02, 5, NULL, 0, &info);
    iotap_hello_finish(h, &info);
    CHECK_EQ_I(info.kind, IOTAP_HELLO_NONE);
    iotap_hello_free(h);
}

int main(void)
{
    test_hbuf();
    test_tls_split();
    test_http();
    return TEST_DONE();
}
