/*
 * fuzz-decode.c - the packet decoder and the flow table (lib/decode.c,
 * lib/flow.c). The input is a sequence of frames
 *   [link selector u8][time step u8][length u16 BE][bytes]
 * decoded one after the other and accounted in one small flow table (a few
 * flows and short timeouts, so eviction, idle expiry and lingering closes
 * are all reached).
 */
#include "frames.h"
#include "decode.h"
#include "flow.h"
#include "util.h"

static const int links[] = {
    IOTAP_LINK_ETHERNET, IOTAP_LINK_RAW, IOTAP_LINK_LINUX_SLL, IOTAP_LINK_LINUX_SLL2,
    IOTAP_LINK_NULL, IOTAP_LINK_IPV4, IOTAP_LINK_IPV6, 12 /* raw on OpenBSD */, 9999,
};

static void on_close(iotap_flow *f, void *ctx)
{
    (*(unsigned *)ctx)++;
    (void)iotap_flow_conn_state(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz in = fz_make(data, size);
    iotap_flow_config cfg;
    iotap_flow_config_default(&cfg);
    cfg.max_flows = 4;
    cfg.tcp_idle_ns = 30 * IOTAP_NS_PER_SEC;
    cfg.udp_idle_ns = 10 * IOTAP_NS_PER_SEC;
    cfg.other_idle_ns = 5 * IOTAP_NS_PER_SEC;
    cfg.close_linger_ns = 2 * IOTAP_NS_PER_SEC;
    iotap_lan *lan = iotap_lan_new();
    unsigned closed = 0;
    iotap_flow_table *t = iotap_flows_new(&cfg, lan, on_close, &closed);
    static const uint8_t router[6] = { 0xb8, 0x27, 0xeb, 0, 0, 1 };
    iotap_flows_add_router(t, router);
    fz_frames fr = fz_frames_make(&in, links, sizeof links / sizeof links[0]);
    iotap_packet p;
    while (fz_next_frame(&fr, &p)) {
        iotap_decoded d;
        if (iotap_decode(&p, &d) == 0) {
            /* Payload pointers stay inside the captured bytes. */
            if (d.payload_caplen
                && (d.payload < fr.copy || d.payload + d.payload_caplen > fr.copy + p.caplen))
                abort();
            int dir = 0;
            iotap_flow *f = iotap_flows_packet(t, &d, &dir);
            if (f && (dir != IOTAP_OUT && dir != IOTAP_IN))
                abort();
        }
    }
    iotap_flows_finish(t);
    iotap_flow_stats st;
    iotap_flows_stats(t, &st);
    if (st.active != 0 || st.closed != st.created)
        abort();    /* every flow leaves the table exactly once */
    iotap_flows_free(t);
    iotap_lan_free(lan);
    return 0;
}
