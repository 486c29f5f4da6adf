/*
 * segw.h - the segment writer: a classic pcap stream compressed into ONE
 * zstd frame on a file descriptor.
 *
 * Records are staged in an input buffer and compressed in large chunks (fast);
 * iotap_segw_flush() pushes everything through with ZSTD_e_flush so that a
 * crash loses at most one flush interval. Every byte that reaches the file
 * is fed to a SHA-256 context, so the hash of the finished file needs no
 * second read.
 *
 * Write errors (ENOSPC, EIO) never lose bytes already accepted: the
 * compressed bytes that did not reach the disk stay in the output buffer, the
 * writer becomes "stalled", refuses new records, and iotap_segw_retry() picks
 * up exactly where the disk stopped. The zstd frame therefore stays intact.
 */
#ifndef IOTAP_SEGW_H
#define IOTAP_SEGW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct iotap_segw iotap_segw;

/* Takes ownership of fd (closed by iotap_segw_free). NULL only when zstd
 * refuses the level. */
iotap_segw *iotap_segw_new(int fd, int level);
/* 0 = accepted (the writer may now be stalled), -1 = refused because the
 * writer is stalled (nothing taken). */
int iotap_segw_write(iotap_segw *w, const void *data, size_t len);
/* One pcap record (16-byte header + data). Same return as iotap_segw_write. */
int iotap_segw_record(iotap_segw *w, int64_t ts_ns, uint32_t caplen, uint32_t len,
                      const uint8_t *data);
/* ZSTD_e_flush + write out, then has a helper thread fdatasync the file
 * (when anything new was written), so the flushed data survives a power
 * cut without the caller waiting for the storage. 0, or -1 when stalled or
 * when an earlier fdatasync failed (iotap_segw_errno; the writer is then
 * not stalled). */
int iotap_segw_flush(iotap_segw *w);
/* Waits until the fdatasync a flush asked for is done (tests). */
void iotap_segw_sync_wait(iotap_segw *w);
/* How many fdatasyncs made new flushed data durable so far. */
uint64_t iotap_segw_syncs(iotap_segw *w);
/* Ends the frame, writes it out and fsyncs. 0, or -1 when stalled or fsync
 * failed (call again later; it resumes). */
int iotap_segw_finish(iotap_segw *w);
/* Tries to write what a failed write left behind. 0 when no longer stalled. */
int iotap_segw_retry(iotap_segw *w);
bool iotap_segw_stalled(const iotap_segw *w);
int iotap_segw_errno(const iotap_segw *w);         /* errno of the last failure */
/* Compressed bytes produced so far (on disk + waiting). */
uint64_t iotap_segw_size(const iotap_segw *w);
/* The size the file would have if the frame were flushed now (estimated
 * from the ratio so far); what size rotation compares. */
uint64_t iotap_segw_estimate(const iotap_segw *w);
/* Lowercase hex SHA-256 of the bytes written so far (after finish: the file). */
void iotap_segw_sha256(const iotap_segw *w, char hex[65]);
/* Closes the fd and frees. */
void iotap_segw_free(iotap_segw *w);
#endif
