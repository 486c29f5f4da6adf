/*
 * instream.h - a buffered byte source over one input file (or stdin) that
 * undoes zstd or gzip compression on the fly.
 *
 * The compression is found from the first bytes (zstd frame or skippable
 * frame magic, gzip 1f 8b), never from the name; anything else is passed
 * through as is. Decompressed bytes land in one large buffer (4 MiB, grown
 * only for a single record bigger than that, up to IOTAP_INSTREAM_MAX) and
 * the caller gets pointers INTO it: iotap_instream_fill() makes n contiguous
 * bytes available, iotap_instream_skip() consumes them. Pointers stay valid
 * until the next fill. Memory does not depend on the input's size.
 *
 * Damaged compressed data (truncated or corrupt frame) makes the stream end
 * early; iotap_instream_error() then says what happened and where (offset in
 * the COMPRESSED file), so the caller can report it with its packet count.
 */
#ifndef IOTAP_INSTREAM_H
#define IOTAP_INSTREAM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOTAP_INSTREAM_BUF (4u << 20)
#define IOTAP_INSTREAM_MAX (64u << 20)

typedef struct iotap_instream iotap_instream;

enum iotap_instream_kind { IOTAP_IN_RAW, IOTAP_IN_ZSTD, IOTAP_IN_GZIP };

/* Opens path ("-" = stdin, which is never closed). NULL with errno set when
 * the file cannot be opened or read. */
iotap_instream *iotap_instream_open(const char *path);

/* Makes at least n bytes available at *p (n <= IOTAP_INSTREAM_MAX) and
 * returns how many are available: less than n only at the end of the data
 * (or at damage, see iotap_instream_error). */
size_t iotap_instream_fill(iotap_instream *s, size_t n, const uint8_t **p);

/* Consumes n available bytes. */
void iotap_instream_skip(iotap_instream *s, size_t n);

/* Copies up to n bytes out (for stdio-style readers); 0 at end. */
size_t iotap_instream_read(iotap_instream *s, void *dst, size_t n);

/* Offset of the next byte in the decompressed data. */
uint64_t iotap_instream_offset(const iotap_instream *s);

/* Bytes read from the file so far (compressed size). */
uint64_t iotap_instream_raw_bytes(const iotap_instream *s);

enum iotap_instream_kind iotap_instream_kind(const iotap_instream *s);

/* NULL, or what went wrong in the compressed data, e.g.
 * "truncated zstd frame at byte 123456". */
const char *iotap_instream_error(const iotap_instream *s);

void iotap_instream_close(iotap_instream *s);
#endif
