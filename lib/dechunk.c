/*
 * dechunk.c - the chunked transfer coding (RFC 9112 7.1) undone as the
 * bytes stream in (interface in httpbody.h): chunk sizes in hex with every
 * digit and line length checked, extensions and trailers skipped within
 * caps, and a chunk not followed by CRLF tolerated as clients tolerate it.
 */
#include "httpbody.h"

#include <string.h>

#define DC_MAX_LINE     4096        /* size line with extensions */
#define DC_MAX_TRAILERS (64 * 1024) /* all trailer lines together */
#define DC_MAX_SIZE     (1ull << 60)

void iotap_dechunk_init(iotap_dechunk *d)
{
    memset(d, 0, sizeof *d);
    d->state = IOTAP_DC_SIZE;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static size_t dc_fail(iotap_dechunk *d, const char *why, size_t consumed)
{
    d->state = IOTAP_DC_ERROR;
    d->error = why;
    return consumed;
}

/* The size line ended. */
static void dc_size_done(iotap_dechunk *d)
{
    d->line_len = 0;
    d->chunks++;
    if (d->remaining == 0)
        d->state = IOTAP_DC_TRAILER_START;
    else
        d->state = IOTAP_DC_DATA;
}

size_t iotap_dechunk_feed(iotap_dechunk *d, const uint8_t *p, size_t n,
                          void (*out)(void *ctx, const uint8_t *p, size_t n), void *ctx)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        switch (d->state) {
        case IOTAP_DC_SIZE: {
            int v = hexval(c);
            if (++d->line_len > DC_MAX_LINE)
                return dc_fail(d, "chunk size line too long", i);
            if (v >= 0) {
                if (d->remaining > (DC_MAX_SIZE >> 4))
                    return dc_fail(d, "chunk size too large", i);
                d->remaining = d->remaining << 4 | (uint64_t)v;
                d->size_started = true;
                i++;
            } else if ((c == ' ' || c == '\t' || c == '\v' || c == '\f') && !d->size_started) {
                i++;    /* tolerated leading white space */
            } else if (!d->size_started) {
                return dc_fail(d, "bad chunk size", i);
            } else if (c == '\n') {
                i++;
                dc_size_done(d);
            } else {
                /* After the digits: an extension, or junk that browsers
                 * and tshark skip the same way ("fx" is 15). */
                if (c != ';' && c != ' ' && c != '\t' && c != '\r')
                    d->sloppy = true;
                d->state = IOTAP_DC_EXT;
                i++;
            }
            break;
        }
        case IOTAP_DC_EXT: {
            const uint8_t *nl = memchr(p + i, '\n', n - i);
            size_t take = nl ? (size_t)(nl - (p + i)) + 1 : n - i;
            d->line_len += take;
            if (d->line_len > DC_MAX_LINE)
                return dc_fail(d, "chunk size line too long", i);
            i += take;
            if (nl)
                dc_size_done(d);
            break;
        }
        case IOTAP_DC_DATA: {
            size_t take = n - i;
            if (take > d->remaining)
                take = (size_t)d->remaining;
            if (out)
                out(ctx, p + i, take);
            d->data_bytes += take;
            d->remaining -= take;
            i += take;
            if (d->remaining == 0)
                d->state = IOTAP_DC_DATA_CR;
            break;
        }
        case IOTAP_DC_DATA_CR:
            if (c == '\r') {
                d->state = IOTAP_DC_DATA_LF;
                i++;
            } else if (c == '\n') {
                i++;
                goto next_chunk;
            } else {
                d->sloppy = true;   /* reparse this byte as a size */
                goto next_chunk;
            }
            break;
        case IOTAP_DC_DATA_LF:
            if (c == '\n')
                i++;
            else
                d->sloppy = true;
        next_chunk:
            d->state = IOTAP_DC_SIZE;
            d->remaining = 0;
            d->size_started = false;
            d->line_len = 0;
            break;
        case IOTAP_DC_TRAILER_START:
            if (c == '\r') {
                d->state = IOTAP_DC_TRAILER_END_LF;
                i++;
            } else if (c == '\n') {
                d->state = IOTAP_DC_DONE;
                return i + 1;
            } else
                d->state = IOTAP_DC_TRAILER_LINE;
            break;
        case IOTAP_DC_TRAILER_LINE: {
            const uint8_t *nl = memchr(p + i, '\n', n - i);
            size_t take = nl ? (size_t)(nl - (p + i)) + 1 : n - i;
            d->line_len += take;
            if (d->line_len > DC_MAX_TRAILERS)
                return dc_fail(d, "chunked trailers too long", i);
            i += take;
            if (nl)
                d->state = IOTAP_DC_TRAILER_START;
            break;
        }
        case IOTAP_DC_TRAILER_END_LF:
            d->state = IOTAP_DC_DONE;
            return c == '\n' ? i + 1 : i;
        case IOTAP_DC_DONE:
        case IOTAP_DC_ERROR:
        default:
            return i;
        }
    }
    return i;
}

bool iotap_dechunk_gap(iotap_dechunk *d, uint64_t n)
{
    if (d->state == IOTAP_DC_DATA && n <= d->remaining) {
        d->remaining -= n;
        if (d->remaining == 0)
            d->state = IOTAP_DC_DATA_CR;
        return true;
    }
    if (d->state != IOTAP_DC_DONE) {
        d->state = IOTAP_DC_ERROR;
        d->error = "bytes missing in chunk framing";
    }
    return false;
}
