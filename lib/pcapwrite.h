/*
 * pcapwrite.h - writes classic pcap (magic 0xa1b2c3d4, version 2.4, host byte
 * order, microsecond or nanosecond stamps) to a stdio stream, the format
 * tcpdump -r - and Wireshark read from a pipe.
 */
#ifndef IOTAP_PCAPWRITE_H
#define IOTAP_PCAPWRITE_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct iotap_pcapw iotap_pcapw;
/* Writes the global header at once. nsec selects magic 0xa1b23c4d. */
iotap_pcapw *iotap_pcapw_new(FILE *out, int linktype, uint32_t snaplen, bool nsec);
/* Returns 0, or -1 when the write failed (errno set). */
int iotap_pcapw_write(iotap_pcapw *w, int64_t ts_ns, uint32_t caplen, uint32_t len,
                      const uint8_t *data);
/* Flushes; returns 0 or -1. Does not close the stream. */
int iotap_pcapw_free(iotap_pcapw *w);
/* The 24-byte global header / 16-byte record header into buf (for writers
 * that do their own I/O, e.g. the recorder's zstd stream). */
void iotap_pcap_global_header(uint8_t buf[24], int linktype, uint32_t snaplen, bool nsec);
void iotap_pcap_record_header(uint8_t buf[16], int64_t ts_ns, uint32_t caplen, uint32_t len, bool nsec);
#endif
