/*
 * hello.h - the first bytes a TCP client sends, collected in sequence order
 * so that a TLS ClientHello split over TCP segments and TLS records, or an
 * HTTP request head split over segments, is parsed once it is complete.
 *
 * Per flow, only the client -> server direction is fed, and only until the
 * collector says it is done; after that it costs nothing. Memory is bounded:
 * the buffer grows on demand up to `cap` bytes (default 16 KiB) and the
 * collector gives up after IOTAP_HELLO_MAX_SEGMENTS data segments. Segments
 * may arrive out of order or twice (retransmissions, overlaps): the first
 * copy of each byte wins (as in most IDSs; the client sent one stream, the
 * capture may hold it twice). Without a SYN, the first data segment seen
 * starts the stream.
 *
 *   iotap_hello *h = iotap_hello_new(0);        // in the flow's user state
 *   iotap_hello_info info;
 *   if (iotap_hello_segment(h, d->tcp_flags, d->tcp_seq, d->payload,
 *                           d->payload_caplen, &info) == IOTAP_HELLO_DONE) {
 *       if (info.kind == IOTAP_HELLO_TLS) ... info.tls.sni ...
 *       if (info.kind == IOTAP_HELLO_HTTP) ... info.http_host ...
 *       iotap_hello_free(h);                     // keep only the name
 *   }
 *
 * The bounded reassembly buffer underneath (iotap_hbuf) is also used for
 * QUIC CRYPTO frames (lib/proto/quic.c).
 */
#ifndef IOTAP_HELLO_H
#define IOTAP_HELLO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/tls.h"

#define IOTAP_HELLO_CAP 16384
#define IOTAP_HELLO_MAX_SEGMENTS 64

/* Bytes at stream offsets [0, cap), in any order; first copy wins. */
typedef struct iotap_hbuf {
    uint8_t *buf;           /* grows on demand up to cap */
    uint8_t *have;          /* one bit per byte of buf */
    size_t alloc, cap;
    size_t contig;          /* [0, contig) all present */
} iotap_hbuf;
void iotap_hbuf_init(iotap_hbuf *r, size_t cap);
/* Stores the part of [off, off+len) that lies below cap. Returns true when
 * the contiguous prefix grew. */
bool iotap_hbuf_add(iotap_hbuf *r, uint64_t off, const uint8_t *p, size_t len);
void iotap_hbuf_free(iotap_hbuf *r);

enum iotap_hello_kind {
    IOTAP_HELLO_NONE = 0,   /* nothing decided (no data, or gave up waiting) */
    IOTAP_HELLO_TLS,        /* tls filled */
    IOTAP_HELLO_HTTP,       /* http_method, http_host filled */
    IOTAP_HELLO_OTHER,      /* neither TLS nor an HTTP request */
};

typedef struct iotap_hello_info {
    int kind;               /* enum iotap_hello_kind */
    iotap_tls_hello tls;
    char http_method[16];
    char http_host[256];    /* Host header value as sent (may hold ":port"),
                               "" when the request has none */
    const char *error;      /* TLS/HTTP that was malformed: what (static) */
} iotap_hello_info;

enum { IOTAP_HELLO_MORE = 0, IOTAP_HELLO_DONE = 1 };

typedef struct iotap_hello iotap_hello;
iotap_hello *iotap_hello_new(size_t cap);       /* cap 0 = IOTAP_HELLO_CAP */
/* Feeds one client -> server TCP segment (flags as in decode.h; payload
 * may be empty, e.g. the SYN). Returns IOTAP_HELLO_DONE once *info is final
 * (and again on every later call), else IOTAP_HELLO_MORE. */
int iotap_hello_segment(iotap_hello *h, uint8_t tcp_flags, uint32_t seq,
                        const uint8_t *p, size_t len, iotap_hello_info *info);
/* When the flow ends before DONE: the best that can be said from the bytes
 * so far (kind NONE when undecided). */
void iotap_hello_finish(iotap_hello *h, iotap_hello_info *info);
void iotap_hello_free(iotap_hello *h);

/* The HTTP part on its own, for callers holding a request head already:
 * IOTAP_HELLO_DONE when p starts with a complete request head (info filled),
 * IOTAP_HELLO_MORE when it could still become one, -1 when it is not HTTP. */
int iotap_http_request_head(const uint8_t *p, size_t len, iotap_hello_info *info);
#endif
