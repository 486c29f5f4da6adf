/*
 * iotap-segments - lists recorder segments (directories or files) as CSV
 * with their sidecar data, gaps, drops, recovered segments and hash-chain
 * checks. Exit status 1 when a hash or the chain does not hold.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/segments.h"
#include "util.h"

static void usage(int status)
{
    fputs("usage: iotap-segments [-o FILE] [--no-verify] DIR|SEGMENT...\n"
          "Lists finished iotap-record segments (sidecar data, gaps, drops, recovered\n"
          "segments, SHA-256 and hash-chain checks) as CSV, in capture order per sensor.\n"
          "  -o, --output FILE  write the CSV to FILE instead of stdout\n"
          "  --no-verify        do not hash the segment files (faster; chain from sidecars)\n",
          status ? stderr : stdout);
    exit(status);
}

int main(int argc, char **argv)
{
    iotap_set_progname(argv[0]);
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"no-verify", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {0}};
    const char *output = NULL;
    bool verify = true;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'n': verify = false; break;
        case 'h': usage(0); break;
        default: usage(2);
        }
    }
    if (optind >= argc)
        usage(2);
    FILE *out = stdout;
    if (output && strcmp(output, "-") != 0 && !(out = fopen(output, "w")))
        iotap_die("%s: cannot write", output);
    long problems = iotap_segments_report((const char *const *)argv + optind, (size_t)(argc - optind),
                                          out, verify);
    if (out != stdout && fclose(out) != 0)
        iotap_die("%s: write failed", output);
    if (problems < 0)
        return 2;
    if (problems > 0)
        iotap_warn("%ld integrity problem(s)", problems);
    return problems > 0;
}
