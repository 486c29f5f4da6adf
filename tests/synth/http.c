/*
 * http.c - HTTP/1.1 exchanges (RFC 9112) over an open TCP conversation:
 * request with an optional body (Content-Length), response with a body
 * sent as Content-Length, chunked (several chunks and a trailer) and/or
 * gzip Content-Encoding, or none at all (HEAD, 304). One http.csv row per
 * request; body sizes and SHA-256 are of the decoded bodies, computed from
 * the bytes before they were encoded.
 */
#include "synth.h"

#include "util.h"

#include <openssl/sha.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void hexsha(const uint8_t *p, size_t n, char out[65])
{
    uint8_t md[32];
    SHA256(p, n, md);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void gzip_body(dyn *out, const uint8_t *p, size_t n)
{
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        iotap_die("zlib init failed");
    uLong cap = deflateBound(&z, (uLong)n) + 32;
    uint8_t *buf = xmalloc(cap);
    z.next_in = (Bytef *)p; z.avail_in = (uInt)n;
    z.next_out = buf; z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        iotap_die("zlib deflate failed");
    dyn_put(out, buf, z.total_out);
    deflateEnd(&z);
    free(buf);
}

static void hdr(dyn *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void hdr(dyn *d, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    dyn_put(d, line, n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

void http_exchange(tcpc *tc, const hreq *h)
{
    synth *S = tc->S;
    int64_t t0 = tc->t;
    dyn q = {0}, r = {0}, enc = {0};
    hdr(&q, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\n",
        h->method, h->uri, h->host, S->dev[tc->f->dev].hostname);
    if (h->extra_hdrs) hdr(&q, "%s", h->extra_hdrs);
    if (h->body_len)
        hdr(&q, "Content-Type: %s\r\nContent-Length: %zu\r\n", h->body_type, h->body_len);
    hdr(&q, "\r\n");
    dyn_put(&q, h->body, h->body_len);
    tcp_send(tc, true, q.p, q.n, h->req_opt);
    tcp_wait(tc, 20 * MS);

    hdr(&r, "HTTP/1.1 %d %s\r\nDate: Sun, 01 Nov 2026 00:00:00 GMT\r\nServer: nginx\r\n",
        h->status, h->reason);
    bool is_head = strcmp(h->method, "HEAD") == 0;
    const uint8_t *wire = h->rbody;
    size_t wlen = h->rbody_len;
    if (h->rtype && h->status != 304) hdr(&r, "Content-Type: %s\r\n", h->rtype);
    if (h->status == 304) {
        hdr(&r, "ETag: \"5f3e-1a2b\"\r\nCache-Control: max-age=600\r\n\r\n");
        wlen = 0;
    } else if (is_head) {
        hdr(&r, "Content-Length: %zu\r\nETag: \"5f3e-1a2b\"\r\n\r\n", h->rbody_len);
        wlen = 0;
    } else {
        if (h->gzip) {
            gzip_body(&enc, h->rbody, h->rbody_len);
            wire = enc.p; wlen = enc.n;
            hdr(&r, "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n");
        }
        if (h->chunked) {
            hdr(&r, "Transfer-Encoding: chunked\r\nTrailer: X-Body-Checksum\r\n\r\n");
            size_t pos = 0, part = wlen / 3 + 1;
            while (pos < wlen) {
                size_t n = wlen - pos < part ? wlen - pos : part;
                hdr(&r, "%zx\r\n", n);
                dyn_put(&r, wire + pos, n);
                hdr(&r, "\r\n");
                pos += n;
            }
            hdr(&r, "0\r\nX-Body-Checksum: %08lx\r\n\r\n", crc32(0, h->rbody, (uInt)h->rbody_len));
        } else {
            hdr(&r, "Content-Length: %zu\r\nConnection: keep-alive\r\n\r\n", wlen);
            dyn_put(&r, wire, wlen);
        }
    }
    tcp_send(tc, false, r.p, r.n, h->resp_opt);

    char mac[IOTAP_MAC_BUFSZ], tb[IOTAP_TIME_BUFSZ], qs[65] = "", rs[65] = "", num[32];
    bool has_rbody = !is_head && h->status != 304 && h->rbody_len > 0;
    if (h->body_len) hexsha(h->body, h->body_len, qs);
    if (has_rbody) hexsha(h->rbody, h->rbody_len, rs);
    FILE *f = S->http_csv;
    csv_field(f, iotap_format_time(t0 - t0 % 1000, tb), false);
    csv_field(f, iotap_format_mac(S->dev[tc->f->dev].mac, mac), false);
    csv_field(f, h->host, false);
    csv_field(f, h->method, false);
    csv_field(f, h->uri, false);
    snprintf(num, sizeof num, "%d", h->status); csv_field(f, num, false);
    snprintf(num, sizeof num, "%zu", h->body_len); csv_field(f, num, false);
    csv_field(f, qs, false);
    snprintf(num, sizeof num, "%zu", has_rbody ? h->rbody_len : 0); csv_field(f, num, false);
    csv_field(f, rs, false);
    csv_field(f, h->status == 304 ? "" : h->rtype, false);
    csv_field(f, h->gzip && !is_head && h->status != 304 ? "gzip" : "", false);
    csv_field(f, h->chunked && !is_head && h->status != 304 ? "chunked" : "", false);
    csv_field(f, "yes", true);
    dyn_free(&q); dyn_free(&r); dyn_free(&enc);
}
