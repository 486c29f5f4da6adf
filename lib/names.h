/*
 * names.h - the DNS name cache: which name a device asked DNS for before it
 * talked to an address.
 *
 * For each device (MAC) and address it keeps the question names whose
 * answers held that address (directly in an A/AAAA record, or at the end of
 * a CNAME chain from the question), with the time of the answer. A second,
 * global map (address -> name, whoever asked) serves the
 * "dns-other-device" fallback and captures without MACs.
 *
 * Lookups are time-aware: only answers seen at or before the flow's first
 * packet count, and among those the latest wins. The history per key is
 * kept as runs ("from time T the latest answer was NAME"), so a CDN address
 * that served a.example then b.example then a.example again is named right
 * at every point in time (up to IOTAP_NAMES_MAX_RUNS changes per key).
 *
 * Memory is bounded: at most max_entries (device, address) and global
 * address keys together; at the cap the key whose latest answer is oldest
 * is evicted and counted (the CLI reports "N names evicted" on stderr).
 *
 *   on a DNS response to device MAC at time ts:
 *       iotap_names_add_dns(names, dst_mac, ts, msg);          // or _add_answer
 *   on a new flow (device MAC, remote address, first packet time):
 *       const char *n = iotap_names_lookup(names, mac, &remote, first_ns, NULL);
 *       if (!n) n = iotap_names_lookup_any(names, &remote, first_ns, NULL);
 *   (lib/naming.h does this, together with SNI and HTTP Host.)
 */
#ifndef IOTAP_NAMES_H
#define IOTAP_NAMES_H
#include <stddef.h>
#include <stdint.h>
#include "addr.h"
#include "proto/dns.h"

#define IOTAP_NAMES_DEFAULT_MAX 500000
#define IOTAP_NAMES_MAX_RUNS 8          /* name changes remembered per key */
#define IOTAP_NAMES_MAX_CHAIN 16        /* CNAME hops followed */

typedef struct iotap_names iotap_names;
iotap_names *iotap_names_new(size_t max_entries);     /* 0 = default */
void iotap_names_free(iotap_names *n);

/* One answer: device mac (NULL = unknown; then only the global map learns)
 * asked `question` and at time ts got an answer holding addr. */
void iotap_names_add_answer(iotap_names *n, const uint8_t *mac, int64_t ts_ns,
                            const char *question, const iotap_addr *addr);
/* A whole DNS response (m->qr set, rcode 0): every A/AAAA answer reachable
 * from a question through CNAMEs is added under that question name.
 * Returns the number of (question, address) pairs added. */
size_t iotap_names_add_dns(iotap_names *n, const uint8_t *mac, int64_t ts_ns,
                           const iotap_dns_msg *m);

/* The question name device mac got addr for, latest answer at or before
 * before_ns; NULL when none. *when (may be NULL) gets the answer time.
 * The string stays valid until the next add. */
const char *iotap_names_lookup(const iotap_names *n, const uint8_t mac[6],
                               const iotap_addr *addr, int64_t before_ns, int64_t *when);
/* Same for any device (the global map). */
const char *iotap_names_lookup_any(const iotap_names *n, const iotap_addr *addr,
                                   int64_t before_ns, int64_t *when);

typedef struct iotap_names_stats {
    uint64_t answers;       /* (question, address) pairs added */
    uint64_t entries;       /* keys held now */
    uint64_t evicted;       /* keys dropped at the cap */
    uint64_t runs_dropped;  /* old history dropped past IOTAP_NAMES_MAX_RUNS */
} iotap_names_stats;
void iotap_names_get_stats(const iotap_names *n, iotap_names_stats *s);
#endif
