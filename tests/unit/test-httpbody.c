/* test-httpbody.c - chunked framing, content decoding, the output cap and
 * SHA-256, fed whole and one byte at a time, checked against zlib's own
 * compression of known bytes and OpenSSL's hash of them. */
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>
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

    /* Unknown coding: kept as sent, flagged (the parser marks the body
     * incomplete and says so). */
    o = run("compress", NULL, plain, 100, 1 << 30, false, &r);
    CHECK_EQ_U(r.bytes, 100);
    CHECK(r.unknown_coding);
    free(o.p);
    o = run("gzip, x-junk", NULL, plain, 100, 1 << 30, false, &r);
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

/* Made with libbrotlienc (BrotliEncoderCompress): br_text is 60 lines
 * "line N: the quick brown fox jumps over the lazy dog\n" (N = 0..59),
 * br_bomb is 256 MiB of zero bytes in 203 bytes. */
static const uint8_t br_text[139] = {
    0x1b, 0x61, 0x0c, 0x00, 0xc4, 0x84, 0x63, 0xf9, 0x0b, 0x0d, 0xf0, 0x6a,
    0x5f, 0x66, 0x11, 0x4d, 0x31, 0x3c, 0x00, 0x3b, 0x95, 0x14, 0xf3, 0xf0,
    0x89, 0x47, 0x3e, 0x62, 0xc6, 0xd1, 0x83, 0xd6, 0x25, 0x03, 0xd9, 0xfb,
    0xb8, 0x3b, 0xaf, 0x0a, 0xd3, 0x67, 0x17, 0x67, 0xfb, 0xaf, 0xe6, 0xf7,
    0xcb, 0xe7, 0x5c, 0xeb, 0xcb, 0xb7, 0xf6, 0xaf, 0xd3, 0xf5, 0x51, 0x97,
    0xf7, 0xea, 0x1e, 0xd9, 0xc7, 0xd9, 0xff, 0x57, 0xcb, 0xcb, 0x66, 0xd0,
    0xd3, 0xd4, 0xd2, 0xd6, 0xd1, 0xad, 0x87, 0x7a, 0xa4, 0xc7, 0x7a, 0xd2,
    0xf3, 0x18, 0xce, 0xe5, 0x94, 0x53, 0x4e, 0x39, 0xe5, 0x94, 0x53, 0x4e,
    0x39, 0x71, 0x71, 0x71, 0x71, 0x71, 0x71, 0x71, 0x71, 0x71, 0x71, 0x71,
    0x73, 0x73, 0x73, 0x73, 0x73, 0x73, 0x73, 0x73, 0x73, 0xf3, 0xf0, 0xf0,
    0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xf0, 0xe6, 0xcd, 0x9b, 0x37,
    0x6f, 0xde, 0xbc, 0x79, 0xf3, 0x96, 0x0d,
};
static const uint8_t br_bomb[203] = {
    0xcf, 0xff, 0xff, 0x7f, 0x00, 0x24, 0x00, 0xe2, 0xb1, 0x40, 0x72, 0xef,
    0xff, 0xf9, 0xff, 0xff, 0x0f, 0x80, 0x04, 0x40, 0x1c, 0x16, 0x80, 0xee,
    0xfd, 0x3f, 0xff, 0xff, 0xff, 0x01, 0x90, 0x00, 0x88, 0xc3, 0x02, 0xd0,
    0xbd, 0xff, 0xe7, 0xff, 0xff, 0x3f, 0x00, 0x12, 0x00, 0x71, 0x58, 0x00,
    0xba, 0xf7, 0xff, 0xfc, 0xff, 0xff, 0x07, 0x40, 0x02, 0x20, 0x0e, 0x0b,
    0x40, 0xf7, 0xfe, 0x9f, 0xff, 0xff, 0xff, 0x00, 0x48, 0x00, 0xc4, 0x61,
    0x01, 0xe8, 0xde, 0xff, 0xf3, 0xff, 0xff, 0x1f, 0x00, 0x09, 0x80, 0x38,
    0x2c, 0x00, 0xdd, 0xfb, 0x7f, 0xfe, 0xff, 0xff, 0x03, 0x20, 0x01, 0x10,
    0x87, 0x05, 0xa0, 0x7b, 0xff, 0xcf, 0xff, 0xff, 0x7f, 0x00, 0x24, 0x00,
    0xe2, 0xb0, 0x00, 0x74, 0xef, 0xff, 0xf9, 0xff, 0xff, 0x0f, 0x80, 0x04,
    0x40, 0x1c, 0x16, 0x80, 0xee, 0xfd, 0x3f, 0xff, 0xff, 0xff, 0x01, 0x90,
    0x00, 0x88, 0xc3, 0x02, 0xd0, 0xbd, 0xff, 0xe7, 0xff, 0xff, 0x3f, 0x00,
    0x12, 0x00, 0x71, 0x58, 0x00, 0xba, 0xf7, 0xff, 0xfc, 0xff, 0xff, 0x07,
    0x40, 0x02, 0x20, 0x0e, 0x0b, 0x40, 0xf7, 0xfe, 0x9f, 0xff, 0xff, 0xff,
    0x00, 0x48, 0x00, 0xc4, 0x61, 0x01, 0xe8, 0xde, 0xff, 0xf3, 0xff, 0xff,
    0x1f, 0x00, 0x09, 0x80, 0x38, 0x2c, 0x00, 0xdd, 0xfb, 0xff, 0xfc, 0xff,
    0xff, 0x07, 0x20, 0x01, 0x10, 0x87, 0x05, 0xa0, 0x7b, 0xff, 0x0f,
};

static void test_brotli(void)
{
    char txt[4096], want[65];
    size_t tn = 0;
    for (int i = 0; i < 60; i++)
        tn += (size_t)snprintf(txt + tn, sizeof txt - tn,
                               "line %d: the quick brown fox jumps over the lazy dog\n", i);
    iotap_sha256_hex(txt, tn, want);
    for (int bw = 0; bw < 2; bw++) {
        iotap_body_result r;
        out o = run("br", NULL, br_text, sizeof br_text, 1 << 30, bw, &r);
        CHECK_EQ_U(r.bytes, tn);
        CHECK(o.n == tn && memcmp(o.p, txt, tn) == 0);
        CHECK_STR(r.sha256, want);
        CHECK(!r.unknown_coding && !r.decode_error && !r.capped);
        free(o.p);
    }
    /* Brotli bomb: 256 MiB promised, the cap (1 MiB) stops it. */
    iotap_body_result r;
    out o = run("br", NULL, br_bomb, sizeof br_bomb, 1 << 20, false, &r);
    CHECK(r.capped);
    CHECK_EQ_U(r.bytes, 1 << 20);
    CHECK_EQ_U(o.n, 1 << 20);
    static uint8_t zeros[1 << 20];
    iotap_sha256_hex(zeros, sizeof zeros, want);
    CHECK_STR(r.sha256, want);
    free(o.p);
    /* Cut short after output: what decoded so far, flagged. */
    o = run("br", NULL, br_text, sizeof br_text / 2, 1 << 30, false, &r);
    CHECK(r.decode_error);
    CHECK(o.n == r.bytes && r.bytes < tn && (o.n == 0 || memcmp(o.p, txt, o.n) == 0));
    free(o.p);
    /* "br" that is not brotli: the bytes as sent, like "gzip" that is not. */
    const char *plainish = "{\"not\": \"compressed\"}";
    o = run("br", NULL, (const uint8_t *)plainish, strlen(plainish), 1 << 30, false, &r);
    CHECK(o.n == strlen(plainish) && memcmp(o.p, plainish, o.n) == 0);
    CHECK(!r.decode_error && !r.unknown_coding);
    free(o.p);
    /* Under chunked + gzip: gzip applied first, then br would be needed;
     * br alone as a transfer coding is undone as well. */
    o = run(NULL, "br, chunked", br_text, sizeof br_text, 1 << 30, true, &r);
    CHECK_EQ_U(r.bytes, tn);
    free(o.p);
}

static void test_zstd(void)
{
    char want[65];
    size_t n = 200000;
    iotap_sha256_hex(plain, n, want);
    size_t cn = ZSTD_compress(comp, sizeof comp, plain, n, 3);
    CHECK(!ZSTD_isError(cn));
    for (int bw = 0; bw < 2; bw++) {
        iotap_body_result r;
        out o = run("zstd", NULL, comp, cn, 1 << 30, bw, &r);
        CHECK_EQ_U(r.bytes, n);
        CHECK_STR(r.sha256, want);
        CHECK(!r.unknown_coding && !r.decode_error && !r.capped);
        free(o.p);
    }
    /* Two frames back to back. */
    size_t c2 = ZSTD_compress(comp + cn, sizeof comp - cn, plain + n, 1000, 3);
    iotap_body_result r;
    out o = run("zstd", NULL, comp, cn + c2, 1 << 30, false, &r);
    CHECK_EQ_U(r.bytes, n + 1000);
    free(o.p);
    /* A zstd bomb stops at the cap as well. */
    static uint8_t zeros[8 << 20];
    cn = ZSTD_compress(comp, sizeof comp, zeros, sizeof zeros, 19);
    o = run("zstd", NULL, comp, cn, 1 << 20, false, &r);
    CHECK(r.capped);
    CHECK_EQ_U(r.bytes, 1 << 20);
    free(o.p);
}

/* A gzip header with reserved FLG bits (zlib refuses it; browsers and
 * tshark skip the header themselves): decoded, also with FEXTRA, FNAME,
 * FCOMMENT and FHCRC before the data, whole and byte by byte. */
static void test_gzip_reserved_flags(void)
{
    char want[65];
    size_t n = 5000;
    iotap_sha256_hex(plain, n, want);
    size_t cn = zcompress(plain, n, comp, sizeof comp, 31);
    comp[3] |= 0x20;
    for (int bw = 0; bw < 2; bw++) {
        iotap_body_result r;
        out o = run("gzip", NULL, comp, cn, 1 << 30, bw, &r);
        CHECK_EQ_U(r.bytes, n);
        CHECK_STR(r.sha256, want);
        CHECK(!r.decode_error);
        free(o.p);
    }
    static uint8_t raw[20000], gz[20000];
    size_t rn = zcompress(plain, n, raw, sizeof raw, -15);
    size_t k = 0;
    const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0x80 | 0x10 | 0x08 | 0x04 | 0x02, 0, 0, 0, 0, 0, 3 };
    memcpy(gz, hdr, 10);
    k = 10;
    gz[k++] = 3; gz[k++] = 0;
    memcpy(gz + k, "xyz", 3); k += 3;
    memcpy(gz + k, "name.txt", 9); k += 9;
    memcpy(gz + k, "a comment", 10); k += 10;
    gz[k++] = 0xaa; gz[k++] = 0xbb;
    memcpy(gz + k, raw, rn);
    k += rn;
    memset(gz + k, 0, 8);   /* CRC32, ISIZE: not checked */
    k += 8;
    for (int bw = 0; bw < 2; bw++) {
        iotap_body_result r;
        out o = run("gzip", NULL, gz, k, 1 << 30, bw, &r);
        CHECK_EQ_U(r.bytes, n);
        CHECK_STR(r.sha256, want);
        free(o.p);
    }
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
    test_brotli();
    test_zstd();
    test_gzip_reserved_flags();
    test_gap();
    test_chunked();
    return TEST_DONE();
}
