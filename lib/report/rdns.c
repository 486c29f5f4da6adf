/*
 * rdns.c - DNS over UDP port 53 (and the messages rdnstcp.c takes out of
 * TCP port 53 streams) for the reports: every response teaches
 * the name cache (lib/names.h: the asker's MAC, each A/AAAA address the
 * question leads to, through CNAME chains), and iotap-dns writes one row per query with
 * its answers: the query's time, the asking device, the question, type,
 * rcode, the answers in wire order (CNAME targets and addresses) and the
 * smallest TTL among them.
 *
 * Queries wait for their response in a fixed ring (R_DNS_PENDING) matched
 * by client address, port, id and question; a query unanswered after 30 s
 * of capture time (or pushed out of a full ring) is written with empty
 * rcode and answers, so every query appears exactly once.
 */
#include <stdio.h>
#include <string.h>
#include "report/rint.h"
#include "util.h"

#define DNS_WAIT_NS (30 * IOTAP_NS_PER_SEC)

static const char *rcode_name(unsigned rc, char *buf)
{
    static const char *const names[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
        "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE" };
    if (rc < sizeof names / sizeof names[0])
        return names[rc];
    snprintf(buf, 8, "%u", rc);
    return buf;
}

static const char *type_name(uint16_t t, char *buf)
{
    const char *s = iotap_dns_type_name(t);
    if (s)
        return s;
    snprintf(buf, 8, "%u", t);
    return buf;
}

void rdns_header(iotap_csv *c)
{
    iotap_csv_header(c, (const char *[]){ "time", "mac", "query", "type", "rcode", "answers",
        "ttl", NULL });
}

/* mac NULL: a capture without link-layer addresses (raw IP); the row is
 * written with the mac column empty unless --device asks for one. */
static bool mac_wanted(const iotap_report *r, const uint8_t *mac)
{
    if (!mac)
        return !r->cli->has_device;
    if (!r_mac_is_device(r, mac))
        return false;
    return !r->cli->has_device || memcmp(mac, r->cli->device_mac, 6) == 0;
}

static void write_row(iotap_report *r, int64_t ts, const uint8_t *mac, const char *qname,
                      uint16_t qtype, const iotap_dns_msg *m)
{
    if (!mac_wanted(r, mac))
        return;
    iotap_csv *c = r->csv;
    char tb[8], rb[8];
    iotap_csv_time(c, ts);
    if (mac)
        iotap_csv_mac(c, mac);
    else
        iotap_csv_str(c, NULL);
    iotap_csv_str(c, qname);
    iotap_csv_str(c, type_name(qtype, tb));
    if (!m) {
        iotap_csv_str(c, NULL);
        iotap_csv_str(c, NULL);
        iotap_csv_str(c, NULL);
        iotap_csv_end(c);
        return;
    }
    iotap_csv_str(c, rcode_name(m->rcode, rb));
    char ans[IOTAP_DNS_MAX_AN * (IOTAP_DNS_NAME_BUFSZ + 1) + 1];
    size_t used = 0;
    uint32_t ttl = UINT32_MAX;
    ans[0] = 0;
    for (size_t i = 0; i < m->nan; i++) {
        const iotap_dns_rr *rr = &m->an[i];
        char ab[IOTAP_ADDR_BUFSZ];
        const char *v = rr->type == IOTAP_DNS_CNAME ? rr->target : iotap_addr_format(&rr->addr, ab);
        used += (size_t)snprintf(ans + used, sizeof ans - used, "%s%s", used ? ";" : "", v);
        if (used >= sizeof ans)
            break;
        if (rr->ttl < ttl)
            ttl = rr->ttl;
    }
    iotap_csv_str(c, ans);
    if (ttl != UINT32_MAX)
        iotap_csv_u64(c, ttl);
    else
        iotap_csv_str(c, NULL);
    iotap_csv_end(c);
}

static rdns_pending *slot(iotap_report *r, unsigned i)
{
    return &r->pending[(r->phead + i) % R_DNS_PENDING];
}

/* Writes and drops the oldest queries: unanswered ones older than now -
 * DNS_WAIT_NS, answered ones (already written) as soon as they are oldest. */
void rdns_flush(iotap_report *r, int64_t now)
{
    while (r->pcount) {
        rdns_pending *q = slot(r, 0);
        if (!q->used) {
            if (now != INT64_MAX && q->ts > now - DNS_WAIT_NS)
                break;
            if (r->want_dns)
                write_row(r, q->ts, q->has_mac ? q->mac : NULL, q->qname, q->qtype, NULL);
        }
        r->phead = (r->phead + 1) % R_DNS_PENDING;
        r->pcount--;
    }
}

/* One warning per damaged message, the first R_DNS_WARN_MAX of them; the
 * rest are counted and summed up by rdns_warn_summary(). */
#define R_DNS_WARN_MAX 10

static void report_damage(iotap_report *r, const iotap_decoded *d, const iotap_dns_msg *m,
                          const char *err, const char *cut, size_t len)
{
    r->dns_damaged++;
    if (r->dns_damaged > R_DNS_WARN_MAX)
        return;
    const iotap_packet *p = d->pkt;
    if (cut && len == 0) {
        iotap_warn("%s: packet %llu: %s", p->input ? p->input : "-",
                   (unsigned long long)p->input_num, cut);
        return;
    }
    if (cut && !err)
        err = "";
    char cap[160] = "";
    if (m->dropped) {
        uint32_t qdrop = m->qdcount > m->nq ? (uint32_t)(m->qdcount - m->nq) : 0;
        if (qdrop > m->dropped)
            qdrop = m->dropped;
        uint32_t adrop = m->dropped - qdrop;
        if (adrop)
            snprintf(cap, sizeof cap, "%sfirst %zu of %llu A/AAAA/CNAME answers kept (at most %d)",
                     err ? "; " : "", m->nan, (unsigned long long)m->nan + adrop,
                     IOTAP_DNS_MAX_AN);
        else
            snprintf(cap, sizeof cap, "%sfirst %zu of %u questions kept (at most %d)",
                     err ? "; " : "", m->nq, (unsigned)m->qdcount, IOTAP_DNS_MAX_QD);
    }
    /* A cut message shorter than the header: neither query nor response. */
    iotap_warn("%s: packet %llu: DNS %s: %s%s%s%s", p->input ? p->input : "-",
               (unsigned long long)p->input_num,
               m->qr ? "response" : cut && len < 12 ? "message" : "query",
               cut ? cut : "", cut && err[0] ? ": " : "", err ? err : "", cap);
}

void rdns_warn_summary(const iotap_report *r)
{
    if (r->dns_damaged > R_DNS_WARN_MAX)
        iotap_warn("%llu damaged or cut DNS messages in all (%llu more not shown)",
                   (unsigned long long)r->dns_damaged,
                   (unsigned long long)(r->dns_damaged - R_DNS_WARN_MAX));
}

void rdns_packet(iotap_report *r, const iotap_decoded *d, bool log)
{
    rdns_message(r, d, d->payload, d->payload_caplen, log, NULL);
}

void rdns_message(iotap_report *r, const iotap_decoded *d, const uint8_t *msg, size_t len,
                  bool log, const char *cut)
{
    iotap_dns_msg *m = r->dnsmsg;
    const char *err = iotap_dns_parse(msg, len, m);
    /* iotap-dns reports damaged messages and the parser's caps (nothing is
     * lost silently) and keeps what was parsed before the damage. A
     * message cut in its TCP stream (rdnstcp.c) is reported with `cut`. */
    if (r->o.kind == IOTAP_REPORT_DNS && log && (err || m->dropped || cut))
        report_damage(r, d, m, err, cut, len);
    if (m->nq == 0)
        return;
    int64_t ts = d->pkt->ts_ns;
    if (!m->qr) {
        if (!log || d->sport == 53)
            return;
        rdns_flush(r, ts);
        if (r->pcount == R_DNS_PENDING) {
            r->st.dns_pending_dropped++;
            rdns_pending *q = slot(r, 0);
            if (!q->used)
                write_row(r, q->ts, q->has_mac ? q->mac : NULL, q->qname, q->qtype, NULL);
            r->phead = (r->phead + 1) % R_DNS_PENDING;
            r->pcount--;
        }
        rdns_pending *q = slot(r, r->pcount++);
        memset(q, 0, sizeof *q);
        q->ts = ts;
        q->has_mac = d->has_mac;
        if (d->has_mac)
            memcpy(q->mac, d->src_mac, 6);
        q->client = d->src;
        q->port = d->sport;
        q->id = m->id;
        q->qtype = m->q[0].type;
        snprintf(q->qname, sizeof q->qname, "%s", m->q[0].name);
        return;
    }
    if (d->sport != 53)
        return;
    /* Learning: the asker's question names every address in the answer. */
    if (r->o.kind != IOTAP_REPORT_DNS)
        iotap_names_add_dns(r->names, d->has_mac ? d->dst_mac : NULL, ts, m);
    if (!log)
        return;
    rdns_flush(r, ts);
    for (unsigned i = 0; i < r->pcount; i++) {
        rdns_pending *q = slot(r, i);
        if (!q->used && q->id == m->id && q->port == d->dport &&
            iotap_addr_eq(&q->client, &d->dst) && strcmp(q->qname, m->q[0].name) == 0) {
            q->used = true;
            write_row(r, q->ts, q->has_mac ? q->mac : NULL, q->qname, q->qtype, m);
            return;
        }
    }
    /* The query was not captured (or came before --since). */
    write_row(r, ts, d->has_mac ? d->dst_mac : NULL, m->q[0].name, m->q[0].type, m);
}
