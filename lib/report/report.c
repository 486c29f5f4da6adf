/*
 * report.c - the report pipeline's packet loop (report.h): decode, learn
 * from every frame, apply the filters, count Layer 2, hand IP packets to
 * the flow table and the flow inspection, and write what the chosen
 * report asks for at the end.
 */
#include "report/report.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cursor.h"
#include "report/rint.h"
#include "util.h"

const char *const rapp_names[RAPP_N] = { "other", "tls", "quic", "http", "dns", "dhcp" };
const char *const rsrc_names[RSRC_N] = { "none", "dns-other-device", "dns", "http", "quic", "sni" };

void iotap_report_opts_default(iotap_report_opts *o, int kind)
{
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->bucket_ns = 3600 * IOTAP_NS_PER_SEC;
    o->max_flows = 500000;
    o->max_names = 200000;
    o->max_rows = 500000;
    o->max_macs = 100000;
}

const char *r_label(const iotap_report *r, const uint8_t mac[6])
{
    return iotap_config_label(&r->cli->config, mac);
}

/* A device: a unicast MAC that is not a router's. */
bool r_mac_is_device(const iotap_report *r, const uint8_t mac[6])
{
    static const uint8_t zero[6];
    return !iotap_mac_is_group(mac) && memcmp(mac, zero, 6) != 0 &&
           !iotap_flows_is_router(r->flows, mac);
}

const char *r_proto_name(uint8_t proto, char *buf)
{
    switch (proto) {
    case 6: return "tcp";
    case 17: return "udp";
    case 1: return "icmp";
    case 58: return "icmpv6";
    default:
        snprintf(buf, 8, "%u", proto);
        return buf;
    }
}

iotap_report *iotap_report_new(const iotap_report_opts *o, iotap_cli *cli, iotap_csv *csv)
{
    iotap_report *r = xcalloc(1, sizeof *r);
    r->o = *o;
    if (r->o.bucket_ns <= 0)
        r->o.bucket_ns = 3600 * IOTAP_NS_PER_SEC;
    r->cli = cli;
    r->csv = csv;
    /* No value of a report holds a comma, CR or LF (csvout.h), so that
     * `sort -t, -kN` and `cut -d,` see the columns. */
    iotap_csv_set_commafree(csv, true);
    r->lan = iotap_lan_new();
    for (size_t i = 0; i < cli->config.nlan; i++)
        iotap_lan_add(r->lan, &cli->config.lan[i]);
    iotap_flow_config fc;
    iotap_flow_config_default(&fc);
    if (o->max_flows)
        fc.max_flows = o->max_flows;
    r->flows = iotap_flows_new(&fc, r->lan, rflow_close, r);
    if (cli->config.has_router)
        iotap_flows_add_router(r->flows, cli->config.router_mac);
    r->names = iotap_names_new(o->max_names);
    r->dnsmsg = xmalloc(sizeof *r->dnsmsg);
    r->devs = rmap_new(sizeof(rdev));
    r->want_flows = o->kind == IOTAP_REPORT_FLOWS;
    r->want_dns = o->kind == IOTAP_REPORT_DNS;
    /* devices: the distinct names per device come from the domain rows. */
    r->want_domains = o->kind == IOTAP_REPORT_DOMAINS || o->kind == IOTAP_REPORT_DEVICES;
    r->want_timeline = o->kind == IOTAP_REPORT_TIMELINE;
    if (r->want_domains)
        r->doms = rmap_new(sizeof(rdom));
    if (r->want_timeline)
        r->tl = rmap_new(sizeof(rtl));
    if (o->kind == IOTAP_REPORT_DEVICES)
        r->oui = iotap_oui_load(NULL);
    if (o->kind == IOTAP_REPORT_DOMAINS) {
        r->regdom = iotap_regdom_new();
        r->geo = iotap_geoip_open(o->geoip_country ? o->geoip_country : cli->config.geoip_country,
                           o->geoip_city ? o->geoip_city : cli->config.geoip_city,
                                  o->geoip_asn ? o->geoip_asn : cli->config.geoip_asn);
    }
    switch (o->kind) {
    case IOTAP_REPORT_DEVICES: rdev_header(csv); break;
    case IOTAP_REPORT_DOMAINS: rdom_header(csv); break;
    case IOTAP_REPORT_FLOWS: rflow_header(csv); break;
    case IOTAP_REPORT_DNS: rdns_header(csv); break;
    case IOTAP_REPORT_TIMELINE: rtl_header(r, csv); break;
    }
    return r;
}

/* Router MACs from what routers alone send: Router Advertisements and
 * DHCP server replies. The flow table learns the rest (IPv4 from outside
 * the LAN). Learned before the packet reaches the flow table, so the very
 * first DHCP OFFER is already oriented towards the device. */
/* RFC 4861 4.2/4.6.2: the on-link prefixes of a Router Advertisement join
 * the LAN set here too (the flow table learns them only from the frames it
 * is given, and --device keeps the router's multicast RAs from it). */
static void learn_ra_prefixes(iotap_report *r, const iotap_decoded *d)
{
    iotap_cursor c = cur_make(d->payload, d->payload_caplen);
    if (!cur_skip(&c, 16))      /* type, code, checksum .. retrans timer */
        return;
    for (int n = 0; n < 32 && cur_has(&c, 2); n++) {
        uint8_t type = cur_u8(&c), len = cur_u8(&c);
        if (len == 0)
            return;
        iotap_cursor o = cur_sub(&c, (size_t)len * 8 - 2);
        if (o.err)
            return;
        if (type != 3 || len != 4)
            continue;
        uint8_t plen = cur_u8(&o), flags = cur_u8(&o);
        cur_skip(&o, 12);
        const uint8_t *prefix = cur_take(&o, 16);
        if (!prefix || !(flags & 0x80) || plen < 16 || plen > 128)
            continue;
        iotap_net net;
        iotap_addr_set6(&net.addr, prefix);
        net.prefix = plen;
        if (!iotap_lan_contains(r->lan, &net.addr))
            iotap_lan_add(r->lan, &net);
    }
}

static void learn_router(iotap_report *r, const iotap_decoded *d)
{
    if (!d->has_mac || iotap_mac_is_group(d->src_mac) || !d->has_l4)
        return;
    if (d->proto == 58 && d->sport == 134 && d->ttl == 255 && d->src.a[0] == 0xfe) {
        iotap_flows_add_router(r->flows, d->src_mac);
        learn_ra_prefixes(r, d);
    } else if (d->proto == 17 && d->sport == 67 && d->dport == 68) {
        iotap_flows_add_router(r->flows, d->src_mac);
    }
    /* A unicast frame to an outside IPv4 address goes to a gateway. (The
     * last gateway and the last inside destination skip the lookups.) */
    if (d->ip_ver == 4 && !iotap_mac_is_group(d->dst_mac) &&
        memcmp(d->dst_mac, r->last_router, 6) != 0 &&
        !(memcmp(d->dst_mac, r->last_inside_mac, 6) == 0 &&
          memcmp(d->dst.a, r->last_inside_ip, 4) == 0)) {
        if (!iotap_addr_is_multicast(&d->dst) && !iotap_lan_contains(r->lan, &d->dst)) {
            iotap_flows_add_router(r->flows, d->dst_mac);
            memcpy(r->last_router, d->dst_mac, 6);
        } else {
            memcpy(r->last_inside_mac, d->dst_mac, 6);
            memcpy(r->last_inside_ip, d->dst.a, 4);
        }
    }
}

void iotap_report_packet(iotap_report *r, const iotap_packet *p)
{
    iotap_decoded d;
    if (iotap_decode(p, &d) != 0)
        return;
    learn_router(r, &d);
    bool in_time = iotap_cli_time_ok(r->cli, p->ts_ns);
    if (d.has_l4 && d.proto == 17 && (d.sport == 53 || d.dport == 53))
        rdns_packet(r, &d, in_time && r->want_dns);
    else if (d.has_l4 && d.proto == 6 && (d.sport == 53 || d.dport == 53) && !d.frag)
        rdnstcp_packet(r, &d);
    if (d.has_l4 && d.proto == 17 && d.dport == 67 && d.sport == 68)
        rdev_dhcp(r, &d);
    if (!in_time || !iotap_cli_frame_ok(r->cli, &d) || r->o.kind == IOTAP_REPORT_DNS)
        return;
    if (d.has_mac) {
        if (r->o.kind == IOTAP_REPORT_DEVICES)
            rdev_frame(r, &d);
        if (r->want_timeline && !r->o.by_domain) {
            rtl_frame(r, &d);
            return;     /* per-device buckets need no flows */
        }
    }
    if (d.ip_ver == 0)
        return;
    if (rbcast_wants(&d)) {
        rbcast_packet(r, &d);
        return;
    }
    int dir;
    iotap_flow *f = iotap_flows_packet(r->flows, &d, &dir);
    if (f)
        rflow_packet(r, f, dir, &d);
}

iotap_reader *iotap_report_run(iotap_report *r)
{
    iotap_reader *rd = iotap_reader_open(r->cli->inputs, r->cli->ninputs);
    iotap_reader_check_linktypes(rd);   /* never drop an unreadable link type silently */
    iotap_packet p;
    while (iotap_reader_next(rd, &p) == 1) {
        iotap_cli_progress(r->cli, rd, &p);
        iotap_report_packet(r, &p);
    }
    return rd;
}

void iotap_report_finish(iotap_report *r)
{
    if (r->finished)
        return;
    r->finished = true;
    iotap_flows_finish(r->flows);
    rbcast_finish(r);
    rdnstcp_finish(r);
    rdns_flush(r, INT64_MAX);
    rdns_warn_summary(r);
    switch (r->o.kind) {
    case IOTAP_REPORT_DEVICES: rdev_write(r); break;
    case IOTAP_REPORT_DOMAINS: rdom_write(r); break;
    case IOTAP_REPORT_TIMELINE: rtl_write(r); break;
    default: break;
    }
    iotap_flow_stats fs;
    iotap_flows_stats(r->flows, &fs);
    r->st.flows_evicted = fs.evicted;
    r->st.flows_seen = fs.created;
    iotap_names_stats ns;
    iotap_names_get_stats(r->names, &ns);
    r->st.names_evicted = ns.evicted;
    if (fs.evicted)
        iotap_warn("flow table full (%zu open flows): %llu flows closed early; raise "
                   "--max-flows to keep them whole", r->o.max_flows,
                   (unsigned long long)fs.evicted);
    if (r->st.names_evicted)
        iotap_warn("DNS name cache full (%zu entries): %llu names evicted; raise "
                   "--max-names", r->o.max_names, (unsigned long long)r->st.names_evicted);
    if (r->st.dns_pending_dropped)
        iotap_warn("%llu DNS queries written without waiting for their answer (more than "
                   "%d outstanding)", (unsigned long long)r->st.dns_pending_dropped, R_DNS_PENDING);
    if (r->st.rows_folded)
        iotap_warn("row table full (%zu rows): %llu %s folded into the existing row per "
                   "device (domain and address empty) or the \"(other devices)\" row "
                   "(totals stay exact); raise --max-rows", r->o.max_rows,
                   (unsigned long long)r->st.rows_folded,
                   r->o.kind == IOTAP_REPORT_TIMELINE && !r->o.by_domain ?
                   "frame counts (sender or receiver side)" : "flows");
    if (r->st.macs_dropped && r->o.kind == IOTAP_REPORT_DEVICES)
        iotap_warn("more than %zu MAC addresses: %llu frames of later ones not counted "
                   "(sent by them: not in packets_out; %llu frames sent to them not in "
                   "packets_in)", r->o.max_macs,
                   (unsigned long long)r->st.macs_dropped,
                   (unsigned long long)r->st.macs_dropped_in);
    else if (r->st.macs_dropped)
        iotap_warn("more than %zu MAC addresses: %llu frames of later ones not counted",
                   r->o.max_macs, (unsigned long long)r->st.macs_dropped);
}

void iotap_report_stats_get(const iotap_report *r, iotap_report_stats *s)
{
    *s = r->st;
    iotap_flow_stats fs;
    iotap_flows_stats(r->flows, &fs);
    s->flows_evicted = fs.evicted;
    s->flows_seen = fs.created;
    iotap_names_stats ns;
    iotap_names_get_stats(r->names, &ns);
    s->names_evicted = ns.evicted;
}

static void free_map(rmap *m, int what)
{
    if (!m)
        return;
    for (size_t i = 0; i < rmap_count(m); i++) {
        if (what == 0) {
            rdev *v = rmap_at(m, i, NULL, NULL);
            free(v->hostname);
            free(v->vendor_class);
        } else if (what == 1) {
            rdom *v = rmap_at(m, i, NULL, NULL);
            free(v->domain);
            free(v->addrs);
        } else {
            rtl *v = rmap_at(m, i, NULL, NULL);
            free(v->domain);
        }
    }
    rmap_free(m);
}

void iotap_report_free(iotap_report *r)
{
    if (!r)
        return;
    if (!r->finished) {
        iotap_flows_finish(r->flows);
        rbcast_finish(r);
    }
    iotap_flows_free(r->flows);
    iotap_lan_free(r->lan);
    iotap_names_free(r->names);
    iotap_regdom_free(r->regdom);
    rdnstcp_free(r);
    free(r->dnsmsg);
    free_map(r->devs, 0);
    free_map(r->doms, 1);
    free_map(r->tl, 2);
    rmap_free(r->bcast);
    iotap_oui_free(r->oui);
    iotap_geoip_close(r->geo);
    free(r);
}
