/*
 * http_head.h - the syntax of an HTTP/1.x message head (RFC 9112): start
 * line, header lines, body framing headers. Stateless functions on bytes,
 * used by the connection parser (http.h); not an interface of its own.
 *
 * Leniency follows what clients and servers accept (and tshark decodes),
 * since that is what the device saw: a broken version still makes a status
 * line, "Content-Length: 5, 5" is 5, "chunked, x" is chunked.
 */
#ifndef IOTAP_PROTO_HTTP_HEAD_H
#define IOTAP_PROTO_HTTP_HEAD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/http.h"

/* Frees the strings of m (not m itself). */
void iotap_httph_msg_free(iotap_http_msg *m);

/* Could p[0..n) begin a message ("HTTP/" or a token and a blank)? 1 yes,
 * 0 need more bytes, -1 no. */
int iotap_httph_plausible_start(const uint8_t *p, size_t n);

/* Parses the start line p[0..n) (no line end) into m: method, uri and
 * version, or version, status and reason. Returns IOTAP_HTTP_REQ,
 * IOTAP_HTTP_RESP or -1 when it is neither. */
int iotap_httph_start_line(iotap_http_msg *m, const uint8_t *p, size_t n);

/* m is an HTTP/0.9 simple request (no version on its request line). */
bool iotap_httph_is_09(const iotap_http_msg *m);
/* The line p[0..n) is an HTTP/0.9 simple request. */
bool iotap_httph_line_is_09(const uint8_t *p, size_t n);

/* Index of the end of the line starting at p[i]: its LF, or a CR not
 * followed by LF (some servers send it and clients accept it); n if none. */
size_t iotap_httph_line_end(const uint8_t *p, size_t i, size_t n);

/* Header lines p[0..n) after the start line, up to the blank line: the
 * fields iotap_http_msg has are stored (repeats joined with ", ", obs-fold
 * continued with " "), others skipped. What was wrong is returned; at most
 * IOTAP_HTTP_MAX_HEADERS lines are read. */
typedef struct iotap_httph_problems {
    unsigned malformed;     /* lines without a token and a colon, skipped */
    bool too_many;          /* more than IOTAP_HTTP_MAX_HEADERS lines */
} iotap_httph_problems;
iotap_httph_problems iotap_httph_header_lines(iotap_http_msg *m, const uint8_t *p, size_t n);

/* Content-Length s (may be NULL): 1 valid (*v), 0 absent, -1 invalid. */
int iotap_httph_content_length(const char *s, uint64_t *v);
/* Transfer-Encoding te (may be NULL) makes the body chunked. */
bool iotap_httph_chunked(const char *te);

/* Offset of the first "METHOD " of a known method in p[from..end) that is
 * not the tail of a longer token, or end. */
size_t iotap_httph_find_request(const uint8_t *p, size_t from, size_t end);

#endif
