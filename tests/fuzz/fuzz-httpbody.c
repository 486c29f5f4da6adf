/*
 * fuzz-httpbody.c - HTTP body decoding (lib/dechunk.c, lib/httpbody.c): the chunked
 * transfer coding and the content codings (gzip, deflate, stacked lists),
 * fed in pieces of input-chosen sizes, with gaps. Input:
 *   [coding u8][max u8][piece size u8] then the body bytes.
 * The chunked decoder's output is fed to the content decoder, as the HTTP
 * parser does. The result must respect the output cap.
 */
#include "fuzz.h"
#include "httpbody.h"

static const char *codings[] = {
    NULL, "gzip", "x-gzip", "deflate", "identity", "gzip, gzip", "deflate, gzip",
    "br", "gzip, br", "GZIP", " gzip ,identity", "", "compress", "gzip, deflate, gzip",
};

typedef struct out { uint64_t n; uint8_t last; } out;

static void sink(void *ctx, const uint8_t *p, size_t n)
{
    out *o = ctx;
    o->n += n;
    if (n)
        o->last ^= p[0] ^ p[n - 1];   /* every byte handed out is readable */
}

static void to_body(void *ctx, const uint8_t *p, size_t n)
{
    iotap_body_feed(ctx, p, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz in = fz_make(data, size);
    uint8_t csel = fz_u8(&in), msel = fz_u8(&in), psel = fz_u8(&in);
    const char *ce = codings[(csel & 0x7f) % (sizeof codings / sizeof codings[0])];
    bool chunked = csel & 0x80;
    uint64_t max = msel & 0x80 ? (uint64_t)(msel & 0x7f) * 16 : 1u << 20;
    size_t piece = psel ? psel : 1;
    out o = { 0, 0 };
    iotap_body *b = iotap_body_new(ce, chunked ? "chunked" : NULL, max, sink, &o);
    iotap_dechunk dc;
    iotap_dechunk_init(&dc);
    while (fz_left(&in)) {
        size_t got;
        const uint8_t *bytes = fz_bytes(&in, piece, &got);
        uint8_t *copy = malloc(got);
        memcpy(copy, bytes, got);
        if (got == 1 && copy[0] == 0xff) {      /* a gap marker */
            if (chunked && !iotap_dechunk_gap(&dc, 3))
                chunked = false, dc.state = IOTAP_DC_ERROR;
            iotap_body_gap(b, 3);
        } else if (chunked) {
            if (dc.state != IOTAP_DC_DONE && dc.state != IOTAP_DC_ERROR) {
                size_t used = iotap_dechunk_feed(&dc, copy, got, to_body, b);
                if (used > got || (used < got && dc.state != IOTAP_DC_DONE && dc.state != IOTAP_DC_ERROR))
                    abort();
            }
        } else {
            iotap_body_feed(b, copy, got);
        }
        free(copy);
    }
    iotap_body_result r;
    iotap_body_finish(b, &r);
    if (r.bytes > max || r.bytes != o.n || r.nhead > IOTAP_BODY_HEAD || strlen(r.sha256) != 64)
        abort();
    iotap_body_free(b);
    return 0;
}
