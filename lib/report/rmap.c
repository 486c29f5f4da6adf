/*
 * rmap.c - open-addressing hash map (linear probing, power-of-two table of
 * indexes) over an insertion-ordered array of entries. Each entry is one
 * allocation holding the key and the value, so values never move.
 */
#include "report/rmap.h"
#include <stdlib.h>
#include <string.h>
#include "util.h"

typedef struct entry {
    uint64_t hash;
    size_t klen;
    unsigned char *key;
    unsigned char value[];      /* value_size bytes, then the key */
} entry;

struct rmap {
    size_t vsize;
    entry **items;              /* insertion order */
    size_t n, alloc;
    uint32_t *slots;            /* index + 1 into items, 0 = empty */
    size_t nslots;
};

uint64_t rmap_hash(const void *key, size_t klen)
{
    /* FNV-1a, then a final mix so short keys spread over the table. */
    const unsigned char *p = key;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < klen; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

rmap *rmap_new(size_t value_size)
{
    rmap *m = xcalloc(1, sizeof *m);
    m->vsize = (value_size + 7) & ~(size_t)7;
    m->nslots = 64;
    m->slots = xcalloc(m->nslots, sizeof *m->slots);
    return m;
}

static size_t find(const rmap *m, uint64_t h, const void *key, size_t klen, bool *found)
{
    size_t mask = m->nslots - 1, i = h & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t s = m->slots[i];
        if (!s) {
            *found = false;
            return i;
        }
        const entry *e = m->items[s - 1];
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0) {
            *found = true;
            return i;
        }
    }
}

void *rmap_get(const rmap *m, const void *key, size_t klen)
{
    bool found;
    size_t i = find(m, rmap_hash(key, klen), key, klen, &found);
    return found ? m->items[m->slots[i] - 1]->value : NULL;
}

static void grow(rmap *m)
{
    size_t ns = m->nslots * 2;
    uint32_t *slots = xcalloc(ns, sizeof *slots);
    for (size_t k = 0; k < m->n; k++) {
        size_t i = m->items[k]->hash & (ns - 1);
        while (slots[i])
            i = (i + 1) & (ns - 1);
        slots[i] = (uint32_t)(k + 1);
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = ns;
}

void *rmap_put(rmap *m, const void *key, size_t klen, bool *created)
{
    uint64_t h = rmap_hash(key, klen);
    bool found;
    size_t i = find(m, h, key, klen, &found);
    if (found) {
        if (created)
            *created = false;
        return m->items[m->slots[i] - 1]->value;
    }
    if (m->n == m->alloc) {
        m->alloc = m->alloc ? m->alloc * 2 : 64;
        m->items = xrealloc(m->items, m->alloc * sizeof *m->items);
    }
    entry *e = xcalloc(1, sizeof *e + m->vsize + klen + 1);
    e->hash = h;
    e->klen = klen;
    e->key = e->value + m->vsize;
    if (klen)
        memcpy(e->key, key, klen);
    m->items[m->n++] = e;
    m->slots[i] = (uint32_t)m->n;
    if (m->n * 2 > m->nslots)
        grow(m);
    if (created)
        *created = true;
    return e->value;
}

size_t rmap_count(const rmap *m) { return m->n; }

void *rmap_at(const rmap *m, size_t i, const void **key, size_t *klen)
{
    entry *e = m->items[i];
    if (key)
        *key = e->key;
    if (klen)
        *klen = e->klen;
    return e->value;
}

void rmap_free(rmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->items[i]);
    free(m->items);
    free(m->slots);
    free(m);
}
