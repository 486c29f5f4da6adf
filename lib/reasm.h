/*
 * reasm.h - one direction of a TCP stream put back in order.
 *
 * Bytes are handed to the consumer (on_data) as soon as they are contiguous;
 * only out-of-order pieces are kept. Retransmitted bytes are dropped, and
 * overlapping copies keep the first one that arrived (a later copy with
 * different bytes is counted in `conflicts`, and on_conflict, when set, is
 * called just before the contradicted bytes are delivered, so the consumer
 * can mark what they belong to). Sequence numbers wrap; every
 * position is kept as a 64-bit offset from the start of the stream.
 *
 * A hole that will never be filled (the buffer of this stream or of all
 * streams together is over its cap, the peer acknowledged data beyond it, or
 * the stream is flushed at its end) is reported to the consumer with on_gap
 * and skipped: the bytes are missing, never padded. A FIN whose position is
 * beyond the last byte delivered gives a final gap at flush.
 */
#ifndef IOTAP_REASM_H
#define IOTAP_REASM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Buffered bytes of every stream together. */
typedef struct iotap_reasm_pool {
    uint64_t used;          /* bytes held in out-of-order segments */
    uint64_t cap;           /* 0 = no total cap */
    uint64_t peak;
    uint64_t forced_gaps;   /* gaps taken because a cap was hit */
} iotap_reasm_pool;

typedef struct iotap_reasm_seg {
    struct iotap_reasm_seg *next;
    uint64_t off;
    int64_t ts_ns;
    uint32_t len;
    bool conflict;          /* a later copy of these bytes differed */
    uint8_t data[];
} iotap_reasm_seg;

/* In-order bytes (p valid only during the call) with the time of the packet
 * that carried them. */
typedef void (*iotap_reasm_data_fn)(void *ctx, const uint8_t *p, size_t n, int64_t ts_ns);
/* n bytes of the stream are missing at the current position. */
typedef void (*iotap_reasm_gap_fn)(void *ctx, uint64_t n);
/* The next bytes delivered include bytes that a later, overlapping copy
 * contradicted (the first copy is what is delivered). */
typedef void (*iotap_reasm_conflict_fn)(void *ctx);

typedef struct iotap_reasm {
    bool started;           /* the first byte's sequence number is known */
    bool syn;               /* ... from a SYN */
    bool fin;               /* a FIN was seen (fin_off valid) */
    uint32_t base_seq;      /* sequence number of offset 0 */
    uint64_t next_off;      /* offset of the next byte to deliver */
    uint64_t fin_off;
    iotap_reasm_seg *segs;  /* out-of-order pieces, sorted, never overlapping */
    size_t buffered;        /* bytes in segs */
    size_t cap;             /* per-stream cap on buffered bytes (0 = none) */
    iotap_reasm_pool *pool; /* may be NULL */
    iotap_reasm_data_fn on_data;
    iotap_reasm_gap_fn on_gap;
    iotap_reasm_conflict_fn on_conflict;    /* optional; set after init */
    void *ctx;
    /* Statistics. */
    uint64_t delivered, gaps, gap_bytes, retrans_bytes, before_start;
    uint64_t conflicts;     /* segments whose overlap differed from bytes held */
} iotap_reasm;

void iotap_reasm_init(iotap_reasm *r, iotap_reasm_pool *pool, size_t cap,
                      iotap_reasm_data_fn on_data, iotap_reasm_gap_fn on_gap, void *ctx);
/* One TCP segment of this direction: sequence number, TCP flags (decode.h
 * IOTAP_TCP_*), the payload bytes captured (caplen) and the payload length
 * the headers claim (len >= caplen when the packet was snapped; the rest is
 * a hole). */
void iotap_reasm_segment(iotap_reasm *r, uint32_t seq, uint8_t flags,
                         const uint8_t *p, size_t caplen, size_t len, int64_t ts_ns);
/* The other side acknowledged everything before `ack`: a hole below ack
 * followed by buffered data can never be filled, so it is skipped. */
void iotap_reasm_ack(iotap_reasm *r, uint32_t ack);
/* End of the stream: deliver everything buffered, with gaps for the holes
 * (and for missing bytes before a FIN). Returns true when the stream ended
 * cleanly (a FIN at the last delivered byte, no gap in this call). */
bool iotap_reasm_flush(iotap_reasm *r);
/* Frees the buffered pieces (without delivering them). */
void iotap_reasm_free(iotap_reasm *r);
#endif
