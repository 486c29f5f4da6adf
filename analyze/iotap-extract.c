/*
 * iotap-extract -o DIR - every HTTP body (downloads and uploads), decoded,
 * stored once per distinct content beneath DIR, with a manifest row per
 * occurrence on stdout. The work is in lib/http_session.c (flows,
 * reassembly, parsing) and lib/extract.c (safe file creation); this file
 * is options, filters and rows.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvout.h"
#include "extract.h"
#include "http_session.h"
#include "util.h"

static void usage(FILE *to, int status)
{
    fprintf(to,
            "usage: %s -o DIR [OPTIONS] [INPUT...]\n"
            "Writes every HTTP/1.x request and response body beneath DIR, decoded and\n"
            "stored once per content; a manifest row per body goes to stdout.\n"
            "  -o, --output DIR      where the files go (created when missing)\n"
            "  -m, --manifest FILE   manifest to FILE instead of stdout\n"
            "      --type GLOB       only bodies whose media type matches (image/*)\n"
            "      --host GLOB       only requests to matching hosts (*.example.com)\n"
            "      --min-size SIZE   only bodies of at least SIZE decoded bytes\n"
            "      --max-body SIZE   decoded bytes kept per body (default 64M); longer\n"
            "                        bodies are cut there and marked incomplete\n"
            "      --stream-buffer SIZE, --total-buffer SIZE  reassembly caps (4M, 256M)\n"
            "      --max-flows N     open TCP connections held (default 20000); at the cap\n"
            "                        the least recently active one is closed early (its\n"
            "                        open bodies written, incomplete) and counted\n"
            "      --max-header-bytes SIZE  header bytes held by all connections (64M)\n"
            "%s", iotap_progname, iotap_cli_common_usage);
    exit(status);
}

typedef struct app {
    iotap_cli *cli;
    iotap_csv *csv;
    iotap_extract *x;
    const char *dir;
    const char *type_glob, *host_glob;
    uint64_t min_size;
    uint64_t bodies, failed;
} app;

typedef struct sink {
    iotap_extract_file *f;
} sink;

static iotap_http_msg *msg_of(iotap_http_txn *t, int side)
{
    return side == IOTAP_HTTP_REQ ? &t->req : &t->resp;
}

static bool type_ok(const app *a, const char *mt)
{
    return !a->type_glob || fnmatch(a->type_glob, mt ? mt : "", FNM_CASEFOLD) == 0;
}

static void *body_open(iotap_http_txn *t, int side, void *ctx)
{
    app *a = ctx;
    if (a->host_glob && fnmatch(a->host_glob, t->req.host ? t->req.host : "", FNM_CASEFOLD) != 0)
        return NULL;
    const iotap_http_msg *m = msg_of(t, side);
    char mt[128];
    iotap_media_type(m->content_type, mt, sizeof mt);
    if (*mt && !type_ok(a, mt))
        return NULL;    /* without a type, the first bytes decide at the end */
    sink *s = xcalloc(1, sizeof *s);
    s->f = iotap_extract_begin(a->x);
    if (!s->f) {
        a->failed++;
        free(s);
        return NULL;
    }
    return s;
}

static void body_write(void *sk, const uint8_t *p, size_t n, void *ctx)
{
    (void)ctx;
    sink *s = sk;
    iotap_extract_write(s->f, p, n);
}

static void body_close(void *sk, iotap_http_txn *t, int side, void *ctx)
{
    app *a = ctx;
    sink *s = sk;
    if (!s)
        return;
    const iotap_http_msg *m = msg_of(t, side);
    const iotap_body_result *b = &m->body;
    char mt[128];
    iotap_media_type(m->content_type, mt, sizeof mt);
    if (!*mt) {
        const char *sniffed = iotap_sniff_type(b->head, b->nhead);
        snprintf(mt, sizeof mt, "%s", sniffed ? sniffed : "");
    }
    if (b->bytes == 0 || b->bytes < a->min_size || !type_ok(a, mt)) {
        iotap_extract_discard(a->x, s->f);
        free(s);
        return;
    }
    char name[IOTAP_EXTRACT_NAME_MAX + 1];
    int rc = iotap_extract_commit(a->x, s->f, b->sha256, t->req.uri, m->content_type,
                                  m->content_range, b->head, b->nhead, name);
    free(s);
    if (rc != 0) {
        a->failed++;
        return;
    }
    a->bodies++;
    const iotap_flow *f = t->flow;
    iotap_csv *c = a->csv;
    iotap_csv_time(c, m->ts_ns);
    if (f->has_mac)
        iotap_csv_mac(c, f->dev_mac);
    else
        iotap_csv_str(c, NULL);
    iotap_csv_str(c, t->req.host);
    iotap_csv_str(c, t->req.uri);
    iotap_csv_str(c, m->dir == 0 ? "out" : "in");
    iotap_csv_str(c, mt);
    iotap_csv_u64(c, b->bytes);
    iotap_csv_str(c, b->sha256);
    iotap_csv_printf(c, "%s/%s", a->dir, name);
    iotap_csv_str(c, m->complete ? "yes" : "no");
    iotap_csv_str(c, m->content_range);
    iotap_csv_end(c);
}

int main(int argc, char **argv)
{
    enum { OPT_TYPE = 1, OPT_HOST, OPT_MIN_SIZE };
    static const struct option longopts[] = {
        IOTAP_CLI_LONGOPTS,
        {"manifest", required_argument, NULL, 'm'},
        {"type", required_argument, NULL, OPT_TYPE},
        {"host", required_argument, NULL, OPT_HOST},
        {"min-size", required_argument, NULL, OPT_MIN_SIZE},
        IOTAP_HTTP_LONGOPTS,
        {0},
    };
    iotap_cli cli;
    iotap_cli_init(&cli, argc, argv);
    iotap_http_session_config cfg;
    iotap_http_session_config_default(&cfg);
    app a = { .cli = &cli };
    const char *manifest = NULL;
    int ch;
    while ((ch = getopt_long(argc, argv, IOTAP_CLI_SHORTOPTS "m:", longopts, NULL)) != -1) {
        if (ch == 'o') {        /* -o is the directory here, not the CSV */
            a.dir = optarg;
            continue;
        }
        if (iotap_cli_option(&cli, ch, optarg) || iotap_http_session_option(&cfg, ch, optarg))
            continue;
        uint64_t v = 0;
        switch (ch) {
        case 'm':
            manifest = optarg;
            break;
        case OPT_TYPE:
            a.type_glob = optarg;
            break;
        case OPT_HOST:
            a.host_glob = optarg;
            break;
        case OPT_MIN_SIZE:
            if (iotap_parse_size(optarg, &v) != 0)
                iotap_die("--min-size: '%s' is not a size (like 64M)", optarg);
            a.min_size = v;
            break;
        default:
            usage(stderr, 2);
        }
    }
    if (cli.want_help)
        usage(stdout, 0);
    if (!a.dir)
        iotap_die("-o DIR is required: the directory the bodies go to (see --help)");
    cli.output = manifest;
    iotap_cli_finish(&cli, argc, argv, optind);
    a.x = iotap_extract_open(a.dir);
    if (!a.x)
        exit(2);
    a.csv = iotap_csv_new(cli.out);
    iotap_csv_header(a.csv, (const char *[]){
        "time", "mac", "host", "uri", "direction", "content_type", "size", "sha256", "path",
        "complete", "content_range", NULL});
    iotap_http_hooks hooks = { .body_open = body_open, .body_write = body_write,
                               .body_close = body_close };
    iotap_http_session *s = iotap_http_session_new(&cfg, &hooks, &a);
    iotap_reader *r = iotap_http_session_run(s, &cli);
    iotap_http_session_free(s);
    iotap_extract_close(a.x);
    int wfail = iotap_csv_close(a.csv);
    int status = iotap_cli_exit(&cli, r);
    iotap_reader_close(r);
    if (a.failed && status == 0)
        status = 2;
    return wfail && status == 0 ? 2 : status;
}
