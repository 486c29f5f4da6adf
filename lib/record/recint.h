/*
 * recint.h - what the lib/record/ files share among themselves (not used
 * outside lib/record/ except by its unit tests).
 */
#ifndef IOTAP_RECINT_H
#define IOTAP_RECINT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "sidecar.h"

/* Where a sensor's files live. */
typedef struct iotap_rec_tree {
    char sensor[128];
    char sensordir[IOTAP_REC_NAME_MAX];     /* ROOT/SENSOR */
    char partialdir[IOTAP_REC_NAME_MAX + 16];   /* ROOT/SENSOR/.partial */
    iotap_rec_state st;
    int lockfd;         /* .partial/ opened and flock()ed for the whole run */
} iotap_rec_tree;

/* Fills the paths, creates the directories (0750), takes the sensor
 * directory's lock (flock on .partial/; errno EBUSY when another process holds
 * it), loads the state. 0 or -1. */
int iotap_rec_tree_init(iotap_rec_tree *t, const char *root, const char *sensor);
/* Whether new files can be created in the sensor directory and .partial/
 * (a read-only mount, or a tree this user may not write). 0, or -1 with
 * errno (EROFS, EACCES) and *dir the directory that refused. A full file
 * system counts as writable (the recorder waits for space). */
int iotap_rec_tree_writable(const iotap_rec_tree *t, const char **dir);
/* Releases the lock. */
void iotap_rec_tree_close(iotap_rec_tree *t);
/* rename() that never replaces an existing `to` (EEXIST): renameat2
 * RENAME_NOREPLACE, else link + unlink, else check + rename. 0 or -1. */
int iotap_rec_rename_noreplace(const char *from, const char *to);

/* publish.c: moves a complete, fsynced .partial/BASE.pcap.zst and its
 * sidecar into the dated directory. Fills sc->prev_sha256 from the state,
 * writes .partial/BASE.yaml, renames both, fsyncs the directories and saves
 * the state (prev hash = sc->sha256). 0, or -1 (errno; nothing moved or the
 * rename is safe to repeat). */
int iotap_rec_publish(iotap_rec_tree *t, const char *base, iotap_sidecar *sc);
/* After iotap_rec_publish() failed: the file or directory it was about. */
const char *iotap_rec_publish_failed_path(void);
/* Finishes an interrupted publish (both files present in .partial with a
 * complete sidecar, or only the sidecar left behind). */
int iotap_rec_publish_resume(iotap_rec_tree *t, const char *base);

/* recover.c: turns every leftover in .partial/ into finished segments.
 * Returns the number of problems (files that could not be recovered). */
unsigned iotap_rec_recover_all(iotap_rec_tree *t, const char *interface, int level);
/* Decodes a possibly truncated one-frame .pcap.zst up to its last complete
 * packet and writes those packets as a new complete segment to out_fd.
 * Fills packet counts/times/linktype/snaplen and sha256 of sc. 0, or -1
 * when nothing usable was found or writing failed (errno). */
int iotap_rec_recover_file(const char *in_path, int out_fd, int level, iotap_sidecar *sc);
/* The same, and *damaged tells whether decoding stopped at damage (zstd
 * error, not a pcap stream, impossible record) rather than at the end of
 * the data. */
int iotap_rec_recover_file_ex(const char *in_path, int out_fd, int level, iotap_sidecar *sc,
                              bool *damaged);

/* retention.c: deletes the oldest finished segments (and sidecars) while
 * their total exceeds max_bytes or the file system has less than min_free
 * available. Each deletion is logged. Returns the number deleted. */
unsigned iotap_rec_retention(const iotap_rec_tree *t, uint64_t max_bytes, uint64_t min_free);

/* privs.c: chowns the sensor tree to user and switches to it, keeping
 * CAP_NET_RAW/CAP_NET_ADMIN so the interface can be reopened. When not
 * root, does nothing (warns unless already user) and returns 0. 0 or -1. */
int iotap_rec_drop_privs(const iotap_rec_tree *t, const char *user);

/* slice.c: encrypted-payload slicing. */
typedef struct iotap_slicer iotap_slicer;
iotap_slicer *iotap_slicer_new(uint32_t keep);
/* The caplen to store for this packet (<= caplen). */
uint32_t iotap_slicer_caplen(iotap_slicer *s, int linktype, const uint8_t *data, uint32_t caplen);
void iotap_slicer_free(iotap_slicer *s);
#endif
