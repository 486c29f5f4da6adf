/* test-http.c - HTTP/1.x parsing and pairing over hand-built streams:
 * keep-alive, 10,000 pipelined requests, bodies by length / chunked /
 * close, no body for HEAD 1xx 204 304, tunnels, lying lengths, endless
 * bodies, header caps, holes, and byte-at-a-time feeding. */
#include <stdlib.h>
#include <zlib.h>
#include "test.h"
#include "proto/http.h"

typedef struct row {
    char method[16], uri[64], host[64], ctype[64];
    int status;
    bool req_present, resp_present, req_complete, resp_complete, req_body, resp_body;
    uint64_t req_bytes, resp_bytes;
    char req_sha[65], resp_sha[65];
    int req_dir;
} row;

typedef struct rec {
    row *rows;
    size_t n, cap;
    unsigned problems;
    char last_problem[200];
    uint64_t written[2];
    unsigned opened, closed;
} rec;

static void cp(char *dst, size_t sz, const char *s) { snprintf(dst, sz, "%s", s ? s : ""); }

static void txn_done(iotap_http_txn *t, void *ctx)
{
    rec *r = ctx;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->rows = realloc(r->rows, r->cap * sizeof *r->rows);
    }
    row *w = &r->rows[r->n++];
    memset(w, 0, sizeof *w);
    cp(w->method, sizeof w->method, t->req.method);
    cp(w->uri, sizeof w->uri, t->req.uri);
    cp(w->host, sizeof w->host, t->req.host);
    cp(w->ctype, sizeof w->ctype, t->resp.content_type);
    w->status = t->resp.status;
    w->req_present = t->req.present;
    w->resp_present = t->resp.present;
    w->req_complete = t->req.complete;
    w->resp_complete = t->resp.complete;
    w->req_body = t->req.has_body;
    w->resp_body = t->resp.has_body;
    w->req_bytes = t->req.body.bytes;
    w->resp_bytes = t->resp.body.bytes;
    cp(w->req_sha, sizeof w->req_sha, t->req.has_body ? t->req.body.sha256 : "");
    cp(w->resp_sha, sizeof w->resp_sha, t->resp.has_body ? t->resp.body.sha256 : "");
    w->req_dir = t->req.dir;
}

static void *body_open(iotap_http_txn *t, int side, void *ctx)
{
    (void)t;
    rec *r = ctx;
    r->opened++;
    return &r->written[side];
}
static void body_write(void *sink, const uint8_t *p, size_t n, void *ctx)
{
    (void)p; (void)ctx;
    *(uint64_t *)sink += n;
}
static void body_close(void *sink, iotap_http_txn *t, int side, void *ctx)
{
    (void)sink; (void)t; (void)side;
    ((rec *)ctx)->closed++;
}
static void on_problem(const char *what, void *ctx)
{
    fprintf(stderr, "problem: %s\n", what);
    ((rec *)ctx)->problems++;
    cp(((rec *)ctx)->last_problem, sizeof ((rec *)ctx)->last_problem, what);
}

static const iotap_http_hooks hooks = { body_open, body_write, body_close, txn_done, on_problem };

static void feed(iotap_http_conn *c, int dir, const char *s, bool bytewise)
{
    size_t n = strlen(s);
    if (!bytewise) {
        iotap_http_data(c, dir, (const uint8_t *)s, n, 1);
        return;
    }
    for (size_t i = 0; i < n; i++)
        iotap_http_data(c, dir, (const uint8_t *)s + i, 1, 1);
}

static void reset(rec *r) { free(r->rows); memset(r, 0, sizeof *r); }

static void sha(const char *s, char out[65]) { iotap_sha256_hex(s, strlen(s), out); }

static void test_keepalive(bool bw)
{
    rec r = {0};
    iotap_http_conn *c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET /a.png HTTP/1.1\r\nHost: cam.example\r\nUser-Agent: x\r\n\r\n", bw);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 5\r\n\r\nhello", bw);
    feed(c, 0, "HEAD /b HTTP/1.1\r\nHost: h\r\n\r\n", bw);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", bw);   /* HEAD: no body */
    feed(c, 0, "POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n", bw);
    feed(c, 1, "HTTP/1.1 100 Continue\r\n\r\n", bw);
    feed(c, 0, "4\r\nabcd\r\n2\r\nef\r\n0\r\nT: 1\r\n\r\n", bw);
    feed(c, 1, "HTTP/1.1 204 No Content\r\n\r\n", bw);
    feed(c, 0, "GET /c HTTP/1.1\r\nIf-None-Match: x\r\n\r\n", bw);
    feed(c, 1, "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", bw);
    feed(c, 0, "GET /d HTTP/1.0\r\n\r\n", bw);
    feed(c, 1, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", bw);
    CHECK_EQ_U(r.n, 4);     /* the last one ends with the connection */
    iotap_http_eof(c, 1, true);
    iotap_http_finish(c);
    CHECK_EQ_U(r.n, 5);
    CHECK_EQ_U(iotap_http_txns(c), 5);
    iotap_http_conn_free(c);
    char h[65];
    if (r.n == 5) {
        CHECK_STR(r.rows[0].method, "GET");
        CHECK_STR(r.rows[0].uri, "/a.png");
        CHECK_STR(r.rows[0].host, "cam.example");
        CHECK_STR(r.rows[0].ctype, "image/png");
        CHECK_EQ_I(r.rows[0].status, 200);
        CHECK_EQ_U(r.rows[0].resp_bytes, 5);
        sha("hello", h);
        CHECK_STR(r.rows[0].resp_sha, h);
        CHECK(r.rows[0].resp_complete && r.rows[0].req_complete);
        CHECK(!r.rows[0].req_body);
        CHECK_STR(r.rows[1].method, "HEAD");
        CHECK(!r.rows[1].resp_body);
        CHECK(r.rows[1].resp_complete);
        CHECK_STR(r.rows[2].method, "POST");
        CHECK_EQ_I(r.rows[2].status, 204);   /* the 100 is skipped */
        CHECK_EQ_U(r.rows[2].req_bytes, 6);
        sha("abcdef", h);
        CHECK_STR(r.rows[2].req_sha, h);
        CHECK(r.rows[2].req_complete);
        CHECK(!r.rows[2].resp_body);
        CHECK_EQ_I(r.rows[3].status, 304);
        CHECK(!r.rows[3].resp_body);
        CHECK_STR(r.rows[4].uri, "/d");
        CHECK_EQ_U(r.rows[4].resp_bytes, 13);
        CHECK(r.rows[4].resp_complete);
        CHECK_EQ_I(r.rows[4].req_dir, 0);
    }
    CHECK_EQ_U(r.opened, 3);
    CHECK_EQ_U(r.closed, 3);
    CHECK_EQ_U(r.written[IOTAP_HTTP_REQ], 6);
    CHECK_EQ_U(r.written[IOTAP_HTTP_RESP], 18);
    CHECK_EQ_U(r.problems, 0);
    reset(&r);
}

static void test_pipelined(void)
{
    rec r = {0};
    iotap_http_conn *c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    char buf[200];
    /* Server on the local side this time: requests travel in direction 1. */
    for (int i = 0; i < 10000; i++) {
        snprintf(buf, sizeof buf, "GET /item/%d HTTP/1.1\r\nHost: tv\r\n\r\n", i);
        feed(c, 1, buf, false);
    }
    for (int i = 0; i < 10000; i++) {
        char num[16];
        snprintf(num, sizeof num, "%d", i);
        snprintf(buf, sizeof buf, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s", strlen(num), num);
        feed(c, 0, buf, false);
    }
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 10000);
    bool order_ok = true, bodies_ok = true;
    for (size_t i = 0; i < r.n; i++) {
        char want[32], h[65];
        snprintf(want, sizeof want, "/item/%zu", i);
        order_ok &= !strcmp(r.rows[i].uri, want) && r.rows[i].status == 200 && r.rows[i].req_dir == 1;
        snprintf(want, sizeof want, "%zu", i);
        sha(want, h);
        bodies_ok &= !strcmp(r.rows[i].resp_sha, h) && r.rows[i].resp_complete;
    }
    CHECK(order_ok);
    CHECK(bodies_ok);
    CHECK_EQ_U(r.problems, 0);
    reset(&r);
}

static void test_gzip_chunked(void)
{
    const char *plain = "{\"telemetry\":[1,2,3,4,5,6,7,8,9,10],\"device\":\"thermostat\"}";
    uint8_t gz[512];
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)plain;
    z.avail_in = (uInt)strlen(plain);
    z.next_out = gz;
    z.avail_out = sizeof gz;
    deflate(&z, Z_FINISH);
    size_t gn = sizeof gz - z.avail_out;
    deflateEnd(&z);
    char msg[2048];
    int k = snprintf(msg, sizeof msg, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n%zx\r\n", gn / 2);
    memcpy(msg + k, gz, gn / 2);
    k += (int)(gn / 2);
    k += snprintf(msg + k, sizeof msg - (size_t)k, "\r\n%zx\r\n", gn - gn / 2);
    memcpy(msg + k, gz + gn / 2, gn - gn / 2);
    k += (int)(gn - gn / 2);
    k += snprintf(msg + k, sizeof msg - (size_t)k, "\r\n0\r\n\r\n");
    for (int bw = 0; bw < 2; bw++) {
        rec r = {0};
        iotap_http_conn *c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
        feed(c, 0, "GET /t HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n", false);
        if (bw)
            for (int i = 0; i < k; i++)
                iotap_http_data(c, 1, (const uint8_t *)msg + i, 1, 1);
        else
            iotap_http_data(c, 1, (const uint8_t *)msg, (size_t)k, 1);
        CHECK_EQ_U(r.n, 1);
        iotap_http_finish(c);
        iotap_http_conn_free(c);
        char h[65];
        sha(plain, h);
        if (r.n) {
            CHECK_STR(r.rows[0].resp_sha, h);
            CHECK_EQ_U(r.rows[0].resp_bytes, strlen(plain));
            CHECK(r.rows[0].resp_complete);
        }
        reset(&r);
    }
}

/* A content coding iotap cannot undo: the body is kept as sent, marked
 * incomplete, and said once (one problem per body). */
static void test_unknown_coding(void)
{
    rec r = {0};
    iotap_http_conn *c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n", false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Encoding: compress\r\nContent-Length: 5\r\n\r\n\x1f\x9d"
               "abc", true);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip, frobnicate\r\nContent-Length: 3\r\n\r\nxyz",
         false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\nContent-Length: 3\r\n\r\nxyz", false);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 3);
    CHECK_EQ_U(r.problems, 2);
    if (r.n == 3) {
        CHECK_EQ_U(r.rows[0].resp_bytes, 5);
        CHECK(!r.rows[0].resp_complete);
        CHECK(!r.rows[1].resp_complete);
        CHECK(r.rows[2].resp_complete);
    }
    reset(&r);
}

/* Broken versions on a status line ("HTTP/1\0.1", "HTTP/1.1foobar"):
 * clients and tshark still read the response, and so does iotap. */
static void test_broken_status_version(void)
{
    rec r = {0};
    iotap_http_conn *c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n", false);
    static const char r1[] = "HTTP/1\0.1 200 ok\r\nContent-Length: 5\r\n\r\nhello";
    iotap_http_data(c, 1, (const uint8_t *)r1, sizeof r1 - 1, 1);
    feed(c, 1, "HTTP/1.1foobar\rTransfer-Encoding: chunked\r\n\r\n5\r\nworld\r\n0\r\n\r\n", true);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 2);
    if (r.n == 2) {
        CHECK_EQ_I(r.rows[0].status, 200);
        CHECK_EQ_U(r.rows[0].resp_bytes, 5);
        CHECK_EQ_I(r.rows[1].status, 0);
        CHECK_EQ_U(r.rows[1].resp_bytes, 5);
        CHECK(r.rows[1].resp_complete);
    }
    reset(&r);
}

static void test_lies_and_caps(void)
{
    rec r = {0};
    /* Content-Length larger than the body: incomplete at the end. */
    iotap_http_conn *c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET / HTTP/1.1\r\n\r\n", false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nshort", false);
    iotap_http_eof(c, 1, true);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 1);
    if (r.n) {
        CHECK(!r.rows[0].resp_complete);
        CHECK_EQ_U(r.rows[0].resp_bytes, 5);
    }
    reset(&r);

    /* Content-Length smaller than the body: the rest is reported, and the
     * next response is still found. */
    c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n", false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabcdef", false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyz", false);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 2);
    CHECK(r.problems >= 1);
    if (r.n == 2) {
        CHECK_EQ_U(r.rows[0].resp_bytes, 2);
        CHECK_EQ_U(r.rows[1].resp_bytes, 3);
        CHECK(r.rows[1].resp_complete);
    }
    reset(&r);

    /* Absurd and negative lengths, 2^64 chunk sizes: reported, no hang. */
    const char *bad[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\nabc",
        NULL,
    };
    for (int i = 0; bad[i]; i++) {
        c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
        feed(c, 0, "GET / HTTP/1.1\r\n\r\n", false);
        feed(c, 1, bad[i], false);
        iotap_http_eof(c, 1, true);
        iotap_http_finish(c);
        iotap_http_conn_free(c);
        CHECK_EQ_U(r.n, 1);
        CHECK(r.problems >= 1);
        if (r.n)
            CHECK(!r.rows[0].resp_complete);
        reset(&r);
    }

    /* An endless chunked body: decoded bytes stop at the cap; parsing goes on. */
    c = iotap_http_conn_new(&hooks, &r, 4096, NULL);
    feed(c, 0, "GET /stream HTTP/1.1\r\n\r\n", false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false);
    char chunk[1100];
    memset(chunk, 'x', sizeof chunk);
    memcpy(chunk, "400\r\n", 5);
    memcpy(chunk + 5 + 1024, "\r\n", 2);
    for (int i = 0; i < 20000; i++)
        iotap_http_data(c, 1, (const uint8_t *)chunk, 5 + 1024 + 2, 1);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 1);
    if (r.n) {
        CHECK_EQ_U(r.rows[0].resp_bytes, 4096);
        CHECK(!r.rows[0].resp_complete);
    }
    CHECK_EQ_U(r.written[1], 4096);
    reset(&r);

    /* A header block without end: capped at 64 KiB, reported. */
    c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET / HTTP/1.1\r\n", false);
    for (int i = 0; i < 10000; i++)
        feed(c, 0, "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", false);
    CHECK(r.problems >= 1);
    /* ... and the connection finds its feet at the next request. */
    feed(c, 0, "GET /next HTTP/1.1\r\n\r\n", false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 1);
    if (r.n)
        CHECK_STR(r.rows[0].uri, "/next");
    reset(&r);

    /* Malformed header lines and obs-fold: reported, the rest still read. */
    c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET /f HTTP/1.1\r\nHost: a\r\nbroken line\r\n\x01\x02: x\r\nUser-Agent: one\r\n two\r\n\r\n", false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Type: text/\r\n plain\r\nContent-Length: 1\r\n\r\nz", false);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 1);
    CHECK_EQ_U(r.problems, 1);    /* one message per header block */
    CHECK_STR(r.last_problem, "2 malformed header lines skipped (request side)");
    if (r.n) {
        CHECK_STR(r.rows[0].host, "a");
        CHECK_STR(r.rows[0].ctype, "text/ plain");
    }
    reset(&r);
}

static void test_gaps_and_detection(void)
{
    rec r = {0};
    /* A hole inside a Content-Length body: incomplete, nothing padded, and
     * the next response is still paired. */
    iotap_http_conn *c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n", false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123", false);
    iotap_http_gap(c, 1, 3);
    feed(c, 1, "789HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 2);
    if (r.n == 2) {
        CHECK(!r.rows[0].resp_complete);
        CHECK_EQ_U(r.rows[0].resp_bytes, 7);
        CHECK(r.rows[1].resp_complete);
        CHECK_EQ_U(r.rows[1].resp_bytes, 2);
    }
    reset(&r);

    /* A hole that swallows a message boundary: resync at the next one. */
    c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n", false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123", false);
    iotap_http_gap(c, 1, 30);
    feed(c, 1, "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno", false);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 2);
    if (r.n == 2) {
        CHECK(!r.rows[0].resp_complete);
        CHECK_EQ_I(r.rows[1].status, 404);
    }
    reset(&r);

    /* TLS is not HTTP: the connection goes quiet once both sides spoke. */
    c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    iotap_http_data(c, 0, (const uint8_t *)"\x16\x03\x01\x02\x00\x01", 6, 1);
    CHECK(iotap_http_active(c));    /* the other side might still answer HTTP */
    iotap_http_data(c, 1, (const uint8_t *)"\x16\x03\x03\x00\x5a\x02", 6, 1);
    CHECK(!iotap_http_active(c));
    CHECK(!iotap_http_seen(c));
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 0);
    CHECK_EQ_U(r.problems, 0);

    /* A request line the parser rejects, answered by a status line: the
     * connection is HTTP after all and the response is still reported. */
    c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "\x01\x02garbage\r\n\r\n", false);
    CHECK(iotap_http_active(c));
    feed(c, 1, "HTTP/1.0 400 Bad Request\r\nContent-Length: 3\r\n\r\nbad", false);
    feed(c, 0, "GET /again HTTP/1.1\r\n\r\n", false);
    feed(c, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 2);
    if (r.n == 2) {
        CHECK(!r.rows[0].req_present);
        CHECK_EQ_I(r.rows[0].status, 400);
        CHECK_STR(r.rows[1].uri, "/again");
        CHECK_EQ_I(r.rows[1].status, 200);
    }
    reset(&r);

    /* HTTP/0.9: a request line alone, the response raw to the close. */
    c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET /old.html\n", false);
    feed(c, 1, "<html>old</html>\n", false);
    iotap_http_eof(c, 1, true);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 1);
    if (r.n) {
        CHECK_STR(r.rows[0].uri, "/old.html");
        CHECK_EQ_U(r.rows[0].resp_bytes, 17);
        CHECK(r.rows[0].resp_complete);
    }
    reset(&r);

    /* 101 Switching Protocols: the rest is a tunnel. */
    c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    feed(c, 0, "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", false);
    feed(c, 1, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello", false);
    CHECK(!iotap_http_active(c));
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 1);
    CHECK_EQ_U(r.problems, 0);
    reset(&r);
}

/* Unanswered requests are not held without limit: past 16 MiB of their
 * headers the oldest are reported (without a response). */
static void test_pending_cap(void)
{
    rec r = {0};
    iotap_http_conn *c = iotap_http_conn_new(&hooks, &r, 1 << 20, NULL);
    static char req[40100];
    int k = snprintf(req, sizeof req, "GET /x HTTP/1.1\r\nX-Pad: ");
    memset(req + k, 'p', 40000);
    memcpy(req + k + 40000, "\r\n\r\n", 5);
    for (int i = 0; i < 1000; i++)      /* 40 MB of headers, no answer */
        feed(c, 0, req, false);
    CHECK(r.n >= 500);
    CHECK(r.n < 1000);
    if (r.n)
        CHECK(!r.rows[0].resp_present);
    iotap_http_finish(c);
    iotap_http_conn_free(c);
    CHECK_EQ_U(r.n, 1000);
    reset(&r);
}

int main(void)
{
    test_pending_cap();
    test_keepalive(false);
    test_keepalive(true);
    test_pipelined();
    test_gzip_chunked();
    test_unknown_coding();
    test_broken_status_version();
    test_lies_and_caps();
    test_gaps_and_detection();
    return TEST_DONE();
}
