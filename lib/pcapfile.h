/*
 * pcapfile.h - parses a classic pcap stream (the tcpdump/libpcap file format)
 * from an iotap_instream, handing out packets as pointers into the stream's
 * buffer (no copy, no per-packet allocation).
 *
 * Accepted: magic a1b2c3d4 (microseconds) and a1b23c4d (nanoseconds) in
 * either byte order, and the "modified" (Kuznetzov) a1b2cd34 variant with
 * its 24-byte record headers; version 2.x only. A file header where a
 * record header should be is taken as a second capture appended to the
 * first (`cat a.pcap b.pcap`), and reading goes on in its format.
 *
 * A record whose caplen is above max(snaplen, 262144) (with snaplen taken
 * at most as 16 MiB) is a bad record: there is no reliable way to find the
 * next record after it, so the input ends there (no resync guessing), as in
 * libpcap. A caplen above the header snaplen but within 262144 is accepted,
 * as libpcap and Wireshark do.
 */
#ifndef IOTAP_PCAPFILE_H
#define IOTAP_PCAPFILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "capture.h"
#include "instream.h"

#define IOTAP_PCAP_MAX_CAPLEN 262144u          /* always accepted */
#define IOTAP_PCAP_HARD_MAX_CAPLEN (16u << 20) /* never accepted above */

typedef struct iotap_pcapfile {
    iotap_instream *in;
    bool swap;          /* header fields in the other byte order */
    bool nsec;          /* nanosecond stamps */
    unsigned rechdr;    /* record header size: 16, or 24 (modified format) */
    uint16_t ver_major, ver_minor;
    uint32_t snaplen;
    int linktype;
    uint32_t maxcap;    /* largest acceptable caplen */
    uint64_t npkts;     /* records delivered */
} iotap_pcapfile;

/* True when the 4 bytes are a classic pcap magic this parser reads. */
bool iotap_pcapfile_magic(const uint8_t m[4]);

/* Reads the 24-byte global header. 0, or -1 with a message in err
 * (the stream's own error wins when there is one). */
int iotap_pcapfile_open(iotap_pcapfile *pf, iotap_instream *in, char *err, size_t errlen);

/* Next record: 1 with p's ts_ns, caplen, len, data, offset, linktype and
 * snaplen filled; 0 at a clean end; -1 at damage with a message in err
 * ("bad record length ..."), after which the input must not be read on. */
int iotap_pcapfile_next(iotap_pcapfile *pf, iotap_packet *p, char *err, size_t errlen);
#endif
