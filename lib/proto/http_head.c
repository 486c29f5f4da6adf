/*
 * http_head.c - the syntax of an HTTP/1.x message head (RFC 9112 sections
 * 2 to 6): start lines, header lines, Content-Length and Transfer-Encoding,
 * read as leniently as clients, servers and tshark read them. The
 * connection state machine that uses it is http.c.
 *
 * Every value is copied with control bytes replaced by '?' and capped at
 * MAX_VALUE bytes, so no header can carry a newline into a CSV file.
 */
#include "proto/http_head.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define MAX_VALUE       8192
#define MAX_METHOD      32
#define ABSURD_LENGTH   (1ull << 40)    /* 1 TiB */

void iotap_httph_msg_free(iotap_http_msg *m)
{
    free(m->method); free(m->uri); free(m->version); free(m->reason);
    free(m->host); free(m->content_type); free(m->user_agent); free(m->referer);
    free(m->content_encoding); free(m->transfer_encoding); free(m->content_range);
    free(m->content_length); free(m->connection);
}

static bool is_tchar(uint8_t ch)
{
    return isalnum(ch) || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static const char *const known_methods[] = {
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE",
    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SUBSCRIBE",
    "NOTIFY", "UNSUBSCRIBE", "M-SEARCH", "REPORT", "SEARCH", NULL,
};

/* Could these bytes begin a message? A status line or any token as a
 * method (servers answer unknown methods, so they are messages too). */
int iotap_httph_plausible_start(const uint8_t *p, size_t n)
{
    static const char resp[] = "HTTP/";
    size_t k = n < 5 ? n : 5;
    if (memcmp(p, resp, k) == 0)
        return k == 5 ? 1 : 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == ' ' || (p[i] == '\r' && i + 1 == n))
            return i > 0 ? 1 : -1;
        if (!is_tchar(p[i]) || i >= MAX_METHOD)
            return -1;
    }
    return 0;
}

static char *dup_clean(const uint8_t *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    if (n > MAX_VALUE)
        n = MAX_VALUE;
    char *s = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f ? '?' : (char)p[i];
    s[n] = 0;
    return s;
}

/* Appends to a header value (repeated header or obs-fold continuation). */
static void value_add(char **field, const uint8_t *p, size_t n, const char *sep)
{
    char *v = dup_clean(p, n);
    if (!*field) {
        *field = v;
        return;
    }
    size_t a = strlen(*field), b = strlen(v), s = strlen(sep);
    if (a + s + b <= MAX_VALUE) {
        *field = xrealloc(*field, a + s + b + 1);
        memcpy(*field + a, sep, s);
        memcpy(*field + a + s, v, b + 1);
    }
    free(v);
}

static char **header_field(iotap_http_msg *m, const uint8_t *name, size_t n)
{
#define H(str, f) if (n == sizeof(str) - 1 && !strncasecmp((const char *)name, str, n)) return &m->f
    H("host", host);
    H("content-type", content_type);
    H("user-agent", user_agent);
    H("referer", referer);
    H("content-encoding", content_encoding);
    H("transfer-encoding", transfer_encoding);
    H("content-range", content_range);
    H("content-length", content_length);
    H("connection", connection);
#undef H
    return NULL;
}

/* Parses the request or status line. Returns the kind, or -1. */
int iotap_httph_start_line(iotap_http_msg *m, const uint8_t *p, size_t n)
{
    while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
        n--;
    if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
        /* HTTP/d.d SP ddd [SP reason] */
        /* HTTP/d+.d+ (lenient: "HTTP/1.01", "HTTP/1.10" are read as
         * clients read them) */
        size_t i = 5, v0 = 5;
        while (i < n && i < 12 && isdigit(p[i]))
            i++;
        bool vok = i > v0 && i < n && p[i] == '.';
        if (vok) {
            size_t v1 = ++i;
            while (i < n && i < 16 && isdigit(p[i]))
                i++;
            vok = i > v1 && (i == n || p[i] == ' ' || p[i] == '\t' || p[i] == '\v' ||
                             p[i] == '\f' || p[i] == 0);
        }
        /* A broken version ("HTTP/1\0.1", "HTTP/1.1foobar") is still a
         * status line to clients (and tshark): the version runs to the
         * first blank. Then the status, as leniently as clients read it:
         * missing, odd separators (TAB VT FF NUL) or not three digits give
         * status 0 (unknown) and the message is still read. */
        if (!vok)
            for (i = 5; i < n && p[i] != ' ' && p[i] != '\t'; i++)
                ;
        size_t vend = i;
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\v' || p[i] == '\f' || p[i] == 0))
            i++;
        int st = 0;
        size_t d = 0;
        while (i + d < n && d < 3 && isdigit(p[i + d])) {
            st = st * 10 + (p[i + d] - '0');
            d++;
        }
        m->status = d == 3 && st >= 100 && (i + 3 == n || !isdigit(p[i + 3])) ? st : 0;
        i += d;
        while (i < n && p[i] != ' ')
            i++;   /* the rest of a malformed status */
        while (i < n && p[i] == ' ')
            i++;
        m->version = dup_clean(p, vend);
        m->reason = dup_clean(p + i, n - i);
        return IOTAP_HTTP_RESP;
    }
    /* Request: METHOD [SP target] [SP HTTP/d.d]. Lenient like servers:
     * "OPTIONS HTTP/1.1" (no target) and a bare known method are taken;
     * a target without a version is an HTTP/0.9 simple request. */
    size_t i = 0;
    while (i < n && is_tchar(p[i]) && i <= MAX_METHOD)
        i++;
    if (i == 0 || i > MAX_METHOD || (i < n && p[i] != ' '))
        return -1;
    size_t ms = i;
    const uint8_t *tok[3];
    size_t tlen[3], nt = 0;
    while (i < n) {
        while (i < n && p[i] == ' ')
            i++;
        if (i == n)
            break;
        if (nt == 2)
            return -1;
        tok[nt] = p + i;
        while (i < n && p[i] != ' ')
            i++;
        tlen[nt] = (size_t)(p + i - tok[nt]);
        nt++;
    }
    bool last_is_version = nt > 0 && tlen[nt - 1] == 8 && !memcmp(tok[nt - 1], "HTTP/", 5) &&
                           isdigit(tok[nt - 1][5]) && tok[nt - 1][6] == '.' && isdigit(tok[nt - 1][7]);
    if (nt == 2 && !last_is_version)
        return -1;
    if (nt == 0) {
        bool known = false;
        for (const char *const *km = known_methods; *km; km++)
            known |= strlen(*km) == ms && !memcmp(*km, p, ms);
        if (!known)
            return -1;
    }
    m->method = dup_clean(p, ms);
    if (last_is_version) {
        m->version = dup_clean(tok[nt - 1], 8);
        m->uri = nt == 2 ? dup_clean(tok[0], tlen[0]) : xstrdup("");
    } else {    /* no version: a simple request, whatever follows */
        m->version = xstrdup("HTTP/0.9");
        m->uri = nt == 1 ? dup_clean(tok[0], tlen[0]) : xstrdup("");
    }
    return IOTAP_HTTP_REQ;
}

bool iotap_httph_is_09(const iotap_http_msg *m)
{
    return m->version && !strcmp(m->version, "HTTP/0.9");
}

/* End of the line starting at p[i]: the index of its terminator (LF, or a
 * CR not followed by LF, which some servers send and clients accept). */
size_t iotap_httph_line_end(const uint8_t *p, size_t i, size_t n)
{
    for (; i < n; i++)
        if (p[i] == '\n' || (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n')))
            return i;
    return n;
}

iotap_httph_problems iotap_httph_header_lines(iotap_http_msg *m, const uint8_t *p, size_t n)
{
    iotap_httph_problems pr = {0};
    size_t nheaders = 0;
    char **last = NULL;
    size_t i = 0;
    while (i < n) {
        size_t e = iotap_httph_line_end(p, i, n);
        const uint8_t *line = p + i;
        size_t len = e - i;
        i = e + 1;
        if (len && line[len - 1] == '\r')
            len--;
        if (len == 0)
            break;
        if (line[0] == ' ' || line[0] == '\t') {   /* obs-fold */
            if (last)
                value_add(last, line, len, " ");
            continue;
        }
        last = NULL;
        if (++nheaders > IOTAP_HTTP_MAX_HEADERS) {
            pr.too_many = true;
            m->problem = "too many header lines";
            break;
        }
        const uint8_t *colon = memchr(line, ':', len);
        size_t nlen = colon ? (size_t)(colon - line) : 0;
        bool ok = colon && nlen > 0;
        for (size_t k = 0; ok && k < nlen; k++)
            ok = is_tchar(line[k]);
        if (!ok) {
            pr.malformed++;
            continue;
        }
        char **f = header_field(m, line, nlen);
        if (f) {
            value_add(f, colon + 1, len - nlen - 1, ", ");
            last = f;
        }
    }
    return pr;
}

/* Content-Length: 1 valid (*v), 0 absent, -1 invalid. Repeated equal
 * values ("5, 5") are accepted. */
int iotap_httph_content_length(const char *s, uint64_t *v)
{
    if (!s)
        return 0;
    bool have = false;
    uint64_t first = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        if (!*s)
            break;
        if (!isdigit((unsigned char)*s))
            return -1;
        uint64_t x = 0;
        while (isdigit((unsigned char)*s)) {
            x = x * 10 + (uint64_t)(*s - '0');
            if (x > ABSURD_LENGTH)
                return -1;
            s++;
        }
        const char *digits_end = s;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s && *s != ',') {
            if (s == digits_end)
                return -1;
            /* "68 A": clients take the number before the blank */
            if (have && x != first)
                return -1;
            *v = x;
            return 1;
        }
        if (have && x != first)
            return -1;
        first = x;
        have = true;
    }
    if (!have)
        return -1;
    *v = first;
    return 1;
}

/* Is the body chunked? RFC 9112 wants "chunked" last; browsers (and
 * tshark) de-chunk when any coding starts with it ("chunked, lalala",
 * "chunked;", "chUnked"), and so do we, since that is what the device saw. */
bool iotap_httph_chunked(const char *te)
{
    if (!te)
        return false;
    const char *p = te;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!strncasecmp(p, "chunked", 7))
            return true;
        while (*p && *p != ',')
            p++;
    }
    return false;
}

bool iotap_httph_line_is_09(const uint8_t *p, size_t n)
{
    iotap_http_msg tmp = {0};
    bool r = iotap_httph_start_line(&tmp, p, n) == IOTAP_HTTP_REQ && iotap_httph_is_09(&tmp);
    iotap_httph_msg_free(&tmp);
    return r;
}

size_t iotap_httph_find_request(const uint8_t *p, size_t from, size_t end)
{
    size_t best = end;
    for (const char *const *m = known_methods; *m && from < best; m++) {
        char pat[16];
        size_t pl = (size_t)snprintf(pat, sizeof pat, "%s ", *m);
        const uint8_t *q = memmem(p + from, best - from, pat, pl);
        /* Not the tail of a longer token ("XGET "). */
        while (q && q > p && is_tchar(q[-1]))
            q = memmem(q + 1, (size_t)(p + best - (q + 1)), pat, pl);
        if (q)
            best = (size_t)(q - p);
    }
    return best;
}
