/*
 * fuzz-http.c - the HTTP/1.x connection parser (lib/proto/http.c, its
 * message heads in http_head.c) with body framing (Content-Length,
 * chunked, close) and content decoding. Input:
 *   [max body u8] then operations [op u8][len u16 BE][bytes]
 * op bit 0 is the direction; bits 1-2: 0/1 data, 2 gap of len bytes,
 * 3 end of that direction (bit 3: clean). A body sink counts the bytes and
 * checks the max_body cap; at the end every sink must have been closed.
 */
#include <stdbool.h>
#include "http-hooks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz in = fz_make(data, size);
    uint8_t msel = fz_u8(&in);
    fz_http ctx = { msel & 0x80 ? (uint64_t)(msel & 0x7f) * 8 : 1u << 20, 0, 0 };
    int dummy_flow;
    iotap_http_conn *c = iotap_http_conn_new(&fzh_hooks, &ctx, ctx.max_body, &dummy_flow);
    int64_t ts = 1700000000 * (int64_t)1000000000;
    bool ended[2] = { false, false };   /* nothing follows an end (as in http_session) */
    while (fz_left(&in) >= 3) {
        uint8_t op = fz_u8(&in);
        size_t want = fz_u16(&in), got;
        int dir = op & 1;
        ts += 1000;
        if (ended[dir]) {
            size_t skip;
            (void)fz_bytes(&in, (op >> 1 & 3) < 2 ? want : 0, &skip);
            continue;
        }
        switch (op >> 1 & 3) {
        case 0:
        case 1: {
            const uint8_t *bytes = fz_bytes(&in, want, &got);
            uint8_t *copy = malloc(got ? got : 1);
            if (got)
                memcpy(copy, bytes, got);
            iotap_http_data(c, dir, copy, got, ts);
            free(copy);
            break;
        }
        case 2:
            iotap_http_gap(c, dir, want);
            break;
        case 3:
            iotap_http_eof(c, dir, op & 8);
            ended[dir] = true;
            break;
        }
        (void)iotap_http_active(c);
        (void)iotap_http_seen(c);
    }
    iotap_http_finish(c);
    if (ctx.open_sinks != 0 || iotap_http_txns(c) != ctx.txns)
        abort();
    iotap_http_conn_free(c);
    return 0;
}
