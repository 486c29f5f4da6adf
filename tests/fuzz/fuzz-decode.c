/*
 * fuzz-decode.c - the packet decoder and the flow table (lib/decode.c,
 * lib/flow.c). The input is a sequence of frames
 *   [link selector u8][time step u8][length u16 BE][bytes]
 * decoded one after the other and accounted in one small flow table (a few
 * flows and short timeouts, so eviction, idle expiry and lingering closes
 * are all reached).
 */
#include "fuzz.h"
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
    int64_t ts = 1700000000 * IOTAP_NS_PER_SEC;
    uint64_t num = 0;
    while (fz_left(&in) >= 4) {
        uint8_t sel = fz_u8(&in), step = fz_u8(&in);
        size_t want = fz_u16(&in), got;
        const uint8_t *bytes = fz_bytes(&in, want, &got);
        /* A private copy of exactly caplen bytes: over-reads are caught. */
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
        if (iotap_decode(&p, &d) == 0) {
            /* Payload pointers stay inside the captured bytes. */
            if (d.payload_caplen
                && (d.payload < copy || d.payload + d.payload_caplen > copy + got))
                abort();
            int dir = 0;
            iotap_flow *f = iotap_flows_packet(t, &d, &dir);
            if (f && (dir != IOTAP_OUT && dir != IOTAP_IN))
                abort();
        }
        free(copy);
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
