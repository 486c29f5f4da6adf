/*
 * truth.c - the ground truth: flows as the scenario opens them, what every
 * device learned from DNS and when, and the CSV files written at the end
 * (devices, flows, domains, summary; http.csv and dns.csv are written
 * row by row as the exchanges are generated).
 *
 * Naming follows DESIGN.md: TLS SNI, QUIC SNI, HTTP Host (set by the
 * scenario when it builds those payloads), else the question name this
 * device asked whose answer - given before the flow's first packet - held
 * the remote address (dns), else a name another device got for it earlier
 * (dns-other-device), else none.
 */
#include "synth.h"

#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

sflow *flow_new(synth *S, int dev, uint8_t proto, const saddr *l, uint16_t lp,
                const saddr *r, uint16_t rp, const char *app, int64_t start)
{
    sflow *f = xcalloc(1, sizeof *f);
    f->dev = dev;
    f->proto = proto;
    f->laddr = *l;
    f->raddr = *r;
    f->lport = lp;
    f->rport = rp;
    f->app = app;
    f->start = start - start % 1000;
    if (S->nflow == S->capflow) {
        S->capflow = S->capflow ? S->capflow * 2 : 256;
        S->flow = xrealloc(S->flow, S->capflow * sizeof *S->flow);
    }
    S->flow[S->nflow++] = f;
    return f;
}

void flow_name(sflow *f, const char *domain, const char *source)
{
    snprintf(f->domain, sizeof f->domain, "%s", domain);
    f->name_source = source;
}

void dns_learn(synth *S, int dev, int64_t ts, const char *qname, const saddr *a)
{
    if (S->ndns == S->capdns) {
        S->capdns = S->capdns ? S->capdns * 2 : 256;
        S->dns = xrealloc(S->dns, S->capdns * sizeof *S->dns);
    }
    dnsknow *k = &S->dns[S->ndns++];
    k->dev = dev;
    k->ts = ts - ts % 1000;
    snprintf(k->qname, sizeof k->qname, "%s", qname);
    k->addr = *a;
}

static void resolve(synth *S, sflow *f)
{
    if (f->name_source)
        return;
    const dnsknow *own = NULL, *other = NULL;
    for (size_t i = 0; i < S->ndns; i++) {
        const dnsknow *k = &S->dns[i];
        if (k->ts >= f->start || !saddr_eq(&k->addr, &f->raddr))
            continue;
        if (k->dev == f->dev) {
            if (!own || k->ts >= own->ts) own = k;
        } else if (!other || k->ts >= other->ts) {
            other = k;
        }
    }
    if (own) flow_name(f, own->qname, "dns");
    else if (other) flow_name(f, other->qname, "dns-other-device");
    else flow_name(f, "", "none");
}

/* RFC 4180: quote a field holding a comma, quote, CR/LF or edge spaces. */
void csv_field(FILE *f, const char *s, bool last)
{
    if (!s) s = "";
    size_t n = strlen(s);
    bool q = strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (!q) {
        fputs(s, f);
    } else {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"') fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    }
    fputc(last ? '\n' : ',', f);
}

static void csv_u64(FILE *f, uint64_t v, bool last)
{
    fprintf(f, "%llu%c", (unsigned long long)v, last ? '\n' : ',');
}

static FILE *open_csv(const char *dir, const char *name, const char *header)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        iotap_die("%s: %s", path, strerror(errno));
    fputs(header, f);
    return f;
}

static void close_csv(FILE *f, const char *name)
{
    if (ferror(f) | fclose(f))
        iotap_die("writing %s failed", name);
}

static const char *proto_name(int p)
{
    switch (p) {
    case 1: return "icmp";
    case 6: return "tcp";
    case 17: return "udp";
    case 58: return "icmpv6";
    }
    return "?";
}

typedef struct dom {
    int dev; char key[256]; bool named; const char *src;
    char addrs[1024]; uint64_t flows, po, pi, bo, bi;
} dom;

static int cmp_dom(const void *a, const void *b)
{
    const dom *x = a, *y = b;
    if (x->dev != y->dev) return x->dev - y->dev;
    if (x->named != y->named) return x->named ? -1 : 1;
    return strcmp(x->key, y->key);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds addr to a ';'-separated sorted set. */
static void addr_add(char *set, size_t cap, const char *a)
{
    char tmp[1024], *parts[64];
    int n = 0;
    snprintf(tmp, sizeof tmp, "%s", set);
    for (char *p = strtok(tmp, ";"); p && n < 63; p = strtok(NULL, ";")) {
        if (strcmp(p, a) == 0) return;
        parts[n++] = p;
    }
    parts[n++] = (char *)a;
    qsort(parts, (size_t)n, sizeof *parts, cmp_str);
    char out[1024] = "";
    for (int i = 0; i < n; i++) {
        if (i) strncat(out, ";", sizeof out - strlen(out) - 1);
        strncat(out, parts[i], sizeof out - strlen(out) - 1);
    }
    snprintf(set, cap, "%s", out);
}

static bool same_key(const sflow *a, const sflow *b)
{
    return a->dev == b->dev && a->proto == b->proto && a->lport == b->lport &&
           a->rport == b->rport && saddr_eq(&a->laddr, &b->laddr) && saddr_eq(&a->raddr, &b->raddr);
}

/* A flow is a 5-tuple conversation (per device MAC): exchanges that reuse
 * one - DHCP from 0.0.0.0:68 every day, mDNS 5353->5353, pings - are one
 * row, started when the first of them started. */
static void merge_flows(synth *S)
{
    size_t n = 0;
    for (size_t i = 0; i < S->nflow; i++) {
        sflow *x = S->flow[i];
        size_t j;
        for (j = 0; j < n; j++)
            if (same_key(S->flow[j], x))
                break;
        if (j == n) {
            S->flow[n++] = x;
            continue;
        }
        sflow *k = S->flow[j];
        k->pk_out += x->pk_out; k->pk_in += x->pk_in;
        k->by_out += x->by_out; k->by_in += x->by_in;
        free(x);
    }
    S->nflow = n;
}

void truth_write(synth *S, const char *dir)
{
    merge_flows(S);
    char mac[IOTAP_MAC_BUFSZ], a1[64], a2[64], tb[IOTAP_TIME_BUFSZ];
    FILE *f = open_csv(dir, "devices.csv",
        "mac,vendor_prefix_owner,hostname,vendor_class,ipv4,ipv6,packets_out,packets_in,"
        "bytes_out,bytes_in,is_router\n");
    for (int i = 0; i < S->ndev; i++) {
        sdev *d = &S->dev[i];
        saddr_str(&d->v4, a1, sizeof a1);
        saddr_str(&d->v6, a2, sizeof a2);
        csv_field(f, iotap_format_mac(d->mac, mac), false);
        csv_field(f, d->owner, false);
        csv_field(f, d->hostname, false);
        csv_field(f, d->vclass, false);
        csv_field(f, a1, false);
        csv_field(f, a2, false);
        csv_u64(f, d->pk_out, false); csv_u64(f, d->pk_in, false);
        csv_u64(f, d->by_out, false); csv_u64(f, d->by_in, false);
        csv_field(f, d->is_router ? "yes" : "no", true);
    }
    close_csv(f, "devices.csv");

    f = open_csv(dir, "flows.csv",
        "mac,proto,local_addr,local_port,remote_addr,remote_port,domain,name_source,app,"
        "packets_out,packets_in,bytes_out,bytes_in\n");
    uint64_t fp = 0, fb = 0;
    for (size_t i = 0; i < S->nflow; i++) {
        sflow *x = S->flow[i];
        resolve(S, x);
        saddr_str(&x->laddr, a1, sizeof a1);
        saddr_str(&x->raddr, a2, sizeof a2);
        csv_field(f, iotap_format_mac(S->dev[x->dev].mac, mac), false);
        csv_field(f, proto_name(x->proto), false);
        csv_field(f, a1, false);
        csv_u64(f, x->lport, false);
        csv_field(f, a2, false);
        csv_u64(f, x->rport, false);
        csv_field(f, x->domain, false);
        csv_field(f, x->name_source, false);
        csv_field(f, x->app, false);
        csv_u64(f, x->pk_out, false); csv_u64(f, x->pk_in, false);
        csv_u64(f, x->by_out, false); csv_u64(f, x->by_in, true);
        fp += x->pk_out + x->pk_in;
        fb += x->by_out + x->by_in;
    }
    close_csv(f, "flows.csv");

    dom *ds = xcalloc(S->nflow + 1, sizeof *ds);
    size_t nd = 0;
    for (size_t i = 0; i < S->nflow; i++) {
        sflow *x = S->flow[i];
        bool named = x->domain[0] != 0;
        saddr_str(&x->raddr, a2, sizeof a2);
        const char *key = named ? x->domain : a2;
        size_t j;
        for (j = 0; j < nd; j++)
            if (ds[j].dev == x->dev && ds[j].named == named && strcmp(ds[j].key, key) == 0)
                break;
        if (j == nd) {
            ds[nd].dev = x->dev;
            ds[nd].named = named;
            snprintf(ds[nd].key, sizeof ds[nd].key, "%s", key);
            ds[nd].src = x->name_source;
            nd++;
        }
        dom *d = &ds[j];
        addr_add(d->addrs, sizeof d->addrs, a2);
        d->flows++;
        d->po += x->pk_out; d->pi += x->pk_in; d->bo += x->by_out; d->bi += x->by_in;
        if (strcmp(d->src, x->name_source) != 0)
            d->src = "mixed";   /* the scenario avoids this; visible if it happens */
    }
    qsort(ds, nd, sizeof *ds, cmp_dom);
    f = open_csv(dir, "domains.csv",
        "mac,domain,name_source,remote_addrs,flows,packets_out,packets_in,bytes_out,bytes_in\n");
    for (size_t i = 0; i < nd; i++) {
        dom *d = &ds[i];
        csv_field(f, iotap_format_mac(S->dev[d->dev].mac, mac), false);
        csv_field(f, d->named ? d->key : "", false);
        csv_field(f, d->src, false);
        csv_field(f, d->addrs, false);
        csv_u64(f, d->flows, false);
        csv_u64(f, d->po, false); csv_u64(f, d->pi, false);
        csv_u64(f, d->bo, false); csv_u64(f, d->bi, true);
    }
    close_csv(f, "domains.csv");
    free(ds);

    f = open_csv(dir, "summary.csv",
        "packets,bytes,first_ts,last_ts,devices,flows,flow_packets,flow_bytes,"
        "other_packets,other_bytes,days\n");
    csv_u64(f, S->packets, false);
    csv_u64(f, S->bytes, false);
    csv_field(f, iotap_format_time(S->first_ts, tb), false);
    csv_field(f, iotap_format_time(S->last_ts, tb), false);
    int ndev = 0;
    for (int i = 0; i < S->ndev; i++)
        ndev += !S->dev[i].is_router;
    csv_u64(f, (uint64_t)ndev, false);
    csv_u64(f, S->nflow, false);
    csv_u64(f, fp, false);
    csv_u64(f, fb, false);
    csv_u64(f, S->other_packets, false);
    csv_u64(f, S->other_bytes, false);
    csv_u64(f, (uint64_t)S->day, true);
    close_csv(f, "summary.csv");
}
