/*
 * instream.c - buffered, decompressing byte source for capture inputs (see
 * instream.h).
 *
 * Decompression writes straight into the output buffer that the pcap parser
 * reads from, so a packet is copied exactly once (by the decompressor, or by
 * read() for an uncompressed file). The buffer is compacted only when a
 * record straddles its end, which moves less than one record.
 *
 * zstd: ZSTD_decompressStream handles many frames and skippable frames in a
 * row by itself. A frame that is still open when the file ends is a
 * truncated frame; ZSTD_isError() on a call is corruption (checksum, bad
 * block), reported with the compressed offset of the input chunk.
 * gzip: zlib inflate with 16+MAX_WBITS (gzip wrapper only); after the end of
 * one member, more bytes start another member (as gzip -d does).
 */
#include "instream.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define IN_CHUNK (256u << 10)   /* compressed bytes per read() */
#define PRODUCE_STEP (128u << 10)   /* decompressed bytes per step */

struct iotap_instream {
    int fd;
    bool own_fd;
    enum iotap_instream_kind kind;
    /* decompressed data: buf[pos..end) is available */
    uint8_t *buf;
    size_t cap, pos, end;
    uint64_t base;              /* decompressed offset of buf[0] */
    bool eof;                   /* no more decompressed bytes will come */
    /* compressed input */
    uint8_t *in;
    size_t in_pos, in_len;
    bool in_eof;
    uint64_t raw_bytes;         /* read from fd so far */
    ZSTD_DStream *zd;
    size_t zlast;               /* last ZSTD_decompressStream hint; 0 = frame done */
    z_stream gz;
    bool gz_init, gz_member_done;
    char err[160];
};

/* read() that retries on EINTR; -1 on error. */
static ssize_t read_fd(int fd, void *dst, size_t n)
{
    for (;;) {
        ssize_t r = read(fd, dst, n);
        if (r >= 0 || errno != EINTR)
            return r;
    }
}

static void set_err(iotap_instream *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(iotap_instream *s, const char *fmt, ...)
{
    if (!s->err[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->err, sizeof s->err, fmt, ap);
        va_end(ap);
    }
    s->eof = true;
}

/* Refills the compressed input buffer; false at end of file (or error). */
static bool refill_in(iotap_instream *s)
{
    if (s->in_eof)
        return false;
    ssize_t r = read_fd(s->fd, s->in, IN_CHUNK);
    if (r < 0) {
        set_err(s, "read error at byte %llu: %s", (unsigned long long)s->raw_bytes, strerror(errno));
        s->in_eof = true;
        return false;
    }
    if (r == 0) {
        s->in_eof = true;
        return false;
    }
    s->in_pos = 0;
    s->in_len = (size_t)r;
    s->raw_bytes += (uint64_t)r;
    return true;
}

/* Compressed offset of the next unread input byte. */
static uint64_t in_offset(const iotap_instream *s)
{
    return s->raw_bytes - (s->in_len - s->in_pos);
}

static size_t produce_raw(iotap_instream *s, uint8_t *dst, size_t room)
{
    if (s->in_len > s->in_pos) {    /* bytes read while sniffing the magic */
        size_t n = s->in_len - s->in_pos < room ? s->in_len - s->in_pos : room;
        memcpy(dst, s->in + s->in_pos, n);
        s->in_pos += n;
        return n;
    }
    if (s->in_eof)
        return 0;
    ssize_t r = read_fd(s->fd, dst, room);
    if (r < 0) {
        set_err(s, "read error at byte %llu: %s", (unsigned long long)s->raw_bytes, strerror(errno));
        return 0;
    }
    if (r == 0)
        s->in_eof = true;
    s->raw_bytes += (uint64_t)r;
    return (size_t)r;
}

static size_t produce_zstd(iotap_instream *s, uint8_t *dst, size_t room)
{
    ZSTD_outBuffer out = { dst, room, 0 };
    for (;;) {
        if (s->in_pos == s->in_len) {
            if (out.pos > 0)
                return out.pos;
            if (!refill_in(s)) {
                if (s->err[0])
                    return 0;
                /* End of file: the decoder may still hold output. */
                if (s->zlast != 0) {
                    ZSTD_inBuffer empty = { NULL, 0, 0 };
                    size_t r = ZSTD_decompressStream(s->zd, &out, &empty);
                    if (!ZSTD_isError(r) && out.pos > 0) {
                        s->zlast = r;
                        return out.pos;
                    }
                    set_err(s, "truncated zstd frame at byte %llu", (unsigned long long)s->raw_bytes);
                }
                return 0;
            }
        }
        ZSTD_inBuffer in = { s->in, s->in_len, s->in_pos };
        size_t r = ZSTD_decompressStream(s->zd, &out, &in);
        s->in_pos = in.pos;
        if (ZSTD_isError(r)) {
            /* where the decoder noticed it: the end of the bad block */
            set_err(s, "corrupt zstd data at byte %llu: %s", (unsigned long long)in_offset(s),
                    ZSTD_getErrorName(r));
            return out.pos;
        }
        s->zlast = r;
        if (out.pos == out.size)
            return out.pos;
    }
}

static size_t produce_gzip(iotap_instream *s, uint8_t *dst, size_t room)
{
    s->gz.next_out = dst;
    s->gz.avail_out = room > UINT32_MAX ? UINT32_MAX : (uInt)room;
    size_t produced = 0;
    for (;;) {
        if (s->in_pos == s->in_len) {
            if (produced > 0)
                return produced;
            if (!refill_in(s)) {
                if (!s->err[0] && !s->gz_member_done)
                    set_err(s, "truncated gzip data at byte %llu", (unsigned long long)s->raw_bytes);
                return 0;
            }
        }
        if (s->gz_member_done) {    /* another member follows */
            inflateReset(&s->gz);
            s->gz_member_done = false;
        }
        s->gz.next_in = s->in + s->in_pos;
        s->gz.avail_in = (uInt)(s->in_len - s->in_pos);
        uInt before = s->gz.avail_out;
        int r = inflate(&s->gz, Z_NO_FLUSH);
        produced += before - s->gz.avail_out;
        s->in_pos = s->in_len - s->gz.avail_in;
        if (r == Z_STREAM_END) {
            s->gz_member_done = true;
        } else if (r != Z_OK && !(r == Z_BUF_ERROR && s->gz.avail_in == 0)) {
            set_err(s, "corrupt gzip data at byte %llu: %s", (unsigned long long)in_offset(s),
                    s->gz.msg ? s->gz.msg : "inflate error");
            return produced;
        }
        if (s->gz.avail_out == 0)
            return produced;
    }
}

/* Appends decompressed bytes at buf[end..cap); returns 0 only at the end. */
static size_t produce(iotap_instream *s)
{
    uint8_t *dst = s->buf + s->end;
    size_t room = s->cap - s->end, n = 0;
    /* Decompress a cache-sized piece at a time, so the parser reads the
     * bytes while they are still in cache (measured: 4 MiB at once is
     * markedly slower than zstd -dc). */
    if (room > PRODUCE_STEP)
        room = PRODUCE_STEP;
    switch (s->kind) {
    case IOTAP_IN_RAW: n = produce_raw(s, dst, room); break;
    case IOTAP_IN_ZSTD: n = produce_zstd(s, dst, room); break;
    case IOTAP_IN_GZIP: n = produce_gzip(s, dst, room); break;
    }
    if (n == 0)
        s->eof = true;
    return n;
}

iotap_instream *iotap_instream_open(const char *path)
{
    int fd;
    bool own = true;
    if (strcmp(path, "-") == 0) {
        fd = STDIN_FILENO;
        own = false;
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return NULL;
    }
    iotap_instream *s = xcalloc(1, sizeof *s);
    s->fd = fd;
    s->own_fd = own;
    s->in = xmalloc(IN_CHUNK);
    /* Sniff the first bytes (a pipe may deliver them one at a time). */
    while (s->in_len < 4 && !s->in_eof) {
        ssize_t r = read_fd(fd, s->in + s->in_len, IN_CHUNK - s->in_len);
        if (r < 0) {
            int e = errno;
            iotap_instream_close(s);
            errno = e;
            return NULL;
        }
        if (r == 0)
            s->in_eof = true;
        s->in_len += (size_t)r;
        s->raw_bytes += (uint64_t)r;
    }
    const uint8_t *m = s->in;
    s->kind = IOTAP_IN_RAW;
    if (s->in_len >= 4) {
        uint32_t le = (uint32_t)m[0] | (uint32_t)m[1] << 8 | (uint32_t)m[2] << 16 | (uint32_t)m[3] << 24;
        if (le == 0xFD2FB528u || (le & 0xFFFFFFF0u) == 0x184D2A50u)
            s->kind = IOTAP_IN_ZSTD;
    }
    if (s->in_len >= 2 && m[0] == 0x1f && m[1] == 0x8b)
        s->kind = IOTAP_IN_GZIP;
    if (s->kind == IOTAP_IN_ZSTD) {
        s->zd = ZSTD_createDStream();
        if (!s->zd)
            iotap_die("out of memory (zstd)");
        ZSTD_initDStream(s->zd);
        s->zlast = 1;
    } else if (s->kind == IOTAP_IN_GZIP) {
        if (inflateInit2(&s->gz, 16 + MAX_WBITS) != Z_OK)
            iotap_die("out of memory (zlib)");
        s->gz_init = true;
    }
    s->cap = IOTAP_INSTREAM_BUF;
    s->buf = xmalloc(s->cap);
    return s;
}

size_t iotap_instream_fill(iotap_instream *s, size_t n, const uint8_t **p)
{
    if (n > IOTAP_INSTREAM_MAX)
        n = IOTAP_INSTREAM_MAX;
    while (s->end - s->pos < n && !s->eof) {
        if (s->pos + n > s->cap) {
            /* Move the partial record to the front (less than n bytes). */
            size_t have = s->end - s->pos;
            memmove(s->buf, s->buf + s->pos, have);
            s->base += s->pos;
            s->pos = 0;
            s->end = have;
            if (n > s->cap) {
                s->cap = n;
                s->buf = xrealloc(s->buf, s->cap);
            }
        }
        s->end += produce(s);
    }
    *p = s->buf + s->pos;
    return s->end - s->pos;
}

void iotap_instream_skip(iotap_instream *s, size_t n)
{
    if (n > s->end - s->pos)
        n = s->end - s->pos;
    s->pos += n;
}

size_t iotap_instream_read(iotap_instream *s, void *dst, size_t n)
{
    const uint8_t *p;
    size_t have = iotap_instream_fill(s, 1, &p);
    if (have == 0)
        return 0;
    if (n > have)
        n = have;
    memcpy(dst, p, n);
    s->pos += n;
    return n;
}

uint64_t iotap_instream_offset(const iotap_instream *s) { return s->base + s->pos; }
uint64_t iotap_instream_raw_bytes(const iotap_instream *s) { return s->raw_bytes; }
enum iotap_instream_kind iotap_instream_kind(const iotap_instream *s) { return s->kind; }
const char *iotap_instream_error(const iotap_instream *s) { return s->err[0] ? s->err : NULL; }

void iotap_instream_close(iotap_instream *s)
{
    if (!s)
        return;
    if (s->own_fd && s->fd >= 0)
        close(s->fd);
    if (s->zd)
        ZSTD_freeDStream(s->zd);
    if (s->gz_init)
        inflateEnd(&s->gz);
    free(s->in);
    free(s->buf);
    free(s);
}
