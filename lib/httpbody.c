/*
 * httpbody.c - content decoding (zlib, brotli, zstd), the output cap and
 * SHA-256 of HTTP bodies (see httpbody.h; the chunked coding is dechunk.c).
 */
#include "httpbody.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <brotli/decode.h>
#include <openssl/evp.h>
#include <zlib.h>
#include <zstd.h>

#include "util.h"

/* ---------------- content decoding ---------------- */

#define MAX_LAYERS  4
#define OUTBUF      (32 * 1024)
#define REPLAY_MAX  (64 * 1024)

enum layer_type { L_GZIP, L_DEFLATE_ZLIB, L_DEFLATE_RAW, L_BROTLI, L_ZSTD, L_PASS,
                  L_GZIP_LAX };  /* gzip header skipped here, then raw deflate */

/* RFC 9659: a zstd content coding needs no window over 8 MiB, and a
 * decoder may refuse more (it bounds the memory a hostile frame costs). */
#define ZSTD_WINDOWLOG_HTTP 23

typedef struct layer {
    int type;
    bool inited, produced, ended, dead, replay_lost;
    z_stream z;
    BrotliDecoderState *br;
    ZSTD_DStream *zs;
    int gz_state;           /* L_GZIP_LAX: header field being skipped */
    uint8_t gz_flags;
    bool gz_xlen_lo;        /* first byte of XLEN seen */
    uint32_t gz_count;
    uint8_t *replay;        /* input kept until the first output (fallback) */
    size_t nreplay;
} layer;

struct iotap_body {
    layer l[MAX_LAYERS];
    int nl;
    uint64_t max_bytes;
    iotap_body_sink_fn sink;
    void *ctx;
    EVP_MD_CTX *md;
    uint8_t *outbuf;
    iotap_body_result r;
    bool finished;
};

static void layer_end(layer *L)
{
    if (L->inited && L->type != L_BROTLI && L->type != L_ZSTD)
        inflateEnd(&L->z);
    if (L->br)
        BrotliDecoderDestroyInstance(L->br);
    if (L->zs)
        ZSTD_freeDStream(L->zs);
    L->br = NULL;
    L->zs = NULL;
    L->inited = false;
}

static int layer_init(layer *L, int type)
{
    layer_end(L);
    memset(&L->z, 0, sizeof L->z);
    L->type = type;
    L->ended = false;
    if (type == L_PASS)
        return 0;
    if (type == L_GZIP_LAX) {
        L->gz_state = 0;
        L->gz_flags = 0;
        L->gz_xlen_lo = false;
        L->gz_count = 0;
        return 0;
    }
    if (type == L_BROTLI) {
        L->br = BrotliDecoderCreateInstance(NULL, NULL, NULL);
        if (!L->br) {
            L->dead = true;
            return -1;
        }
        L->inited = true;
        return 0;
    }
    if (type == L_ZSTD) {
        L->zs = ZSTD_createDStream();
        if (!L->zs || ZSTD_isError(ZSTD_DCtx_setParameter(L->zs, ZSTD_d_windowLogMax,
                                                         ZSTD_WINDOWLOG_HTTP))) {
            L->dead = true;
            return -1;
        }
        L->inited = true;
        return 0;
    }
    int wbits = type == L_GZIP ? 15 + 16 : type == L_DEFLATE_ZLIB ? 15 : -15;
    if (inflateInit2(&L->z, wbits) != Z_OK) {
        L->dead = true;
        return -1;
    }
    L->inited = true;
    return 0;
}

/* Adds the codings of a header value, in the order they were applied. */
static int parse_codings(const char *v, int *types, int max, int n, bool *unknown, bool te)
{
    if (!v)
        return n;
    const char *s = v;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        /* A token; junk glued to it ("gzip\0" shown as "gzip?") ends it. */
        const char *e = s;
        while (*e && (isalnum((unsigned char)*e) || *e == '-' || *e == '_' || *e == '.'))
            e++;
        size_t len = (size_t)(e - s);
        if (len) {
            if ((len == 4 && !strncasecmp(s, "gzip", 4)) || (len == 6 && !strncasecmp(s, "x-gzip", 6))) {
                if (n < max) types[n++] = L_GZIP; else *unknown = true;
            } else if ((len == 7 && !strncasecmp(s, "deflate", 7)) ||
                       (len == 9 && !strncasecmp(s, "x-deflate", 9))) {
                if (n < max) types[n++] = L_DEFLATE_ZLIB; else *unknown = true;
            } else if (len == 2 && !strncasecmp(s, "br", 2)) {
                if (n < max) types[n++] = L_BROTLI; else *unknown = true;
            } else if (len == 4 && !strncasecmp(s, "zstd", 4)) {
                if (n < max) types[n++] = L_ZSTD; else *unknown = true;
            } else if (len == 8 && !strncasecmp(s, "identity", 8)) {
                /* nothing */
            } else if (te) {
                /* chunked is framing (the caller's); other transfer
                 * codings we cannot undo are ignored as browsers do */
            } else {
                if (n < max) types[n++] = -1; else *unknown = true;
            }
        }
        while (*e && *e != ',')
            e++;
        s = e;
    }
    return n;
}

iotap_body *iotap_body_new(const char *content_encoding, const char *transfer_encoding,
                           uint64_t max_bytes, iotap_body_sink_fn sink, void *ctx)
{
    iotap_body *b = xcalloc(1, sizeof *b);
    b->max_bytes = max_bytes;
    b->sink = sink;
    b->ctx = ctx;
    b->md = EVP_MD_CTX_new();
    if (!b->md || EVP_DigestInit_ex(b->md, EVP_sha256(), NULL) != 1)
        iotap_die("SHA-256 unavailable in libcrypto");
    /* Applied: content codings, then transfer codings. Undone in reverse. */
    int applied[16];
    bool unknown = false;
    int n = parse_codings(content_encoding, applied, 16, 0, &unknown, false);
    n = parse_codings(transfer_encoding, applied, 16, n, &unknown, true);
    if (unknown) {  /* too many layers to undo: keep the bytes as sent */
        n = 0;
        b->r.unknown_coding = true;
    }
    for (int i = n - 1; i >= 0; i--) {
        if (applied[i] < 0 || b->nl == MAX_LAYERS) {
            b->r.unknown_coding = true;
            break;
        }
        layer_init(&b->l[b->nl++], applied[i]);
    }
    if (b->nl)
        b->outbuf = xmalloc((size_t)b->nl * OUTBUF);
    return b;
}

static void final_stage(iotap_body *b, const uint8_t *p, size_t n)
{
    if (n == 0)
        return;
    if (b->r.bytes >= b->max_bytes) {
        b->r.capped = true;
        return;
    }
    size_t take = n;
    if (take > b->max_bytes - b->r.bytes) {
        take = (size_t)(b->max_bytes - b->r.bytes);
        b->r.capped = true;
    }
    if (b->r.nhead < IOTAP_BODY_HEAD) {
        size_t h = IOTAP_BODY_HEAD - b->r.nhead;
        if (h > take)
            h = take;
        memcpy(b->r.head + b->r.nhead, p, h);
        b->r.nhead += h;
    }
    EVP_DigestUpdate(b->md, p, take);
    if (b->sink)
        b->sink(b->ctx, p, take);
    b->r.bytes += take;
}

static void stage_feed(iotap_body *b, int i, const uint8_t *p, size_t n);
static void stream_feed(iotap_body *b, int i, const uint8_t *p, size_t n, uint8_t *out);

/* A coding failed before producing anything: take its input as it was. */
static void layer_fallback(iotap_body *b, int i)
{
    layer *L = &b->l[i];
    uint8_t *rp = L->replay;
    size_t rn = L->nreplay;
    L->replay = NULL;
    L->nreplay = 0;
    /* zlib refuses a gzip header with reserved flag bits; browsers and
     * tshark skip the header themselves and inflate what follows. */
    bool gz = L->type == L_GZIP && rn >= 3 && rp[0] == 0x1f && rp[1] == 0x8b && rp[2] == 8;
    layer_init(L, L->type == L_DEFLATE_ZLIB ? L_DEFLATE_RAW : gz ? L_GZIP_LAX : L_PASS);
    stage_feed(b, i, rp, rn);
    free(rp);
}

/* L_GZIP_LAX: skips a gzip header (RFC 1952 2.3: 10 bytes, then FEXTRA,
 * FNAME, FCOMMENT, FHCRC as FLG says, reserved bits ignored). Returns the
 * bytes of p that belong to the header; *done once it ended. */
enum { GZ_FIXED, GZ_XLEN, GZ_EXTRA, GZ_NAME, GZ_COMMENT, GZ_HCRC, GZ_DONE };
static size_t gzip_header_skip(layer *L, const uint8_t *p, size_t n, bool *done)
{
    size_t i = 0;
    while (L->gz_state != GZ_DONE) {
        switch (L->gz_state) {
        case GZ_FIXED:
            if (i == n)
                break;
            if (L->gz_count == 3)
                L->gz_flags = p[i];
            i++;
            if (++L->gz_count == 10) {
                L->gz_count = 0;
                L->gz_state = L->gz_flags & 4 ? GZ_XLEN : GZ_NAME;
            }
            continue;
        case GZ_XLEN:   /* two bytes, little-endian, gathered in gz_count */
            if (i == n)
                break;
            if (L->gz_xlen_lo) {
                L->gz_count |= (uint32_t)p[i++] << 8;
                L->gz_state = L->gz_count ? GZ_EXTRA : GZ_NAME;
            } else {
                L->gz_count = p[i++];
                L->gz_xlen_lo = true;
            }
            continue;
        case GZ_EXTRA: {
            size_t take = n - i < L->gz_count ? n - i : L->gz_count;
            i += take;
            L->gz_count -= (uint32_t)take;
            if (L->gz_count == 0)
                L->gz_state = GZ_NAME;
            else
                break;
            continue;
        }
        case GZ_NAME:
        case GZ_COMMENT: {
            uint8_t bit = L->gz_state == GZ_NAME ? 8 : 16;
            if (L->gz_flags & bit) {
                const uint8_t *z = i < n ? memchr(p + i, 0, n - i) : NULL;
                if (!z) {
                    i = n;
                    break;
                }
                i = (size_t)(z - p) + 1;
            }
            L->gz_state = L->gz_state == GZ_NAME ? GZ_COMMENT : GZ_HCRC;
            L->gz_count = 0;
            continue;
        }
        case GZ_HCRC:
            if (!(L->gz_flags & 2) || L->gz_count == 2) {
                L->gz_state = GZ_DONE;
                continue;
            }
            if (i == n)
                break;
            i++;
            L->gz_count++;
            continue;
        }
        break;
    }
    *done = L->gz_state == GZ_DONE;
    return i;
}

/* Output of layer i: the first output ends the fallback copy. */
static void layer_output(iotap_body *b, int i, const uint8_t *out, size_t got)
{
    layer *L = &b->l[i];
    if (!L->produced) {
        L->produced = true;
        free(L->replay);
        L->replay = NULL;
        L->nreplay = 0;
    }
    stage_feed(b, i + 1, out, got);
}

/* A coding failed: before any output, the input is taken as sent;
 * after, what was decoded stays and the body is flagged. */
static void layer_failed(iotap_body *b, int i)
{
    layer *L = &b->l[i];
    if (!L->produced && !L->replay_lost) {
        layer_fallback(b, i);
        return;
    }
    L->dead = true;
    b->r.decode_error = true;
}

/* Brotli (RFC 7932) and zstd (RFC 8878) layers, streamed. Each call makes
 * at most OUTBUF bytes, and the cap is checked after each, so a bomb stops
 * at max_bytes. Bytes after the end of the stream are ignored. */
static void stream_feed(iotap_body *b, int i, const uint8_t *p, size_t n, uint8_t *out)
{
    layer *L = &b->l[i];
    const uint8_t *in = p;
    size_t avail_in = n;
    for (;;) {
        if (L->ended || L->dead)
            return;
        size_t got;
        int st;     /* 0 more input wanted, 1 more output waits, 2 end, -1 error */
        if (L->type == L_BROTLI) {
            uint8_t *o = out;
            size_t avail_out = OUTBUF;
            BrotliDecoderResult rc = BrotliDecoderDecompressStream(L->br, &avail_in, &in,
                                                                   &avail_out, &o, NULL);
            got = OUTBUF - avail_out;
            st = rc == BROTLI_DECODER_RESULT_SUCCESS ? 2
               : rc == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT ? 1
               : rc == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT ? 0 : -1;
        } else {
            ZSTD_inBuffer zi = { in, avail_in, 0 };
            ZSTD_outBuffer zo = { out, OUTBUF, 0 };
            size_t rc = ZSTD_decompressStream(L->zs, &zo, &zi);
            in += zi.pos;
            avail_in -= zi.pos;
            got = zo.pos;
            if (ZSTD_isError(rc))
                st = -1;
            else if (rc == 0)
                st = 2;     /* a frame ended; another may follow */
            else
                st = got == OUTBUF ? 1 : 0;
        }
        if (got) {
            layer_output(b, i, out, got);
            if (b->r.capped)
                return;
        }
        if (st == -1) {
            layer_failed(b, i);
            return;
        }
        if (st == 2) {
            if (L->type == L_ZSTD && avail_in >= 4 && in[0] == 0x28 && in[1] == 0xb5 &&
                in[2] == 0x2f && in[3] == 0xfd)
                continue;   /* the next zstd frame */
            L->ended = true;
            return;
        }
        if (st == 0 && (avail_in == 0 || got == 0))
            return;
    }
}

static void stage_feed(iotap_body *b, int i, const uint8_t *p, size_t n)
{
    if (i == b->nl) {
        final_stage(b, p, n);
        return;
    }
    layer *L = &b->l[i];
    if (L->dead || b->r.capped || n == 0)
        return;
    if (L->type == L_PASS) {
        stage_feed(b, i + 1, p, n);
        return;
    }
    if (!L->produced && !L->replay_lost) {
        if (L->nreplay + n <= REPLAY_MAX) {
            L->replay = xrealloc(L->replay, L->nreplay + n);
            memcpy(L->replay + L->nreplay, p, n);
            L->nreplay += n;
        } else {
            L->replay_lost = true;
            free(L->replay);
            L->replay = NULL;
            L->nreplay = 0;
        }
    }
    uint8_t *out = b->outbuf + (size_t)i * OUTBUF;
    if (L->type == L_GZIP_LAX) {
        bool done;
        size_t used = gzip_header_skip(L, p, n, &done);
        if (!done)
            return;
        layer_init(L, L_DEFLATE_RAW);   /* the replay copy stays */
        p += used;
        n -= used;
        if (n == 0)
            return;
    }
    if (L->type == L_BROTLI || L->type == L_ZSTD) {
        stream_feed(b, i, p, n, out);
        return;
    }
    L->z.next_in = (Bytef *)p;
    L->z.avail_in = (uInt)n;
    bool full = false;  /* the last call filled the output: more may wait */
    for (;;) {
        if (L->ended) {
            /* Another gzip member may follow; anything else is ignored. */
            if (L->type == L_GZIP && L->z.avail_in >= 2 && L->z.next_in[0] == 0x1f &&
                L->z.next_in[1] == 0x8b) {
                inflateReset(&L->z);
                L->ended = false;
            } else
                return;
        }
        if (L->z.avail_in == 0 && !full)
            return;
        L->z.next_out = out;
        L->z.avail_out = OUTBUF;
        int rc = inflate(&L->z, Z_NO_FLUSH);
        size_t got = OUTBUF - L->z.avail_out;
        full = got == OUTBUF;
        if (got) {
            /* Keep our position: stage_feed of the next layer is separate. */
            layer_output(b, i, out, got);
            if (b->r.capped)
                return;
        }
        if (rc == Z_STREAM_END) {
            L->ended = true;
            continue;
        }
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && got == 0)
            return;     /* needs more input */
        if (rc == Z_BUF_ERROR)
            continue;
        /* Z_DATA_ERROR, Z_NEED_DICT, Z_MEM_ERROR ... */
        if (!L->produced && !L->replay_lost) {
            layer_fallback(b, i);
            return;
        }
        L->dead = true;
        b->r.decode_error = true;
        return;
    }
}

void iotap_body_feed(iotap_body *b, const uint8_t *p, size_t n)
{
    if (b->finished || n == 0)
        return;
    b->r.wire_bytes += n;
    stage_feed(b, 0, p, n);
}

void iotap_body_gap(iotap_body *b, uint64_t n)
{
    (void)n;
    b->r.gap = true;
    for (int i = 0; i < b->nl; i++)
        if (b->l[i].type != L_PASS && !b->l[i].ended) {
            b->l[i].dead = true;   /* a compressed stream cannot skip a hole */
            break;
        }
}

void iotap_body_finish(iotap_body *b, iotap_body_result *r)
{
    if (!b->finished) {
        b->finished = true;
        for (int i = 0; i < b->nl; i++) {
            layer *L = &b->l[i];
            if (L->type == L_PASS || L->dead || L->ended)
                continue;
            if (!L->produced && L->nreplay && !L->replay_lost && !b->r.gap) {
                /* Too short to be what it claimed: take it as sent. */
                uint8_t *rp = L->replay;
                size_t rn = L->nreplay;
                L->replay = NULL;
                L->nreplay = 0;
                layer_init(L, L_PASS);
                stage_feed(b, i, rp, rn);
                free(rp);
            } else if (L->produced || L->nreplay)
                b->r.decode_error = true;   /* stream cut short */
        }
        unsigned char md[32];
        unsigned mdlen = 0;
        EVP_DigestFinal_ex(b->md, md, &mdlen);
        for (unsigned k = 0; k < 32; k++)
            snprintf(b->r.sha256 + 2 * k, 3, "%02x", md[k]);
    }
    *r = b->r;
}

void iotap_body_free(iotap_body *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->nl; i++) {
        layer_end(&b->l[i]);
        free(b->l[i].replay);
    }
    EVP_MD_CTX_free(b->md);
    free(b->outbuf);
    free(b);
}

void iotap_sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char md[32];
    unsigned mdlen = 0;
    EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL);
    for (unsigned k = 0; k < 32; k++)
        snprintf(out + 2 * k, 3, "%02x", md[k]);
}
