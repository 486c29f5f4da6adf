/*
 * http_session.c - flow table + reassembly + HTTP parser glue shared by
 * iotap-http and iotap-extract (see http_session.h).
 */
#include "http_session.h"

#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

typedef struct hflow hflow;
typedef struct dirctx {
    hflow *h;
    int dir;
} dirctx;

struct hflow {
    iotap_reasm r[2];
    dirctx dc[2];
    iotap_http_conn *conn;
    iotap_flow *flow;
    iotap_http_session *s;
    bool counted;
};

struct iotap_http_session {
    iotap_http_session_config cfg;
    const iotap_http_hooks *hooks;
    void *ctx;
    iotap_http_hooks fwd;       /* what the parsers call: forwards to hooks */
    iotap_reasm_pool pool;
    iotap_http_budget budget;   /* header bytes of all connections */
    const iotap_packet *pkt;    /* packet being handled (for messages) */
    iotap_http_session_stats st;
    int ignored;                /* &ignored marks flows that are not HTTP */
};

void iotap_http_session_config_default(iotap_http_session_config *c)
{
    c->max_body = 64ull << 20;
    c->stream_cap = 4ull << 20;
    c->total_cap = 256ull << 20;
    c->max_warnings = 50;
    c->max_flows = 20000;
    c->header_cap = 64ull << 20;
}

bool iotap_http_session_option(iotap_http_session_config *c, int opt, const char *arg)
{
    static const char *const names[] = {"max-body", "stream-buffer", "total-buffer",
                                        "max-flows", "max-header-bytes"};
    uint64_t v = 0;
    switch (opt) {
    case IOTAP_HTTP_OPT_FLOWS: {
        char *end;
        unsigned long long n = strtoull(arg, &end, 10);
        if (end == arg || *end || *arg == '-' || n == 0 || n > 100000000ull)
            iotap_die("--max-flows: '%s' is not a count from 1 to 100000000", arg);
        c->max_flows = (size_t)n;
        return true;
    }
    case IOTAP_HTTP_OPT_MAX_BODY:
    case IOTAP_HTTP_OPT_STREAM:
    case IOTAP_HTTP_OPT_TOTAL:
    case IOTAP_HTTP_OPT_HDR:
        if (iotap_parse_size(arg, &v) != 0 || v == 0)
            iotap_die("--%s: '%s' is not a size (like 64M)", names[opt - IOTAP_HTTP_OPT_MAX_BODY],
                      arg);
        if (opt == IOTAP_HTTP_OPT_MAX_BODY)
            c->max_body = v;
        else if (opt == IOTAP_HTTP_OPT_STREAM)
            c->stream_cap = v;
        else if (opt == IOTAP_HTTP_OPT_TOTAL)
            c->total_cap = v;
        else
            c->header_cap = v;
        return true;
    default:
        return false;
    }
}

/* ---- hooks: forwarded with the user's context ---- */

static void *f_body_open(iotap_http_txn *t, int side, void *ctx)
{
    hflow *h = ctx;
    return h->s->hooks->body_open ? h->s->hooks->body_open(t, side, h->s->ctx) : NULL;
}
static void f_body_write(void *sink, const uint8_t *p, size_t n, void *ctx)
{
    hflow *h = ctx;
    if (h->s->hooks->body_write)
        h->s->hooks->body_write(sink, p, n, h->s->ctx);
}
static void f_body_close(void *sink, iotap_http_txn *t, int side, void *ctx)
{
    hflow *h = ctx;
    if (h->s->hooks->body_close)
        h->s->hooks->body_close(sink, t, side, h->s->ctx);
}
static void f_txn_done(iotap_http_txn *t, void *ctx)
{
    hflow *h = ctx;
    h->s->st.txns++;
    if (h->s->hooks->txn_done)
        h->s->hooks->txn_done(t, h->s->ctx);
}
static void f_problem(const char *what, void *ctx)
{
    hflow *h = ctx;
    iotap_http_session *s = h->s;
    s->st.problems++;
    if (s->st.problems > s->cfg.max_warnings)
        return;
    char la[IOTAP_ADDR_BUFSZ], ra[IOTAP_ADDR_BUFSZ];
    const iotap_flow *f = h->flow;
    iotap_addr_format(&f->local, la);
    iotap_addr_format(&f->remote, ra);
    if (s->pkt)
        iotap_warn("%s: HTTP %s%s%s:%u - %s%s%s:%u: %s (packet %" PRIu64 ")", s->pkt->input,
                   f->local.family == 6 ? "[" : "", la, f->local.family == 6 ? "]" : "", f->lport,
                   f->remote.family == 6 ? "[" : "", ra, f->remote.family == 6 ? "]" : "", f->rport,
                   what, s->pkt->num);
    else
        iotap_warn("HTTP %s:%u - %s:%u: %s (when the flow closed)", la, f->lport, ra,
                   f->rport, what);
}

/* ---- reassembly -> parser ---- */

static void on_data(void *ctx, const uint8_t *p, size_t n, int64_t ts)
{
    dirctx *dc = ctx;
    iotap_http_data(dc->h->conn, dc->dir, p, n, ts);
}

static void on_conflict(void *ctx)
{
    dirctx *dc = ctx;
    iotap_http_conflict(dc->h->conn, dc->dir);
}

static void on_gap(void *ctx, uint64_t n)
{
    dirctx *dc = ctx;
    dc->h->s->st.gaps++;
    dc->h->s->st.gap_bytes += n;
    iotap_http_gap(dc->h->conn, dc->dir, n);
}

iotap_http_session *iotap_http_session_new(const iotap_http_session_config *cfg,
                                           const iotap_http_hooks *hooks, void *ctx)
{
    iotap_http_session *s = xcalloc(1, sizeof *s);
    if (cfg)
        s->cfg = *cfg;
    else
        iotap_http_session_config_default(&s->cfg);
    s->hooks = hooks;
    s->ctx = ctx;
    s->fwd.body_open = f_body_open;
    s->fwd.body_write = f_body_write;
    s->fwd.body_close = f_body_close;
    s->fwd.txn_done = f_txn_done;
    s->fwd.problem = f_problem;
    s->pool.cap = s->cfg.total_cap;
    s->budget.cap = s->cfg.header_cap;
    return s;
}

static void hflow_free(iotap_http_session *s, hflow *h)
{
    s->st.conflicts += h->r[0].conflicts + h->r[1].conflicts;
    iotap_reasm_free(&h->r[0]);
    iotap_reasm_free(&h->r[1]);
    iotap_http_conn_free(h->conn);
    free(h);
}

void iotap_http_session_packet(iotap_http_session *s, iotap_flow *f, int dir,
                               const iotap_decoded *d)
{
    if (!f || f->proto != IPPROTO_TCP || !d->has_l4 || f->user == &s->ignored)
        return;
    hflow *h = f->user;
    if (!h) {
        h = xcalloc(1, sizeof *h);
        h->s = s;
        h->flow = f;
        h->conn = iotap_http_conn_new(&s->fwd, h, s->cfg.max_body, f);
        iotap_http_conn_budget(h->conn, &s->budget);
        for (int i = 0; i < 2; i++) {
            h->dc[i].h = h;
            h->dc[i].dir = i;
            iotap_reasm_init(&h->r[i], &s->pool, (size_t)s->cfg.stream_cap, on_data, on_gap, &h->dc[i]);
            h->r[i].on_conflict = on_conflict;
        }
        f->user = h;
        s->st.tcp_flows++;
    }
    s->pkt = d->pkt;
    dir &= 1;
    if (d->tcp_flags & IOTAP_TCP_ACK)
        iotap_reasm_ack(&h->r[!dir], d->tcp_ack);
    iotap_reasm_segment(&h->r[dir], d->tcp_seq, d->tcp_flags, d->payload,
                        d->payload_caplen, d->payload_len, d->pkt->ts_ns);
    if (s->pool.peak > s->st.peak_buffered)
        s->st.peak_buffered = s->pool.peak;
    if (!h->counted && iotap_http_seen(h->conn)) {
        h->counted = true;
        s->st.http_flows++;
    }
    if (!iotap_http_active(h->conn)) {
        /* Not HTTP, or a tunnel now: report what there is and stop. */
        iotap_http_finish(h->conn);
        hflow_free(s, h);
        f->user = &s->ignored;
    }
    s->pkt = NULL;
}

void iotap_http_session_close(iotap_http_session *s, iotap_flow *f)
{
    hflow *h = f->user;
    if (!h || f->user == &s->ignored) {
        f->user = NULL;
        return;
    }
    for (int dir = 0; dir < 2; dir++) {
        bool clean = iotap_reasm_flush(&h->r[dir]);
        iotap_http_eof(h->conn, dir, clean);
    }
    iotap_http_finish(h->conn);
    if (!h->counted && iotap_http_seen(h->conn))
        s->st.http_flows++;
    hflow_free(s, h);
    f->user = NULL;
}

void iotap_http_session_stats_get(const iotap_http_session *s, iotap_http_session_stats *st)
{
    *st = s->st;
    st->peak_buffered = s->pool.peak;
    st->header_blocks_dropped = s->budget.blocks_dropped;
    st->txns_forced = s->budget.txns_forced;
    st->peak_header_bytes = s->budget.peak;
}

void iotap_http_session_free(iotap_http_session *s)
{
    if (!s)
        return;
    if (s->st.problems > s->cfg.max_warnings)
        iotap_warn("%" PRIu64 " more HTTP problems not shown", s->st.problems - s->cfg.max_warnings);
    if (s->st.conflicts)
        iotap_warn("%" PRIu64 " overlapping TCP segments differed from data already received "
                   "(first copy kept); the messages they fell in are marked incomplete",
                   s->st.conflicts);
    if (s->budget.blocks_dropped || s->budget.txns_forced)
        iotap_warn("header bytes of all connections reached the cap (%" PRIu64 " bytes): %"
                   PRIu64 " header blocks given up, %" PRIu64 " unanswered requests "
                   "written early (incomplete); raise --max-header-bytes", s->budget.cap,
                   s->budget.blocks_dropped, s->budget.txns_forced);
    free(s);
}

static void run_close(iotap_flow *f, void *ctx)
{
    iotap_http_session_close(ctx, f);
}

iotap_reader *iotap_http_session_run(iotap_http_session *s, iotap_cli *cli)
{
    iotap_lan *lan = iotap_lan_new();
    for (size_t i = 0; i < cli->config.nlan; i++)
        iotap_lan_add(lan, &cli->config.lan[i]);
    iotap_flow_config fc;
    iotap_flow_config_default(&fc);
    if (s->cfg.max_flows)
        fc.max_flows = s->cfg.max_flows;
    iotap_flow_table *ft = iotap_flows_new(&fc, lan, run_close, s);
    if (cli->config.has_router)
        iotap_flows_add_router(ft, cli->config.router_mac);
    iotap_reader *r = iotap_reader_open(cli->inputs, cli->ninputs);
    iotap_reader_check_linktypes(r);
    iotap_packet p;
    iotap_decoded d;
    while (iotap_reader_next(r, &p)) {
        iotap_cli_progress(cli, r, &p);
        if (!iotap_cli_time_ok(cli, p.ts_ns))
            continue;
        if (iotap_decode(&p, &d) != 0)
            continue;
        /* Every packet goes to the flow table: it learns the LAN and the
         * router from them, which orients the TCP flows. */
        int dir = 0;
        iotap_flow *f = iotap_flows_packet(ft, &d, &dir);
        if (!f || !d.has_l4 || d.proto != IPPROTO_TCP)
            continue;
        if (cli->has_device && (!f->has_mac || memcmp(f->dev_mac, cli->device_mac, 6) != 0))
            continue;
        iotap_http_session_packet(s, f, dir, &d);
    }
    iotap_flows_finish(ft);
    iotap_flow_stats fs;
    iotap_flows_stats(ft, &fs);
    s->st.flows_evicted = fs.evicted;
    /* Each evicted connection was flushed like a closed one: its open
     * messages were written, marked incomplete. */
    if (fs.evicted)
        iotap_warn("flow table full (%zu open flows): %" PRIu64 " flows closed early; raise "
                   "--max-flows to keep them whole", fc.max_flows, fs.evicted);
    iotap_flows_free(ft);
    iotap_lan_free(lan);
    return r;
}
