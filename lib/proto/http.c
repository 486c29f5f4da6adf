/*
 * http.c - HTTP/1.x message parsing and request/response pairing over one
 * TCP connection (RFC 9112; see http.h).
 *
 * Each direction is a small state machine fed the reassembled bytes:
 * START -> HEADERS -> (BODY_CL | BODY_CHUNKED | BODY_CLOSE) -> START. The
 * header block is collected (capped) and parsed (http_head.c) at its blank
 * line; the body is streamed into an iotap_body (decoding, cap, hash) and,
 * when the caller opened one, a sink. A direction that loses its place (a
 * hole, a bad length) waits in LOST until a later segment starts with a
 * message.
 */
#include "proto/http.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/http_head.h"
#include "util.h"

#define MAX_FIRST_LINE  8192

enum side_state {
    S_START, S_HEADERS, S_BODY_CL, S_BODY_CHUNKED, S_BODY_CLOSE,
    S_LOST, S_TUNNEL, S_NOTHTTP, S_ENDED,
};

typedef struct side {
    int state;
    int dir;
    uint8_t *hdr;
    size_t nhdr, scan, hdrcap;  /* grows to IOTAP_HTTP_MAX_HEADER_BLOCK */
    int64_t ts;
    iotap_http_txn *txn;    /* message whose body is being read */
    int msgside;            /* IOTAP_HTTP_REQ or RESP of that message */
    iotap_body *body;
    uint64_t remaining;
    iotap_dechunk dc;
    bool msg_gap;           /* a hole inside the current message */
    bool msg_conflict;      /* bytes of it were contradicted by a TCP overlap */
} side;

struct iotap_http_conn {
    side s[2];
    int client_dir;         /* -1 until known */
    iotap_http_txn *head, *tail, *next_resp;
    size_t npending;
    size_t pending_bytes;   /* header bytes of the transactions held */
    uint64_t ntxn, reported;
    const iotap_http_hooks *hooks;
    void *ctx;
    uint64_t max_body;
    void *flow;
    iotap_http_budget *budget;
    bool active, seen;
};

/* Header bytes held change by delta (budget accounting). */
static void held(iotap_http_conn *c, int64_t delta)
{
    iotap_http_budget *b = c->budget;
    if (!b)
        return;
    b->used += (uint64_t)delta;
    if (b->used > b->peak)
        b->peak = b->used;
}

static bool over_budget(const iotap_http_conn *c, uint64_t more)
{
    return c->budget && c->budget->cap && c->budget->used + more > c->budget->cap;
}

void iotap_http_conn_budget(iotap_http_conn *c, iotap_http_budget *b)
{
    c->budget = b;
    held(c, (int64_t)(c->pending_bytes + c->s[0].hdrcap + c->s[1].hdrcap));
}

/* Which side a buffered, unfinished header block is from, by its start. */
static const char *held_side(const side *s)
{
    if (s->nhdr >= 5 && memcmp(s->hdr, "HTTP/", 5) == 0)
        return "response side";
    if (s->nhdr > 0 && memchr(s->hdr, ' ', s->nhdr < 33 ? s->nhdr : 33))
        return "request side";
    return "unknown side";
}

static void problem(iotap_http_conn *c, int dir, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(iotap_http_conn *c, int dir, const char *fmt, ...)
{
    if (!c->hooks || !c->hooks->problem)
        return;
    char buf[256], msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const char *sidename;
    if (c->client_dir >= 0)
        sidename = dir == c->client_dir ? "request side" : "response side";
    else    /* before the first message: the buffered header block tells */
        sidename = held_side(&c->s[dir & 1]);
    snprintf(msg, sizeof msg, "%s (%s)", buf, sidename);
    c->hooks->problem(msg, c->ctx);
}

iotap_http_conn *iotap_http_conn_new(const iotap_http_hooks *hooks, void *ctx,
                                     uint64_t max_body, void *flow)
{
    iotap_http_conn *c = xcalloc(1, sizeof *c);
    c->hooks = hooks;
    c->ctx = ctx;
    c->max_body = max_body;
    c->flow = flow;
    c->client_dir = -1;
    c->active = true;
    for (int d = 0; d < 2; d++) {
        c->s[d].dir = d;
        c->s[d].state = S_START;
    }
    return c;
}

bool iotap_http_active(const iotap_http_conn *c) { return c->active; }
bool iotap_http_seen(const iotap_http_conn *c) { return c->seen; }
uint64_t iotap_http_txns(const iotap_http_conn *c) { return c->reported; }

/* ---------------- transactions ---------------- */

static void txn_free(iotap_http_txn *t)
{
    iotap_httph_msg_free(&t->req);
    iotap_httph_msg_free(&t->resp);
    free(t);
}

static iotap_http_txn *txn_append(iotap_http_conn *c)
{
    iotap_http_txn *t = xcalloc(1, sizeof *t);
    t->num = ++c->ntxn;
    t->flow = c->flow;
    if (c->tail)
        c->tail->next = t;
    else
        c->head = t;
    c->tail = t;
    c->npending++;
    if (!c->next_resp)
        c->next_resp = t;
    return t;
}

static bool in_use(const iotap_http_conn *c, const iotap_http_txn *t)
{
    return c->s[0].txn == t || c->s[1].txn == t;
}

static void report_head(iotap_http_conn *c)
{
    iotap_http_txn *t = c->head;
    c->head = t->next;
    if (!c->head)
        c->tail = NULL;
    if (c->next_resp == t)
        c->next_resp = t->next;
    c->npending--;
    c->pending_bytes -= t->cost;
    held(c, -(int64_t)t->cost);
    c->reported++;
    if (c->hooks && c->hooks->txn_done)
        c->hooks->txn_done(t, c->ctx);
    txn_free(t);
}

/* Reports finished transactions in order; force = everything not in use. */
static void report_ready(iotap_http_conn *c, bool force)
{
    while (c->head && !in_use(c, c->head)) {
        iotap_http_txn *t = c->head;
        bool req_ok = !t->req.present || t->req.done;
        bool resp_ok = t->resp.present && t->resp.done;
        if (!force && !(req_ok && resp_ok) && c->npending <= IOTAP_HTTP_MAX_PENDING &&
            c->pending_bytes <= IOTAP_HTTP_MAX_PENDING_BYTES && !over_budget(c, 0))
            break;
        if (!force && !(req_ok && resp_ok) && over_budget(c, 0))
            c->budget->txns_forced++;
        report_head(c);
    }
}

/* ---------------- bodies ---------------- */

static void body_sink(void *ctx, const uint8_t *p, size_t n)
{
    side *s = ctx;
    iotap_http_conn *c = (iotap_http_conn *)((char *)(s - s->dir) - offsetof(iotap_http_conn, s));
    void *sink = s->txn ? s->txn->sink[s->msgside] : NULL;
    if (sink && c->hooks && c->hooks->body_write)
        c->hooks->body_write(sink, p, n, c->ctx);
}

static iotap_http_msg *cur_msg(side *s)
{
    return s->msgside == IOTAP_HTTP_REQ ? &s->txn->req : &s->txn->resp;
}

static void body_start(iotap_http_conn *c, side *s)
{
    iotap_http_msg *m = cur_msg(s);
    m->has_body = true;
    s->body = iotap_body_new(m->content_encoding, m->transfer_encoding, c->max_body,
                             body_sink, s);
    if (c->hooks && c->hooks->body_open)
        s->txn->sink[s->msgside] = c->hooks->body_open(s->txn, s->msgside, c->ctx);
}

/* The current message is over. */
static void msg_end(iotap_http_conn *c, side *s, bool complete)
{
    if (!s->txn)
        return;
    iotap_http_txn *t = s->txn;
    iotap_http_msg *m = cur_msg(s);
    if (s->body) {
        iotap_body_finish(s->body, &m->body);
        iotap_body_free(s->body);
        s->body = NULL;
        if (m->body.gap || m->body.capped || m->body.decode_error)
            complete = false;
        if (m->body.unknown_coding && m->body.wire_bytes) {
            /* Stored as sent, still encoded: not the content. Said once
             * per body. */
            const char *ce = m->content_encoding ? m->content_encoding : m->transfer_encoding;
            problem(c, s->dir, "content coding \"%s\" not decoded: body kept as sent, "
                    "marked incomplete", ce ? ce : "?");
            if (!m->problem)
                m->problem = "content coding not decoded";
            complete = false;
        }
    }
    if (s->msg_conflict && !m->problem)
        m->problem = "overlapping TCP segments differed";
    m->complete = complete && !s->msg_gap && !s->msg_conflict && !m->problem;
    m->done = true;
    if (m->has_body && c->hooks && c->hooks->body_close)
        c->hooks->body_close(t->sink[s->msgside], t, s->msgside, c->ctx);
    t->sink[s->msgside] = NULL;
    s->txn = NULL;
    s->msg_gap = false;
    s->msg_conflict = false;
    report_ready(c, false);
}

static void go_tunnel(iotap_http_conn *c)
{
    for (int d = 0; d < 2; d++) {
        side *s = &c->s[d];
        if (s->txn)
            msg_end(c, s, s->state == S_BODY_CLOSE);
        s->state = S_TUNNEL;
    }
    c->active = false;
}

/* Sets the framing of a message whose headers were just parsed. */
static void frame_message(iotap_http_conn *c, side *s, int kind)
{
    iotap_http_msg *m = cur_msg(s);
    uint64_t len = 0;
    int cl = iotap_httph_content_length(m->content_length, &len);
    bool chunked = iotap_httph_chunked(m->transfer_encoding);
    if (kind == IOTAP_HTTP_REQ) {
        if (m->transfer_encoding && !chunked) {
            problem(c, s->dir, "request Transfer-Encoding not ending in chunked: %s",
                    m->transfer_encoding);
            m->problem = "bad Transfer-Encoding";
            msg_end(c, s, false);
            s->state = S_LOST;
            return;
        }
        if (m->transfer_encoding && cl) {
            problem(c, s->dir, "both Transfer-Encoding and Content-Length");
            m->problem = "Transfer-Encoding with Content-Length";
        }
        if (chunked) {
            body_start(c, s);
            iotap_dechunk_init(&s->dc);
            s->state = S_BODY_CHUNKED;
            return;
        }
        if (cl < 0) {
            problem(c, s->dir, "bad Content-Length: %s", m->content_length);
            m->problem = "bad Content-Length";
            msg_end(c, s, false);
            s->state = S_LOST;
            return;
        }
        if (cl > 0 && len > 0) {
            body_start(c, s);
            s->remaining = len;
            s->state = S_BODY_CL;
            return;
        }
        msg_end(c, s, true);
        s->state = S_START;
        return;
    }
    /* Response: RFC 9112 6.3 in order. */
    const iotap_http_msg *req = &s->txn->req;
    bool head = req->present && req->method && !strcmp(req->method, "HEAD");
    bool connect = req->present && req->method && !strcmp(req->method, "CONNECT");
    if (m->status == 204 || m->status == 304 || head) {
        msg_end(c, s, true);
        s->state = S_START;
        return;
    }
    if (connect && m->status / 100 == 2) {
        msg_end(c, s, true);
        go_tunnel(c);
        return;
    }
    if (chunked) {
        if (cl)
            m->problem = "Transfer-Encoding with Content-Length";
        body_start(c, s);
        iotap_dechunk_init(&s->dc);
        s->state = S_BODY_CHUNKED;
        return;
    }
    if (cl < 0 && !m->transfer_encoding) {
        problem(c, s->dir, "bad Content-Length: %s", m->content_length);
        m->problem = "bad Content-Length";
    }
    if (cl > 0 && !m->transfer_encoding) {
        if (len == 0) {
            msg_end(c, s, true);
            s->state = S_START;
            return;
        }
        body_start(c, s);
        s->remaining = len;
        s->state = S_BODY_CL;
        return;
    }
    body_start(c, s);
    s->state = S_BODY_CLOSE;
}

/* The header block hdr[0..n) is complete. Returns false when it is not a
 * message at all. */
static bool headers_done(iotap_http_conn *c, side *s, const uint8_t *p, size_t n)
{
    size_t first = iotap_httph_line_end(p, 0, n);
    bool nl = first < n;
    iotap_http_msg tmp = {0};
    int kind = iotap_httph_start_line(&tmp, p, first);
    if (kind < 0) {
        iotap_httph_msg_free(&tmp);
        return false;
    }
    if (c->client_dir < 0) {
        c->client_dir = kind == IOTAP_HTTP_REQ ? s->dir : !s->dir;
        c->seen = true;
        if (c->s[!s->dir].state == S_NOTHTTP)
            c->s[!s->dir].state = S_LOST;
    } else if ((kind == IOTAP_HTTP_REQ) != (s->dir == c->client_dir)) {
        iotap_httph_msg_free(&tmp);
        problem(c, s->dir, "%s in the wrong direction",
                kind == IOTAP_HTTP_REQ ? "request" : "response");
        return false;
    }
    tmp.present = true;
    tmp.dir = s->dir;
    tmp.ts_ns = s->ts;
    iotap_httph_problems pr = iotap_httph_header_lines(&tmp, p + first + (nl ? 1 : 0),
                                                       n - first - (nl ? 1 : 0));
    if (pr.malformed)
        problem(c, s->dir, "%u malformed header line%s skipped", pr.malformed,
                pr.malformed == 1 ? "" : "s");
    if (pr.too_many)
        problem(c, s->dir, "more than %d header lines", IOTAP_HTTP_MAX_HEADERS);
    iotap_http_txn *t;
    if (kind == IOTAP_HTTP_REQ) {
        t = txn_append(c);
        t->req = tmp;
    } else {
        if (tmp.status / 100 == 1) {
            bool upgrade = tmp.status == 101;
            iotap_httph_msg_free(&tmp);
            if (upgrade)
                go_tunnel(c);
            else
                s->state = S_START;   /* interim: the final response follows */
            return true;
        }
        t = c->next_resp;
        if (!t) {
            t = txn_append(c);    /* a response to a request we did not see */
        }
        c->next_resp = t->next;
        iotap_httph_msg_free(&t->resp);
        t->resp = tmp;
    }
    s->txn = t;
    s->msgside = kind;
    s->msg_gap = false;
    t->cost += n;
    c->pending_bytes += n;
    held(c, (int64_t)n);
    frame_message(c, s, kind);
    report_ready(c, false);
    return true;
}

/* The content is not (or no longer) HTTP. */
static void not_http(iotap_http_conn *c, side *s)
{
    s->nhdr = s->scan = 0;
    if (!c->seen) {
        /* The other side may still show HTTP (a request line servers
         * reject, answered by a status line): give up when both failed. */
        s->state = S_NOTHTTP;
        if (c->s[!s->dir].state == S_NOTHTTP)
            c->active = false;
    } else {
        problem(c, s->dir, "not an HTTP message; skipping to the next one");
        s->state = S_LOST;
    }
}

/* Where the next message could start in p[from..n): the offset, or n. */
static size_t find_resync(const iotap_http_conn *c, const side *s, const uint8_t *p,
                          size_t n, size_t from)
{
    size_t best = n;
    bool resp = c->client_dir < 0 || s->dir != c->client_dir;
    bool req = c->client_dir < 0 || s->dir == c->client_dir;
    if (from >= n)
        return n;
    if (resp) {
        const uint8_t *q = memmem(p + from, n - from, "HTTP/1.", 7);
        if (q)
            best = (size_t)(q - p);
    }
    if (req)
        best = iotap_httph_find_request(p, from, best);
    return best;
}

/* An HTTP/0.9 response: no status line, the body runs to the close. */
static void start_09_response(iotap_http_conn *c, side *s)
{
    iotap_http_txn *t = c->next_resp;
    c->next_resp = t->next;
    iotap_httph_msg_free(&t->resp);
    memset(&t->resp, 0, sizeof t->resp);
    t->resp.present = true;
    t->resp.dir = s->dir;
    t->resp.ts_ns = s->ts;
    t->resp.version = xstrdup("HTTP/0.9");
    s->txn = t;
    s->msgside = IOTAP_HTTP_RESP;
    s->msg_gap = false;
    body_start(c, s);
    s->state = S_BODY_CLOSE;
}

/* A large header buffer is not kept for the rest of a long connection. */
static void shrink_hdr(iotap_http_conn *c, side *s)
{
    if (s->hdrcap > 8192 && s->nhdr == 0) {
        held(c, -(int64_t)s->hdrcap);
        free(s->hdr);
        s->hdr = NULL;
        s->hdrcap = 0;
    }
}

/* Collects header bytes; returns bytes consumed. */
static size_t take_headers(iotap_http_conn *c, side *s, const uint8_t *p, size_t n)
{
    if (s->nhdr == 0 && c->client_dir >= 0 && s->dir != c->client_dir && c->next_resp &&
        iotap_httph_is_09(&c->next_resp->req) && memcmp(p, "HTTP/", n < 5 ? n : 5) != 0) {
        start_09_response(c, s);
        return 0;
    }
    size_t room = IOTAP_HTTP_MAX_HEADER_BLOCK - s->nhdr;
    size_t add = n < room ? n : room;
    if (s->nhdr + add > s->hdrcap) {
        size_t cap = s->hdrcap ? s->hdrcap * 2 : 2048;
        while (cap < s->nhdr + add)
            cap *= 2;
        if (cap > IOTAP_HTTP_MAX_HEADER_BLOCK)
            cap = IOTAP_HTTP_MAX_HEADER_BLOCK;
        if (over_budget(c, cap - s->hdrcap)) {
            c->budget->blocks_dropped++;
            problem(c, s->dir, "header block given up at %zu bytes: header bytes of all "
                    "connections over the cap (%" PRIu64 ")", s->nhdr, c->budget->cap);
            s->nhdr = s->scan = 0;
            s->state = S_LOST;
            shrink_hdr(c, s);
            return n;
        }
        held(c, (int64_t)(cap - s->hdrcap));
        s->hdr = xrealloc(s->hdr, cap);
        s->hdrcap = cap;
    }
    memcpy(s->hdr + s->nhdr, p, add);
    size_t old = s->nhdr;
    s->nhdr += add;
    /* Before the first line is complete, give up early on non-HTTP bytes. */
    const uint8_t *nl = memchr(s->hdr, '\n', s->nhdr);
    size_t firstlen = nl ? (size_t)(nl - s->hdr) : s->nhdr;
    if (iotap_httph_plausible_start(s->hdr, firstlen) < 0 || (!nl && firstlen > MAX_FIRST_LINE)) {
        not_http(c, s);
        /* Rescan this piece for a message start, past the failed one. */
        return old ? 0 : 1;
    }
    /* A simple (HTTP/0.9) request is its first line alone. */
    if (nl && s->scan == 0 && (c->client_dir < 0 || s->dir == c->client_dir) &&
        iotap_httph_line_is_09(s->hdr, firstlen)) {
        size_t blk = firstlen + 1;
        s->nhdr = s->scan = 0;
        if (!headers_done(c, s, s->hdr, blk))
            not_http(c, s);
        shrink_hdr(c, s);
        return blk - old;
    }
    /* Find the blank line: "\n\n" or "\n\r\n". */
    size_t i = s->scan;
    for (; i < s->nhdr; i++) {
        if (s->hdr[i] != '\n')
            continue;
        size_t j = i + 1;
        if (j < s->nhdr && s->hdr[j] == '\r')
            j++;
        if (j < s->nhdr && s->hdr[j] == '\n') {
            size_t end = j + 1;
            size_t used = end - old;
            size_t blk = end;
            s->nhdr = s->scan = 0;
            if (!headers_done(c, s, s->hdr, blk))
                not_http(c, s);
            shrink_hdr(c, s);
            return used;
        }
        if (j >= s->nhdr)
            break;   /* wait for more */
    }
    s->scan = i;
    if (s->nhdr == IOTAP_HTTP_MAX_HEADER_BLOCK) {
        problem(c, s->dir, "header block longer than %d bytes", IOTAP_HTTP_MAX_HEADER_BLOCK);
        s->nhdr = s->scan = 0;
        s->state = S_LOST;
    }
    return add;
}

static void dechunk_out(void *ctx, const uint8_t *p, size_t n)
{
    side *s = ctx;
    if (s->body)
        iotap_body_feed(s->body, p, n);
}

void iotap_http_data(iotap_http_conn *c, int dir, const uint8_t *p, size_t n, int64_t ts_ns)
{
    side *s = &c->s[dir & 1];
    while (n > 0) {
        size_t used = 0;
        switch (s->state) {
        case S_START:
            while (used < n && (p[used] == '\r' || p[used] == '\n'))
                used++;
            if (used < n) {
                s->state = S_HEADERS;
                s->ts = ts_ns;
                s->nhdr = s->scan = 0;
            }
            break;
        case S_HEADERS:
            used = take_headers(c, s, p, n);
            break;
        case S_BODY_CL: {
            used = n < s->remaining ? n : (size_t)s->remaining;
            iotap_body_feed(s->body, p, used);
            s->remaining -= used;
            if (s->remaining == 0) {
                msg_end(c, s, true);
                s->state = S_START;
            }
            break;
        }
        case S_BODY_CHUNKED:
            used = iotap_dechunk_feed(&s->dc, p, n, dechunk_out, s);
            if (s->dc.state == IOTAP_DC_DONE) {
                msg_end(c, s, true);
                s->state = S_START;
            } else if (s->dc.state == IOTAP_DC_ERROR) {
                problem(c, s->dir, "%s", s->dc.error);
                cur_msg(s)->problem = s->dc.error;
                msg_end(c, s, false);
                s->state = S_LOST;
                return;
            }
            break;
        case S_BODY_CLOSE:
            iotap_body_feed(s->body, p, n);
            used = n;
            break;
        case S_LOST:
            used = find_resync(c, s, p, n, 0);
            if (used < n)
                s->state = S_START;
            break;
        default:    /* LOST, TUNNEL, NOTHTTP, ENDED */
            return;
        }
        p += used;
        n -= used;
    }
}

void iotap_http_conflict(iotap_http_conn *c, int dir)
{
    side *s = &c->s[dir & 1];
    /* In a body: that message. Between messages or in a header block: the
     * message that starts or is being read (kept until it ends). */
    if (s->state == S_START || s->state == S_HEADERS || s->state == S_BODY_CL ||
        s->state == S_BODY_CHUNKED || s->state == S_BODY_CLOSE)
        s->msg_conflict = true;
}

void iotap_http_gap(iotap_http_conn *c, int dir, uint64_t n)
{
    side *s = &c->s[dir & 1];
    switch (s->state) {
    case S_START:
        s->state = c->seen ? S_LOST : S_NOTHTTP;
        if (!c->seen && c->s[!dir].state == S_NOTHTTP)
            c->active = false;
        break;
    case S_HEADERS:
        problem(c, dir, "%" PRIu64 " bytes missing inside a header block", n);
        s->nhdr = s->scan = 0;
        s->state = S_LOST;
        break;
    case S_BODY_CL:
        s->msg_gap = true;
        iotap_body_gap(s->body, n);
        if (n < s->remaining) {
            s->remaining -= n;
        } else {
            bool exact = n == s->remaining;
            msg_end(c, s, false);
            s->state = exact ? S_START : S_LOST;
        }
        break;
    case S_BODY_CHUNKED:
        s->msg_gap = true;
        iotap_body_gap(s->body, n);
        if (!iotap_dechunk_gap(&s->dc, n)) {
            msg_end(c, s, false);
            s->state = S_LOST;
        }
        break;
    case S_BODY_CLOSE:
        s->msg_gap = true;
        iotap_body_gap(s->body, n);
        break;
    default:
        break;
    }
}

/* The input ended inside a request's header block: what arrived (its
 * complete lines) still makes a transaction, marked incomplete, so that
 * the request gets its row. */
static void cut_request(iotap_http_conn *c, side *s)
{
    bool req = c->client_dir >= 0 ? s->dir == c->client_dir
                                  : strcmp(held_side(s), "request side") == 0;
    const uint8_t *nl = req ? memrchr(s->hdr, '\n', s->nhdr) : NULL;
    if (!nl)
        return;
    size_t blk = (size_t)(nl - s->hdr) + 1;
    s->nhdr = s->scan = 0;
    iotap_http_txn *before = c->tail;
    if (!headers_done(c, s, s->hdr, blk) || c->tail == before)
        return;
    iotap_http_txn *t = c->tail;
    static const char cut[] = "header block cut off by the end of the connection";
    t->req.problem = t->req.problem ? t->req.problem : cut;
    if (s->txn == t)
        msg_end(c, s, false);
    t->req.complete = false;
}

void iotap_http_eof(iotap_http_conn *c, int dir, bool clean)
{
    side *s = &c->s[dir & 1];
    if (s->txn) {
        if (s->state != S_BODY_CLOSE) {
            if (s->state == S_BODY_CL || s->state == S_BODY_CHUNKED)
                cur_msg(s)->problem = cur_msg(s)->problem ? cur_msg(s)->problem
                                                          : "connection ended inside the body";
            clean = false;
        }
        msg_end(c, s, clean);
    }
    /* Before the first message, only what looks like a start line
     * (a method or "HTTP/" then a space) is worth a message. */
    if (s->state == S_HEADERS && s->nhdr > 0 &&
        (c->seen || strcmp(held_side(s), "unknown side") != 0)) {
        problem(c, dir, "connection ended inside a header block");
        cut_request(c, s);
    }
    s->state = S_ENDED;
}

void iotap_http_finish(iotap_http_conn *c)
{
    for (int d = 0; d < 2; d++)
        if (c->s[d].state != S_ENDED)
            iotap_http_eof(c, d, false);
    report_ready(c, true);
}

void iotap_http_conn_free(iotap_http_conn *c)
{
    if (!c)
        return;
    held(c, -(int64_t)(c->pending_bytes + c->s[0].hdrcap + c->s[1].hdrcap));
    for (int d = 0; d < 2; d++) {
        iotap_body_free(c->s[d].body);
        free(c->s[d].hdr);
    }
    while (c->head) {
        iotap_http_txn *t = c->head;
        c->head = t->next;
        txn_free(t);
    }
    free(c);
}
