/*
 * http-hooks.h - HTTP parser hooks shared by fuzz-http.c and fuzz-reasm.c:
 * every body gets a sink that counts its bytes, and every finished
 * transaction is checked against what http.h promises.
 */
#ifndef IOTAP_FUZZ_HTTP_HOOKS_H
#define IOTAP_FUZZ_HTTP_HOOKS_H
#include "fuzz.h"
#include "proto/http.h"

typedef struct fz_http {
    uint64_t max_body;
    unsigned open_sinks, txns;
} fz_http;

typedef struct fz_sink { uint64_t n; } fz_sink;

static volatile uint8_t fzh_touch;  /* every body byte handed out is read */

static void *fzh_body_open(iotap_http_txn *t, int side, void *ctx)
{
    fz_http *h = ctx;
    (void)t;
    if (side != IOTAP_HTTP_REQ && side != IOTAP_HTTP_RESP)
        abort();
    h->open_sinks++;
    fz_sink *s = malloc(sizeof *s);
    s->n = 0;
    return s;
}

static void fzh_body_write(void *sink, const uint8_t *p, size_t n, void *ctx)
{
    fz_sink *s = sink;
    fz_http *h = ctx;
    for (size_t i = 0; i < n; i++)
        fzh_touch ^= p[i];
    s->n += n;
    if (s->n > h->max_body)
        abort();    /* the cap must hold */
}

static void fzh_body_close(void *sink, iotap_http_txn *t, int side, void *ctx)
{
    fz_http *h = ctx;
    const iotap_http_msg *m = side == IOTAP_HTTP_REQ ? &t->req : &t->resp;
    if (sink) {
        fz_sink *s = sink;
        if (s->n != m->body.bytes)
            abort();    /* the result counts what was handed out */
        h->open_sinks--;
        free(s);
    }
}

static void fzh_check_msg(const iotap_http_msg *m)
{
    const char *s[] = { m->method, m->uri, m->version, m->reason, m->host, m->content_type,
                        m->user_agent, m->referer, m->content_encoding, m->transfer_encoding,
                        m->content_range, m->content_length, m->connection };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (s[i])
            (void)strlen(s[i]);
}

static void fzh_txn_done(iotap_http_txn *t, void *ctx)
{
    fz_http *h = ctx;
    h->txns++;
    fzh_check_msg(&t->req);
    fzh_check_msg(&t->resp);
}

static void fzh_problem(const char *what, void *ctx)
{
    (void)ctx;
    (void)strlen(what);
}

static const iotap_http_hooks fzh_hooks = {
    fzh_body_open, fzh_body_write, fzh_body_close, fzh_txn_done, fzh_problem,
};
#endif
