/*
 * reasm.c - TCP stream reassembly for one direction (see reasm.h).
 *
 * Offsets are 64-bit from the stream's first byte; a 32-bit sequence number
 * is placed relative to the next expected byte, so wrap-around needs no
 * special case. The out-of-order list is sorted and never overlapping: a new
 * segment is cut into the pieces not already covered (first copy wins).
 */
#include "reasm.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "util.h"

void iotap_reasm_init(iotap_reasm *r, iotap_reasm_pool *pool, size_t cap,
                      iotap_reasm_data_fn on_data, iotap_reasm_gap_fn on_gap, void *ctx)
{
    memset(r, 0, sizeof *r);
    r->pool = pool;
    r->cap = cap;
    r->on_data = on_data;
    r->on_gap = on_gap;
    r->ctx = ctx;
}

static uint32_t seq_of(const iotap_reasm *r, uint64_t off)
{
    return r->base_seq + (uint32_t)off;
}

/* 64-bit offset of a sequence number, taken as the nearest to next_off. */
static int64_t off_of(const iotap_reasm *r, uint32_t seq)
{
    int32_t d = (int32_t)(seq - seq_of(r, r->next_off));
    return (int64_t)r->next_off + d;
}

static void deliver(iotap_reasm *r, const uint8_t *p, size_t n, int64_t ts)
{
    if (n == 0)
        return;
    r->next_off += n;
    r->delivered += n;
    if (r->on_data)
        r->on_data(r->ctx, p, n, ts);
}

static void gap(iotap_reasm *r, uint64_t n)
{
    if (n == 0)
        return;
    r->next_off += n;
    r->gaps++;
    r->gap_bytes += n;
    if (r->on_gap)
        r->on_gap(r->ctx, n);
}

static void seg_free(iotap_reasm *r, iotap_reasm_seg *s)
{
    r->buffered -= s->len;
    if (r->pool)
        r->pool->used -= s->len;
    free(s);
}

/* Delivers buffered pieces that have become contiguous. */
static void drain(iotap_reasm *r)
{
    while (r->segs && r->segs->off <= r->next_off) {
        iotap_reasm_seg *s = r->segs;
        r->segs = s->next;
        uint64_t end = s->off + s->len;
        if (end > r->next_off) {
            size_t skip = (size_t)(r->next_off - s->off);
            if (s->conflict && r->on_conflict)
                r->on_conflict(r->ctx);
            deliver(r, s->data + skip, s->len - skip, s->ts_ns);
        }
        seg_free(r, s);
    }
}

/* Skips the hole before the first buffered piece. */
static void skip_to_first(iotap_reasm *r)
{
    if (!r->segs)
        return;
    if (r->segs->off > r->next_off)
        gap(r, r->segs->off - r->next_off);
    drain(r);
}

static void insert_piece(iotap_reasm *r, iotap_reasm_seg **at, uint64_t off,
                         const uint8_t *p, size_t n, int64_t ts)
{
    iotap_reasm_seg *s = xmalloc(sizeof *s + n);
    s->off = off;
    s->len = (uint32_t)n;
    s->ts_ns = ts;
    s->conflict = false;
    memcpy(s->data, p, n);
    s->next = *at;
    *at = s;
    r->buffered += n;
    if (r->pool) {
        r->pool->used += n;
        if (r->pool->used > r->pool->peak)
            r->pool->peak = r->pool->used;
    }
}

static bool over_cap(const iotap_reasm *r)
{
    if (r->cap && r->buffered > r->cap)
        return true;
    return r->pool && r->pool->cap && r->pool->used > r->pool->cap && r->buffered > 0;
}

void iotap_reasm_segment(iotap_reasm *r, uint32_t seq, uint8_t flags,
                         const uint8_t *p, size_t caplen, size_t len, int64_t ts_ns)
{
    if (caplen > len)
        caplen = len;
    if (!p)
        caplen = 0;
    if (flags & IOTAP_TCP_SYN) {
        if (!r->started || (!r->syn && r->next_off == 0 && !r->segs)) {
            r->started = r->syn = true;
            r->base_seq = seq + 1;
            r->next_off = 0;
        }
        seq++;  /* data (TCP Fast Open) follows the SYN's own number */
    }
    if (!r->started) {
        if (len == 0)
            return;   /* a bare ACK says nothing about where data starts */
        r->started = true;
        r->base_seq = seq;
        r->next_off = 0;
    }
    int64_t off = off_of(r, seq);
    if (flags & IOTAP_TCP_FIN) {
        int64_t fo = off + (int64_t)len;
        if (fo >= 0 && (!r->fin || (uint64_t)fo < r->fin_off)) {
            r->fin = true;
            r->fin_off = (uint64_t)fo;
        }
    }
    if (len == 0)
        return;
    if (off < 0) {  /* before the first byte we took as the start */
        if (off + (int64_t)len <= 0) {
            r->before_start += len;
            return;
        }
        size_t cut = (size_t)-off;
        r->before_start += cut;
        len -= cut;
        if (caplen > cut) {
            caplen -= cut;
            p += cut;
        } else
            caplen = 0;
        off = 0;
    }
    uint64_t start = (uint64_t)off;
    /* Already delivered: a retransmission (its bytes cannot be compared). */
    if (start < r->next_off) {
        uint64_t old = r->next_off - start;
        if (old >= len) {
            r->retrans_bytes += len;
            return;
        }
        r->retrans_bytes += old;
        len -= (size_t)old;
        if (caplen > old) {
            caplen -= (size_t)old;
            p += old;
        } else
            caplen = 0;
        start = r->next_off;
    }
    /* Cut [start, start+caplen) into the parts no buffered piece covers. */
    uint64_t cur = start, end = start + caplen;
    iotap_reasm_seg **at = &r->segs;
    bool differs = false;
    while (cur < end) {
        while (*at && (*at)->off + (*at)->len <= cur)
            at = &(*at)->next;
        iotap_reasm_seg *s = *at;
        if (!s || s->off >= end || s->off > cur) {
            uint64_t pend = (!s || s->off >= end) ? end : s->off;
            const uint8_t *q = p + (cur - start);
            size_t n = (size_t)(pend - cur);
            if (cur == r->next_off && at == &r->segs)
                deliver(r, q, n, ts_ns);    /* in order: no copy */
            else {
                insert_piece(r, at, cur, q, n, ts_ns);
                at = &(*at)->next;
            }
            cur = pend;
        } else {  /* overlaps s: the first copy wins */
            uint64_t oend = s->off + s->len < end ? s->off + s->len : end;
            if (memcmp(s->data + (cur - s->off), p + (cur - start), (size_t)(oend - cur)) != 0) {
                s->conflict = true;
                differs = true;
            }
            r->retrans_bytes += oend - cur;
            cur = oend;
        }
    }
    if (differs)
        r->conflicts++;
    drain(r);
    /* Bytes the headers claim but the snap length cut off: a hole. */
    if (caplen < len && r->next_off == start + caplen && !r->segs)
        gap(r, len - caplen);
    while (over_cap(r)) {
        if (r->pool)
            r->pool->forced_gaps++;
        skip_to_first(r);
    }
}

void iotap_reasm_ack(iotap_reasm *r, uint32_t ack)
{
    if (!r->started || !r->segs)
        return;
    int64_t a = off_of(r, ack);
    if (a <= (int64_t)r->next_off)
        return;
    /* A FIN takes one sequence number: an ack of it is not data. */
    while (r->segs && (int64_t)r->segs->off < a && r->segs->off > r->next_off)
        skip_to_first(r);
}

bool iotap_reasm_flush(iotap_reasm *r)
{
    uint64_t gaps0 = r->gaps;
    while (r->segs)
        skip_to_first(r);
    if (r->fin && r->fin_off > r->next_off && r->fin_off - r->next_off < (1ull << 31))
        gap(r, r->fin_off - r->next_off);
    return r->fin && r->fin_off == r->next_off && r->gaps == gaps0;
}

void iotap_reasm_free(iotap_reasm *r)
{
    while (r->segs) {
        iotap_reasm_seg *s = r->segs;
        r->segs = s->next;
        seg_free(r, s);
    }
}
