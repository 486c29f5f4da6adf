/*
 * record.h - iotap-record, the always-on capture recorder (see DESIGN.md,
 * "Segments"). The program in recorder/iotap-record.c only calls
 * iotap_rec_main(); everything else lives in lib/record/:
 *
 *   opts.c      command line + /etc/iotap/iotap.yaml record: section (flags win)
 *   segw.c      one segment = one zstd frame, staged input, wall-clock flushes,
 *               SHA-256 of the bytes on disk, stalls instead of losing data
 *               when a write fails (disk full)
 *   naming.c    segment names, dated directories, the persisted sequence
 *               number and previous hash (ROOT/SENSOR/.seq)
 *   sidecar.c   the per-segment YAML sidecar (libyaml writer and reader)
 *   recover.c   .partial/ leftovers of a crash -> finished, recovered segments
 *   retention.c max_bytes / min_free: delete oldest finished segments
 *   slice.c     encrypted-payload slicing (TLS/QUIC per-flow state)
 *   privs.c     -Z USER
 *   recorder.c  the main loop: capture source, rotation, signals, clock jumps
 *
 * Test-only hook: when IOTAP_TEST_CLOCK_OFFSET_FILE names a readable file,
 * the number of seconds in it is added to the wall clock (read every tick),
 * so tests can make the clock jump without root.
 */
#ifndef IOTAP_RECORD_H
#define IOTAP_RECORD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOTAP_REC_DEFAULT_ROOT "/var/lib/iotap"
#define IOTAP_REC_MAX_SNAPLEN 262144u

typedef struct iotap_rec_opts {
    char *interface;            /* -i (live); NULL when read_file is set */
    char *read_file;            /* -r FILE or "-" */
    char *root, *sensor, *user, *filter, *config_path;
    uint32_t snaplen;
    int promisc;                /* 0 or 1 */
    uint64_t buffer_size;       /* kernel buffer, bytes */
    uint64_t rotate_size;       /* compressed bytes, 0 = never */
    uint64_t rotate_seconds;    /* 0 = never */
    uint64_t flush_ms;          /* wall-clock flush interval */
    int level;                  /* zstd level */
    uint64_t max_bytes, min_free;   /* retention, 0 = off */
    uint32_t slice_encrypted;   /* 0 = off */
} iotap_rec_opts;

/* Parses argv (and the config file it names or the default one) into o.
 * Exits 2 with a message on a usage or configuration error. */
void iotap_rec_parse(iotap_rec_opts *o, int argc, char **argv);
void iotap_rec_opts_free(iotap_rec_opts *o);

/* Runs the recorder until the input ends or SIGTERM/SIGINT. Returns the
 * process exit status: 0 clean; 1 when packets were lost (could not be
 * stored: lost_packets > 0 in some sidecar of this run), the last segment
 * was left unfinished, a .partial/ leftover could not be recovered cleanly,
 * or the -r input was damaged. */
int iotap_rec_run(const iotap_rec_opts *o);

/* recorder/iotap-record.c: parse + run. */
int iotap_rec_main(int argc, char **argv);

/* ---- naming.c ---- */
#define IOTAP_REC_NAME_MAX 512
/* "SENSOR-YYYYMMDDTHHMMSSZ-NNNNNN" (no extension) for a UTC second. */
void iotap_rec_segname(char *buf, size_t n, const char *sensor, int64_t sec, uint64_t seq);
/* Parses a base name (with or without extension) made by iotap_rec_segname:
 * 0 and the time/sequence, or -1. */
int iotap_rec_parse_segname(const char *name, int64_t *sec, uint64_t *seq);
/* ROOT/SENSOR/YYYY/MM/DD for a UTC second into buf. */
void iotap_rec_datedir(char *buf, size_t n, const char *sensordir, int64_t sec);
/* mkdir -p with mode 0750 (each new directory's parent fsynced). 0 or -1. */
int iotap_rec_mkdirs(const char *path);
/* fsync a directory by path. 0 or -1. */
int iotap_rec_fsync_dir(const char *path);

/* The state kept in SENSORDIR/.seq: next sequence number, and the SHA-256
 * (hex, or "" for none) of the last finished segment. */
typedef struct iotap_rec_state {
    uint64_t next_seq;
    char prev_sha256[65];
} iotap_rec_state;
/* Loads .seq (missing = zero state) and raises next_seq above every
 * sequence number found in the tree (so a lost .seq file does no harm). */
void iotap_rec_state_load(const char *sensordir, const char *sensor, iotap_rec_state *st);
/* Writes .seq by temp file + fsync + rename. 0 or -1 (errno). */
int iotap_rec_state_save(const char *sensordir, const iotap_rec_state *st);

/* Calls fn for every finished segment (.pcap.zst) under sensordir (dated
 * directories only; .partial skipped). */
typedef void (*iotap_rec_seg_fn)(const char *path, const char *base, void *ctx);
void iotap_rec_walk_segments(const char *sensordir, iotap_rec_seg_fn fn, void *ctx);
#endif
