/*
 * fuzz-session.c - the whole HTTP pipeline of iotap-http/iotap-extract
 * (lib/http_session.c): decoder, flow table, per-flow reassembly of both
 * directions and the HTTP parser, fed frames as fuzz-decode reads them:
 *   [link selector u8][time step u8][length u16 BE][bytes]
 * with small caps (2 flows, 4 KiB out-of-order per stream, 8 KiB in all) so
 * eviction and forced gaps are reached. Every flow must be closed, and every
 * body sink closed, by the end.
 */
#include "http-hooks.h"
#include "decode.h"
#include "flow.h"
#include "http_session.h"
#include "util.h"

static const int links[] = {
    IOTAP_LINK_ETHERNET, IOTAP_LINK_RAW, IOTAP_LINK_LINUX_SLL, IOTAP_LINK_LINUX_SLL2,
    IOTAP_LINK_NULL, IOTAP_LINK_IPV4, IOTAP_LINK_IPV6,
};

static void on_close(iotap_flow *f, void *ctx)
{
    iotap_http_session_close(ctx, f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz in = fz_make(data, size);
    iotap_http_session_config scfg;
    iotap_http_session_config_default(&scfg);
    scfg.max_body = 4096;
    scfg.stream_cap = 4096;
    scfg.total_cap = 8192;
    scfg.max_warnings = 0;
    fz_http ctx = { scfg.max_body, 0, 0 };
    iotap_http_session *s = iotap_http_session_new(&scfg, &fzh_hooks, &ctx);
    iotap_flow_config fcfg;
    iotap_flow_config_default(&fcfg);
    fcfg.max_flows = 2;
    fcfg.tcp_idle_ns = 60 * IOTAP_NS_PER_SEC;
    iotap_lan *lan = iotap_lan_new();
    iotap_flow_table *t = iotap_flows_new(&fcfg, lan, on_close, s);
    int64_t ts = 1700000000 * IOTAP_NS_PER_SEC;
    uint64_t num = 0;
    while (fz_left(&in) >= 4) {
        uint8_t sel = fz_u8(&in), step = fz_u8(&in);
        size_t want = fz_u16(&in), got;
        const uint8_t *bytes = fz_bytes(&in, want, &got);
        uint8_t *copy = malloc(got ? got : 1);
        if (got)
            memcpy(copy, bytes, got);
        ts += (int64_t)(step & 0x7f) * (step & 0x80 ? IOTAP_NS_PER_SEC : 1000);
        iotap_packet p = { 0 };
        p.ts_ns = ts;
        p.caplen = (uint32_t)got;
        p.len = (uint32_t)got + (sel >> 4);
        p.linktype = links[(sel & 0x0f) % (sizeof links / sizeof links[0])];
        p.snaplen = 262144;
        p.data = got ? copy : NULL;
        p.num = ++num;
        p.input = "fuzz";
        p.input_num = num;
        iotap_decoded d;
        int dir = 0;
        iotap_flow *f;
        if (iotap_decode(&p, &d) == 0 && (f = iotap_flows_packet(t, &d, &dir)))
            iotap_http_session_packet(s, f, dir, &d);
        free(copy);
    }
    iotap_flows_finish(t);
    if (ctx.open_sinks != 0)
        abort();
    iotap_flows_free(t);
    iotap_lan_free(lan);
    iotap_http_session_free(s);
    return 0;
}
