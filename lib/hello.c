/*
 * hello.c - collects the first client bytes of a TCP flow in sequence order
 * (a bounded reassembly buffer) and recognises a TLS ClientHello (via
 * lib/proto/tls.c) or an HTTP/1.x request head (RFC 9112 section 3: request
 * line, then header fields up to an empty line; Host per RFC 9110 7.2).
 * See hello.h.
 */
#include "hello.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "util.h"

/* ---- bounded reassembly ---- */

void iotap_hbuf_init(iotap_hbuf *r, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->cap = cap;
}

void iotap_hbuf_free(iotap_hbuf *r)
{
    free(r->buf);
    free(r->have);
    r->buf = r->have = NULL;
    r->alloc = r->contig = 0;
}

static void grow(iotap_hbuf *r, size_t need)
{
    if (need <= r->alloc)
        return;
    size_t n = r->alloc ? r->alloc : 1024;
    while (n < need)
        n *= 2;
    if (n > r->cap)
        n = r->cap;
    r->buf = xrealloc(r->buf, n);
    r->have = xrealloc(r->have, (n + 7) / 8);
    memset(r->have + (r->alloc + 7) / 8, 0, (n + 7) / 8 - (r->alloc + 7) / 8);
    r->alloc = n;
}

static bool has_bit(const iotap_hbuf *r, size_t i) { return r->have[i >> 3] >> (i & 7) & 1; }

bool iotap_hbuf_add(iotap_hbuf *r, uint64_t off, const uint8_t *p, size_t len)
{
    if (off >= r->cap || len == 0 || !p)
        return false;
    size_t end = off + len > r->cap ? r->cap : (size_t)(off + len);
    grow(r, end);
    /* alloc is a multiple of 8 or equals cap, so bytes past alloc in the
     * last bitmap byte are never set. */
    for (size_t i = (size_t)off; i < end; i++) {
        if (has_bit(r, i))
            continue;           /* first copy wins */
        r->buf[i] = p[i - off];
        r->have[i >> 3] |= (uint8_t)(1u << (i & 7));
    }
    size_t before = r->contig;
    while (r->contig < r->alloc && has_bit(r, r->contig))
        r->contig++;
    return r->contig > before;
}

/* ---- HTTP request head ---- */

static bool is_tchar_upper(uint8_t b) { return (b >= 'A' && b <= 'Z') || b == '-' || b == '_'; }

/* One line [line, line+n) without its CR/LF: a Host header? */
static void header_line(const uint8_t *line, size_t n, iotap_hello_info *info)
{
    if (n < 5 || strncasecmp((const char *)line, "host:", 5) != 0 || info->http_host[0])
        return;
    iotap_cursor c = cur_make(line + 5, n - 5);
    while (cur_has(&c, 1) && (cur_ptr(&c)[0] == ' ' || cur_ptr(&c)[0] == '\t'))
        cur_skip(&c, 1);
    size_t vlen = cur_left(&c);
    const uint8_t *v = cur_take(&c, vlen);
    while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
        vlen--;
    if (vlen == 0 || vlen >= sizeof info->http_host) {
        info->error = "HTTP Host header empty or too long";
        return;
    }
    for (size_t i = 0; i < vlen; i++)
        if (v[i] <= 0x20 || v[i] >= 0x7f) {
            info->error = "HTTP Host header with non-printable bytes";
            return;
        }
    memcpy(info->http_host, v, vlen);
    info->http_host[vlen] = '\0';
}

int iotap_http_request_head(const uint8_t *p, size_t len, iotap_hello_info *info)
{
    iotap_cursor c = cur_make(p, len);
    size_t m = 0;
    while (cur_has(&c, 1) && is_tchar_upper(cur_ptr(&c)[0]) && m < sizeof info->http_method - 1) {
        cur_skip(&c, 1);
        m++;
    }
    if (!cur_has(&c, 1))
        return m < sizeof info->http_method - 1 ? IOTAP_HELLO_MORE : -1;
    if (m == 0 || cur_ptr(&c)[0] != ' ')
        return -1;
    /* Request line: target and version, up to LF. */
    iotap_cursor rest = c;
    const uint8_t *lf = memchr(cur_ptr(&rest), '\n', cur_left(&rest));
    if (!lf)
        return IOTAP_HELLO_MORE;
    size_t linelen = (size_t)(lf - cur_ptr(&rest));
    const uint8_t *line = cur_take(&rest, linelen + 1);
    bool http09 = true;
    for (size_t i = 0; i + 6 <= linelen; i++)
        if (memcmp(line + i, " HTTP/", 6) == 0)
            http09 = false;
    memset(info, 0, sizeof *info);
    info->kind = IOTAP_HELLO_HTTP;
    memcpy(info->http_method, p, m);
    info->http_method[m] = '\0';
    if (http09)
        return IOTAP_HELLO_DONE;
    /* Header lines until an empty one. */
    while (cur_has(&rest, 1)) {
        const uint8_t *s = cur_ptr(&rest);
        const uint8_t *e = memchr(s, '\n', cur_left(&rest));
        if (!e)
            break;
        size_t n = (size_t)(e - s);
        cur_skip(&rest, n + 1);
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (n == 0)
            return IOTAP_HELLO_DONE;
        header_line(s, n, info);
    }
    return IOTAP_HELLO_MORE;
}

/* ---- the per-flow collector ---- */

struct iotap_hello {
    iotap_hbuf r;
    uint32_t base;          /* sequence number of stream offset 0 */
    bool have_base;
    bool done;
    unsigned segments;
    iotap_hello_info info;  /* final once done */
};

iotap_hello *iotap_hello_new(size_t cap)
{
    iotap_hello *h = xcalloc(1, sizeof *h);
    iotap_hbuf_init(&h->r, cap ? cap : IOTAP_HELLO_CAP);
    return h;
}

void iotap_hello_free(iotap_hello *h)
{
    if (!h)
        return;
    iotap_hbuf_free(&h->r);
    free(h);
}

/* Looks at the contiguous bytes: decided or not. */
static bool examine(iotap_hello *h, bool final)
{
    const uint8_t *p = h->r.buf;
    size_t n = h->r.contig;
    iotap_hello_info *info = &h->info;
    if (n == 0)
        return final;
    const char *err = NULL;
    int t = iotap_tls_client_stream(p, n, &info->tls, &err);
    if (t == IOTAP_TLS_DONE || t == IOTAP_TLS_BAD) {
        info->kind = IOTAP_HELLO_TLS;
        info->error = err;
        if (t == IOTAP_TLS_BAD)
            memset(&info->tls, 0, sizeof info->tls);
        return true;
    }
    if (t == IOTAP_TLS_MORE) {
        if (final || n >= h->r.cap) {
            memset(&info->tls, 0, sizeof info->tls);
            info->kind = IOTAP_HELLO_TLS;
            info->error = "TLS ClientHello incomplete";
            return true;
        }
        return false;
    }
    iotap_hello_info hi;
    memset(&hi, 0, sizeof hi);
    int r = iotap_http_request_head(p, n, &hi);
    if (r == IOTAP_HELLO_DONE || (hi.kind == IOTAP_HELLO_HTTP && (final || n >= h->r.cap))) {
        *info = hi;     /* a head cut short still gives its method and Host */
        return true;
    }
    if (r < 0 || final || n >= h->r.cap) {
        memset(info, 0, sizeof *info);
        info->kind = r < 0 ? IOTAP_HELLO_OTHER : IOTAP_HELLO_NONE;
        return true;
    }
    return false;
}

int iotap_hello_segment(iotap_hello *h, uint8_t tcp_flags, uint32_t seq,
                        const uint8_t *p, size_t len, iotap_hello_info *info)
{
    if (h->done) {
        *info = h->info;
        return IOTAP_HELLO_DONE;
    }
    if (tcp_flags & 0x02) {             /* SYN: data starts at seq + 1 */
        if (!h->have_base) {
            h->base = seq + 1;
            h->have_base = true;
        }
        seq++;
    }
    if (len == 0)
        return IOTAP_HELLO_MORE;
    if (!h->have_base) {
        h->base = seq;
        h->have_base = true;
    }
    uint32_t rel = seq - h->base;
    if (rel >= 0x80000000u) {           /* starts before offset 0: trim */
        uint32_t before = h->base - seq;
        if (before >= len)
            return IOTAP_HELLO_MORE;
        p += before;
        len -= before;
        rel = 0;
    }
    h->segments++;
    bool grew = iotap_hbuf_add(&h->r, rel, p, len);
    bool give_up = h->segments >= IOTAP_HELLO_MAX_SEGMENTS;
    if ((grew && examine(h, false)) || (give_up && examine(h, true))) {
        h->done = true;
        iotap_hbuf_free(&h->r);
        *info = h->info;
        return IOTAP_HELLO_DONE;
    }
    return IOTAP_HELLO_MORE;
}

void iotap_hello_finish(iotap_hello *h, iotap_hello_info *info)
{
    if (!h->done) {
        examine(h, true);
        h->done = true;
        iotap_hbuf_free(&h->r);
    }
    *info = h->info;
}
