/*
 * rnames.h - the reports' DNS name cache: which name a device asked for
 * when an answer gave it an address. Time-aware by construction: an answer
 * is added when its packet is read, so it names only flows that start
 * later. Per device the question name wins (not the end of the CNAME
 * chain); a second table keeps the latest name any device got for an
 * address, for flows of devices that never asked ("dns-other-device").
 * Both tables are capped; at the cap the least recently added entry is
 * dropped and counted (rnames_evicted), so memory stays bounded.
 */
#ifndef IOTAP_REPORT_RNAMES_H
#define IOTAP_REPORT_RNAMES_H
#include <stddef.h>
#include <stdint.h>
#include "addr.h"

enum { RNAMES_NONE = 0, RNAMES_OTHER_DEVICE = 1, RNAMES_OWN = 2 };

typedef struct rnames rnames;
rnames *rnames_new(size_t cap);      /* cap per table; 0 = 200,000 */
/* mac asked for name and the answer held address a. */
void rnames_add(rnames *n, const uint8_t mac[6], const iotap_addr *a, const char *name);
/* The name for a flow of mac to a: RNAMES_OWN (mac's own question),
 * RNAMES_OTHER_DEVICE (the latest answer to any device), or RNAMES_NONE.
 * *name points into the cache, valid until the next rnames_add. */
int rnames_lookup(const rnames *n, const uint8_t mac[6], const iotap_addr *a, const char **name);
uint64_t rnames_evicted(const rnames *n);
size_t rnames_count(const rnames *n);
void rnames_free(rnames *n);
#endif
