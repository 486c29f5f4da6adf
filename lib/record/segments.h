/*
 * segments.h - the listing behind iotap-segments: finished recorder
 * segments with their sidecar data, in capture order per sensor (sequence
 * number), with what a person pulling them needs to know: gaps (missing
 * sequence numbers, time the recorder was not recording), drops, packets the
 * recorder could not store, recovered segments, and whether each file's
 * SHA-256 and the hash chain hold.
 */
#ifndef IOTAP_SEGMENTS_H
#define IOTAP_SEGMENTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes the CSV for the segments found under inputs (directories walked,
 * .partial skipped, or segment files) to out. verify: hash each file.
 * Returns the number of integrity problems (bad hash, broken chain,
 * unreadable sidecar); -1 when an input could not be read at all. */
long iotap_segments_report(const char *const *inputs, size_t n, FILE *out, bool verify);
#endif
