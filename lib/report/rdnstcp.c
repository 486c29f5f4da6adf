/*
 * rdnstcp.c - DNS over TCP port 53 (RFC 1035 4.2.2, RFC 7766: answers
 * retried over TCP after a truncated UDP answer, zone transfers) for the
 * reports. Each direction of a TCP connection with port 53 at either end is
 * put back in order (lib/reasm.h), cut into 2-byte-length-prefixed messages,
 * and every message goes through the same code as a UDP DNS payload
 * (rdns_message(): the name cache, the iotap-dns rows, the damage warnings).
 *
 * The streams live in their own table, not in the flow table: iotap-dns
 * reads no flows, and DNS teaches names for every device whatever --device
 * or --since say (as for UDP). Bounded: at most R_TCP_STREAMS connections
 * (the least recently seen is ended, its buffers flushed, when a new one
 * comes), R_TCP_REASM out-of-order bytes per direction and R_TCP_POOL in
 * all, and message buffers (a message that does not arrive in one piece)
 * of at most R_TCP_MSGBUF bytes in all; a message that finds no room is
 * skipped and reported. A stream ends (and its memory is freed) at its
 * FIN/RST in both directions, a new SYN on the same ports, eviction, or the
 * end of the input.
 *
 * Damage is reported like a damaged UDP message (FILE: packet N: ...):
 * a message cut by a hole in the capture or by the end of the stream is
 * parsed as far as it goes and reported; after a hole the rest of that
 * direction is not read (the message boundaries are lost).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reasm.h"
#include "report/rint.h"
#include "util.h"

#define R_TCP_STREAMS 64
#define R_TCP_REASM (64 * 1024)
#define R_TCP_POOL (1024 * 1024)
#define R_TCP_MSGBUF (2 * 1024 * 1024)

typedef struct rdt_dir {
    struct rdt_stream *s;
    int dir;
    iotap_reasm ra;
    iotap_decoded d;            /* addresses, ports, MACs of this direction */
    iotap_packet pkt;           /* input, packet number, time of the message */
    uint8_t hdr[2];
    uint8_t hlen;               /* length-field bytes held */
    uint32_t need;              /* message length (valid when hlen == 2) */
    uint32_t have;              /* message bytes held or skipped */
    uint8_t *buf;               /* message bytes when split (NULL: skipping) */
    bool skip;                  /* this message is skipped (no room) */
    bool lost;                  /* a hole: the rest of the direction is not read */
    bool seen;                  /* a packet went this way */
    bool fin;
} rdt_dir;

typedef struct rdt_stream {
    iotap_report *r;
    bool used;
    iotap_addr a[2];
    uint16_t port[2];
    int64_t last_ns;
    rdt_dir d[2];
} rdt_stream;

struct rdnstcp {
    rdt_stream st[R_TCP_STREAMS];
    iotap_reasm_pool pool;
    size_t bufbytes;            /* message buffer bytes held */
    uint64_t evicted, skipped;
    char inputs[R_TCP_STREAMS * 2][256];
};

static rdnstcp *get(iotap_report *r)
{
    if (!r->dnstcp) {
        r->dnstcp = xcalloc(1, sizeof *r->dnstcp);
        r->dnstcp->pool.cap = R_TCP_POOL;
    }
    return r->dnstcp;
}

static void free_buf(rdt_dir *x)
{
    if (x->buf) {
        x->s->r->dnstcp->bufbytes -= x->need;
        free(x->buf);
        x->buf = NULL;
    }
}

static void message(rdt_dir *x, const uint8_t *p, size_t n, const char *cut)
{
    iotap_report *r = x->s->r;
    bool log = r->want_dns && iotap_cli_time_ok(r->cli, x->pkt.ts_ns);
    rdns_message(r, &x->d, p, n, log, cut);
}

/* The message being collected ends here: cut (a hole, the stream's end). */
static void cut_message(rdt_dir *x, const char *why)
{
    char err[160];
    if (x->hlen < 2) {
        if (x->hlen == 0)
            return;
        snprintf(err, sizeof err, "DNS over TCP length field cut (%s)", why);
        message(x, NULL, 0, err);
    } else if (x->skip) {
        x->skip = false;
    } else {
        snprintf(err, sizeof err, "DNS over TCP message cut after %u of %u bytes (%s)",
                 (unsigned)x->have, (unsigned)x->need, why);
        message(x, x->buf, x->have, err);
    }
    free_buf(x);
    x->hlen = 0;
    x->have = x->need = 0;
}

static void on_data(void *ctx, const uint8_t *p, size_t n, int64_t ts_ns)
{
    rdt_dir *x = ctx;
    x->pkt.ts_ns = ts_ns;
    while (n && !x->lost) {
        if (x->hlen < 2) {
            x->hdr[x->hlen++] = *p++;
            n--;
            if (x->hlen < 2)
                continue;
            x->need = (uint32_t)x->hdr[0] << 8 | x->hdr[1];
            x->have = 0;
            x->skip = false;
            if (x->need == 0) {
                message(x, NULL, 0, "DNS over TCP message of length 0");
                x->hlen = 0;
                continue;
            }
            if (n >= x->need) {     /* whole: parsed in place */
                message(x, p, x->need, NULL);
                p += x->need;
                n -= x->need;
                x->hlen = 0;
                continue;
            }
            rdnstcp *t = x->s->r->dnstcp;
            if (t->bufbytes + x->need > R_TCP_MSGBUF) {
                x->skip = true;
                t->skipped++;
                char err[120];
                snprintf(err, sizeof err, "DNS over TCP message of %u bytes not read "
                         "(buffers of all streams full)", (unsigned)x->need);
                message(x, NULL, 0, err);
            } else {
                x->buf = xmalloc(x->need);
                t->bufbytes += x->need;
            }
        }
        size_t k = x->need - x->have;
        if (k > n)
            k = n;
        if (x->buf)
            memcpy(x->buf + x->have, p, k);
        x->have += (uint32_t)k;
        p += k;
        n -= k;
        if (x->have == x->need) {
            if (x->buf)
                message(x, x->buf, x->need, NULL);
            free_buf(x);
            x->hlen = 0;
            x->have = x->need = 0;
            x->skip = false;
        }
    }
}

static void on_gap(void *ctx, uint64_t n)
{
    rdt_dir *x = ctx;
    if (x->lost)
        return;
    char why[64];
    snprintf(why, sizeof why, "%llu bytes missing in the capture", (unsigned long long)n);
    if (x->hlen)
        cut_message(x, why);
    else {
        char err[160];
        snprintf(err, sizeof err, "DNS over TCP: %s; the rest of this direction not read", why);
        message(x, NULL, 0, err);
    }
    x->lost = true;
}

static void stream_end(rdt_stream *s)
{
    for (int i = 0; i < 2; i++) {
        rdt_dir *x = &s->d[i];
        if (x->seen) {
            iotap_reasm_flush(&x->ra);
            if (!x->lost)
                cut_message(x, "the stream ends");
        }
        free_buf(x);
        iotap_reasm_free(&x->ra);
    }
    s->used = false;
}

static void stream_init(iotap_report *r, rdnstcp *t, rdt_stream *s, const iotap_decoded *d)
{
    memset(s, 0, sizeof *s);
    s->r = r;
    s->used = true;
    s->a[0] = d->src;
    s->a[1] = d->dst;
    s->port[0] = d->sport;
    s->port[1] = d->dport;
    for (int i = 0; i < 2; i++) {
        s->d[i].s = s;
        s->d[i].dir = i;
        iotap_reasm_init(&s->d[i].ra, &t->pool, R_TCP_REASM, on_data, on_gap, &s->d[i]);
    }
}

void rdnstcp_packet(iotap_report *r, const iotap_decoded *d)
{
    rdnstcp *t = get(r);
    rdt_stream *s = NULL, *lru = NULL, *freeslot = NULL;
    int dir = 0;
    for (int i = 0; i < R_TCP_STREAMS; i++) {
        rdt_stream *c = &t->st[i];
        if (!c->used) {
            if (!freeslot)
                freeslot = c;
            continue;
        }
        if (!lru || c->last_ns < lru->last_ns)
            lru = c;
        if (c->port[0] == d->sport && c->port[1] == d->dport &&
            iotap_addr_eq(&c->a[0], &d->src) && iotap_addr_eq(&c->a[1], &d->dst)) {
            s = c;
            dir = 0;
            break;
        }
        if (c->port[1] == d->sport && c->port[0] == d->dport &&
            iotap_addr_eq(&c->a[1], &d->src) && iotap_addr_eq(&c->a[0], &d->dst)) {
            s = c;
            dir = 1;
            break;
        }
    }
    bool syn = (d->tcp_flags & (IOTAP_TCP_SYN | IOTAP_TCP_ACK)) == IOTAP_TCP_SYN;
    if (s && syn && s->d[dir].seen && s->d[dir].ra.started &&
        d->tcp_seq + 1 != s->d[dir].ra.base_seq) {
        stream_end(s);          /* the ports are used again */
        s = NULL;
    }
    if (!s) {
        if (d->payload_caplen == 0 && d->payload_len == 0 && !(d->tcp_flags & IOTAP_TCP_SYN))
            return;             /* nothing to read from a stray ACK/FIN/RST */
        if (!freeslot) {
            t->evicted++;
            stream_end(lru);
            freeslot = lru;
        }
        s = freeslot;
        stream_init(r, t, s, d);
        dir = 0;
    }
    s->last_ns = d->pkt->ts_ns;
    rdt_dir *x = &s->d[dir];
    if (!x->seen) {
        x->seen = true;
        x->d = *d;
        x->d.payload = NULL;
        x->d.payload_caplen = x->d.payload_len = 0;
        x->d.pkt = &x->pkt;
    }
    /* Where a message is reported: the packet that completes (or cuts) it. */
    char *in = t->inputs[(s - t->st) * 2 + dir];
    const char *pin = d->pkt->input ? d->pkt->input : "-";
    if (strcmp(in, pin) != 0)
        snprintf(in, 256, "%s", pin);
    x->pkt.input = in;
    x->pkt.input_num = d->pkt->input_num;
    x->pkt.num = d->pkt->num;
    x->pkt.ts_ns = d->pkt->ts_ns;
    s->d[!dir].pkt.input = x->pkt.input;    /* a hole found by an ACK */
    s->d[!dir].pkt.input_num = x->pkt.input_num;
    if (d->tcp_flags & IOTAP_TCP_ACK)
        iotap_reasm_ack(&s->d[!dir].ra, d->tcp_ack);
    iotap_reasm_segment(&x->ra, d->tcp_seq, d->tcp_flags, d->payload, d->payload_caplen,
                        d->payload_len, d->pkt->ts_ns);
    if (d->tcp_flags & (IOTAP_TCP_FIN | IOTAP_TCP_RST))
        x->fin = true;
    if (d->tcp_flags & IOTAP_TCP_RST)
        s->d[!dir].fin = true;
    if (s->d[0].fin && s->d[1].fin)
        stream_end(s);
}

void rdnstcp_finish(iotap_report *r)
{
    rdnstcp *t = r->dnstcp;
    if (!t)
        return;
    for (int i = 0; i < R_TCP_STREAMS; i++)
        if (t->st[i].used)
            stream_end(&t->st[i]);
    if (r->o.kind == IOTAP_REPORT_DNS && t->evicted)
        iotap_warn("DNS over TCP: more than %d connections open: %llu ended early (their "
                   "later bytes are read as a new stream, likely out of step)", R_TCP_STREAMS,
                   (unsigned long long)t->evicted);
}

void rdnstcp_free(iotap_report *r)
{
    rdnstcp *t = r->dnstcp;
    if (!t)
        return;
    for (int i = 0; i < R_TCP_STREAMS; i++)
        if (t->st[i].used) {
            for (int k = 0; k < 2; k++) {
                free_buf(&t->st[i].d[k]);
                iotap_reasm_free(&t->st[i].d[k].ra);
            }
            t->st[i].used = false;
        }
    free(t);
    r->dnstcp = NULL;
}
