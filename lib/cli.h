/*
 * cli.h - what every analyzer's command line has in common: inputs (files,
 * directories, "-"), -o FILE, --config FILE, --since/--until (ISO 8601 or
 * epoch), --device MAC|LABEL, -q (no progress), -h. A program adds its own
 * options around these:
 *
 *   static const struct option longopts[] = {
 *       IOTAP_CLI_LONGOPTS,
 *       {"bucket", required_argument, NULL, 'b'},
 *       {0}};
 *   iotap_cli cli; iotap_cli_init(&cli, argc, argv);
 *   while ((c = getopt_long(argc, argv, IOTAP_CLI_SHORTOPTS "b:", longopts, NULL)) != -1)
 *       if (!iotap_cli_option(&cli, c, optarg)) switch (c) { case 'b': ... default: usage(); }
 *   iotap_cli_finish(&cli, argc, argv, optind);   // loads config, opens output
 *   ... iotap_reader_open(cli.inputs, cli.ninputs) ...
 *   return iotap_cli_exit(&cli, reader);          // flushes; non-zero on damage
 */
#ifndef IOTAP_CLI_H
#define IOTAP_CLI_H
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "capture.h"
#include "config.h"
#include "decode.h"

/* Option codes above the char range so programs keep every letter free. */
enum {
    IOTAP_OPT_SINCE = 0x1000, IOTAP_OPT_UNTIL, IOTAP_OPT_DEVICE, IOTAP_OPT_CONFIG,
    IOTAP_OPT_HELP, IOTAP_OPT_VERSION, IOTAP_OPT_QUIET,
};
#define IOTAP_CLI_SHORTOPTS "o:qh"
#define IOTAP_CLI_LONGOPTS \
    {"output", required_argument, NULL, 'o'}, \
    {"since", required_argument, NULL, IOTAP_OPT_SINCE}, \
    {"until", required_argument, NULL, IOTAP_OPT_UNTIL}, \
    {"device", required_argument, NULL, IOTAP_OPT_DEVICE}, \
    {"config", required_argument, NULL, IOTAP_OPT_CONFIG}, \
    {"quiet", no_argument, NULL, 'q'}, \
    {"help", no_argument, NULL, 'h'}, \
    {"version", no_argument, NULL, IOTAP_OPT_VERSION}

typedef struct iotap_cli {
    const char *output;         /* -o, NULL = stdout */
    const char *config_path;    /* --config, NULL = default file */
    bool has_since, has_until;
    int64_t since_ns, until_ns; /* [since, until) */
    const char *device_arg;     /* --device as given */
    bool has_device;
    uint8_t device_mac[6];      /* resolved after finish() */
    bool quiet;
    bool want_help;
    const char *const *inputs;  /* after finish(): the non-option arguments */
    size_t ninputs;
    iotap_config config;        /* loaded by finish() */
    FILE *out;                  /* opened by finish() */
} iotap_cli;

void iotap_cli_init(iotap_cli *cli, int argc, char **argv);   /* sets progname */
/* Handles a common option: returns true when it was one (exits with a
 * message on a bad value), false for the program's own. */
bool iotap_cli_option(iotap_cli *cli, int opt, const char *arg);
/* Loads the config, resolves --device (MAC or label), opens -o, takes the
 * inputs from argv[optind..] (no inputs and stdin not a terminal = "-";
 * no inputs on a terminal = usage error). Exits 2 with a message on error. */
void iotap_cli_finish(iotap_cli *cli, int argc, char **argv, int optind);
/* Time filter on a packet time. */
bool iotap_cli_time_ok(const iotap_cli *cli, int64_t ts_ns);
/* Device filter: true when no --device, or the frame's src or dst MAC is it. */
bool iotap_cli_frame_ok(const iotap_cli *cli, const iotap_decoded *d);
/* Progress on stderr for long runs: call once per packet read; prints at
 * most twice a second, only when stderr is a terminal and -q was not given
 * (iotap_cli_exit() clears the line). */
void iotap_cli_progress(const iotap_cli *cli, const iotap_reader *r, const iotap_packet *p);
/* Flushes/closes the output and returns the exit status: 0, 1 when the
 * input was damaged (reader may be NULL), 2 when writing failed. Also frees
 * cli->config (labels are gone afterwards). */
int iotap_cli_exit(iotap_cli *cli, const iotap_reader *r);
/* The common part of a usage text, for programs to print after their own. */
extern const char iotap_cli_common_usage[];
#endif
