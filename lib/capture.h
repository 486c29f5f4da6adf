/*
 * capture.h - reads any list of inputs as ONE continuous packet stream.
 *
 * An input is a file (.pcap in either byte order, micro- or nanosecond;
 * .pcapng; any of those compressed with zstd (one or many frames) or gzip),
 * a directory (walked recursively, capture files in name order, sidecars and
 * other files ignored, `.partial` directories skipped), or "-" for stdin. The
 * format is found from the magic bytes, never from the name. Decompression
 * is streamed; nothing is written to disk.
 *
 * Damage (unreadable file, truncated zstd/gzip frame, bad record length,
 * garbage after the end) is reported ONCE per problem on stderr as
 *   iotap-TOOL: FILE: what went wrong at byte OFFSET (after packet N)
 * every packet before it is still delivered, and reading goes on with the
 * next input. iotap_reader_damaged() tells the caller to exit non-zero.
 */
#ifndef IOTAP_CAPTURE_H
#define IOTAP_CAPTURE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Link types (LINKTYPE_* values as in pcap files). */
#define IOTAP_LINK_NULL      0
#define IOTAP_LINK_ETHERNET  1
#define IOTAP_LINK_RAW       101  /* raw IPv4/IPv6 */
#define IOTAP_LINK_LINUX_SLL 113
#define IOTAP_LINK_IPV4      228
#define IOTAP_LINK_IPV6      229
#define IOTAP_LINK_LINUX_SLL2 276

typedef struct iotap_packet {
    int64_t ts_ns;          /* capture time, ns since epoch (UTC) */
    uint32_t caplen;        /* bytes at data */
    uint32_t len;           /* length on the wire (orig_len) */
    int linktype;           /* LINKTYPE_* of the input it came from */
    uint32_t snaplen;       /* snaplen in that input's header */
    const uint8_t *data;    /* caplen bytes; valid until the next call */
    uint64_t num;           /* 1-based number across all inputs */
    const char *input;      /* name of the input it came from */
    uint64_t input_num;     /* 1-based number within that input */
    uint64_t offset;        /* byte offset of its record in the (decompressed)
                               input; 0 where the format hides it (pcapng) */
} iotap_packet;

typedef struct iotap_reader iotap_reader;

/* Takes the input names as given on the command line (copied). Nothing is
 * opened until the first iotap_reader_next(). Never returns NULL. */
iotap_reader *iotap_reader_open(const char *const *inputs, size_t n);

/* Next packet of the stream: 1 and *p filled, or 0 at the end of the last
 * input. Damage is reported and skipped inside; it never returns an error. */
int iotap_reader_next(iotap_reader *r, iotap_packet *p);

/* Analyzers call this after open: packets of a link type iotap_decode()
 * cannot read are counted per input and, when that input ends, reported
 * once as damage:
 *   iotap-TOOL: FILE: link type N (NAME) not supported: M packets not analyzed
 * (iotap-cat, which copies packets without decoding them, does not.) */
void iotap_reader_check_linktypes(iotap_reader *r);
/* Number of problems reported so far (unreadable inputs, damaged data). */
unsigned iotap_reader_damaged(const iotap_reader *r);

/* Inputs opened so far, and bytes read from them (compressed size on disk);
 * for progress output and benchmarks. */
uint64_t iotap_reader_bytes_read(const iotap_reader *r);

void iotap_reader_close(iotap_reader *r);

/* Expands a list of inputs to the files it stands for, in reading order
 * (directories walked and sorted as described above). Returns a malloc'd
 * NULL-terminated array of malloc'd strings; *n set to the count. Problems
 * (unreadable directory) are reported and counted in *errors. */
char **iotap_expand_inputs(const char *const *inputs, size_t n, size_t *count, unsigned *errors);
void iotap_free_inputs(char **list);
#endif
