/* test-httpbody.c - chunked framing, content decoding, the output cap and
 * SHA-256, fed whole and one byte at a time, checked against zlib's own
 * compression of known bytes and OpenSSL's hash of them. */
#include <stdlib.h>
#include <zlib.h>
#include "test.h"
#include "httpbody.h"

typedef struct out { uint8_t *p; size_t n; } out;

static void collect(void *ctx, const uint8_t *p, size_t n)
{
    out *o = ctx;
    o->p = realloc(o->p, o->n + n + 1);
    memcpy(o->p + o->n, p, n);
    o->n += n;
}

/* Compresses with zlib: wbits 15 (zlib), -15 (raw), 31 (gzip). */
static size_t zcompress(const uint8_t *in, size_t n, uint8_t *dst, size_t cap, int wbits)
{
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = dst;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    size_t got = cap - z.avail_out;
    deflateEnd(&z);
    return got;
}

static uint8_t plain[300000];
static uint8_t comp[400000];

/* Decodes enc bytes with the given codings, whole or byte by byte. */
static out run(const char *ce, const char *te, const uint8_t *p, size_t n, uint64_t cap,
               bool bytewise, iotap_body_result *r)
{
    out o = {0};
    iotap_body *b = iotap_body_new(ce, te, cap, collect, &o);
    if (bytewise)
        for (size_t i = 0; i < n; i++)
            iotap_body_feed(b, p + i, 1);
    else
        iotap_body_feed(b, p, n);
    iotap_body_finish(b, r);
    iotap_body_free(b);
    return o;
}

static void check_decodes(const char *ce, int wbits, size_t n)
{
    char want[65];
    iotap_sha256_hex(plain, n, want);
    size_t cn = zcompress(plain, n, comp, sizeof comp, wbits);
    for (int bw = 0; bw < 2; bw++) {
        iotap_body_result r;
        out o = run(ce, NULL, comp, cn, 1 << 30, bw, &r);
        CHECK_EQ_U(o.n, n);
        CHECK_EQ_U(r.bytes, n);
        CHECK_EQ_U(r.wire_bytes, cn);
        CHECK(o.n == n && memcmp(o.p, plain, n) == 0);
        CHECK_STR(r.sha256, want);
        CHECK(!r.capped && !r.decode_error && !r.gap);
        free(o.p);
    }
}

static void test_codings(void)
{
    for (size_t i = 0; i < sizeof plain; i++)
        plain[i] = (uint8_t)("the quick brown fox "[i % 20] + (i / 997) % 3);
    check_decodes("gzip", 31, sizeof plain);
    check_decodes("x-gzip", 31, 1000);
    check_decodes("deflate", 15, sizeof plain);   /* zlib-wrapped */
    check_decodes("deflate", -15, sizeof plain);  /* raw deflate, as some servers send */
    check_decodes("Deflate", -15, 1);

    /* identity: bytes as they are. */
    iotap_body_result r;
    out o = run(NULL, NULL, plain, 5000, 1 << 30, false, &r);
    char want[65];
    iotap_sha256_hex(plain, 5000, want);
    CHECK_STR(r.sha256, want);
    CHECK_EQ_U(o.n, 5000);
    free(o.p);

    /* Empty body: the hash of nothing. */
    o = run("gzip", NULL, NULL, 0, 100, false, &r);
    CHECK_STR(r.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_EQ_U(r.bytes, 0);
    free(o.p);

    /* Stacked: gzip applied twice (identity in between ignored). */
    size_t c1 = zcompress(plain, 20000, comp, sizeof comp, 31);
    static uint8_t comp2[100000];
    size_t c2 = zcompress(comp, c1, comp2, sizeof comp2, 31);
    o = run("gzip, identity, gzip", NULL, comp2, c2, 1 << 30, true, &r);
    iotap_sha256_hex(plain, 20000, want);
    CHECK_EQ_U(r.bytes, 20000);
    CHECK_STR(r.sha256, want);
    free(o.p);
    /* A gzip transfer coding under chunked counts as well. */
    o = run(NULL, "gzip, chunked", comp, c1, 1 << 30, false, &r);
    CHECK_EQ_U(r.bytes, 20000);
    free(o.p);

    /* Two gzip members back to back. */
    size_t m1 = zcompress(plain, 1000, comp, sizeof comp, 31);
    size_t m2 = zcompress(plain + 1000, 2000, comp + m1, sizeof comp - m1, 31);
    o = run("gzip", NULL, comp, m1 + m2, 1 << 30, false, &r);
    iotap_sha256_hex(plain, 3000, want);
    CHECK_EQ_U(r.bytes, 3000);
    CHECK_STR(r.sha256, want);
    free(o.p);

    /* "gzip" that is not gzip: the bytes as sent. */
    const char *txt = "this is not compressed at all, it is plain text";
    o = run("gzip", NULL, (const uint8_t *)txt, strlen(txt), 1 << 30, false, &r);
    CHECK_EQ_U(o.n, strlen(txt));
    CHECK(o.n == strlen(txt) && memcmp(o.p, txt, o.n) == 0);
    CHECK(!r.decode_error);
    free(o.p);
    o = run("gzip", NULL, (const uint8_t *)"ab", 2, 1 << 30, false, &r);
    CHECK_EQ_U(r.bytes, 2);
    free(o.p);

    /* Unknown coding: kept as sent, flagged. */
    o = run("br", NULL, plain, 100, 1 << 30, false, &r);
    CHECK_EQ_U(r.bytes, 100);
    CHECK(r.unknown_coding);
    free(o.p);

    /* Truncated gzip: what decoded so far, flagged. */
    size_t cn = zcompress(plain, sizeof plain, comp, sizeof comp, 31);
    o = run("gzip", NULL, comp, cn / 2, 1 << 30, false, &r);
    CHECK(r.decode_error);
    CHECK(r.bytes > 0 && r.bytes < sizeof plain);
    CHECK(o.n == r.bytes && memcmp(o.p, plain, o.n) == 0);
    free(o.p);

    /* Corrupt after a good start. */
    memcpy(comp + cn / 2, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
    o = run("gzip", NULL, comp, cn, 1 << 30, false, &r);
    CHECK(r.decode_error);
    free(o.p);
}

static void test_bomb(void)
{
    /* 256 MiB of zeros compress to ~256 KiB; the cap stops at 1 MiB. */
    z_stream z = {0};
    deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY);
    static uint8_t zeros[1 << 20];
    size_t cn = 0;
    for (int i = 0; i < 256; i++) {
        z.next_in = zeros;
        z.avail_in = sizeof zeros;
        z.next_out = comp + cn;
        z.avail_out = (uInt)(sizeof comp - cn);
        deflate(&z, i == 255 ? Z_FINISH : Z_NO_FLUSH);
        cn = sizeof comp - z.avail_out;
    }
    deflateEnd(&z);
    CHECK(cn < sizeof comp);
    iotap_body_result r;
    out o = run("gzip", NULL, comp, cn, 1 << 20, false, &r);
    CHECK(r.capped);
    CHECK_EQ_U(r.bytes, 1 << 20);
    CHECK_EQ_U(o.n, 1 << 20);
    char want[65];
    iotap_sha256_hex(zeros, 1 << 20, want);
    CHECK_STR(r.sha256, want);
    free(o.p);
}

static void test_gap(void)
{
    iotap_body_result r;
    out o = {0};
    iotap_body *b = iotap_body_new(NULL, NULL, 1 << 20, collect, &o);
    iotap_body_feed(b, plain, 100);
    iotap_body_gap(b, 50);
    iotap_body_feed(b, plain + 150, 100);
    iotap_body_finish(b, &r);
    iotap_body_free(b);
    CHECK(r.gap);
    CHECK_EQ_U(r.bytes, 200);   /* never padded */
    free(o.p);
}

/* ---- chunked ---- */
static size_t dechunk_all(const char *in, size_t n, out *o, iotap_dechunk *d, bool bytewise)
{
    iotap_dechunk_init(d);
    size_t used = 0;
    if (!bytewise)
        return iotap_dechunk_feed(d, (const uint8_t *)in, n, collect, o);
    for (size_t i = 0; i < n && d->state != IOTAP_DC_DONE && d->state != IOTAP_DC_ERROR; i++)
        used += iotap_dechunk_feed(d, (const uint8_t *)in + i, 1, collect, o);
    return used;
}

static void test_chunked(void)
{
    const char *in = "5\r\nhello\r\n7;ext=1\r\n, world\r\n000\r\nX-Trailer: 1\r\nY: 2\r\n\r\nNEXT";
    for (int bw = 0; bw < 2; bw++) {
        out o = {0};
        iotap_dechunk d;
        size_t used = dechunk_all(in, strlen(in), &o, &d, bw);
        CHECK_EQ_I(d.state, IOTAP_DC_DONE);
        CHECK_EQ_U(used, strlen(in) - 4);
        CHECK_EQ_U(o.n, 12);
        CHECK(o.n == 12 && memcmp(o.p, "hello, world", 12) == 0);
        CHECK_EQ_U(d.chunks, 3);
        free(o.p);
    }
    /* Bare LF line ends and no trailers. */
    const char *lf = "3\nabc\n0\n\n";
    out o = {0};
    iotap_dechunk d;
    CHECK_EQ_U(dechunk_all(lf, strlen(lf), &o, &d, false), strlen(lf));
    CHECK_EQ_I(d.state, IOTAP_DC_DONE);
    CHECK_EQ_U(o.n, 3);
    free(o.p);
    /* 2^64 and beyond: an error, never a wrapped size. */
    const char *big = "10000000000000000\r\nxxxx";
    o.p = NULL; o.n = 0;
    dechunk_all(big, strlen(big), &o, &d, false);
    CHECK_EQ_I(d.state, IOTAP_DC_ERROR);
    CHECK_EQ_U(o.n, 0);
    const char *lead = "0000000000000000000000005\r\nhello\r\n0\r\n\r\n";
    dechunk_all(lead, strlen(lead), &o, &d, false);
    CHECK_EQ_I(d.state, IOTAP_DC_DONE);
    CHECK_EQ_U(o.n, 5);
    free(o.p);
    o.p = NULL; o.n = 0;
    /* Not a size at all. */
    dechunk_all("zz\r\n", 4, &o, &d, false);
    CHECK_EQ_I(d.state, IOTAP_DC_ERROR);
    /* Chunk not followed by CRLF: tolerated, flagged. */
    const char *sl = "3\r\nabc4\r\ndefg\r\n0\r\n\r\n";
    dechunk_all(sl, strlen(sl), &o, &d, false);
    CHECK_EQ_I(d.state, IOTAP_DC_DONE);
    CHECK(d.sloppy);
    CHECK_EQ_U(o.n, 7);
    free(o.p);
    o.p = NULL; o.n = 0;
    /* An endless size line and endless trailers end in an error. */
    static char endless[10000];
    memset(endless, ';', sizeof endless);
    endless[0] = '1';
    dechunk_all(endless, sizeof endless, &o, &d, false);
    CHECK_EQ_I(d.state, IOTAP_DC_ERROR);
    /* Gap inside chunk data is survivable; inside framing it is not. */
    iotap_dechunk_init(&d);
    iotap_dechunk_feed(&d, (const uint8_t *)"a\r\n01", 5, collect, &o);
    CHECK(iotap_dechunk_gap(&d, 3));
    iotap_dechunk_feed(&d, (const uint8_t *)"56789\r\n0\r\n\r\n", 14, collect, &o);
    CHECK_EQ_I(d.state, IOTAP_DC_DONE);
    CHECK_EQ_U(o.n, 7);
    iotap_dechunk_init(&d);
    iotap_dechunk_feed(&d, (const uint8_t *)"a\r\n01", 5, collect, &o);
    CHECK(!iotap_dechunk_gap(&d, 30));
    CHECK_EQ_I(d.state, IOTAP_DC_ERROR);
    free(o.p);
}

int main(void)
{
    test_codings();
    test_bomb();
    test_gap();
    test_chunked();
    return TEST_DONE();
}
