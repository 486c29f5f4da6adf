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
#include "frames.h"
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
    fz_frames fr = fz_frames_make(&in, links, sizeof links / sizeof links[0]);
    iotap_packet p;
    while (fz_next_frame(&fr, &p)) {
        iotap_decoded d;
        int dir = 0;
        iotap_flow *f;
        if (iotap_decode(&p, &d) == 0 && (f = iotap_flows_packet(t, &d, &dir)))
            iotap_http_session_packet(s, f, dir, &d);
    }
    iotap_flows_finish(t);
    if (ctx.open_sinks != 0)
        abort();
    iotap_flows_free(t);
    iotap_lan_free(lan);
    iotap_http_session_free(s);
    return 0;
}
