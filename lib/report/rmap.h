/*
 * rmap.h - a small hash map from byte-string keys to fixed-size value
 * records, for the report aggregations (per MAC, per device+domain, per
 * device+bucket). Records are zero-filled on insertion, never move once
 * made (pointers stay valid), and can be walked in insertion order. The
 * caller caps the size: rmap_count() says how many there are.
 */
#ifndef IOTAP_REPORT_RMAP_H
#define IOTAP_REPORT_RMAP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rmap rmap;
rmap *rmap_new(size_t value_size);
/* The value for key, or NULL. */
void *rmap_get(const rmap *m, const void *key, size_t klen);
/* The value for key, made (zero-filled) when absent; *created says which. */
void *rmap_put(rmap *m, const void *key, size_t klen, bool *created);
size_t rmap_count(const rmap *m);
/* The i-th value in insertion order (i < count), and its key. */
void *rmap_at(const rmap *m, size_t i, const void **key, size_t *klen);
void rmap_free(rmap *m);
uint64_t rmap_hash(const void *key, size_t klen);
#endif
