/*
 * sidecar.h - the YAML file that sits next to every finished segment
 * (DESIGN.md, "Segments"). One flat mapping, written with libyaml's emitter
 * (so any filter string is quoted correctly) and read back with its parser
 * (iotap-segments, tests). Times are ISO 8601 UTC with microseconds (read
 * to the microsecond too, so a read sidecar writes back the same); an
 * unknown value is null (~).
 */
#ifndef IOTAP_SIDECAR_H
#define IOTAP_SIDECAR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct iotap_sidecar {
    char file[256];             /* segment base name */
    char sensor[128], interface[64], source[16];   /* source: live|file|recovered */
    char filter[1024];
    int linktype;
    uint32_t snaplen;
    uint64_t sequence;
    int64_t opened_ns, closed_ns;       /* wall clock; 0 = unknown */
    bool has_packets_time;
    int64_t first_ns, last_ns;          /* packet times */
    uint64_t packets, bytes, captured_bytes, compressed_bytes;
    int64_t kernel_drops, interface_drops;  /* -1 = unknown */
    uint64_t lost_packets;      /* seen but not stored (disk full, write error) */
    bool recovered;
    char close_reason[32];      /* size time signal sighup clock-jump interface-lost
                                   end-of-input write-error recovered */
    int64_t gap_start_ns;       /* 0, or when the gap before this segment began */
    char gap_reason[32];
    int64_t clock_jump_ns;      /* 0, or the jump (realtime - monotonic) seen */
    uint32_t slice_encrypted;
    uint64_t sliced_packets, slice_saved_bytes;
    char sha256[65], prev_sha256[65];   /* "" = none */
} iotap_sidecar;

void iotap_sidecar_init(iotap_sidecar *s);
/* YAML text into a malloc'd buffer (*len set). */
char *iotap_sidecar_format(const iotap_sidecar *s, size_t *len);
/* Writes path by O_EXCL-free temp write + fsync (the caller renames).
 * 0 or -1 (errno). */
int iotap_sidecar_write(const char *path, const iotap_sidecar *s);
/* Reads a sidecar; unknown keys are ignored. 0, or -1 with a message in
 * err (size errlen). */
int iotap_sidecar_read(const char *path, iotap_sidecar *s, char *err, size_t errlen);
#endif
