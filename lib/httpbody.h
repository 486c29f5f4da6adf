/*
 * httpbody.h - an HTTP message body from wire bytes to its content:
 *   - iotap_dechunk: the chunked transfer coding (RFC 9112 7.1), streamed,
 *     with chunk extensions and trailers skipped and every size checked;
 *   - iotap_body: the content codings (gzip, x-gzip, deflate as zlib or raw
 *     deflate with zlib; br with libbrotlidec; zstd with libzstd, window at
 *     most 8 MiB as RFC 9659 allows; identity; stacked lists undone in
 *     reverse order), capped at max_bytes of output so a bomb costs nothing
 *     more, and hashed with SHA-256 (libcrypto EVP) as the bytes stream past.
 *     A coding none of these know (compress, junk) leaves the bytes as sent
 *     and sets unknown_coding: the caller marks such a body incomplete.
 * Nothing holds a whole body: output goes to a sink callback in pieces.
 * A coding that fails before producing anything (a "gzip" body that is not
 * gzip) falls back to the bytes as sent, as browsers and tshark do.
 */
#ifndef IOTAP_HTTPBODY_H
#define IOTAP_HTTPBODY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- chunked transfer coding ---- */
enum iotap_dechunk_state {
    IOTAP_DC_SIZE, IOTAP_DC_EXT, IOTAP_DC_DATA, IOTAP_DC_DATA_CR, IOTAP_DC_DATA_LF,
    IOTAP_DC_TRAILER_START, IOTAP_DC_TRAILER_LINE, IOTAP_DC_TRAILER_END_LF,
    IOTAP_DC_DONE, IOTAP_DC_ERROR,
};
typedef struct iotap_dechunk {
    int state;
    uint64_t remaining;     /* bytes left in the current chunk */
    unsigned ndigits;       /* hex digits of the size line so far */
    bool size_started;
    size_t line_len;        /* length of the current size/trailer line */
    uint64_t data_bytes;    /* chunk data delivered */
    unsigned chunks;
    const char *error;      /* static description once state is ERROR */
    bool sloppy;            /* a chunk was not followed by CRLF (tolerated) */
} iotap_dechunk;

void iotap_dechunk_init(iotap_dechunk *d);
/* Consumes bytes of a chunked body. Chunk data is passed to `out`. Returns
 * the number of bytes consumed: less than n only when the body ended
 * (state DONE; the rest belongs to the next message) or on an error
 * (state ERROR, d->error says why). */
size_t iotap_dechunk_feed(iotap_dechunk *d, const uint8_t *p, size_t n,
                          void (*out)(void *ctx, const uint8_t *p, size_t n), void *ctx);
/* n bytes of the chunked body are missing. Returns true when they fall
 * inside the current chunk's data (parsing can go on). */
bool iotap_dechunk_gap(iotap_dechunk *d, uint64_t n);

/* ---- content decoding + hashing ---- */
typedef void (*iotap_body_sink_fn)(void *ctx, const uint8_t *p, size_t n);

#define IOTAP_BODY_HEAD 64
typedef struct iotap_body_result {
    uint64_t wire_bytes;    /* entity bytes fed (after de-chunking) */
    uint64_t bytes;         /* decoded bytes delivered (<= max_bytes) */
    char sha256[65];        /* hex of the decoded bytes delivered */
    bool capped;            /* output reached max_bytes; the rest was dropped */
    bool gap;               /* bytes were missing */
    bool decode_error;      /* a coding failed after producing output */
    bool unknown_coding;    /* a coding we do not decode (compress, junk ...):
                             * the bytes are as sent, still encoded */
    uint8_t head[IOTAP_BODY_HEAD];  /* first decoded bytes (for magic) */
    size_t nhead;
} iotap_body_result;

typedef struct iotap_body iotap_body;
/* content_encoding and transfer_encoding are header values (NULL = none);
 * "chunked" in transfer_encoding is ignored (framing is the caller's). */
iotap_body *iotap_body_new(const char *content_encoding, const char *transfer_encoding,
                           uint64_t max_bytes, iotap_body_sink_fn sink, void *ctx);
void iotap_body_feed(iotap_body *b, const uint8_t *p, size_t n);
/* Bytes missing: a compressed stream cannot go on past a hole. */
void iotap_body_gap(iotap_body *b, uint64_t n);
/* Flushes and fills *r. The body can no longer be fed. */
void iotap_body_finish(iotap_body *b, iotap_body_result *r);
void iotap_body_free(iotap_body *b);

/* SHA-256 of a buffer as 64 hex digits + NUL (for tests and tools). */
void iotap_sha256_hex(const void *p, size_t n, char out[65]);
#endif
