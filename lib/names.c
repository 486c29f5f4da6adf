/*
 * names.c - the time-aware, per-device DNS name cache (see names.h): a
 * chained hash table of keys (device MAC or "any device", address), each
 * holding a short time-sorted list of runs, plus a list in order of last
 * update so that the key with the oldest answer is evicted first.
 */
#include "names.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct run {
    int64_t ts;
    char *name;
} run;

typedef struct entry {
    struct entry *hnext;                /* hash chain */
    struct entry *older, *newer;        /* update order */
    uint8_t global;                     /* 1: any device */
    uint8_t mac[6];
    iotap_addr addr;
    uint8_t nruns;
    run runs[IOTAP_NAMES_MAX_RUNS];     /* sorted by ts */
} entry;

struct iotap_names {
    entry **buckets;
    size_t nbuckets;                    /* power of two */
    size_t count, max;
    entry *oldest, *newest;
    iotap_names_stats st;
};

static uint64_t key_hash(uint8_t global, const uint8_t *mac, const iotap_addr *a)
{
    uint64_t h = 1469598103934665603ULL;
    uint8_t k[1 + 6 + 1 + 16];
    k[0] = global;
    if (mac)
        memcpy(k + 1, mac, 6);
    else
        memset(k + 1, 0, 6);
    k[7] = a->family;
    memcpy(k + 8, a->a, 16);
    for (size_t i = 0; i < sizeof k; i++)
        h = (h ^ k[i]) * 1099511628211ULL;
    return h ^ h >> 29;
}

static bool key_eq(const entry *e, uint8_t global, const uint8_t *mac, const iotap_addr *a)
{
    return e->global == global && (global || memcmp(e->mac, mac, 6) == 0) &&
           e->addr.family == a->family && memcmp(e->addr.a, a->a, 16) == 0;
}

iotap_names *iotap_names_new(size_t max_entries)
{
    iotap_names *n = xcalloc(1, sizeof *n);
    n->max = max_entries ? max_entries : IOTAP_NAMES_DEFAULT_MAX;
    n->nbuckets = 1024;
    n->buckets = xcalloc(n->nbuckets, sizeof *n->buckets);
    return n;
}

static void entry_free(entry *e)
{
    for (unsigned i = 0; i < e->nruns; i++)
        free(e->runs[i].name);
    free(e);
}

void iotap_names_free(iotap_names *n)
{
    if (!n)
        return;
    for (entry *e = n->oldest, *next; e; e = next) {
        next = e->newer;
        entry_free(e);
    }
    free(n->buckets);
    free(n);
}

static entry *find(const iotap_names *n, uint8_t global, const uint8_t *mac, const iotap_addr *a)
{
    entry *e = n->buckets[key_hash(global, mac, a) & (n->nbuckets - 1)];
    while (e && !key_eq(e, global, mac, a))
        e = e->hnext;
    return e;
}

static void unlink_order(iotap_names *n, entry *e)
{
    if (e->older) e->older->newer = e->newer; else n->oldest = e->newer;
    if (e->newer) e->newer->older = e->older; else n->newest = e->older;
    e->older = e->newer = NULL;
}

static void append_order(iotap_names *n, entry *e)
{
    e->older = n->newest;
    e->newer = NULL;
    if (n->newest) n->newest->newer = e; else n->oldest = e;
    n->newest = e;
}

static void remove_entry(iotap_names *n, entry *e)
{
    entry **pp = &n->buckets[key_hash(e->global, e->mac, &e->addr) & (n->nbuckets - 1)];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    unlink_order(n, e);
    n->count--;
    entry_free(e);
}

static void rehash(iotap_names *n)
{
    size_t nb = n->nbuckets * 2;
    entry **b = xcalloc(nb, sizeof *b);
    for (entry *e = n->oldest; e; e = e->newer) {
        size_t i = key_hash(e->global, e->mac, &e->addr) & (nb - 1);
        e->hnext = b[i];
        b[i] = e;
    }
    free(n->buckets);
    n->buckets = b;
    n->nbuckets = nb;
}

static entry *get(iotap_names *n, uint8_t global, const uint8_t *mac, const iotap_addr *a)
{
    entry *e = find(n, global, mac, a);
    if (e)
        return e;
    while (n->count >= n->max && n->oldest) {
        remove_entry(n, n->oldest);
        n->st.evicted++;
    }
    if (n->count >= n->nbuckets && n->nbuckets < ((size_t)1 << 28))
        rehash(n);
    e = xcalloc(1, sizeof *e);
    e->global = global;
    if (!global)
        memcpy(e->mac, mac, 6);
    e->addr = *a;
    size_t i = key_hash(global, mac, a) & (n->nbuckets - 1);
    e->hnext = n->buckets[i];
    n->buckets[i] = e;
    append_order(n, e);
    n->count++;
    return e;
}

/* Adds "from ts on, the latest answer was name" to e's history. */
static void add_run(iotap_names *n, entry *e, int64_t ts, const char *name)
{
    unsigned i = 0;
    while (i < e->nruns && e->runs[i].ts <= ts)
        i++;
    if (i > 0 && strcmp(e->runs[i - 1].name, name) == 0)
        return;                         /* the current run goes on */
    if (i < e->nruns && strcmp(e->runs[i].name, name) == 0) {
        e->runs[i].ts = ts;             /* the next run simply starts earlier */
        return;
    }
    if (e->nruns == IOTAP_NAMES_MAX_RUNS) {
        if (i == 0) {                   /* older than all we keep */
            n->st.runs_dropped++;
            return;
        }
        free(e->runs[0].name);
        memmove(e->runs, e->runs + 1, (size_t)(e->nruns - 1) * sizeof *e->runs);
        e->nruns--;
        i--;
        n->st.runs_dropped++;
    }
    memmove(e->runs + i + 1, e->runs + i, (size_t)(e->nruns - i) * sizeof *e->runs);
    e->runs[i].ts = ts;
    e->runs[i].name = xstrdup(name);
    e->nruns++;
}

static void touch(iotap_names *n, entry *e)
{
    unlink_order(n, e);
    append_order(n, e);
}

void iotap_names_add_answer(iotap_names *n, const uint8_t *mac, int64_t ts_ns,
                            const char *question, const iotap_addr *addr)
{
    if (!question || !addr || (addr->family != 4 && addr->family != 6))
        return;
    n->st.answers++;
    entry *g = get(n, 1, NULL, addr);
    add_run(n, g, ts_ns, question);
    touch(n, g);
    if (mac) {
        entry *e = get(n, 0, mac, addr);
        add_run(n, e, ts_ns, question);
        touch(n, e);
    }
}

size_t iotap_names_add_dns(iotap_names *n, const uint8_t *mac, int64_t ts_ns,
                           const iotap_dns_msg *m)
{
    if (!m->qr || m->rcode != 0)
        return 0;
    size_t added = 0;
    for (size_t q = 0; q < m->nq; q++) {
        const char *qname = m->q[q].name;
        if (!qname[0])
            continue;
        /* The chain: names reachable from the question through CNAMEs. */
        const char *chain[IOTAP_NAMES_MAX_CHAIN];
        size_t nchain = 0;
        chain[nchain++] = qname;
        for (bool grew = true; grew && nchain < IOTAP_NAMES_MAX_CHAIN; ) {
            grew = false;
            for (size_t i = 0; i < m->nan && nchain < IOTAP_NAMES_MAX_CHAIN; i++) {
                const iotap_dns_rr *r = &m->an[i];
                if (r->type != IOTAP_DNS_CNAME)
                    continue;
                bool from = false, seen = false;
                for (size_t k = 0; k < nchain; k++) {
                    from |= strcmp(chain[k], r->name) == 0;
                    seen |= strcmp(chain[k], r->target) == 0;
                }
                if (from && !seen) {
                    chain[nchain++] = r->target;
                    grew = true;
                }
            }
        }
        for (size_t i = 0; i < m->nan; i++) {
            const iotap_dns_rr *r = &m->an[i];
            if (r->type != IOTAP_DNS_A && r->type != IOTAP_DNS_AAAA)
                continue;
            for (size_t k = 0; k < nchain; k++)
                if (strcmp(chain[k], r->name) == 0) {
                    iotap_names_add_answer(n, mac, ts_ns, qname, &r->addr);
                    added++;
                    break;
                }
        }
    }
    return added;
}

static const char *at_time(const entry *e, int64_t before_ns, int64_t *when)
{
    if (!e)
        return NULL;
    for (unsigned i = e->nruns; i-- > 0; )
        if (e->runs[i].ts <= before_ns) {
            if (when)
                *when = e->runs[i].ts;
            return e->runs[i].name;
        }
    return NULL;
}

const char *iotap_names_lookup(const iotap_names *n, const uint8_t mac[6],
                               const iotap_addr *addr, int64_t before_ns, int64_t *when)
{
    if (!mac || !addr)
        return NULL;
    return at_time(find(n, 0, mac, addr), before_ns, when);
}

const char *iotap_names_lookup_any(const iotap_names *n, const iotap_addr *addr,
                                   int64_t before_ns, int64_t *when)
{
    if (!addr)
        return NULL;
    return at_time(find(n, 1, NULL, addr), before_ns, when);
}

void iotap_names_get_stats(const iotap_names *n, iotap_names_stats *s)
{
    *s = n->st;
    s->entries = n->count;
}
