/*
 * rflow.c - what the reports learn from inside a flow, and the flow's row
 * when it closes.
 *
 * Inspection is over as soon as the application is known, so a long flow
 * costs one pointer test per packet after its first few:
 *   TCP   the client's first bytes (lib/hello.h, which reassembles a
 *         ClientHello split over segments and records): TLS -> SNI, HTTP
 *         request -> Host; port 53 is DNS;
 *   UDP   53 DNS, 67/68 DHCP, 443 with a QUIC long header -> QUIC (its
 *         Initial's SNI through rquic.c), anything else "other";
 *   else  "other".
 * The DNS name is looked up at the flow's FIRST packet: an answer names
 * only flows that start after it (time-aware naming). At close the best
 * name wins (SNI, QUIC SNI, Host, this device's question, another device's).
 *
 * Cleartext: flows whose application data can be read on the wire (HTTP,
 * DNS, DHCP, and any TCP/UDP payload not recognised as encrypted). Besides
 * TLS and QUIC, these count as encrypted: SSH (a first payload "SSH-"
 * either way, is_ssh()), and over UDP DTLS records (content type 20-23,
 * version fe ff or fe fd) and WireGuard messages (type 1-4, three zero
 * bytes, the sizes of its four messages; is_encrypted_udp()).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "report/rint.h"
#include "report/rquic.h"
#include "util.h"

static char *host_name(const char *host)
{
    /* Host header -> name: port dropped ("a.b:8080", "[2001:db8::1]:80"),
     * lower-cased, trailing dot dropped. */
    size_t n = strlen(host);
    const char *start = host;
    if (host[0] == '[') {
        const char *e = strchr(host, ']');
        start = host + 1;
        n = e ? (size_t)(e - start) : n - 1;
    } else {
        const char *colon = strchr(host, ':');
        if (colon && !strchr(colon + 1, ':'))
            n = (size_t)(colon - host);
    }
    while (n && start[n - 1] == '.')
        n--;
    if (!n)
        return NULL;
    char *s = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)tolower((unsigned char)start[i]);
    s[n] = 0;
    return s;
}

static void apply_hello(rflow *s, const iotap_flow *f, const iotap_hello_info *info)
{
    s->decided = true;
    switch (info->kind) {
    case IOTAP_HELLO_TLS:
        s->app = RAPP_TLS;
        if (info->tls.sni[0]) {
            s->name = xstrdup(info->tls.sni);
            s->src = RSRC_SNI;
        }
        break;
    case IOTAP_HELLO_HTTP:
        s->app = RAPP_HTTP;
        s->cleartext = true;
        if (info->http_host[0] && (s->name = host_name(info->http_host)))
            s->src = RSRC_HTTP;
        break;
    case IOTAP_HELLO_OTHER:
        s->app = RAPP_OTHER;
        s->cleartext = true;
        break;
    default:
        s->app = RAPP_OTHER;
        s->cleartext = f->payload[0] + f->payload[1] > 0;
        break;
    }
}

/* SSH over TCP (RFC 4253 4.2: both ends begin with "SSH-protoversion-"). */
static bool is_ssh(const uint8_t *p, size_t n)
{
    return n >= 4 && memcmp(p, "SSH-", 4) == 0;
}

/* A UDP payload of an encrypted protocol: DTLS 1.0/1.2 record (RFC 6347
 * 4.1; DTLS 1.3 keeps this header for its ClientHello) or a WireGuard
 * message (handshake initiation 148 bytes, response 92, cookie reply 64,
 * transport data a multiple of 16, at least 32). */
static bool is_encrypted_udp(const uint8_t *p, size_t n)
{
    if (n >= 13 && p[0] >= 20 && p[0] <= 23 && p[1] == 0xfe && (p[2] == 0xff || p[2] == 0xfd))
        return true;
    if (n >= 32 && p[0] >= 1 && p[0] <= 4 && p[1] == 0 && p[2] == 0 && p[3] == 0) {
        switch (p[0]) {
        case 1: return n == 148;
        case 2: return n == 92;
        case 3: return n == 64;
        default: return n % 16 == 0;
        }
    }
    return false;
}

/* Inspection over: an encrypted protocol with no name of its own. */
static void decide_opaque(rflow *s)
{
    s->app = RAPP_OTHER;
    s->cleartext = false;
    s->decided = true;
    iotap_hello_free(s->hello);
    s->hello = NULL;
}

static void flow_start(iotap_report *r, iotap_flow *f, rflow *s, int dir, const iotap_decoded *d)
{
    s->cdir = (uint8_t)dir;
    if (f->proto == 6 && (d->tcp_flags & (IOTAP_TCP_SYN | IOTAP_TCP_ACK)) ==
                             (IOTAP_TCP_SYN | IOTAP_TCP_ACK))
        s->cdir = (uint8_t)!dir;    /* the SYN was not captured */
    if (r->o.kind != IOTAP_REPORT_DNS) {
        /* Time-aware: only answers at or before the flow's first packet. */
        const char *nm = f->has_mac ? iotap_names_lookup(r->names, f->dev_mac, &f->remote,
                                                         f->first_ns, NULL) : NULL;
        s->dns_src = RSRC_DNS;
        if (!nm) {
            nm = iotap_names_lookup_any(r->names, &f->remote, f->first_ns, NULL);
            s->dns_src = RSRC_DNS_OTHER;
        }
        if (nm)
            s->dns_name = xstrdup(nm);
        else
            s->dns_src = RSRC_NONE;
    }
    if (f->proto == 17) {
        if (f->lport == 53 || f->rport == 53) {
            s->app = RAPP_DNS;
            s->decided = s->cleartext = true;
        } else if (f->lport == 67 || f->lport == 68 || f->rport == 67 || f->rport == 68) {
            s->app = RAPP_DHCP;
            s->decided = s->cleartext = true;
        }
    } else if (f->proto == 6) {
        if (f->lport == 53 || f->rport == 53) {
            s->app = RAPP_DNS;
            s->decided = s->cleartext = true;
        }
    } else {
        s->app = RAPP_OTHER;
        s->decided = true;
    }
}

void rflow_packet(iotap_report *r, iotap_flow *f, int dir, const iotap_decoded *d)
{
    rflow *s = f->user;
    if (!s) {
        s = f->user = xcalloc(1, sizeof *s);
        flow_start(r, f, s, dir, d);
    }
    if (r->want_timeline && r->o.by_domain)
        rtl_flow_packet(r, f, s, dir, d);
    if (s->decided)
        return;
    if (f->proto == 6) {
        /* The first data either way (SSH servers speak first). */
        if (d->payload_caplen && f->payload[dir] == d->payload_len &&
            is_ssh(d->payload, d->payload_caplen)) {
            decide_opaque(s);
            return;
        }
        if (dir != s->cdir)
            return;
        if (!s->hello)
            s->hello = iotap_hello_new(0);
        iotap_hello_info info;
        if (iotap_hello_segment(s->hello, d->tcp_flags, d->tcp_seq, d->payload,
                                d->payload_caplen, &info) == IOTAP_HELLO_DONE) {
            apply_hello(s, f, &info);
            iotap_hello_free(s->hello);
            s->hello = NULL;
        }
        return;
    }
    /* UDP with payload. */
    if (d->payload_caplen == 0)
        return;
    if ((f->rport == 443 || f->lport == 443) && rquic_is_initial(d->payload, d->payload_caplen)) {
        s->app = RAPP_QUIC;
        if (dir != s->cdir)
            return;
        char sni[256];
        int st = rquic_packet(&s->quic, d->payload, d->payload_caplen, sni, sizeof sni);
        if (st == RQUIC_MORE)
            return;
        if (st == RQUIC_DONE && sni[0]) {
            s->name = xstrdup(sni);
            s->src = RSRC_QUIC;
        }
        s->decided = true;
        rquic_free(&s->quic);
        return;
    }
    if (s->app == RAPP_QUIC)
        return;     /* server packets while the client's Initial is incomplete */
    if (is_encrypted_udp(d->payload, d->payload_caplen)) {
        decide_opaque(s);
        return;
    }
    s->app = RAPP_OTHER;
    s->cleartext = true;
    s->decided = true;
}

void rflow_header(iotap_csv *c)
{
    iotap_csv_header(c, (const char *[]){ "start", "end", "mac", "proto", "local_addr",
        "local_port", "remote_addr", "remote_port", "domain", "name_source", "app", "state",
        "packets_out", "packets_in", "bytes_out", "bytes_in", NULL });
}

static void free_state(rflow *s)
{
    iotap_hello_free(s->hello);
    rquic_free(&s->quic);
    free(s->name);
    free(s->dns_name);
    free(s->tl);
    free(s);
}

/* Ends the inspection with what was seen (as at the flow's close). */
void rflow_decide(const iotap_flow *f, rflow *s)
{
    if (s->decided)
        return;
    iotap_hello_info info;
    memset(&info, 0, sizeof info);
    if (s->hello)
        iotap_hello_finish(s->hello, &info);
    iotap_hello_free(s->hello);
    s->hello = NULL;
    rquic_free(&s->quic);
    if (s->app == RAPP_QUIC)
        s->decided = true;
    else
        apply_hello(s, f, &info);
}

/* The flow's name once decided: content name, else its DNS name. */
const char *rflow_name(const rflow *s, int *src)
{
    if (s->name) {
        *src = s->src;
        return s->name;
    }
    *src = s->dns_name ? s->dns_src : RSRC_NONE;
    return s->dns_name;
}

/* The flow belongs to a device, and --device (if given) is that one. */
bool rflow_wanted(const iotap_report *r, const iotap_flow *f, bool *attributed)
{
    *attributed = f->has_mac && r_mac_is_device(r, f->dev_mac);
    return !r->cli->has_device ||
           (*attributed && memcmp(f->dev_mac, r->cli->device_mac, 6) == 0);
}

void rflow_close(iotap_flow *f, void *ctx)
{
    iotap_report *r = ctx;
    rflow *s = f->user;
    if (!s)
        return;
    f->user = NULL;
    rflow_decide(f, s);
    int src;
    const char *name = rflow_name(s, &src);
    bool attributed;
    if (!rflow_wanted(r, f, &attributed)) {
        free_state(s);
        return;
    }
    if (attributed) {
        rdev *v = rdev_get(r, f->dev_mac);
        if (v)
            v->flows++;
    }
    if (r->want_flows) {
        iotap_csv *c = r->csv;
        char pb[8];
        iotap_csv_time(c, f->first_ns);
        iotap_csv_time(c, f->last_ns);
        if (attributed)
            iotap_csv_mac(c, f->dev_mac);
        else
            iotap_csv_str(c, NULL);
        iotap_csv_str(c, r_proto_name(f->proto, pb));
        iotap_csv_addr(c, &f->local);
        iotap_csv_u64(c, f->lport);
        iotap_csv_addr(c, &f->remote);
        iotap_csv_u64(c, f->rport);
        iotap_csv_str(c, name);
        iotap_csv_str(c, rsrc_names[src]);
        iotap_csv_str(c, rapp_names[s->app]);
        iotap_csv_str(c, iotap_flow_conn_state(f));
        iotap_csv_u64(c, f->pkts[0]);
        iotap_csv_u64(c, f->pkts[1]);
        iotap_csv_u64(c, f->bytes[0]);
        iotap_csv_u64(c, f->bytes[1]);
        iotap_csv_end(c);
    }
    if (attributed && r->doms)
        rdom_flow(r, f, s, name, src);
    if (attributed && r->want_timeline && r->o.by_domain)
        rtl_flow_close(r, f, s, name);
    free_state(s);
}
