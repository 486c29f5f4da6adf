/*
 * rnames.c - two chained hash tables (own: key MAC+address, any: key
 * address) over one pool of entries, each table with a FIFO list in the
 * order entries were last written; the oldest goes at the cap.
 */
#include "report/rnames.h"
#include <stdlib.h>
#include <string.h>
#include "report/rmap.h"
#include "util.h"

typedef struct nkey {
    uint8_t mac[6];             /* zero in the any-device table */
    uint8_t family;
    uint8_t a[16];
} nkey;

typedef struct nent {
    nkey key;
    uint64_t hash;
    char *name;
    struct nent *hnext, *prev, *next;
} nent;

typedef struct ntable {
    nent **buckets;
    size_t nbuckets, count;
    nent *head, *tail;          /* oldest first */
} ntable;

struct rnames {
    ntable own, any;
    size_t cap;
    uint64_t evicted;
};

static void t_init(ntable *t)
{
    t->nbuckets = 1024;
    t->buckets = xcalloc(t->nbuckets, sizeof *t->buckets);
}

rnames *rnames_new(size_t cap)
{
    rnames *n = xcalloc(1, sizeof *n);
    n->cap = cap ? cap : 200000;
    t_init(&n->own);
    t_init(&n->any);
    return n;
}

static void make_key(nkey *k, const uint8_t *mac, const iotap_addr *a)
{
    memset(k, 0, sizeof *k);
    if (mac)
        memcpy(k->mac, mac, 6);
    k->family = a->family;
    memcpy(k->a, a->a, 16);
}

static nent *t_find(const ntable *t, const nkey *k, uint64_t h)
{
    for (nent *e = t->buckets[h & (t->nbuckets - 1)]; e; e = e->hnext)
        if (e->hash == h && memcmp(&e->key, k, sizeof *k) == 0)
            return e;
    return NULL;
}

static void list_unlink(ntable *t, nent *e)
{
    if (e->prev) e->prev->next = e->next; else t->head = e->next;
    if (e->next) e->next->prev = e->prev; else t->tail = e->prev;
    e->prev = e->next = NULL;
}

static void list_append(ntable *t, nent *e)
{
    e->prev = t->tail;
    e->next = NULL;
    if (t->tail) t->tail->next = e; else t->head = e;
    t->tail = e;
}

static void t_remove(ntable *t, nent *e)
{
    nent **pp = &t->buckets[e->hash & (t->nbuckets - 1)];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    list_unlink(t, e);
    t->count--;
    free(e->name);
    free(e);
}

static void t_grow(ntable *t)
{
    size_t nb = t->nbuckets * 2;
    nent **b = xcalloc(nb, sizeof *b);
    for (size_t i = 0; i < t->nbuckets; i++)
        for (nent *e = t->buckets[i], *nx; e; e = nx) {
            nx = e->hnext;
            e->hnext = b[e->hash & (nb - 1)];
            b[e->hash & (nb - 1)] = e;
        }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = nb;
}

static void t_set(rnames *n, ntable *t, const nkey *k, const char *name, bool count)
{
    uint64_t h = rmap_hash(k, sizeof *k);
    nent *e = t_find(t, k, h);
    if (e) {
        if (strcmp(e->name, name) != 0) {
            free(e->name);
            e->name = xstrdup(name);
        }
        list_unlink(t, e);
        list_append(t, e);
        return;
    }
    if (t->count >= n->cap && t->head) {
        t_remove(t, t->head);
        if (count)
            n->evicted++;
    }
    e = xcalloc(1, sizeof *e);
    e->key = *k;
    e->hash = h;
    e->name = xstrdup(name);
    nent **b = &t->buckets[h & (t->nbuckets - 1)];
    e->hnext = *b;
    *b = e;
    list_append(t, e);
    if (++t->count > t->nbuckets)
        t_grow(t);
}

void rnames_add(rnames *n, const uint8_t mac[6], const iotap_addr *a, const char *name)
{
    if (!a->family || !name || !*name)
        return;
    nkey k;
    make_key(&k, mac, a);
    t_set(n, &n->own, &k, name, true);
    make_key(&k, NULL, a);
    t_set(n, &n->any, &k, name, false);
}

int rnames_lookup(const rnames *n, const uint8_t mac[6], const iotap_addr *a, const char **name)
{
    nkey k;
    make_key(&k, mac, a);
    nent *e = t_find(&n->own, &k, rmap_hash(&k, sizeof k));
    if (e) {
        *name = e->name;
        return RNAMES_OWN;
    }
    make_key(&k, NULL, a);
    e = t_find(&n->any, &k, rmap_hash(&k, sizeof k));
    if (e) {
        *name = e->name;
        return RNAMES_OTHER_DEVICE;
    }
    *name = NULL;
    return RNAMES_NONE;
}

uint64_t rnames_evicted(const rnames *n) { return n->evicted; }
size_t rnames_count(const rnames *n) { return n->own.count; }

static void t_free(ntable *t)
{
    while (t->head)
        t_remove(t, t->head);
    free(t->buckets);
}

void rnames_free(rnames *n)
{
    if (!n)
        return;
    t_free(&n->own);
    t_free(&n->any);
    free(n);
}
