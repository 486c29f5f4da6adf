/*
 * rbcast.c - flows the flow table cannot tell apart: a DHCP client without
 * an address sends from 0.0.0.0:68 to 255.255.255.255:67, so every
 * device's DISCOVER/REQUEST has the same 5-tuple. The reports keep these
 * per sending MAC instead (as Zeek keys DHCP by client), each a flow of
 * its own that ends after the UDP idle time or at the end of the input,
 * and closes through the same path as every other flow (rflow_close).
 */
#include <string.h>
#include "report/rint.h"
#include "util.h"

#define BCAST_IDLE_NS (120 * IOTAP_NS_PER_SEC)

bool rbcast_wants(const iotap_decoded *d)
{
    return d->has_mac && d->ip_ver == 4 && d->has_l4 && d->proto == 17 && d->sport == 68 &&
           d->dport == 67 && !iotap_mac_is_group(d->src_mac) &&
           memcmp(d->src.a, "\0\0\0\0", 4) == 0;
}

static void close_one(iotap_report *r, iotap_flow *f)
{
    f->end = IOTAP_END_IDLE;
    rflow_close(f, r);
    f->pkts[0] = 0;     /* marks the slot free */
}

void rbcast_packet(iotap_report *r, const iotap_decoded *d)
{
    if (!r->bcast)
        r->bcast = rmap_new(sizeof(iotap_flow));
    iotap_flow *f = rmap_get(r->bcast, d->src_mac, 6);
    if (!f) {
        if (rmap_count(r->bcast) >= r->o.max_macs) {
            /* iotap-devices counts frames itself (rdev.c); here only
             * the flow is lost, and with it the frames of the other reports. */
            if (r->o.kind != IOTAP_REPORT_DEVICES)
                r->st.macs_dropped++;
            return;
        }
        f = rmap_put(r->bcast, d->src_mac, 6, NULL);
    }
    int64_t ts = d->pkt->ts_ns;
    if (f->pkts[0] && ts - f->last_ns > BCAST_IDLE_NS)
        close_one(r, f);
    if (!f->pkts[0]) {
        memset(f, 0, sizeof *f);
        f->proto = 17;
        f->local = d->src;
        f->remote = d->dst;
        f->lport = 68;
        f->rport = 67;
        f->has_mac = true;
        memcpy(f->dev_mac, d->src_mac, 6);
        memcpy(f->remote_mac, d->dst_mac, 6);
        f->first_ns = f->last_ns = ts;
    }
    f->pkts[0]++;
    f->bytes[0] += d->pkt->len;
    f->payload[0] += d->payload_len;
    if (ts > f->last_ns)
        f->last_ns = ts;
    rflow_packet(r, f, IOTAP_OUT, d);
}

void rbcast_finish(iotap_report *r)
{
    if (!r->bcast)
        return;
    for (size_t i = 0; i < rmap_count(r->bcast); i++) {
        iotap_flow *f = rmap_at(r->bcast, i, NULL, NULL);
        if (f->pkts[0]) {
            f->end = IOTAP_END_EOF;
            rflow_close(f, r);
            f->pkts[0] = 0;
        }
    }
}
