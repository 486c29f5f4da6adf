/*
 * main.c - iotap-synth: writes a deterministic synthetic smart home.
 *
 *   iotap-synth -o DIR [--seed N] [--bytes SIZE] [--start ISO8601]
 *
 * DIR/home.pcap holds one simulated day (or, with --bytes, as many days
 * plus bulk streams as it takes to reach about SIZE); the CSV files in DIR/truth/ hold
 * the ground truth computed from the model (see tests/synth/README.md).
 * The same arguments always give byte-identical output.
 */
#include "synth.h"

#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(void)
{
    fprintf(stderr, "usage: iotap-synth -o DIR [--seed N] [--bytes SIZE] [--start ISO8601]\n");
    exit(2);
}

static void mkdir_p(const char *d)
{
    if (mkdir(d, 0777) != 0 && errno != EEXIST)
        iotap_die("%s: %s", d, strerror(errno));
}

static FILE *open_truth(const char *dir, const char *name, const char *header)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f)
        iotap_die("%s: %s", p, strerror(errno));
    fputs(header, f);
    return f;
}

int main(int argc, char **argv)
{
    iotap_set_progname(argv[0]);
    static const struct option lo[] = {
        {"output", required_argument, 0, 'o'}, {"seed", required_argument, 0, 's'},
        {"bytes", required_argument, 0, 'b'}, {"start", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *dir = NULL;
    uint64_t seed = 1, target = 0;
    int64_t start = 0;
    if (iotap_parse_time("2026-11-01T00:00:00Z", &start) != 0)
        iotap_die("cannot parse the default start time");
    int c;
    while ((c = getopt_long(argc, argv, "o:s:b:t:h", lo, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o': dir = optarg; break;
        case 's':
            errno = 0;
            seed = strtoull(optarg, &end, 0);
            if (errno || *end || end == optarg) iotap_die("bad --seed '%s'", optarg);
            break;
        case 'b':
            if (iotap_parse_size(optarg, &target) != 0) iotap_die("bad --bytes '%s'", optarg);
            break;
        case 't':
            if (iotap_parse_time(optarg, &start) != 0) iotap_die("bad --start '%s'", optarg);
            break;
        default: usage();
        }
    }
    if (!dir || optind != argc)
        usage();
    mkdir_p(dir);
    char truth[4096], path[4096];
    snprintf(truth, sizeof truth, "%s/truth", dir);
    mkdir_p(truth);
    snprintf(path, sizeof path, "%s/home.pcap", dir);

    synth *S = xcalloc(1, sizeof *S);
    rng_seed(&S->rng, seed);
    S->http_csv = open_truth(truth, "http.csv",
        "ts,mac,host,method,uri,status,request_body_bytes,request_body_sha256,"
        "response_body_bytes,response_body_sha256,content_type,content_encoding,"
        "transfer_encoding,complete\n");
    S->dns_csv = open_truth(truth, "dns.csv", "ts,mac,query,type,rcode,answers,ttl\n");
    out_open(S, path);
    home_setup(S);
    for (int day = 0; day < 10000; day++) {
        S->day = day + 1;
        S->day0 = start + (int64_t)day * 86400 * SEC;
        S->day_start_bytes = S->file_bytes;
        home_day(S);
        out_flush_day(S);
        if (target)
            bulk_fill(S, target);
        if (S->file_bytes >= target)
            break;
    }
    out_close(S);
    if (ferror(S->http_csv) | fclose(S->http_csv) | ferror(S->dns_csv) | fclose(S->dns_csv))
        iotap_die("writing the truth failed");
    truth_write(S, truth);
    for (size_t i = 0; i < S->nflow; i++)
        free(S->flow[i]);
    free(S->flow);
    free(S->dns);
    free(S);
    return 0;
}
