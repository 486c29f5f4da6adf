/*
 * iotap-http - one CSV row per HTTP request: who asked what of whom, what
 * came back, body sizes (decoded) and SHA-256s. The work is in
 * lib/http_session.c (flows, reassembly, parsing); this file is options
 * and rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvout.h"
#include "http_session.h"
#include "util.h"

static void usage(FILE *to, int status)
{
    fprintf(to,
            "usage: %s [OPTIONS] [INPUT...]\n"
            "One CSV row per HTTP/1.x request (any port), paired with its response.\n"
            "  --max-body SIZE       decoded bytes hashed per body (default 64M); longer\n"
            "                        bodies are cut there and marked incomplete\n"
            "  --stream-buffer SIZE  out-of-order bytes held per TCP direction (default 4M)\n"
            "  --total-buffer SIZE   out-of-order bytes held in all (default 256M)\n"
            "  --max-flows N         open TCP connections held (default 20000); at the cap\n"
            "                        the least recently active one is closed early (its\n"
            "                        open requests written, incomplete) and counted\n"
            "  --max-header-bytes SIZE  header bytes held by all connections (default 64M)\n"
            "%s", iotap_progname, iotap_cli_common_usage);
    exit(status);
}

typedef struct app {
    iotap_cli *cli;
    iotap_csv *csv;
} app;

static void row(iotap_http_txn *t, void *ctx)
{
    app *a = ctx;
    const iotap_flow *f = t->flow;
    const iotap_http_msg *q = &t->req, *r = &t->resp;
    iotap_csv *c = a->csv;
    iotap_csv_time(c, q->present ? q->ts_ns : r->ts_ns);
    if (f->has_mac)
        iotap_csv_mac(c, f->dev_mac);
    else
        iotap_csv_str(c, NULL);
    iotap_csv_str(c, f->has_mac ? iotap_config_label(&a->cli->config, f->dev_mac) : NULL);
    iotap_csv_addr(c, &f->local);
    iotap_csv_u64(c, f->lport);
    iotap_csv_addr(c, &f->remote);
    iotap_csv_u64(c, f->rport);
    iotap_csv_str(c, q->host);
    iotap_csv_str(c, q->method);
    iotap_csv_str(c, q->uri);
    if (r->present && r->status)
        iotap_csv_u64(c, (uint64_t)r->status);
    else
        iotap_csv_str(c, NULL);
    iotap_csv_str(c, r->content_type);
    iotap_csv_str(c, q->user_agent);
    iotap_csv_str(c, q->referer);
    iotap_csv_u64(c, q->has_body ? q->body.bytes : 0);
    iotap_csv_u64(c, r->has_body ? r->body.bytes : 0);
    iotap_csv_str(c, q->has_body && q->body.bytes ? q->body.sha256 : NULL);
    iotap_csv_str(c, r->has_body && r->body.bytes ? r->body.sha256 : NULL);
    bool complete = q->present && q->complete && r->present && r->complete;
    iotap_csv_str(c, complete ? "yes" : "no");
    iotap_csv_str(c, r->present ? r->content_range : NULL);
    iotap_csv_end(c);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        IOTAP_CLI_LONGOPTS,
        IOTAP_HTTP_LONGOPTS,
        {0},
    };
    iotap_cli cli;
    iotap_cli_init(&cli, argc, argv);
    iotap_http_session_config cfg;
    iotap_http_session_config_default(&cfg);
    int ch;
    while ((ch = getopt_long(argc, argv, IOTAP_CLI_SHORTOPTS, longopts, NULL)) != -1) {
        if (!iotap_cli_option(&cli, ch, optarg) && !iotap_http_session_option(&cfg, ch, optarg))
            usage(stderr, 2);
    }
    if (cli.want_help)
        usage(stdout, 0);
    iotap_cli_finish(&cli, argc, argv, optind);

    app a = { &cli, iotap_csv_new(cli.out) };
    iotap_csv_header(a.csv, (const char *[]){
        "time", "mac", "label", "local_addr", "local_port", "remote_addr", "remote_port",
        "host", "method", "uri", "status", "content_type", "user_agent", "referer",
        "request_body_bytes", "response_body_bytes", "request_body_sha256",
        "response_body_sha256", "complete", "content_range", NULL});
    iotap_http_hooks hooks = { .txn_done = row };
    iotap_http_session *s = iotap_http_session_new(&cfg, &hooks, &a);
    iotap_reader *r = iotap_http_session_run(s, &cli);
    iotap_http_session_free(s);
    int wfail = iotap_csv_close(a.csv);
    int status = iotap_cli_exit(&cli, r);
    iotap_reader_close(r);
    return wfail && status == 0 ? 2 : status;
}
