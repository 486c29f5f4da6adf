/* test-reasm.c - TCP reassembly: order, retransmission, overlap conflicts,
 * wrap-around, gaps, caps and FIN, against the bytes that were sent. */
#include <stdlib.h>
#include "test.h"
#include "decode.h"
#include "reasm.h"

typedef struct sink {
    uint8_t buf[1 << 20];
    size_t n;
    uint64_t gaps, gap_bytes;
    size_t gap_at[64];
} sink;

static void on_data(void *ctx, const uint8_t *p, size_t n, int64_t ts)
{
    (void)ts;
    sink *s = ctx;
    if (s->n + n <= sizeof s->buf)
        memcpy(s->buf + s->n, p, n);
    s->n += n;
}

static void on_gap(void *ctx, uint64_t n)
{
    sink *s = ctx;
    if (s->gaps < 64)
        s->gap_at[s->gaps] = s->n;
    s->gaps++;
    s->gap_bytes += n;
}

static uint8_t stream[200000];

static void fill(void)
{
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof stream; i++) {
        x = x * 1103515245 + 12345;
        stream[i] = (uint8_t)(x >> 16);
    }
}

static sink S;

static void setup(iotap_reasm *r, iotap_reasm_pool *pool, size_t cap)
{
    memset(&S, 0, sizeof S);
    iotap_reasm_init(r, pool, cap, on_data, on_gap, &S);
}

/* Sends stream[off..off+n) as one segment, ISN isn. */
static void seg(iotap_reasm *r, uint32_t isn, size_t off, size_t n)
{
    iotap_reasm_segment(r, isn + 1 + (uint32_t)off, IOTAP_TCP_ACK, stream + off, n, n, 0);
}

static void test_in_order_and_shuffled(uint32_t isn)
{
    iotap_reasm r;
    iotap_reasm_pool pool = {0};
    setup(&r, &pool, 0);
    iotap_reasm_segment(&r, isn, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    /* 100 segments of 1000 bytes, delivered in a shuffled order with every
     * fifth one sent twice. */
    size_t order[120], n = 0;
    for (size_t i = 0; i < 100; i++) {
        order[n++] = i;
        if (i % 5 == 0)
            order[n++] = i;
    }
    srand(7);
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)rand() % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < n; i++)
        seg(&r, isn, order[i] * 1000, 1000);
    CHECK_EQ_U(S.n, 100000);
    CHECK(memcmp(S.buf, stream, 100000) == 0);
    CHECK_EQ_U(S.gaps, 0);
    CHECK_EQ_U(r.retrans_bytes, 20 * 1000);
    CHECK_EQ_U(r.conflicts, 0);
    CHECK_EQ_U(r.buffered, 0);
    CHECK_EQ_U(pool.used, 0);
    CHECK(pool.peak > 0);
    iotap_reasm_free(&r);
}

static void test_overlap_first_wins(void)
{
    iotap_reasm r;
    setup(&r, NULL, 0);
    iotap_reasm_segment(&r, 999, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    /* [100,300) arrives first, then [50,250) with different bytes: the
     * overlapping part keeps the first copy; then [0,50). */
    uint8_t alt[200];
    for (int i = 0; i < 200; i++)
        alt[i] = (uint8_t)(stream[50 + i] ^ 0xff);
    seg(&r, 999, 100, 200);
    iotap_reasm_segment(&r, 1000 + 50, IOTAP_TCP_ACK, alt, 200, 200, 0);
    CHECK_EQ_U(S.n, 0);
    seg(&r, 999, 0, 50);
    CHECK_EQ_U(S.n, 300);
    CHECK(memcmp(S.buf, stream, 50) == 0);
    CHECK(memcmp(S.buf + 50, alt, 50) == 0);        /* [50,100) only in the 2nd copy */
    CHECK(memcmp(S.buf + 100, stream + 100, 200) == 0);  /* first copy won */
    CHECK_EQ_U(r.conflicts, 1);
    iotap_reasm_free(&r);
}

/* The consumer is told just before contradicted bytes are delivered (so
 * the message they belong to can be marked), once per conflicting piece;
 * identical overlapping copies say nothing. */
static unsigned nconf;
static size_t conf_at[8];
static void on_conflict(void *ctx)
{
    sink *s = ctx;
    if (nconf < 8)
        conf_at[nconf] = s->n;
    nconf++;
}

static void test_overlap_conflict_reported(void)
{
    iotap_reasm r;
    setup(&r, NULL, 0);
    r.on_conflict = on_conflict;
    nconf = 0;
    iotap_reasm_segment(&r, 999, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    uint8_t alt[200];
    for (int i = 0; i < 200; i++)
        alt[i] = (uint8_t)(stream[50 + i] ^ 0xff);
    seg(&r, 999, 100, 200);                 /* [100,300) buffered */
    seg(&r, 999, 150, 100);                 /* an identical copy: no conflict */
    iotap_reasm_segment(&r, 1000 + 50, IOTAP_TCP_ACK, alt, 200, 200, 0);
    CHECK_EQ_U(nconf, 0);                   /* nothing delivered yet */
    seg(&r, 999, 0, 50);
    CHECK_EQ_U(S.n, 300);
    CHECK_EQ_U(nconf, 1);
    CHECK_EQ_U(conf_at[0], 100);            /* before [100,300) went out */
    CHECK_EQ_U(r.conflicts, 1);
    iotap_reasm_free(&r);
    /* Without a later differing copy: never called. */
    setup(&r, NULL, 0);
    r.on_conflict = on_conflict;
    nconf = 0;
    iotap_reasm_segment(&r, 999, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    seg(&r, 999, 100, 200);
    seg(&r, 999, 100, 200);
    seg(&r, 999, 0, 100);
    CHECK_EQ_U(S.n, 300);
    CHECK_EQ_U(nconf, 0);
    iotap_reasm_free(&r);
}

static void test_gap_flush_and_fin(void)
{
    iotap_reasm r;
    setup(&r, NULL, 0);
    iotap_reasm_segment(&r, 5, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    seg(&r, 5, 0, 100);
    seg(&r, 5, 200, 100);       /* [100,200) is never sent */
    iotap_reasm_segment(&r, 6 + 400, IOTAP_TCP_FIN | IOTAP_TCP_ACK, NULL, 0, 0, 0);
    CHECK_EQ_U(S.n, 100);
    bool clean = iotap_reasm_flush(&r);
    CHECK(!clean);
    CHECK_EQ_U(S.n, 200);
    CHECK_EQ_U(S.gaps, 2);      /* the hole, and [300,400) before the FIN */
    CHECK_EQ_U(S.gap_bytes, 200);
    CHECK_EQ_U(S.gap_at[0], 100);
    CHECK(memcmp(S.buf + 100, stream + 200, 100) == 0);
    iotap_reasm_free(&r);

    setup(&r, NULL, 0);
    iotap_reasm_segment(&r, 5, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    seg(&r, 5, 0, 100);
    iotap_reasm_segment(&r, 6 + 100, IOTAP_TCP_FIN | IOTAP_TCP_ACK, NULL, 0, 0, 0);
    CHECK(iotap_reasm_flush(&r));
    CHECK_EQ_U(S.gaps, 0);
    iotap_reasm_free(&r);
}

static void test_wraparound(void)
{
    iotap_reasm r;
    setup(&r, NULL, 0);
    uint32_t isn = 0xffffff00u;
    iotap_reasm_segment(&r, isn, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    seg(&r, isn, 1000, 1000);   /* past the wrap, out of order */
    seg(&r, isn, 0, 1000);
    seg(&r, isn, 2000, 3000);
    CHECK_EQ_U(S.n, 5000);
    CHECK(memcmp(S.buf, stream, 5000) == 0);
    CHECK_EQ_U(S.gaps, 0);
    iotap_reasm_free(&r);
}

static void test_caps(void)
{
    iotap_reasm r;
    iotap_reasm_pool pool = {0};
    setup(&r, &pool, 4000);
    iotap_reasm_segment(&r, 0, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    /* [0,1000) is lost; 10 segments after it: the stream cap forces a gap. */
    for (size_t i = 1; i <= 10; i++)
        seg(&r, 0, i * 1000, 1000);
    CHECK_EQ_U(S.gaps, 1);
    CHECK_EQ_U(S.gap_bytes, 1000);
    CHECK_EQ_U(S.n, 10000);
    CHECK(memcmp(S.buf, stream + 1000, 10000) == 0);
    CHECK(r.buffered <= 4000);
    CHECK_EQ_U(pool.forced_gaps, 1);
    iotap_reasm_free(&r);

    /* Total cap across two streams. */
    iotap_reasm a, b;
    iotap_reasm_pool tot = {.cap = 3000};
    setup(&a, &tot, 0);
    iotap_reasm_init(&b, &tot, 0, NULL, NULL, NULL);
    iotap_reasm_segment(&a, 0, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    iotap_reasm_segment(&b, 0, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    seg(&b, 0, 1000, 2000);     /* b holds 2000 */
    CHECK_EQ_U(tot.used, 2000);
    seg(&a, 0, 1000, 1000);     /* a: 3000 total, at the cap */
    CHECK_EQ_U(S.gaps, 0);
    seg(&a, 0, 3000, 500);      /* over: a gives up its hole */
    CHECK_EQ_U(S.gaps, 1);
    CHECK(tot.used <= 3000);
    iotap_reasm_free(&a);
    iotap_reasm_free(&b);
    CHECK_EQ_U(tot.used, 0);
}

static void test_ack_gap_and_midstream(void)
{
    iotap_reasm r;
    setup(&r, NULL, 0);
    /* No SYN: starts at the first data seen. */
    iotap_reasm_segment(&r, 7000, IOTAP_TCP_ACK, stream, 100, 100, 0);
    iotap_reasm_segment(&r, 7200, IOTAP_TCP_ACK, stream + 200, 100, 100, 0);
    CHECK_EQ_U(S.n, 100);
    iotap_reasm_ack(&r, 7150);  /* acks part of the hole only: wait */
    CHECK_EQ_U(S.n, 100);
    iotap_reasm_ack(&r, 7300);  /* the peer has it all: the hole is lost */
    CHECK_EQ_U(S.n, 200);
    CHECK_EQ_U(S.gaps, 1);
    CHECK_EQ_U(S.gap_bytes, 100);
    /* Old data before the start is dropped, not delivered. */
    iotap_reasm_segment(&r, 6900, IOTAP_TCP_ACK, stream, 100, 100, 0);
    CHECK_EQ_U(S.n, 200);
    CHECK_EQ_U(r.before_start, 100);
    iotap_reasm_free(&r);

    /* A snapped segment: the missing tail is a gap at once. */
    setup(&r, NULL, 0);
    iotap_reasm_segment(&r, 0, IOTAP_TCP_SYN, NULL, 0, 0, 0);
    iotap_reasm_segment(&r, 1, IOTAP_TCP_ACK, stream, 60, 1000, 0);
    CHECK_EQ_U(S.n, 60);
    CHECK_EQ_U(S.gap_bytes, 940);
    seg(&r, 0, 1000, 10);
    CHECK_EQ_U(S.n, 70);
    iotap_reasm_free(&r);
}

int main(void)
{
    fill();
    test_in_order_and_shuffled(1000);
    test_in_order_and_shuffled(0xfffff000u);
    test_overlap_first_wins();
    test_overlap_conflict_reported();
    test_gap_flush_and_fin();
    test_wraparound();
    test_caps();
    test_ack_gap_and_midstream();
    return TEST_DONE();
}
