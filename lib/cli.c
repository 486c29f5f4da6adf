/*
 * cli.c - the command-line handling every analyzer shares (see cli.h):
 * common options, config loading, --device resolution, the output stream,
 * the inputs, progress on a terminal and the exit status.
 *
 * Bad values exit at once with status 2 and a message naming the option,
 * before any output file is created or truncated.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#ifndef IOTAP_VERSION
#define IOTAP_VERSION "0.1"
#endif

const char iotap_cli_common_usage[] =
    "Inputs: capture files (.pcap, .pcapng, .pcap.zst, .pcap.gz), directories\n"
    "(walked recursively, segments in name order) or - for stdin; with no input\n"
    "and stdin not a terminal, stdin is read.\n"
    "Common options:\n"
    "  -o, --output FILE     write to FILE instead of stdout\n"
    "      --since TIME      only packets at or after TIME (ISO 8601 or epoch seconds)\n"
    "      --until TIME      only packets before TIME\n"
    "      --device MAC|LABEL  only frames from or to this device\n"
    "      --config FILE     configuration (default " IOTAP_DEFAULT_CONFIG ")\n"
    "  -q, --quiet           no progress output on a terminal\n"
    "  -h, --help            this help\n"
    "      --version         version\n";

/* Progress state: one command line per process. */
static struct {
    bool enabled;
    bool shown;             /* a progress line is on the terminal */
    uint64_t calls;
    struct timespec last;
} progress;

void iotap_cli_init(iotap_cli *cli, int argc, char **argv)
{
    memset(cli, 0, sizeof *cli);
    cli->config.record.promisc = -1;
    iotap_set_progname(argc > 0 ? argv[0] : NULL);
}

static int64_t parse_time_opt(const char *opt, const char *arg)
{
    int64_t ns;
    if (iotap_parse_time(arg, &ns) != 0)
        iotap_die("%s: '%s' is not a time (ISO 8601 like 2026-11-01T08:00:00Z, or epoch seconds)",
                  opt, arg);
    return ns;
}

bool iotap_cli_option(iotap_cli *cli, int opt, const char *arg)
{
    switch (opt) {
    case 'o':
        cli->output = arg;
        return true;
    case IOTAP_OPT_SINCE:
        cli->since_ns = parse_time_opt("--since", arg);
        cli->has_since = true;
        return true;
    case IOTAP_OPT_UNTIL:
        cli->until_ns = parse_time_opt("--until", arg);
        cli->has_until = true;
        return true;
    case IOTAP_OPT_DEVICE:
        if (!*arg)
            iotap_die("--device: empty value");
        cli->device_arg = arg;
        return true;
    case IOTAP_OPT_CONFIG:
        cli->config_path = arg;
        return true;
    case 'q':
    case IOTAP_OPT_QUIET:
        cli->quiet = true;
        return true;
    case 'h':
    case IOTAP_OPT_HELP:
        cli->want_help = true;
        return true;
    case IOTAP_OPT_VERSION:
        printf("%s %s\n", iotap_progname, IOTAP_VERSION);
        exit(fflush(stdout) == 0 ? 0 : 2);
    default:
        return false;
    }
}

void iotap_cli_finish(iotap_cli *cli, int argc, char **argv, int first)
{
    if (cli->has_since && cli->has_until && cli->until_ns <= cli->since_ns)
        iotap_die("--until must be later than --since");
    if (iotap_config_load(cli->config_path, &cli->config) != 0)
        iotap_die("cannot use configuration %s", cli->config_path ? cli->config_path
                                                                    : IOTAP_DEFAULT_CONFIG);
    if (cli->device_arg) {
        if (iotap_config_device(&cli->config, cli->device_arg, cli->device_mac) != 0)
            iotap_die("--device: '%s' is neither a MAC address nor a label in %s", cli->device_arg,
                      cli->config.path ? cli->config.path : "the configuration (none loaded)");
        cli->has_device = true;
    }

    static const char *const stdin_input[] = {"-"};
    if (first < argc) {
        cli->inputs = (const char *const *)argv + first;
        cli->ninputs = (size_t)(argc - first);
    } else if (!isatty(STDIN_FILENO)) {
        cli->inputs = stdin_input;
        cli->ninputs = 1;
    } else {
        iotap_die("no input: give capture files or directories, or - for stdin (see --help)");
    }

    if (cli->output && strcmp(cli->output, "-") != 0) {
        /* fopen("w") would truncate an input before it is read. */
        struct stat so, si;
        if (stat(cli->output, &so) == 0 && S_ISREG(so.st_mode))
            for (size_t i = 0; i < cli->ninputs; i++)
                if (stat(cli->inputs[i], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
                    iotap_die("%s: the output is also an input; refusing to overwrite it",
                              cli->output);
        cli->out = fopen(cli->output, "w");
        if (!cli->out)
            iotap_die("%s: %s", cli->output, strerror(errno));
    } else {
        cli->output = NULL;
        cli->out = stdout;
    }
    progress.enabled = !cli->quiet && iotap_progress_allowed();
}

bool iotap_cli_time_ok(const iotap_cli *cli, int64_t ts_ns)
{
    return (!cli->has_since || ts_ns >= cli->since_ns) && (!cli->has_until || ts_ns < cli->until_ns);
}

bool iotap_cli_frame_ok(const iotap_cli *cli, const iotap_decoded *d)
{
    if (!cli->has_device)
        return true;
    return d->has_mac && (!memcmp(d->src_mac, cli->device_mac, 6) ||
                          !memcmp(d->dst_mac, cli->device_mac, 6));
}

void iotap_cli_progress(const iotap_cli *cli, const iotap_reader *r, const iotap_packet *p)
{
    (void)cli;
    /* Look at the clock only every 4096 packets; print at most twice a second. */
    if (!progress.enabled || (++progress.calls & 4095) != 0)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t ms = (int64_t)(now.tv_sec - progress.last.tv_sec) * 1000 +
                 (now.tv_nsec - progress.last.tv_nsec) / 1000000;
    if (progress.shown && ms < 500)
        return;
    progress.last = now;
    progress.shown = true;
    char t[IOTAP_TIME_BUFSZ];
    double mb = r ? (double)iotap_reader_bytes_read(r) / (1024.0 * 1024.0) : 0;
    fprintf(stderr, "\r\033[K%s: %llu packets, %.1f MiB read, at %s", iotap_progname,
            (unsigned long long)(p ? p->num : 0), mb, p ? iotap_format_time(p->ts_ns, t) : "");
    fflush(stderr);
}

static void progress_clear(void)
{
    if (progress.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        progress.shown = false;
    }
}

int iotap_cli_exit(iotap_cli *cli, const iotap_reader *r)
{
    progress_clear();
    int status = r && iotap_reader_damaged(r) ? 1 : 0;
    FILE *out = cli->out ? cli->out : stdout;
    const char *name = cli->output ? cli->output : "stdout";
    /* Errors seen earlier were reported by whoever wrote (csvout, the
     * program); only a failure first seen here needs a message. EPIPE (the
     * reader went away, as with `| head`) is not worth one. */
    bool earlier = ferror(out) != 0;
    errno = 0;
    int rc = fflush(out);
    if (out != stdout && fclose(out) != 0)
        rc = EOF;
    if (rc != 0 || earlier) {
        if (!earlier && errno != EPIPE)
            iotap_warn("%s: write error: %s", name, strerror(errno ? errno : EIO));
        status = 2;
    }
    cli->out = NULL;
    iotap_config_free(&cli->config);
    return status;
}
