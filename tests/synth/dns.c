/*
 * dns.c - a device asking the router's resolver (192.168.1.1:53, UDP,
 * RFC 1035): A or AAAA questions, answers with CNAME chains and several
 * addresses, NXDOMAIN. Every answered address is recorded as knowledge of
 * this device at the response's time (truth.c names flows from it), and a
 * row goes to dns.csv: ts (of the query), mac, query, type, rcode, answers
 * in wire order (CNAME targets and addresses, ';'-separated), ttl (one TTL
 * for every record of a response).
 */
#include "synth.h"

#include "util.h"

#include <string.h>

static void name(dyn *d, const char *s)
{
    while (*s) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        dyn_u8(d, (unsigned)n);
        dyn_put(d, s, n);
        s += n + (dot ? 1 : 0);
    }
    dyn_u8(d, 0);
}

int64_t dns_query(synth *S, int di, int64_t t, const char *qname, bool aaaa,
                  const dnsans *ans, bool nxdomain)
{
    sdev *dev = &S->dev[di], *rt = &S->dev[0];
    uint16_t id = (uint16_t)rng_next(&S->rng), qt = aaaa ? 28 : 1;
    uint32_t ttl = 60 + 60 * rng_below(&S->rng, 5);
    sep cl = {dev->mac, dev->v4, dev->next_port++}, sv = {rt->mac, rt->v4, 53};
    if (dev->next_port < 49152) dev->next_port = 49152;
    sflow *f = flow_new(S, di, 17, &cl.ip, cl.port, &sv.ip, 53, "dns", t);
    dyn q = {0};
    dyn_u16(&q, id); dyn_u16(&q, 0x0100); dyn_u16(&q, 1);
    dyn_u16(&q, 0); dyn_u16(&q, 0); dyn_u16(&q, 0);
    name(&q, qname);
    dyn_u16(&q, qt); dyn_u16(&q, 1);
    uint8_t b[MAX_FRAME];
    emit(S, t, b, pkt_udp(b, &cl, &sv, q.p, q.n, S->ipid++), f, true);

    int nans = nxdomain || !ans ? 0 : ans->ncname + ans->naddr;
    dyn r = {0};
    dyn_u16(&r, id); dyn_u16(&r, nxdomain ? 0x8183 : 0x8180); dyn_u16(&r, 1);
    dyn_u16(&r, (unsigned)nans); dyn_u16(&r, 0); dyn_u16(&r, 0);
    dyn_put(&r, q.p + 12, q.n - 12);
    char answers[2048] = "";
    const char *owner = qname;
    for (int i = 0; i < nans; i++) {
        bool cn = i < ans->ncname;
        if (owner == qname) dyn_u16(&r, 0xc00c);
        else name(&r, owner);
        char txt[300];
        if (cn) {
            dyn_u16(&r, 5); dyn_u16(&r, 1); dyn_u32(&r, ttl);
            dyn tmp = {0};
            name(&tmp, ans->cname[i]);
            dyn_u16(&r, (unsigned)tmp.n);
            dyn_put(&r, tmp.p, tmp.n);
            dyn_free(&tmp);
            owner = ans->cname[i];
            snprintf(txt, sizeof txt, "%s", ans->cname[i]);
        } else {
            const saddr *a = &ans->addr[i - ans->ncname];
            dyn_u16(&r, a->family == 4 ? 1 : 28); dyn_u16(&r, 1); dyn_u32(&r, ttl);
            dyn_u16(&r, a->family == 4 ? 4 : 16);
            dyn_put(&r, a->a, a->family == 4 ? 4 : 16);
            saddr_str(a, txt, sizeof txt);
        }
        if (i) strncat(answers, ";", sizeof answers - strlen(answers) - 1);
        strncat(answers, txt, sizeof answers - strlen(answers) - 1);
    }
    int64_t tr = t + (3 + rng_below(&S->rng, 25)) * MS;
    emit(S, tr, b, pkt_udp(b, &sv, &cl, r.p, r.n, S->ipid++), f, false);
    for (int i = 0; nans && i < ans->naddr; i++)
        dns_learn(S, di, tr, qname, &ans->addr[i]);

    char mac[IOTAP_MAC_BUFSZ], tb[IOTAP_TIME_BUFSZ], ttls[16];
    snprintf(ttls, sizeof ttls, "%u", ttl);
    csv_field(S->dns_csv, iotap_format_time(t - t % 1000, tb), false);
    csv_field(S->dns_csv, iotap_format_mac(dev->mac, mac), false);
    csv_field(S->dns_csv, qname, false);
    csv_field(S->dns_csv, aaaa ? "AAAA" : "A", false);
    csv_field(S->dns_csv, nxdomain ? "NXDOMAIN" : "NOERROR", false);
    csv_field(S->dns_csv, answers, false);
    csv_field(S->dns_csv, nans ? ttls : "", true);
    dyn_free(&q);
    dyn_free(&r);
    return tr + MS;
}
