/*
 * test-flow.c - the flow table (lib/flow.c): orientation rules, counts each
 * way, TCP life (handshake, FIN, RST, linger, SYN after close), idle expiry
 * per protocol, time going backwards, the max_flows cap under a million
 * flows, Zeek conn_state values, and what the table learns (router MACs,
 * on-link prefixes from Router Advertisements).
 */
#include "capture.h"
#include "flow.h"
#include "test.h"
#include "util.h"

#include <arpa/inet.h>
#include <stdlib.h>

#define SEC IOTAP_NS_PER_SEC
#define T0 (1700000000LL * SEC)

static const uint8_t DEV[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x01 };
static const uint8_t DEV2[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x02 };
static const uint8_t RTR[6] = { 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0x01 };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* A decoded packet built by hand (the decoder has its own test). */
typedef struct pk {
    iotap_packet p;
    iotap_decoded d;
    uint8_t bytes[64];
} pk;

static void addr(iotap_addr *a, const char *s)
{
    if (iotap_addr_parse(s, a) != 0) {
        fprintf(stderr, "bad address %s\n", s);
        exit(2);
    }
}

static pk *mk(pk *x, int64_t ts, unsigned proto, const char *src, unsigned sp,
              const char *dst, unsigned dp, unsigned flags, uint32_t paylen,
              const uint8_t *smac, const uint8_t *dmac)
{
    memset(x, 0, sizeof *x);
    x->p.ts_ns = ts;
    x->p.len = x->p.caplen = 54 + paylen;
    x->p.linktype = IOTAP_LINK_ETHERNET;
    x->d.pkt = &x->p;
    addr(&x->d.src, src);
    addr(&x->d.dst, dst);
    x->d.ip_ver = x->d.src.family;
    x->d.ethertype = x->d.ip_ver == 4 ? 0x0800 : 0x86dd;
    x->d.ttl = 64;
    x->d.proto = (uint8_t)proto;
    x->d.has_l4 = proto == 6 || proto == 17 || proto == 1 || proto == 58;
    x->d.sport = (uint16_t)sp;
    x->d.dport = (uint16_t)dp;
    x->d.tcp_flags = (uint8_t)flags;
    x->d.payload_len = paylen;
    x->d.payload = x->bytes;
    if (smac && dmac) {
        x->d.has_mac = true;
        memcpy(x->d.src_mac, smac, 6);
        memcpy(x->d.dst_mac, dmac, 6);
    }
    return x;
}

/* What the close callback saw. */
typedef struct seen {
    iotap_flow f;
    char cs[8];
} seen;
static seen closes[256];
static int nclosed;
static uint32_t *idcount;      /* close calls per flow id (big test) */
static size_t idcap;
static uint64_t order_bad;     /* evicted flows not closed oldest first */
static uint64_t last_closed_id;

static void on_close(iotap_flow *f, void *ctx)
{
    (void)ctx;
    if (idcount) {
        if (f->id < idcap)
            idcount[f->id]++;
        if (f->end == IOTAP_END_EVICTED && f->id != last_closed_id + 1)
            order_bad++;
        last_closed_id = f->id;
        return;
    }
    if (nclosed < (int)(sizeof closes / sizeof closes[0])) {
        closes[nclosed].f = *f;
        snprintf(closes[nclosed].cs, sizeof closes[nclosed].cs, "%s", iotap_flow_conn_state(f));
    }
    nclosed++;
}

static const seen *closed_id(uint64_t id)
{
    for (int i = 0; i < nclosed && i < 256; i++)
        if (closes[i].f.id == id)
            return &closes[i];
    return NULL;
}

static iotap_flow_table *table(iotap_lan *lan)
{
    nclosed = 0;
    return iotap_flows_new(NULL, lan, on_close, NULL);
}

static iotap_flow *feed(iotap_flow_table *t, pk *x, int *dir)
{
    *dir = -1;
    return iotap_flows_packet(t, &x->d, dir);
}

static const char *fmt(const iotap_addr *a)
{
    static char s[4][IOTAP_ADDR_BUFSZ];
    static int i;
    i = (i + 1) % 4;
    return iotap_addr_format(a, s[i]);
}

/* ---- orientation -------------------------------------------------------- */

static void test_orientation(void)
{
    iotap_lan *lan = iotap_lan_new();
    iotap_flow_table *t = table(lan);
    pk x;
    int dir;

    /* Rule 1: the LAN end, whoever speaks first. */
    iotap_flow *f = feed(t, mk(&x, T0, 17, "93.184.216.34", 53, "192.168.1.10", 40000, 0, 100, RTR, DEV), &dir);
    CHECK(f != NULL);
    CHECK_EQ_I(dir, IOTAP_IN);
    CHECK_STR(fmt(&f->local), "192.168.1.10");
    CHECK_STR(fmt(&f->remote), "93.184.216.34");
    CHECK_EQ_U(f->lport, 40000);
    CHECK_EQ_U(f->rport, 53);
    CHECK(!f->remote_is_lan);
    iotap_flow *g = feed(t, mk(&x, T0 + 1, 17, "192.168.1.10", 40000, "93.184.216.34", 53, 0, 30, DEV, RTR), &dir);
    CHECK(g == f);
    CHECK_EQ_I(dir, IOTAP_OUT);
    feed(t, mk(&x, T0 + 2, 17, "192.168.1.10", 40000, "93.184.216.34", 53, 0, 31, DEV, RTR), &dir);
    CHECK_EQ_U(f->pkts[IOTAP_OUT], 2);
    CHECK_EQ_U(f->pkts[IOTAP_IN], 1);
    CHECK_EQ_U(f->bytes[IOTAP_OUT], 54 + 30 + 54 + 31);
    CHECK_EQ_U(f->bytes[IOTAP_IN], 54 + 100);
    CHECK_EQ_U(f->payload[IOTAP_OUT], 61);
    CHECK_EQ_U(f->payload[IOTAP_IN], 100);
    CHECK_EQ_I(f->first_ns, T0);
    CHECK_EQ_I(f->last_ns, T0 + 2);
    CHECK(f->has_mac);
    CHECK(memcmp(f->dev_mac, DEV, 6) == 0);
    CHECK(memcmp(f->remote_mac, RTR, 6) == 0);
    CHECK_EQ_U(f->id, 1);
    CHECK_EQ_U(f->proto, 17);

    /* The router MAC was learned from the packet from a non-LAN source. */
    CHECK(iotap_flows_is_router(t, RTR));
    CHECK(!iotap_flows_is_router(t, DEV));

    /* Rule 2: neither end in the LAN set (global IPv6, no RA seen): the
     * end behind the router MAC is remote. */
    f = feed(t, mk(&x, T0 + 3, 6, "2600::1", 443, "2001:db8:5::10", 50000, IOTAP_TCP_ACK, 0, RTR, DEV), &dir);
    CHECK_EQ_I(dir, IOTAP_IN);
    CHECK_STR(fmt(&f->local), "2001:db8:5::10");
    CHECK_EQ_U(f->lport, 50000);
    CHECK(memcmp(f->dev_mac, DEV, 6) == 0);
    CHECK(memcmp(f->remote_mac, RTR, 6) == 0);

    /* Rule 2 with a configured router MAC. */
    const uint8_t R2[6] = { 0x02, 0, 0, 0, 0, 0x99 };
    CHECK(!iotap_flows_is_router(t, R2));
    iotap_flows_add_router(t, R2);
    CHECK(iotap_flows_is_router(t, R2));
    f = feed(t, mk(&x, T0 + 3, 17, "2001:db8:9::1", 123, "2001:db8:7::2", 123, 0, 48, R2, DEV2), &dir);
    CHECK_EQ_I(dir, IOTAP_IN);
    CHECK_STR(fmt(&f->local), "2001:db8:7::2");

    /* Rule 3: both on the LAN, no router: the SYN sender... */
    f = feed(t, mk(&x, T0 + 4, 6, "192.168.1.20", 8080, "192.168.1.10", 51000, IOTAP_TCP_SYN, 0, DEV2, DEV), &dir);
    CHECK_EQ_I(dir, IOTAP_OUT);
    CHECK_STR(fmt(&f->local), "192.168.1.20");
    CHECK(f->remote_is_lan);
    /* ...also when only its SYN-ACK is seen: the receiver sent the SYN. */
    f = feed(t, mk(&x, T0 + 4, 6, "192.168.1.20", 8081, "192.168.1.10", 51001,
                   IOTAP_TCP_SYN | IOTAP_TCP_ACK, 0, DEV2, DEV), &dir);
    CHECK_EQ_I(dir, IOTAP_IN);
    CHECK_STR(fmt(&f->local), "192.168.1.10");
    CHECK_EQ_U(f->lport, 51001);

    /* Rule 4: the first sender. */
    f = feed(t, mk(&x, T0 + 5, 17, "192.168.1.30", 5353, "224.0.0.251", 5353, 0, 80, DEV2, BCAST), &dir);
    CHECK_EQ_I(dir, IOTAP_OUT);
    CHECK_STR(fmt(&f->local), "192.168.1.30");
    CHECK(f->remote_is_lan);
    f = feed(t, mk(&x, T0 + 5, 6, "192.168.1.31", 2000, "192.168.1.32", 3000, IOTAP_TCP_ACK, 5, DEV2, DEV), &dir);
    CHECK_EQ_I(dir, IOTAP_OUT);
    CHECK_STR(fmt(&f->local), "192.168.1.31");

    /* Orientation never changes: the other end's SYN does not flip it. */
    feed(t, mk(&x, T0 + 6, 6, "192.168.1.32", 3000, "192.168.1.31", 2000, IOTAP_TCP_SYN, 0, DEV, DEV2), &dir);
    CHECK_EQ_I(dir, IOTAP_IN);
    CHECK_STR(fmt(&f->local), "192.168.1.31");

    /* dev_mac from a frame to the device until the device sends itself. */
    f = feed(t, mk(&x, T0 + 7, 17, "8.8.4.4", 443, "192.168.1.44", 6000, 0, 10, RTR, BCAST), &dir);
    CHECK(memcmp(f->dev_mac, BCAST, 6) == 0);
    feed(t, mk(&x, T0 + 8, 17, "192.168.1.44", 6000, "8.8.4.4", 443, 0, 10, DEV2, RTR), &dir);
    CHECK(memcmp(f->dev_mac, DEV2, 6) == 0);
    feed(t, mk(&x, T0 + 9, 17, "8.8.4.4", 443, "192.168.1.44", 6000, 0, 10, RTR, BCAST), &dir);
    CHECK(memcmp(f->dev_mac, DEV2, 6) == 0);

    /* Without MACs (raw IP captures). */
    f = feed(t, mk(&x, T0 + 9, 17, "1.1.1.1", 53, "10.9.9.9", 999, 0, 10, NULL, NULL), &dir);
    CHECK(!f->has_mac);
    CHECK_STR(fmt(&f->local), "10.9.9.9");

    iotap_flow_stats st;
    iotap_flows_stats(t, &st);
    CHECK_EQ_U(st.created, 9);
    CHECK_EQ_U(st.active, 9);
    iotap_flows_finish(t);
    CHECK_EQ_I(nclosed, 9);
    for (int i = 0; i < nclosed; i++) {
        CHECK_EQ_U(closes[i].f.id, (uint64_t)i + 1);  /* creation order */
        CHECK_EQ_U(closes[i].f.end, IOTAP_END_EOF);
    }
    iotap_flows_stats(t, &st);
    CHECK_EQ_U(st.closed, 9);
    CHECK_EQ_U(st.active, 0);
    iotap_flows_free(t);
    iotap_lan_free(lan);
}

/* ---- TCP life ----------------------------------------------------------- */

#define DEVIP "192.168.1.10"
#define WEB "93.184.216.34"

static iotap_flow *out(iotap_flow_table *t, int64_t ts, unsigned sp, unsigned dp, unsigned fl, uint32_t len)
{
    pk x;
    int dir;
    iotap_flow *f = feed(t, mk(&x, ts, 6, DEVIP, sp, WEB, dp, fl, len, DEV, RTR), &dir);
    CHECK_EQ_I(dir, IOTAP_OUT);
    return f;
}

static iotap_flow *in(iotap_flow_table *t, int64_t ts, unsigned sp, unsigned dp, unsigned fl, uint32_t len)
{
    pk x;
    int dir;
    iotap_flow *f = feed(t, mk(&x, ts, 6, WEB, dp, DEVIP, sp, fl, len, RTR, DEV), &dir);
    CHECK_EQ_I(dir, IOTAP_IN);
    return f;
}

enum { S = IOTAP_TCP_SYN, A = IOTAP_TCP_ACK, F = IOTAP_TCP_FIN, R = IOTAP_TCP_RST, P = IOTAP_TCP_PSH };

static void test_tcp_life(void)
{
    iotap_lan *lan = iotap_lan_new();
    iotap_flow_table *t = table(lan);
    int64_t ms = SEC / 1000;

    iotap_flow *f = out(t, T0, 50000, 443, S, 0);
    CHECK_EQ_U(f->state, IOTAP_TCP_SYN_SENT);
    CHECK_STR(iotap_flow_conn_state(f), "S0");
    CHECK(in(t, T0 + 10 * ms, 50000, 443, S | A, 0) == f);
    CHECK_EQ_U(f->state, IOTAP_TCP_SYN_ACKED);
    out(t, T0 + 20 * ms, 50000, 443, A, 0);
    CHECK_EQ_U(f->state, IOTAP_TCP_ESTABLISHED);
    CHECK_STR(iotap_flow_conn_state(f), "S1");
    out(t, T0 + 30 * ms, 50000, 443, P | A, 100);
    in(t, T0 + 40 * ms, 50000, 443, P | A, 200);
    out(t, T0 + SEC, 50000, 443, F | A, 0);
    CHECK_EQ_U(f->state, IOTAP_TCP_CLOSING);
    CHECK_STR(iotap_flow_conn_state(f), "S2");
    in(t, T0 + SEC + 10 * ms, 50000, 443, A, 0);
    in(t, T0 + SEC + 20 * ms, 50000, 443, F | A, 0);
    CHECK_EQ_U(f->state, IOTAP_TCP_CLOSED);
    CHECK_EQ_U(f->end, IOTAP_END_FIN);
    CHECK_STR(iotap_flow_conn_state(f), "SF");
    CHECK_EQ_I(nclosed, 0);        /* lingering, not gone */
    /* The trailing ACK, 2 s later, still counts to the flow. */
    CHECK(out(t, T0 + 3 * SEC, 50000, 443, A, 0) == f);
    CHECK_EQ_U(f->pkts[IOTAP_OUT], 5);
    CHECK_EQ_U(f->pkts[IOTAP_IN], 4);
    CHECK_EQ_U(f->payload[IOTAP_OUT], 100);
    CHECK_EQ_U(f->payload[IOTAP_IN], 200);
    CHECK_EQ_U(f->flags[IOTAP_OUT], S | A | P | F);
    CHECK_EQ_U(f->flags[IOTAP_IN], S | A | P | F);
    uint64_t first = f->id;

    /* Another connection's packet 5.03 s after the close ends the linger. */
    out(t, T0 + SEC + 20 * ms + 5 * SEC + 10 * ms, 50001, 443, S, 0);
    CHECK_EQ_I(nclosed, 1);
    const seen *c = closed_id(first);
    CHECK(c != NULL);
    if (c) {
        CHECK_EQ_U(c->f.end, IOTAP_END_FIN);
        CHECK_STR(c->cs, "SF");
        CHECK_EQ_U(c->f.pkts[IOTAP_OUT], 5);
        CHECK_EQ_I(c->f.last_ns, T0 + 3 * SEC);
    }

    /* SYN on a reset flow (inside the linger): a new flow, the old one leaves. */
    int64_t t1 = T0 + 100 * SEC;
    f = out(t, t1, 50002, 80, S, 0);
    in(t, t1 + ms, 50002, 80, S | A, 0);
    out(t, t1 + 2 * ms, 50002, 80, A, 0);
    in(t, t1 + 3 * ms, 50002, 80, R | A, 0);
    CHECK_EQ_U(f->state, IOTAP_TCP_RESET);
    CHECK_EQ_U(f->end, IOTAP_END_RST);
    CHECK_STR(iotap_flow_conn_state(f), "RSTR");
    uint64_t old = f->id;
    int before = nclosed;
    iotap_flow *g = out(t, t1 + SEC, 50002, 80, S, 0);
    CHECK(g->id != old);
    CHECK_EQ_U(g->state, IOTAP_TCP_SYN_SENT);
    CHECK_EQ_U(g->pkts[IOTAP_OUT], 1);
    CHECK_EQ_U(g->pkts[IOTAP_IN], 0);
    CHECK_EQ_I(nclosed, before + 1);
    c = closed_id(old);
    CHECK(c && c->f.end == IOTAP_END_RST);
    /* A retransmitted SYN is not a new connection. */
    CHECK(out(t, t1 + 2 * SEC, 50002, 80, S, 0) == g);
    /* After FIN both ways too. */
    in(t, t1 + 2 * SEC + ms, 50002, 80, S | A, 0);
    out(t, t1 + 2 * SEC + 2 * ms, 50002, 80, F | A, 0);
    in(t, t1 + 2 * SEC + 3 * ms, 50002, 80, F | A, 0);
    CHECK_EQ_U(g->end, IOTAP_END_FIN);
    uint64_t gid = g->id;      /* g is freed (and its memory reused) below */
    iotap_flow *h = out(t, t1 + 2 * SEC + 4 * ms, 50002, 80, S, 0);
    CHECK(h->id != gid);
    CHECK_EQ_U(h->pkts[IOTAP_OUT], 1);
    c = closed_id(gid);
    CHECK(c && c->f.end == IOTAP_END_FIN && c->f.pkts[IOTAP_OUT] == 3);

    /* TCP idle timeout (30 min by default). */
    int64_t t2 = T0 + 10000 * SEC;
    f = out(t, t2, 50003, 443, A, 10);
    CHECK(out(t, t2 + 29 * 60 * SEC, 50003, 443, A, 10) == f);
    uint64_t idle_id = f->id;
    g = out(t, t2 + 29 * 60 * SEC + 30 * 60 * SEC + 1, 50003, 443, A, 10);
    CHECK(g->id != idle_id);
    c = closed_id(idle_id);
    CHECK(c && c->f.end == IOTAP_END_IDLE);
    CHECK(c && c->f.pkts[IOTAP_OUT] == 2);

    iotap_flows_free(t);       /* closes the rest through the callback */
    iotap_flow_stats st;
    (void)st;
    iotap_lan_free(lan);
}

/* Zeek's conn_state for each way a connection goes. */
static void test_conn_state(void)
{
    iotap_lan *lan = iotap_lan_new();
    iotap_flow_table *t = table(lan);
    int64_t ts = T0;
    unsigned port = 40000;
    iotap_flow *f;

#define NEXT_CONN() (port++, ts += SEC)
    NEXT_CONN();   /* S0: SYN, no reply */
    f = out(t, ts, port, 443, S, 0);
    out(t, ts + 1, port, 443, S, 0);
    CHECK_STR(iotap_flow_conn_state(f), "S0");

    NEXT_CONN();   /* REJ: SYN answered by RST */
    f = out(t, ts, port, 443, S, 0);
    in(t, ts + 1, port, 443, R | A, 0);
    CHECK_STR(iotap_flow_conn_state(f), "REJ");

    NEXT_CONN();   /* S1 */
    f = out(t, ts, port, 443, S, 0);
    in(t, ts + 1, port, 443, S | A, 0);
    out(t, ts + 2, port, 443, A, 0);
    out(t, ts + 3, port, 443, P | A, 10);
    CHECK_STR(iotap_flow_conn_state(f), "S1");

    NEXT_CONN();   /* SF */
    f = out(t, ts, port, 443, S, 0);
    in(t, ts + 1, port, 443, S | A, 0);
    out(t, ts + 2, port, 443, A, 0);
    in(t, ts + 3, port, 443, F | A, 0);
    out(t, ts + 4, port, 443, F | A, 0);
    CHECK_STR(iotap_flow_conn_state(f), "SF");

    NEXT_CONN();   /* S2: established, originator's FIN only */
    f = out(t, ts, port, 443, S, 0);
    in(t, ts + 1, port, 443, S | A, 0);
    out(t, ts + 2, port, 443, F | A, 0);
    CHECK_STR(iotap_flow_conn_state(f), "S2");

    NEXT_CONN();   /* S3: established, responder's FIN only */
    f = out(t, ts, port, 443, S, 0);
    in(t, ts + 1, port, 443, S | A, 0);
    out(t, ts + 2, port, 443, A, 0);
    in(t, ts + 3, port, 443, F | A, 0);
    CHECK_STR(iotap_flow_conn_state(f), "S3");

    NEXT_CONN();   /* RSTO */
    f = out(t, ts, port, 443, S, 0);
    in(t, ts + 1, port, 443, S | A, 0);
    out(t, ts + 2, port, 443, A, 0);
    out(t, ts + 3, port, 443, R, 0);
    CHECK_STR(iotap_flow_conn_state(f), "RSTO");

    NEXT_CONN();   /* RSTR */
    f = out(t, ts, port, 443, S, 0);
    in(t, ts + 1, port, 443, S | A, 0);
    out(t, ts + 2, port, 443, A, 0);
    in(t, ts + 3, port, 443, R, 0);
    CHECK_STR(iotap_flow_conn_state(f), "RSTR");

    NEXT_CONN();   /* RSTOS0: SYN then the originator's RST */
    f = out(t, ts, port, 443, S, 0);
    out(t, ts + 1, port, 443, R, 0);
    CHECK_STR(iotap_flow_conn_state(f), "RSTOS0");

    NEXT_CONN();   /* RSTRH: responder's SYN-ACK then its RST, no SYN seen */
    f = in(t, ts, port, 443, S | A, 0);
    in(t, ts + 1, port, 443, R, 0);
    CHECK_STR(iotap_flow_conn_state(f), "RSTRH");

    NEXT_CONN();   /* SH: SYN then FIN from the originator */
    f = out(t, ts, port, 443, S, 0);
    out(t, ts + 1, port, 443, F, 0);
    CHECK_STR(iotap_flow_conn_state(f), "SH");

    NEXT_CONN();   /* SHR: responder's SYN-ACK then FIN */
    f = in(t, ts, port, 443, S | A, 0);
    in(t, ts + 1, port, 443, F | A, 0);
    CHECK_STR(iotap_flow_conn_state(f), "SHR");

    NEXT_CONN();   /* OTH: midstream */
    f = out(t, ts, port, 443, P | A, 100);
    in(t, ts + 1, port, 443, A, 0);
    in(t, ts + 2, port, 443, P | A, 100);
    CHECK_STR(iotap_flow_conn_state(f), "OTH");
    CHECK_EQ_U(f->state, IOTAP_TCP_NONE);

    NEXT_CONN();   /* missed SYN: SYN-ACK then ACK, data -> established */
    f = in(t, ts, port, 443, S | A, 0);
    out(t, ts + 1, port, 443, A, 0);
    CHECK_STR(iotap_flow_conn_state(f), "S1");

    /* UDP: which ends sent, the first sender being the originator. */
    pk x;
    int dir;
    f = feed(t, mk(&x, ts, 17, DEVIP, 1, WEB, 2, 0, 1, DEV, RTR), &dir);
    CHECK_STR(iotap_flow_conn_state(f), "S0");
    feed(t, mk(&x, ts + 1, 17, DEVIP, 1, WEB, 2, 0, 0, DEV, RTR), &dir);
    CHECK_STR(iotap_flow_conn_state(f), "S0");
    feed(t, mk(&x, ts + 2, 17, WEB, 2, DEVIP, 1, 0, 0, RTR, DEV), &dir);
    CHECK_STR(iotap_flow_conn_state(f), "SF");   /* an empty datagram counts */
    /* Started from outside: still S0/SF in the originator's terms. */
    f = feed(t, mk(&x, ts, 17, WEB, 3, DEVIP, 4, 0, 1, RTR, DEV), &dir);
    CHECK_EQ_I(dir, IOTAP_IN);
    CHECK_STR(iotap_flow_conn_state(f), "S0");
    /* A DNS answer without its question: Zeek swaps the roles, SHR ... */
    f = feed(t, mk(&x, ts, 17, WEB, 53, DEVIP, 33000, 0, 40, RTR, DEV), &dir);
    CHECK_STR(iotap_flow_conn_state(f), "SHR");
    feed(t, mk(&x, ts + 1, 17, DEVIP, 33000, WEB, 53, 0, 30, DEV, RTR), &dir);
    CHECK_STR(iotap_flow_conn_state(f), "SF");
    /* ... but not between two server ports (mDNS 5353 -> 5353, DHCP 67 -> 68). */
    f = feed(t, mk(&x, ts, 17, DEVIP, 5353, "224.0.0.251", 5353, 0, 40, DEV, BCAST), &dir);
    CHECK_STR(iotap_flow_conn_state(f), "S0");
    f = feed(t, mk(&x, ts, 17, WEB, 67, DEVIP, 68, 0, 300, RTR, DEV), &dir);
    CHECK_STR(iotap_flow_conn_state(f), "S0");
    /* A UDP flow built outside the table (the reports' DHCP broadcasts):
     * only the public fields are read (ASan would see an over-read). */
    iotap_flow *hand = calloc(1, sizeof *hand);
    CHECK(hand != NULL);
    hand->proto = 17;
    hand->pkts[IOTAP_OUT] = 2;
    CHECK_STR(iotap_flow_conn_state(hand), "S0");
    hand->orig = IOTAP_IN;
    CHECK_STR(iotap_flow_conn_state(hand), "SHR");
    free(hand);
    /* ICMP and other protocols: OTH. */
    f = feed(t, mk(&x, ts, 1, DEVIP, 8, WEB, 0, 0, 56, DEV, RTR), &dir);
    CHECK_STR(iotap_flow_conn_state(f), "OTH");
    f = feed(t, mk(&x, ts, 47, DEVIP, 0, WEB, 0, 0, 56, DEV, RTR), &dir);
    CHECK_STR(iotap_flow_conn_state(f), "OTH");
    iotap_flows_finish(t);
    iotap_flows_free(t);
    iotap_lan_free(lan);
#undef NEXT_CONN
}

/* ---- idle expiry and the clock ------------------------------------------ */

static void test_idle(void)
{
    iotap_lan *lan = iotap_lan_new();
    iotap_flow_table *t = table(lan);
    pk x;
    int dir;
    /* UDP: 2 min idle. Exactly 2 min apart is still the same flow. */
    iotap_flow *f = feed(t, mk(&x, T0, 17, DEVIP, 5000, "8.8.8.8", 53, 0, 1, DEV, RTR), &dir);
    uint64_t id1 = f->id;
    CHECK(feed(t, mk(&x, T0 + 60 * SEC, 17, "8.8.8.8", 53, DEVIP, 5000, 0, 1, RTR, DEV), &dir) == f);
    CHECK(feed(t, mk(&x, T0 + 180 * SEC, 17, DEVIP, 5000, "8.8.8.8", 53, 0, 1, DEV, RTR), &dir) == f);
    CHECK_EQ_I(nclosed, 0);
    iotap_flow *g = feed(t, mk(&x, T0 + 300 * SEC + 1, 17, "8.8.8.8", 53, DEVIP, 5000, 0, 1, RTR, DEV), &dir);
    CHECK(g->id != id1);
    uint64_t g_id = g->id;
    CHECK_EQ_I(dir, IOTAP_IN);          /* orientation is redone for the new flow */
    CHECK_STR(fmt(&g->local), DEVIP);
    CHECK_EQ_I(nclosed, 1);
    CHECK_EQ_U(closes[0].f.id, id1);
    CHECK_EQ_U(closes[0].f.end, IOTAP_END_IDLE);
    CHECK_EQ_U(closes[0].f.pkts[IOTAP_OUT], 2);
    CHECK_EQ_U(closes[0].f.pkts[IOTAP_IN], 1);
    CHECK_EQ_I(closes[0].f.first_ns, T0);
    CHECK_EQ_I(closes[0].f.last_ns, T0 + 180 * SEC);

    /* ICMP and others: 1 min. A TCP flow idle as long stays. */
    int64_t t1 = T0 + 1000 * SEC;
    iotap_flow *tc = feed(t, mk(&x, t1, 6, DEVIP, 7000, WEB, 443, A, 0, DEV, RTR), &dir);
    uint64_t tcp_id = tc->id;
    f = feed(t, mk(&x, t1, 47, DEVIP, 0, WEB, 0, 0, 40, DEV, RTR), &dir);     /* GRE */
    CHECK(f != NULL);
    CHECK_EQ_U(f->proto, 47);
    uint64_t gre = f->id;
    CHECK(closed_id(g_id) != NULL);        /* idle since T0+300 s */
    int before = nclosed;
    feed(t, mk(&x, t1 + 60 * SEC, 17, DEVIP, 1, "9.9.9.9", 2, 0, 1, DEV, RTR), &dir);
    CHECK_EQ_I(nclosed, before);
    feed(t, mk(&x, t1 + 61 * SEC, 17, DEVIP, 1, "9.9.9.9", 2, 0, 1, DEV, RTR), &dir);
    CHECK_EQ_I(nclosed, before + 1);       /* GRE only */
    CHECK(closed_id(gre) != NULL);
    CHECK(closed_id(tcp_id) == NULL);

    /* Time going back: expiry keeps the latest time; first/last keep the
     * packets' own times. */
    int64_t t2 = T0 + 5000 * SEC;
    iotap_flow *a = feed(t, mk(&x, t2, 17, DEVIP, 100, "1.0.0.1", 53, 0, 1, DEV, RTR), &dir);
    iotap_flow *b = feed(t, mk(&x, t2 - 100 * SEC, 17, DEVIP, 101, "1.0.0.1", 53, 0, 1, DEV, RTR), &dir);
    CHECK(a != b);
    CHECK_EQ_I(b->first_ns, t2 - 100 * SEC);
    CHECK_EQ_I(b->last_ns, t2 - 100 * SEC);
    uint64_t aid = a->id, bid = b->id;
    /* 119 s after the latest time: neither is idle yet (b's clock is t2). */
    feed(t, mk(&x, t2 + 119 * SEC, 17, DEVIP, 102, "1.0.0.1", 53, 0, 1, DEV, RTR), &dir);
    CHECK(closed_id(aid) == NULL);
    CHECK(closed_id(bid) == NULL);
    feed(t, mk(&x, t2 + 121 * SEC, 17, DEVIP, 102, "1.0.0.1", 53, 0, 1, DEV, RTR), &dir);
    CHECK(closed_id(aid) != NULL);
    CHECK(closed_id(bid) != NULL);

    iotap_flows_finish(t);
    iotap_flow_stats st;
    iotap_flows_stats(t, &st);
    CHECK_EQ_U(st.created, st.closed);
    CHECK_EQ_U((uint64_t)nclosed, st.closed);
    CHECK_EQ_U(st.evicted, 0);
    iotap_flows_free(t);
    iotap_lan_free(lan);
}

/* ---- fragments, ICMP, non-IP -------------------------------------------- */

static void test_fragments_icmp(void)
{
    iotap_lan *lan = iotap_lan_new();
    iotap_flow_table *t = table(lan);
    pk x;
    int dir;

    mk(&x, T0, 17, DEVIP, 4000, WEB, 4001, 0, 1472, DEV, RTR);
    x.d.frag = x.d.frag_first = true;
    iotap_flow *f = feed(t, &x, &dir);
    CHECK(f != NULL);
    mk(&x, T0 + 1, 17, DEVIP, 0, WEB, 0, 0, 500, DEV, RTR);
    x.d.frag = true;
    x.d.has_l4 = false;
    CHECK(feed(t, &x, &dir) == NULL);
    iotap_flow_stats st;
    iotap_flows_stats(t, &st);
    CHECK_EQ_U(st.fragments, 2);
    CHECK_EQ_U(st.no_flow_packets, 1);
    CHECK_EQ_U(f->pkts[IOTAP_OUT], 1);

    /* ARP and other non-IP frames. */
    memset(&x, 0, sizeof x);
    x.p.ts_ns = T0 + 2;
    x.d.pkt = &x.p;
    x.d.is_arp = true;
    x.d.has_mac = true;
    CHECK(feed(t, &x, &dir) == NULL);
    /* A TCP packet whose header was cut off. */
    mk(&x, T0 + 3, 6, DEVIP, 0, WEB, 0, 0, 0, DEV, RTR);
    x.d.has_l4 = false;
    x.d.truncated = true;
    CHECK(feed(t, &x, &dir) == NULL);
    /* A lying IP header. */
    mk(&x, T0 + 3, 2, DEVIP, 0, WEB, 0, 0, 0, DEV, RTR);
    x.d.error = "IPv4 header length < 20";
    CHECK(feed(t, &x, &dir) == NULL);
    iotap_flows_stats(t, &st);
    CHECK_EQ_U(st.no_flow_packets, 4);
    CHECK_EQ_U(st.created, 1);

    /* ICMP echo: request and reply are one flow per identifier. */
    mk(&x, T0 + 4, 1, DEVIP, 8, "8.8.8.8", 0, 0, 12, DEV, RTR);
    x.bytes[0] = 8; x.bytes[4] = 0x12; x.bytes[5] = 0x34;
    x.d.payload_caplen = 12;
    iotap_flow *ping = feed(t, &x, &dir);
    CHECK(ping != NULL);
    CHECK_EQ_U(ping->lport, 8);
    CHECK_EQ_U(ping->rport, 0);
    mk(&x, T0 + 5, 1, "8.8.8.8", 0, DEVIP, 0, 0, 12, RTR, DEV);
    x.bytes[0] = 0; x.bytes[4] = 0x12; x.bytes[5] = 0x34;
    x.d.payload_caplen = 12;
    CHECK(feed(t, &x, &dir) == ping);
    CHECK_EQ_I(dir, IOTAP_IN);
    mk(&x, T0 + 6, 1, DEVIP, 8, "8.8.8.8", 0, 0, 12, DEV, RTR);
    x.bytes[0] = 8; x.bytes[4] = 0x12; x.bytes[5] = 0x35;
    x.d.payload_caplen = 12;
    iotap_flow *ping2 = feed(t, &x, &dir);
    CHECK(ping2 != NULL && ping2 != ping);
    /* Other ICMP types share the addresses' flow. */
    mk(&x, T0 + 7, 1, "8.8.8.8", 3, DEVIP, 3, 0, 36, RTR, DEV);
    x.d.payload_caplen = 36;
    iotap_flow *unr = feed(t, &x, &dir);
    CHECK(unr != ping && unr != ping2);
    CHECK_EQ_U(unr->lport, 3);
    CHECK_EQ_U(unr->rport, 3);
    CHECK_EQ_I(dir, IOTAP_IN);
    mk(&x, T0 + 8, 1, "8.8.8.8", 11, DEVIP, 0, 0, 36, RTR, DEV);
    x.d.payload_caplen = 36;
    CHECK(feed(t, &x, &dir) == unr);
    CHECK_EQ_U(unr->pkts[IOTAP_IN], 2);

    iotap_flows_free(t);
    iotap_lan_free(lan);
}

/* ---- learning ----------------------------------------------------------- */

/* An ICMPv6 Router Advertisement with the given Prefix Information options
 * (and a source link-layer option first). */
static void mk_ra(pk *x, int64_t ts, const char *src, uint8_t hlim,
                  const char *prefix, uint8_t plen, uint8_t pflags)
{
    mk(x, ts, 58, src, 134, "ff02::1", 0, 0, 0, RTR, BCAST);
    x->d.ttl = hlim;
    static uint8_t msg[128];
    size_t n = 0;
    memset(msg, 0, sizeof msg);
    msg[0] = 134;
    msg[4] = 64;
    msg[6] = 0x07; msg[7] = 0x08;       /* router lifetime */
    n = 16;
    msg[n] = 1; msg[n + 1] = 1;         /* source link-layer address */
    memcpy(msg + n + 2, RTR, 6);
    n += 8;
    msg[n] = 3; msg[n + 1] = 4;         /* prefix information */
    msg[n + 2] = plen;
    msg[n + 3] = pflags;
    inet_pton(AF_INET6, prefix, msg + n + 16);
    n += 32;
    x->d.payload = msg;
    x->d.payload_len = x->d.payload_caplen = (uint32_t)n;
}

static void test_learning(void)
{
    iotap_lan *lan = iotap_lan_new();
    iotap_flow_table *t = table(lan);
    pk x;
    int dir;
    iotap_addr g;
    addr(&g, "2001:db8:abcd:1::55");
    CHECK(!iotap_lan_contains(lan, &g));

    /* Not learned: no on-link flag; hop limit not 255; global source;
     * a prefix so short it would swallow the internet. */
    mk_ra(&x, T0, "fe80::1", 255, "2001:db8:abcd:1::", 64, 0x40);
    feed(t, &x, &dir);
    mk_ra(&x, T0, "fe80::1", 64, "2001:db8:abcd:1::", 64, 0xc0);
    feed(t, &x, &dir);
    mk_ra(&x, T0, "2001:db8::1", 255, "2001:db8:abcd:1::", 64, 0xc0);
    feed(t, &x, &dir);
    mk_ra(&x, T0, "fe80::1", 255, "2000::", 3, 0xc0);
    feed(t, &x, &dir);
    CHECK(!iotap_lan_contains(lan, &g));
    addr(&g, "2600::1");
    CHECK(!iotap_lan_contains(lan, &g));

    /* Learned. */
    mk_ra(&x, T0 + 1, "fe80::1", 255, "2001:db8:abcd:1::", 64, 0xc0);
    CHECK(feed(t, &x, &dir) != NULL);
    addr(&g, "2001:db8:abcd:1::55");
    CHECK(iotap_lan_contains(lan, &g));
    addr(&g, "2001:db8:abcd:2::55");
    CHECK(!iotap_lan_contains(lan, &g));

    /* A global address in the prefix is now the device end, even when the
     * remote speaks first and no router MAC is known. */
    iotap_flow *f = feed(t, mk(&x, T0 + 2, 6, "2600::1", 443, "2001:db8:abcd:1::55", 50000,
                               S | A, 0, DEV2, DEV), &dir);
    CHECK_EQ_I(dir, IOTAP_IN);
    CHECK_STR(fmt(&f->local), "2001:db8:abcd:1::55");
    CHECK(!f->remote_is_lan);

    /* Options that lie: zero length, running past the end. */
    mk_ra(&x, T0 + 3, "fe80::1", 255, "2001:db8:eeee::", 48, 0x80);
    ((uint8_t *)x.d.payload)[17] = 0;    /* first option length 0 */
    feed(t, &x, &dir);
    mk_ra(&x, T0 + 3, "fe80::1", 255, "2001:db8:eeee::", 48, 0x80);
    x.d.payload_caplen -= 1;              /* PIO cut short */
    feed(t, &x, &dir);
    addr(&g, "2001:db8:eeee::1");
    CHECK(!iotap_lan_contains(lan, &g));

    /* Router MACs: only IPv4 from outside the LAN teaches one; group
     * addresses never. */
    CHECK(!iotap_flows_is_router(t, RTR));
    feed(t, mk(&x, T0 + 4, 17, "192.168.1.1", 53, DEVIP, 999, 0, 10, RTR, DEV), &dir);
    CHECK(!iotap_flows_is_router(t, RTR));
    feed(t, mk(&x, T0 + 4, 6, "2600::2", 443, "2001:db8:abcd:1::56", 999, A, 10, RTR, DEV), &dir);
    CHECK(!iotap_flows_is_router(t, RTR));
    const uint8_t MC[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
    feed(t, mk(&x, T0 + 4, 17, "203.0.113.5", 53, DEVIP, 999, 0, 10, MC, DEV), &dir);
    CHECK(!iotap_flows_is_router(t, MC));
    feed(t, mk(&x, T0 + 5, 17, "203.0.113.5", 53, DEVIP, 999, 0, 10, RTR, DEV), &dir);
    CHECK(iotap_flows_is_router(t, RTR));

    iotap_flows_free(t);

    /* A capture with no LAN address at all: the first SYN's sender is not
     * taken for a router before its own flow is oriented. */
    t = table(lan);
    const uint8_t A_[6] = { 0x00, 0x0a, 0, 0, 0, 1 }, B_[6] = { 0x00, 0x0b, 0, 0, 0, 2 };
    iotap_flow *f2 = feed(t, mk(&x, T0, 6, "141.142.228.5", 59856, "192.150.187.43", 80, S, 0, A_, B_), &dir);
    CHECK_EQ_I(dir, IOTAP_OUT);
    CHECK_STR(fmt(&f2->local), "141.142.228.5");
    CHECK(iotap_flows_is_router(t, A_));
    CHECK(!iotap_flows_is_router(t, B_));
    feed(t, mk(&x, T0 + 1, 6, "192.150.187.43", 80, "141.142.228.5", 59856, S | A, 0, B_, A_), &dir);
    CHECK_EQ_I(dir, IOTAP_IN);
    CHECK(iotap_flows_is_router(t, B_));
    CHECK_STR(iotap_flow_conn_state(f2), "S1");
    iotap_flows_free(t);
    iotap_lan_free(lan);
}

/* ---- the cap ------------------------------------------------------------ */

static void test_cap(void)
{
    const uint64_t N = 1000000, MAX = 10000;
    iotap_lan *lan = iotap_lan_new();
    iotap_flow_config cfg;
    iotap_flow_config_default(&cfg);
    cfg.max_flows = MAX;
    idcap = N + 1;
    idcount = calloc(idcap, sizeof *idcount);
    last_closed_id = 0;
    order_bad = 0;
    iotap_flow_table *t = iotap_flows_new(&cfg, lan, on_close, NULL);
    pk x;
    mk(&x, T0, 17, "10.0.0.0", 1, "8.8.8.8", 53, 0, 20, DEV, RTR);
    uint64_t over = 0, null = 0;
    iotap_flow_stats st;
    for (uint64_t i = 0; i < N; i++) {
        x.p.ts_ns = T0 + (int64_t)i * 1000;     /* 1 s in all: nothing idles */
        x.d.src.a[1] = (uint8_t)(i >> 16);
        x.d.src.a[2] = (uint8_t)(i >> 8);
        x.d.src.a[3] = (uint8_t)i;
        x.d.sport = (uint16_t)(1000 + (i & 7));
        int dir;
        if (!iotap_flows_packet(t, &x.d, &dir))
            null++;
        iotap_flows_stats(t, &st);
        if (st.active > MAX)
            over++;
    }
    CHECK_EQ_U(null, 0);
    CHECK_EQ_U(over, 0);
    CHECK_EQ_U(st.created, N);
    CHECK_EQ_U(st.active, MAX);
    CHECK_EQ_U(st.peak_active, MAX);
    CHECK_EQ_U(st.evicted, N - MAX);
    CHECK_EQ_U(st.closed, N - MAX);
    CHECK_EQ_U(order_bad, 0);          /* least recently active went first */
    iotap_flows_finish(t);
    iotap_flows_stats(t, &st);
    CHECK_EQ_U(st.closed, N);
    CHECK_EQ_U(st.active, 0);
    CHECK_EQ_U(st.evicted, N - MAX);
    uint64_t once = 0;
    for (uint64_t id = 1; id <= N; id++)
        once += idcount[id] == 1;
    CHECK_EQ_U(once, N);
    CHECK_EQ_U(idcount[0], 0);
    iotap_flows_free(t);

    /* At the cap a lingering (already closed) flow leaves before an open
     * one is evicted, and keeps its FIN end. */
    free(idcount);
    idcount = NULL;
    cfg.max_flows = 2;
    nclosed = 0;
    t = iotap_flows_new(&cfg, lan, on_close, NULL);
    iotap_flow *a = out(t, T0, 1, 80, S, 0);
    uint64_t aid = a->id;
    out(t, T0 + 1, 2, 80, A, 0);
    in(t, T0 + 2, 1, 80, S | A, 0);
    out(t, T0 + 3, 1, 80, F | A, 0);
    in(t, T0 + 4, 1, 80, F | A, 0);
    CHECK_EQ_U(a->end, IOTAP_END_FIN);
    out(t, T0 + 5, 3, 80, A, 0);
    CHECK_EQ_I(nclosed, 1);
    CHECK_EQ_U(closes[0].f.id, aid);
    CHECK_EQ_U(closes[0].f.end, IOTAP_END_FIN);
    out(t, T0 + 6, 4, 80, A, 0);
    CHECK_EQ_I(nclosed, 2);
    CHECK_EQ_U(closes[1].f.lport, 2);
    CHECK_EQ_U(closes[1].f.end, IOTAP_END_EVICTED);
    iotap_flows_stats(t, &st);
    CHECK_EQ_U(st.evicted, 1);
    iotap_flows_free(t);
    iotap_lan_free(lan);
}

/* ---- every public capture as one stream --------------------------------- */

typedef struct totals { uint64_t flows, pkts, bytes, bad_end, bad_dir; } totals;

static void sum_close(iotap_flow *f, void *ctx)
{
    totals *t = ctx;
    t->flows++;
    t->pkts += f->pkts[0] + f->pkts[1];
    t->bytes += f->bytes[0] + f->bytes[1];
    if (f->end == IOTAP_END_NONE)
        t->bad_end++;
    if (f->last_ns < f->first_ns && f->pkts[0] + f->pkts[1] == 1)
        t->bad_end++;
    (void)iotap_flow_conn_state(f);
}

/* Hostile and odd captures (fuzzer finds, every link type, clocks jumping
 * between files) through decoder and table: nothing crashes (ASan), and
 * every packet is accounted for exactly once: in one flow or as no-flow. */
static void test_corpus_stream(void)
{
    const char *corpus = test_corpus();
    if (!corpus) {
        fprintf(stderr, "skip corpus stream: no IOTAP_CORPUS\n");
        return;
    }
    totals tot = { 0 };
    iotap_flow_config cfg;
    iotap_flow_config_default(&cfg);
    cfg.max_flows = 20;         /* small, so eviction runs too */
    iotap_flow_table *t = iotap_flows_new(&cfg, NULL, sum_close, &tot);
    const char *inputs[1] = { corpus };
    iotap_reader *r = iotap_reader_open(inputs, 1);
    iotap_packet p;
    uint64_t pkts = 0, in_flows = 0, bytes = 0, over = 0;
    iotap_flow_stats st;
    while (iotap_reader_next(r, &p)) {
        iotap_decoded d;
        pkts++;
        if (iotap_decode(&p, &d) != 0)
            continue;
        int dir = -1;
        iotap_flow *f = iotap_flows_packet(t, &d, &dir);
        if (f) {
            in_flows++;
            bytes += p.len;
            if (dir != IOTAP_OUT && dir != IOTAP_IN)
                tot.bad_dir++;
        }
        iotap_flows_stats(t, &st);
        if (st.active > cfg.max_flows)
            over++;
    }
    iotap_reader_close(r);
    iotap_flows_finish(t);
    iotap_flows_stats(t, &st);
    fprintf(stderr, "corpus: %" PRIu64 " packets, %" PRIu64 " in %" PRIu64 " flows (%" PRIu64
            " evicted), %" PRIu64 " without a flow\n", pkts, in_flows, st.created, st.evicted,
            st.no_flow_packets);
    CHECK(pkts > 10000);
    CHECK(st.created > 1000);
    CHECK(st.evicted > 0);
    CHECK_EQ_U(over, 0);
    CHECK_EQ_U(tot.flows, st.created);
    CHECK_EQ_U(st.closed, st.created);
    CHECK_EQ_U(tot.pkts, in_flows);
    CHECK_EQ_U(tot.bytes, bytes);
    CHECK_EQ_U(tot.bad_end, 0);
    CHECK_EQ_U(tot.bad_dir, 0);
    iotap_flows_free(t);
}

int main(void)
{
    test_orientation();
    test_tcp_life();
    test_conn_state();
    test_idle();
    test_fragments_icmp();
    test_learning();
    test_cap();
    test_corpus_stream();
    return TEST_DONE();
}
