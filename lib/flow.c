/*
 * flow.c - the flow table (see flow.h for what a flow is and how it is
 * oriented, closed and expired).
 *
 * Layout. Each flow is one allocation: the public iotap_flow first, then the
 * table's private part (struct rec). Flows sit in a chained hash table whose
 * bucket count is a power of two, doubling with the number of flows up to
 * the first power of two >= max_flows; flows themselves are capped at
 * max_flows, so memory is bounded by max_flows. Freed records are kept on a
 * short free list so that a steady churn of flows does not call malloc.
 *
 * Key. proto + both (address, port) ends, matched in either direction. The
 * hash is the sum of the two ends' hashes (so it is the same both ways) and
 * is seeded per table from getentropy(), so a crafted capture cannot aim
 * every flow at one bucket. ICMP flows are keyed by addresses + proto, plus
 * the echo identifier for echo request/reply (ICMPv4 8/0, ICMPv6 128/129),
 * so separate pings are separate flows and the reply joins its request;
 * every other ICMP type uses 0 there and joins the addresses' one flow.
 *
 * Expiry. Four LRU lists: open TCP, UDP, other protocols (each ordered by
 * the last packet, so with one timeout per list the head is always the next
 * to expire), and closed flows lingering after FIN/RST (ordered by close
 * time). Each packet pops expired heads only: O(1) amortized. Time is the
 * latest packet time seen, so a packet whose clock steps back expires
 * nothing early and is filed as the newest.
 *
 * TCP. Besides the coarse flow.h state, each flow keeps Zeek's endpoint
 * states (zeek_tcp.c), so that iotap_flow_conn_state() gives Zeek's
 * conn_state. Zeek's originator is the sender of the first packet, or its
 * receiver when that packet is a SYN-ACK.
 *
 * For callers:
 *  - Config fields that are 0 (max_flows) or negative (timeouts) mean the
 *    default; a NULL lan gets a private default LAN set.
 *  - At the cap, a flow lingering after FIN/RST leaves first (keeping its
 *    FIN/RST end, not counted as evicted); only open flows are EVICTED.
 *  - iotap_flows_finish() closes what is left in creation order;
 *    iotap_flows_free() does the same for flows still open, so on_close
 *    runs exactly once per flow either way (the ctx must still be valid).
 *  - A flow pointer is valid until its on_close returns; do not keep it.
 *  - Router MACs are learned from IPv4 only: IPv6 global addresses are not
 *    in the LAN set until a Router Advertisement is seen.
 */
#include "flow.h"
#include "cursor.h"
#include "util.h"
#include "zeek_tcp.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define MAX_ROUTERS   64        /* router MACs remembered */
#define MAX_RA_OPTS   64        /* options walked in one Router Advertisement */
#define FREE_MAX      4096      /* recycled flow records kept */
#define MIN_BUCKETS   16
#define INIT_BUCKETS  1024

enum { L_TCP, L_UDP, L_OTHER, L_LINGER, NLISTS };

typedef struct rec {
    iotap_flow f;               /* first: callers see &rec->f */
    uint64_t hash;
    int64_t seen_ns;            /* latest-time clock at the last packet */
    uint16_t kport[2];          /* key "ports", local end first */
    uint8_t list;               /* L_* */
    iotap_zeek_tcp zeek;        /* Zeek's endpoint states (TCP) */
    uint8_t mac_sent[2];        /* dev_mac / remote_mac came from that end's own frame */
} rec;

typedef struct lru { rec *head, *tail; } lru;

struct iotap_flow_table {
    iotap_flow_config cfg;
    iotap_lan *lan;
    bool own_lan;               /* created here because the caller gave none */
    iotap_flow_close_fn on_close;
    void *ctx;
    rec **buckets;
    size_t nbuckets, max_buckets;
    lru lists[NLISTS];
    rec *free_list;
    size_t nfree;
    uint64_t next_id;
    int64_t now;
    bool have_now;
    uint64_t seed;
    uint8_t routers[MAX_ROUTERS][6];
    unsigned nrouters;
    iotap_flow_stats st;
};

void iotap_flow_config_default(iotap_flow_config *c)
{
    c->max_flows = 1000000;
    c->tcp_idle_ns = 30 * 60 * IOTAP_NS_PER_SEC;
    c->udp_idle_ns = 2 * 60 * IOTAP_NS_PER_SEC;
    c->other_idle_ns = 60 * IOTAP_NS_PER_SEC;
    c->close_linger_ns = 5 * IOTAP_NS_PER_SEC;
}

/* ---- small helpers ------------------------------------------------------ */

/* The UDP ports Zeek's base scripts add to likely_server_ports (DNS,
 * NetBIOS, mDNS, LLMNR, DHCP, Kerberos, NTP, SNMP, syslog, RADIUS, SIP,
 * QUIC): a flow whose first packet comes from one of them to a port that is
 * not one was started by the other end, so Zeek swaps the roles. */
static bool udp_server_port(uint16_t port)
{
    switch (port) {
    case 53: case 67: case 68: case 88: case 123: case 137: case 161:
    case 162: case 443: case 514: case 1812: case 5060: case 5353: case 5355:
        return true;
    default:
        return false;
    }
}

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static inline uint64_t end_hash(uint64_t seed, const iotap_addr *a, uint16_t port)
{
    uint64_t w0, w1;
    memcpy(&w0, a->a, 8);
    memcpy(&w1, a->a + 8, 8);
    return mix64(mix64(w0 ^ seed ^ ((uint64_t)port << 48 | (uint64_t)a->family << 40)) ^ w1);
}

static inline bool addr_same(const iotap_addr *x, const iotap_addr *y)
{
    return x->family == y->family && memcmp(x->a, y->a, 16) == 0;
}

static inline bool mac_zero(const uint8_t m[6])
{
    return (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0;
}

/* A copy with the unused bytes of an IPv4 address cleared, so hashing and
 * comparing 16 bytes is right whatever the caller left there. */
static inline void addr_norm(iotap_addr *out, const iotap_addr *in)
{
    *out = *in;
    if (out->family != 6)
        memset(out->a + 4, 0, 12);
    if (out->family != 4 && out->family != 6)
        memset(out->a, 0, 4);
}

/* ---- LRU lists ---------------------------------------------------------- */

#define NEXT(r) ((rec *)(r)->f.lru_next)
#define PREV(r) ((rec *)(r)->f.lru_prev)

static void lru_unlink(iotap_flow_table *t, rec *r)
{
    lru *l = &t->lists[r->list];
    if (PREV(r)) PREV(r)->f.lru_next = r->f.lru_next; else l->head = NEXT(r);
    if (NEXT(r)) NEXT(r)->f.lru_prev = r->f.lru_prev; else l->tail = PREV(r);
    r->f.lru_prev = r->f.lru_next = NULL;
}

static void lru_append(iotap_flow_table *t, rec *r, uint8_t list)
{
    lru *l = &t->lists[list];
    r->list = list;
    r->f.lru_next = NULL;
    r->f.lru_prev = l->tail ? &l->tail->f : NULL;
    if (l->tail) l->tail->f.lru_next = &r->f; else l->head = r;
    l->tail = r;
}

/* ---- hash table --------------------------------------------------------- */

static void hash_insert(iotap_flow_table *t, rec *r)
{
    size_t b = r->hash & (t->nbuckets - 1);
    r->f.hnext = t->buckets[b] ? &t->buckets[b]->f : NULL;
    t->buckets[b] = r;
}

static void hash_remove(iotap_flow_table *t, rec *r)
{
    size_t b = r->hash & (t->nbuckets - 1);
    rec *prev = NULL, *cur = t->buckets[b];
    while (cur && cur != r) {
        prev = cur;
        cur = (rec *)cur->f.hnext;
    }
    if (cur) {
        if (prev)
            prev->f.hnext = r->f.hnext;
        else
            t->buckets[b] = (rec *)r->f.hnext;
    }
    r->f.hnext = NULL;
}

static void hash_grow(iotap_flow_table *t)
{
    size_t n = t->nbuckets * 2;
    rec **nb = xcalloc(n, sizeof *nb);
    for (size_t i = 0; i < t->nbuckets; i++) {
        rec *r = t->buckets[i];
        while (r) {
            rec *next = (rec *)r->f.hnext;
            size_t b = r->hash & (n - 1);
            r->f.hnext = nb[b] ? &nb[b]->f : NULL;
            nb[b] = r;
            r = next;
        }
    }
    free(t->buckets);
    t->buckets = nb;
    t->nbuckets = n;
}

/* ---- table -------------------------------------------------------------- */

iotap_flow_table *iotap_flows_new(const iotap_flow_config *cfg, iotap_lan *lan,
                                  iotap_flow_close_fn on_close, void *ctx)
{
    iotap_flow_table *t = xcalloc(1, sizeof *t);
    iotap_flow_config def;
    iotap_flow_config_default(&def);
    t->cfg = cfg ? *cfg : def;
    /* Zero or negative settings mean "the default". */
    if (t->cfg.max_flows == 0) t->cfg.max_flows = def.max_flows;
    if (t->cfg.tcp_idle_ns <= 0) t->cfg.tcp_idle_ns = def.tcp_idle_ns;
    if (t->cfg.udp_idle_ns <= 0) t->cfg.udp_idle_ns = def.udp_idle_ns;
    if (t->cfg.other_idle_ns <= 0) t->cfg.other_idle_ns = def.other_idle_ns;
    if (t->cfg.close_linger_ns < 0) t->cfg.close_linger_ns = def.close_linger_ns;
    t->lan = lan;
    if (!t->lan) {
        t->lan = iotap_lan_new();
        t->own_lan = true;
    }
    t->on_close = on_close;
    t->ctx = ctx;
    t->max_buckets = MIN_BUCKETS;
    while (t->max_buckets < t->cfg.max_flows && t->max_buckets < ((size_t)1 << 40))
        t->max_buckets *= 2;
    t->nbuckets = t->max_buckets < INIT_BUCKETS ? t->max_buckets : INIT_BUCKETS;
    t->buckets = xcalloc(t->nbuckets, sizeof *t->buckets);
    if (getentropy(&t->seed, sizeof t->seed) != 0)
        t->seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)t;
    return t;
}

void iotap_flows_add_router(iotap_flow_table *t, const uint8_t mac[6])
{
    if (iotap_flows_is_router(t, mac) || t->nrouters >= MAX_ROUTERS)
        return;
    memcpy(t->routers[t->nrouters++], mac, 6);
}

bool iotap_flows_is_router(const iotap_flow_table *t, const uint8_t mac[6])
{
    for (unsigned i = 0; i < t->nrouters; i++)
        if (memcmp(t->routers[i], mac, 6) == 0)
            return true;
    return false;
}

static rec *rec_alloc(iotap_flow_table *t)
{
    rec *r = t->free_list;
    if (r) {
        t->free_list = (rec *)r->f.hnext;
        t->nfree--;
        memset(r, 0, sizeof *r);
        return r;
    }
    return xcalloc(1, sizeof *r);
}

static void rec_free(iotap_flow_table *t, rec *r)
{
    if (t->nfree >= FREE_MAX) {
        free(r);
        return;
    }
    r->f.hnext = t->free_list ? &t->free_list->f : NULL;
    t->free_list = r;
    t->nfree++;
}

/* Takes r out of the table, tells the caller, frees it. An end already set
 * (FIN/RST of a lingering flow) is kept. */
static void release(iotap_flow_table *t, rec *r, uint8_t end)
{
    hash_remove(t, r);
    lru_unlink(t, r);
    if (r->f.end == IOTAP_END_NONE) {
        r->f.end = end;
        if (end == IOTAP_END_EVICTED)
            t->st.evicted++;
    }
    t->st.closed++;
    t->st.active--;
    if (t->on_close)
        t->on_close(&r->f, t->ctx);
    rec_free(t, r);
}

static int64_t list_timeout(const iotap_flow_table *t, int list)
{
    switch (list) {
    case L_TCP: return t->cfg.tcp_idle_ns;
    case L_UDP: return t->cfg.udp_idle_ns;
    case L_OTHER: return t->cfg.other_idle_ns;
    default: return t->cfg.close_linger_ns;
    }
}

static inline bool expired(int64_t now, int64_t since, int64_t timeout)
{
    /* now >= since always (the clock only moves forward), so the unsigned
     * difference is exact even for absurd timestamps. */
    return (uint64_t)now - (uint64_t)since > (uint64_t)timeout;
}

static void expire(iotap_flow_table *t, int64_t now)
{
    for (int l = 0; l < NLISTS; l++) {
        int64_t to = list_timeout(t, l);
        rec *r;
        while ((r = t->lists[l].head) != NULL &&
               expired(now, l == L_LINGER ? r->f.closed_ns : r->seen_ns, to))
            release(t, r, IOTAP_END_IDLE);
    }
}

/* Makes room for one flow: a lingering (already closed) flow goes first,
 * else the least recently active open flow is evicted. */
static void evict_one(iotap_flow_table *t)
{
    rec *v = t->lists[L_LINGER].head;
    if (!v) {
        for (int l = L_TCP; l <= L_OTHER; l++) {
            rec *h = t->lists[l].head;
            if (h && (!v || h->seen_ns < v->seen_ns || (h->seen_ns == v->seen_ns && h->f.id < v->f.id)))
                v = h;
        }
    }
    if (v)
        release(t, v, IOTAP_END_EVICTED);
}

/* ---- learning ----------------------------------------------------------- */

/* RFC 4861 4.2/4.6.2: a Router Advertisement (sent with hop limit 255 from a
 * link-local address) lists Prefix Information options; those with the
 * on-link flag are the LAN. Very short prefixes are ignored so that one
 * hostile RA cannot declare the whole internet local. */
static void learn_ra(iotap_flow_table *t, const iotap_decoded *d)
{
    if (d->ttl != 255 || d->src.a[0] != 0xfe || (d->src.a[1] & 0xc0) != 0x80)
        return;
    iotap_cursor c = cur_make(d->payload, d->payload_caplen);
    if (!cur_skip(&c, 16))
        return;
    for (int n = 0; n < MAX_RA_OPTS && cur_has(&c, 2); n++) {
        uint8_t type = cur_u8(&c), len = cur_u8(&c);
        if (len == 0)
            return;                     /* RFC 4861: discard the packet */
        iotap_cursor o = cur_sub(&c, (size_t)len * 8 - 2);
        if (o.err)
            return;
        if (type != 3 || len != 4)
            continue;
        uint8_t plen = cur_u8(&o), flags = cur_u8(&o);
        cur_skip(&o, 12);               /* lifetimes, reserved */
        const uint8_t *prefix = cur_take(&o, 16);
        if (!prefix || !(flags & 0x80) || plen < 16 || plen > 128)
            continue;
        iotap_net net;
        iotap_addr_set6(&net.addr, prefix);
        net.prefix = plen;
        iotap_lan_add(t->lan, &net);
    }
}

static void tcp_update(iotap_flow_table *t, rec *r, int dir, uint8_t fl, uint32_t len)
{
    iotap_flow *f = &r->f;
    f->flags[dir] |= fl;
    bool syn = fl & IOTAP_TCP_SYN, ack = fl & IOTAP_TCP_ACK;
    if (fl & IOTAP_TCP_RST) {
        if (f->state != IOTAP_TCP_CLOSED)
            f->state = IOTAP_TCP_RESET;
    } else {
        if (syn && !ack) {
            if (f->state == IOTAP_TCP_NONE)
                f->state = IOTAP_TCP_SYN_SENT;
        } else if (syn && ack) {
            if (f->state <= IOTAP_TCP_SYN_SENT)
                f->state = IOTAP_TCP_SYN_ACKED;
        } else if (ack && f->state == IOTAP_TCP_SYN_ACKED) {
            f->state = IOTAP_TCP_ESTABLISHED;
        }
        if ((fl & IOTAP_TCP_FIN) && f->state != IOTAP_TCP_RESET) {
            if ((f->flags[0] & IOTAP_TCP_FIN) && (f->flags[1] & IOTAP_TCP_FIN))
                f->state = IOTAP_TCP_CLOSED;
            else if (f->state < IOTAP_TCP_CLOSING)
                f->state = IOTAP_TCP_CLOSING;
        }
    }
    iotap_zeek_tcp_update(&r->zeek, dir, r->f.orig, fl, len);
    if ((f->state == IOTAP_TCP_CLOSED || f->state == IOTAP_TCP_RESET) && r->list != L_LINGER) {
        f->end = f->state == IOTAP_TCP_CLOSED ? IOTAP_END_FIN : IOTAP_END_RST;
        f->closed_ns = t->now;
        lru_unlink(t, r);
        lru_append(t, r, L_LINGER);
    }
}

/* ---- per packet --------------------------------------------------------- */

static uint8_t list_for(uint8_t proto)
{
    return proto == 6 ? L_TCP : proto == 17 ? L_UDP : L_OTHER;
}

static rec *lookup(iotap_flow_table *t, uint64_t h, uint8_t proto,
                   const iotap_addr *src, const iotap_addr *dst,
                   uint16_t sp, uint16_t dp, int *dir)
{
    for (rec *r = t->buckets[h & (t->nbuckets - 1)]; r; r = (rec *)r->f.hnext) {
        if (r->hash != h || r->f.proto != proto)
            continue;
        if (r->kport[0] == sp && r->kport[1] == dp &&
            addr_same(&r->f.local, src) && addr_same(&r->f.remote, dst)) {
            *dir = IOTAP_OUT;
            return r;
        }
        if (r->kport[0] == dp && r->kport[1] == sp &&
            addr_same(&r->f.local, dst) && addr_same(&r->f.remote, src)) {
            *dir = IOTAP_IN;
            return r;
        }
    }
    return NULL;
}

/* flow.h's orientation rules; true when the sender is the device. */
static bool sender_is_local(const iotap_flow_table *t, const iotap_decoded *d,
                            bool src_lan, bool dst_lan)
{
    if (src_lan != dst_lan)
        return src_lan;
    if (d->has_mac) {
        bool rs = iotap_flows_is_router(t, d->src_mac);
        bool rd = iotap_flows_is_router(t, d->dst_mac);
        if (rs != rd)
            return !rs;
    }
    /* Rule 3: the SYN sender. A SYN-ACK opening the flow tells that its
     * receiver sent the SYN we did not see. */
    if (d->proto == 6 && (d->tcp_flags & (IOTAP_TCP_SYN | IOTAP_TCP_ACK)) ==
                         (IOTAP_TCP_SYN | IOTAP_TCP_ACK))
        return false;
    return true;    /* rules 3 and 4: the sender of the first packet */
}

static rec *create(iotap_flow_table *t, const iotap_decoded *d, uint64_t h,
                   const iotap_addr *src, const iotap_addr *dst,
                   uint16_t sp, uint16_t dp, int *dir)
{
    if (t->st.active >= t->cfg.max_flows)
        evict_one(t);
    rec *r = rec_alloc(t);
    iotap_flow *f = &r->f;
    bool sl = iotap_lan_contains(t->lan, src), dl = iotap_lan_contains(t->lan, dst);
    bool out = sender_is_local(t, d, sl, dl);
    f->id = ++t->next_id;
    f->proto = d->proto;
    f->local = out ? *src : *dst;
    f->remote = out ? *dst : *src;
    r->kport[0] = out ? sp : dp;
    r->kport[1] = out ? dp : sp;
    if (d->proto == 1 || d->proto == 58) {
        f->lport = d->sport;            /* type, code of the first packet */
        f->rport = d->dport;
    } else {
        f->lport = r->kport[0];
        f->rport = r->kport[1];
    }
    f->remote_is_lan = sl && dl;
    int64_t ts = d->pkt ? d->pkt->ts_ns : t->now;
    f->first_ns = f->last_ns = ts;
    *dir = out ? IOTAP_OUT : IOTAP_IN;
    r->f.orig = (uint8_t)*dir;
    if (d->proto == 17 && udp_server_port(d->sport) && !udp_server_port(d->dport))
        r->f.orig = (uint8_t)!*dir;   /* an answer seen without its question */
    if (d->proto == 6) {
        uint8_t sa = d->tcp_flags & (IOTAP_TCP_SYN | IOTAP_TCP_ACK);
        if (sa == (IOTAP_TCP_SYN | IOTAP_TCP_ACK))
            r->f.orig = (uint8_t)!*dir;
        iotap_zeek_tcp_first(&r->zeek, d->tcp_flags);
    }
    r->hash = h;
    hash_insert(t, r);
    r->seen_ns = t->now;
    lru_append(t, r, list_for(d->proto));
    t->st.created++;
    t->st.active++;
    if (t->st.active > t->st.peak_active)
        t->st.peak_active = t->st.active;
    if (t->st.active > t->nbuckets && t->nbuckets < t->max_buckets)
        hash_grow(t);
    return r;
}

static void update_macs(rec *r, const iotap_decoded *d, int dir)
{
    iotap_flow *f = &r->f;
    const uint8_t *own = d->src_mac, *peer = d->dst_mac;
    uint8_t *sender = dir == IOTAP_OUT ? f->dev_mac : f->remote_mac;
    uint8_t *receiver = dir == IOTAP_OUT ? f->remote_mac : f->dev_mac;
    int se = dir, re = !dir;
    /* A MAC from a frame the end sent itself wins over one it was sent to. */
    if (!mac_zero(own) && !r->mac_sent[se]) {
        memcpy(sender, own, 6);
        r->mac_sent[se] = 1;
    }
    if (!mac_zero(peer) && !r->mac_sent[re])
        memcpy(receiver, peer, 6);
    if (!mac_zero(f->dev_mac))
        f->has_mac = true;
}

iotap_flow *iotap_flows_packet(iotap_flow_table *t, const iotap_decoded *d, int *dirp)
{
    int dir_local;
    int *dir = dirp ? dirp : &dir_local;
    int64_t ts = d->pkt ? d->pkt->ts_ns : t->now;
    if (!t->have_now || ts > t->now) {
        t->now = ts;
        t->have_now = true;
    }
    expire(t, t->now);

    if (d->frag)
        t->st.fragments++;
    if (d->ip_ver == 0 || (d->frag && !d->frag_first) || (d->error && !d->has_l4))
        goto no_flow;

    iotap_addr src, dst;
    addr_norm(&src, &d->src);
    addr_norm(&dst, &d->dst);

    /* A MAC sending IPv4 from outside the LAN is a router. Learned after
     * this packet's flow is oriented, so that in a capture without LAN
     * addresses the very first sender is not taken for a router and its
     * flow turned around. */
    bool router = d->has_mac && d->ip_ver == 4 && !iotap_mac_is_group(d->src_mac) &&
                  !mac_zero(d->src_mac) && !iotap_lan_contains(t->lan, &src);

    uint16_t sp = 0, dp = 0;
    switch (d->proto) {
    case 6:
    case 17:
        if (!d->has_l4)
            goto no_flow;
        sp = d->sport;
        dp = d->dport;
        break;
    case 1:
    case 58: {
        if (!d->has_l4)
            goto no_flow;
        uint16_t type = d->sport;
        bool echo = d->proto == 1 ? (type == 8 || type == 0) : (type == 128 || type == 129);
        if (echo) {
            iotap_cursor c = cur_make(d->payload, d->payload_caplen);
            cur_skip(&c, 4);
            sp = dp = cur_u16be(&c);    /* 0 when cut off */
        }
        if (d->proto == 58 && type == 134 && d->dport == 0)
            learn_ra(t, d);
        break;
    }
    default:
        break;
    }

    uint64_t h = mix64((end_hash(t->seed, &src, sp) + end_hash(t->seed, &dst, dp)) ^ d->proto);
    rec *r = lookup(t, h, d->proto, &src, &dst, sp, dp, dir);
    if (r && d->proto == 6 &&
        (d->tcp_flags & (IOTAP_TCP_SYN | IOTAP_TCP_ACK)) == IOTAP_TCP_SYN &&
        (r->f.state == IOTAP_TCP_CLOSED || r->f.state == IOTAP_TCP_RESET)) {
        release(t, r, IOTAP_END_NONE);  /* a new connection on the same ports */
        r = NULL;
    }
    if (!r)
        r = create(t, d, h, &src, &dst, sp, dp, dir);

    iotap_flow *f = &r->f;
    int di = *dir;
    f->pkts[di]++;
    f->bytes[di] += d->pkt ? d->pkt->len : 0;
    f->payload[di] += d->payload_len;
    if (ts > f->last_ns)
        f->last_ns = ts;
    r->seen_ns = t->now;
    if (r->list != L_LINGER && t->lists[r->list].tail != r) {
        uint8_t l = r->list;
        lru_unlink(t, r);
        lru_append(t, r, l);
    }
    if (d->has_mac)
        update_macs(r, d, di);
    if (d->proto == 6)
        tcp_update(t, r, di, d->tcp_flags, d->payload_len);
    if (router)
        iotap_flows_add_router(t, d->src_mac);
    return f;

no_flow:
    t->st.no_flow_packets++;
    return NULL;
}

static int by_id(const void *a, const void *b)
{
    const rec *x = *(rec *const *)a, *y = *(rec *const *)b;
    return x->f.id < y->f.id ? -1 : x->f.id > y->f.id;
}

void iotap_flows_finish(iotap_flow_table *t)
{
    size_t n = (size_t)t->st.active, k = 0;
    if (n == 0)
        return;
    /* In creation order, so output written from the callback is stable. */
    rec **all = xmalloc(n * sizeof *all);
    for (int l = 0; l < NLISTS; l++)
        for (rec *r = t->lists[l].head; r && k < n; r = NEXT(r))
            all[k++] = r;
    qsort(all, k, sizeof *all, by_id);
    for (size_t i = 0; i < k; i++)
        release(t, all[i], IOTAP_END_EOF);
    free(all);
}

void iotap_flows_free(iotap_flow_table *t)
{
    if (!t)
        return;
    /* Flows still open leave through the callback like at end of input,
     * so that their `user` state is not leaked. */
    iotap_flows_finish(t);
    while (t->free_list) {
        rec *r = t->free_list;
        t->free_list = (rec *)r->f.hnext;
        free(r);
    }
    free(t->buckets);
    if (t->own_lan)
        iotap_lan_free(t->lan);
    free(t);
}

void iotap_flows_stats(const iotap_flow_table *t, iotap_flow_stats *s)
{
    *s = t->st;
}

/* Zeek's conn_state() (base/protocols/conn/main.zeek); for TCP from the
 * endpoint states (zeek_tcp.c), sizes being payload bytes. */
const char *iotap_flow_conn_state(const iotap_flow *f)
{
    if (!f)
        return "";
    int o = f->orig & 1, p = !o;
    if (f->proto == 17) {
        /* Zeek's UDP endpoint is UDP_ACTIVE once it sent any packet; the
         * originator is the first packet's sender unless udp_server_port()
         * swapped the roles (then a lone answer is SHR). */
        bool oa = f->pkts[o] > 0, ra = f->pkts[p] > 0;
        if (oa)
            return ra ? "SF" : "S0";
        return ra ? "SHR" : "OTH";
    }
    if (f->proto != 6)
        return "OTH";   /* ICMP and everything else, as in Zeek */
    const rec *r = (const rec *)f;   /* TCP flows come from the table */
    return iotap_zeek_tcp_conn_state(&r->zeek, o, f->payload);
}
