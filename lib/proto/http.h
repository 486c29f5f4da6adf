/*
 * http.h - HTTP/1.x over one TCP connection (RFC 9112), fed the in-order
 * bytes of each direction by the reassembler.
 *
 * Which side is the client is found from the content (a request line or a
 * status line), never from the port. Requests and responses are paired in
 * order on keep-alive and pipelined connections; 1xx interim responses are
 * skipped, 101 and a successful CONNECT end parsing (the rest is a tunnel).
 * Bodies are framed by Content-Length, chunked (with trailers) or the end of
 * the connection, and are absent for HEAD, 1xx, 204 and 304 (RFC 9112 6.3).
 * Every body is decoded and hashed on the fly (httpbody.h) and may be
 * streamed to a sink the caller opens per body.
 *
 * Damage (headers over the caps, a bad Content-Length or chunk size, a hole
 * in a message) is reported through hooks.problem, marks the message
 * incomplete, and parsing resynchronises on the next message start.
 */
#ifndef IOTAP_PROTO_HTTP_H
#define IOTAP_PROTO_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "httpbody.h"

#define IOTAP_HTTP_MAX_HEADER_BLOCK (64 * 1024)
#define IOTAP_HTTP_MAX_HEADERS 200
#define IOTAP_HTTP_MAX_PENDING 100000   /* unanswered requests per connection */
#define IOTAP_HTTP_MAX_PENDING_BYTES (16u << 20)  /* ... and their header bytes */

enum { IOTAP_HTTP_REQ = 0, IOTAP_HTTP_RESP = 1 };

typedef struct iotap_http_msg {
    bool present;           /* headers parsed */
    bool done;              /* body finished (or none) */
    int dir;                /* flow direction it travelled in (0 out, 1 in) */
    int64_t ts_ns;          /* time of its first byte */
    char *method, *uri;     /* request line */
    char *version;          /* "HTTP/1.1" */
    int status;             /* response status, 0 = none */
    char *reason;
    /* Header values (NULL when absent; repeated headers joined with ", "). */
    char *host, *content_type, *user_agent, *referer, *content_encoding,
         *transfer_encoding, *content_range, *content_length, *connection;
    bool has_body;          /* framing says a body follows (may be empty) */
    bool complete;          /* headers and whole body seen and decoded */
    iotap_body_result body; /* valid when done and has_body */
    const char *problem;    /* first problem seen (static text) */
} iotap_http_msg;

typedef struct iotap_http_txn {
    struct iotap_http_txn *next;
    uint64_t num;           /* 1-based within the connection */
    iotap_http_msg req, resp;
    void *flow;             /* the connection's owner (iotap_http_conn_new) */
    void *sink[2];          /* from hooks.body_open, by IOTAP_HTTP_REQ/RESP */
    size_t cost;            /* header bytes held for it (memory cap) */
} iotap_http_txn;

typedef struct iotap_http_hooks {
    /* A body starts (headers of txn side parsed): return a sink for its
     * decoded bytes, or NULL. Optional. */
    void *(*body_open)(iotap_http_txn *t, int side, void *ctx);
    void (*body_write)(void *sink, const uint8_t *p, size_t n, void *ctx);
    /* The body ended; t->req/resp .body holds size and hash. Also called
     * with sink NULL when body_open returned NULL. */
    void (*body_close)(void *sink, iotap_http_txn *t, int side, void *ctx);
    /* A transaction is over (response done, or the connection ended). */
    void (*txn_done)(iotap_http_txn *t, void *ctx);
    /* Damaged input: what (static or formatted text). */
    void (*problem)(const char *what, void *ctx);
} iotap_http_hooks;

typedef struct iotap_http_conn iotap_http_conn;
iotap_http_conn *iotap_http_conn_new(const iotap_http_hooks *hooks, void *ctx,
                                     uint64_t max_body, void *flow);
/* In-order bytes of direction dir (0 from the local end, 1 to it). */
void iotap_http_data(iotap_http_conn *c, int dir, const uint8_t *p, size_t n, int64_t ts_ns);
/* n bytes of direction dir are missing. */
void iotap_http_gap(iotap_http_conn *c, int dir, uint64_t n);
/* The next bytes of direction dir were contradicted by an overlapping TCP
 * copy (the first copy is what is fed): the message they fall in is marked
 * incomplete. */
void iotap_http_conflict(iotap_http_conn *c, int dir);
/* Direction dir ended: clean = a FIN after the last byte, no hole. */
void iotap_http_eof(iotap_http_conn *c, int dir, bool clean);
/* Ends everything: open messages are finished (incomplete unless framing
 * says otherwise), every transaction is reported. */
void iotap_http_finish(iotap_http_conn *c);
void iotap_http_conn_free(iotap_http_conn *c);
/* Header bytes held by many connections together (buffered header blocks
 * and the headers of queued, unanswered transactions). Over cap, a growing
 * header block is given up (problem, side lost) and queued transactions are
 * reported at once, incomplete, so the total stays near cap. */
typedef struct iotap_http_budget {
    uint64_t cap;           /* 0: no cap */
    uint64_t used, peak;
    uint64_t blocks_dropped, txns_forced;
} iotap_http_budget;
/* Makes c count its header bytes in b (shared, outlives c). */
void iotap_http_conn_budget(iotap_http_conn *c, iotap_http_budget *b);
/* False once the content showed this is not HTTP (or became a tunnel):
 * the caller can stop feeding it. */
bool iotap_http_active(const iotap_http_conn *c);
/* True once a request or status line was recognised. */
bool iotap_http_seen(const iotap_http_conn *c);
/* Transactions reported so far. */
uint64_t iotap_http_txns(const iotap_http_conn *c);
#endif
