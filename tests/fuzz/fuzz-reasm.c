/*
 * fuzz-reasm.c - TCP reassembly (lib/reasm.c) feeding an HTTP connection
 * (lib/proto/http.c), both directions, as lib/http_session.c wires them.
 * Input: [caps u8] then operations
 *   [op u8][seq offset u16 BE][claimed extra len u8][len u8][bytes]
 * op bit 0: direction; bits 1-2: 0/1 segment (flags from bits 3-7: FIN, SYN,
 * RST, PSH, ACK), 2 acknowledgement of the other direction up to the offset,
 * 3 flush of that direction. Sequence numbers start near 2^32 so they wrap.
 * Every stream's delivered bytes plus gap bytes must equal its position.
 */
#include <stdbool.h>
#include "http-hooks.h"
#include "reasm.h"

typedef struct side {
    iotap_reasm r;
    iotap_http_conn *c;
    int dir;
    uint64_t data, gap;
    bool flushed;
} side;

static void on_data(void *ctx, const uint8_t *p, size_t n, int64_t ts)
{
    side *s = ctx;
    s->data += n;
    iotap_http_data(s->c, s->dir, p, n, ts);
}

static void on_gap(void *ctx, uint64_t n)
{
    side *s = ctx;
    s->gap += n;
    iotap_http_gap(s->c, s->dir, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz in = fz_make(data, size);
    uint8_t caps = fz_u8(&in);
    fz_http ctx = { 1u << 16, 0, 0 };
    iotap_http_conn *c = iotap_http_conn_new(&fzh_hooks, &ctx, ctx.max_body, NULL);
    iotap_reasm_pool pool = { 0, (uint64_t)(caps >> 4) * 256, 0, 0 };
    side sd[2];
    const uint32_t isn[2] = { 0xffffff00u, 0x7fffffffu };
    for (int d = 0; d < 2; d++) {
        memset(&sd[d], 0, sizeof sd[d]);
        sd[d].c = c;
        sd[d].dir = d;
        iotap_reasm_init(&sd[d].r, &pool, (size_t)(caps & 15) * 128, on_data, on_gap, &sd[d]);
    }
    int64_t ts = 1700000000 * (int64_t)1000000000;
    while (fz_left(&in) >= 5) {
        uint8_t op = fz_u8(&in);
        uint32_t off = fz_u16(&in);
        size_t extra = fz_u8(&in), want = fz_u8(&in), got;
        side *s = &sd[op & 1];
        ts += 1000;
        switch (op >> 1 & 3) {
        case 0:
        case 1: {
            const uint8_t *bytes = fz_bytes(&in, want, &got);
            if (s->flushed)
                break;
            uint8_t *copy = malloc(got ? got : 1);
            if (got)
                memcpy(copy, bytes, got);
            /* op bits 3..7 -> FIN SYN RST PSH ACK */
            uint8_t flags = (uint8_t)(op >> 3);
            iotap_reasm_segment(&s->r, isn[op & 1] + off, flags, got ? copy : NULL, got,
                                got + extra, ts);
            free(copy);
            break;
        }
        case 2:
            if (!s->flushed)
                iotap_reasm_ack(&s->r, isn[op & 1] + off);
            break;
        case 3:
            if (!s->flushed) {
                bool clean = iotap_reasm_flush(&s->r);
                iotap_http_eof(c, s->dir, clean);
                s->flushed = true;
            }
            break;
        }
        for (int d = 0; d < 2; d++)
            if (sd[d].data + sd[d].gap != sd[d].r.next_off || sd[d].r.delivered != sd[d].data)
                abort();
    }
    for (int d = 0; d < 2; d++)
        if (!sd[d].flushed) {
            bool clean = iotap_reasm_flush(&sd[d].r);
            iotap_http_eof(c, d, clean);
        }
    iotap_http_finish(c);
    for (int d = 0; d < 2; d++) {
        if (sd[d].data + sd[d].gap != sd[d].r.next_off || sd[d].r.buffered != 0)
            abort();
        iotap_reasm_free(&sd[d].r);
    }
    if (pool.used != 0 || ctx.open_sinks != 0)
        abort();
    iotap_http_conn_free(c);
    return 0;
}
