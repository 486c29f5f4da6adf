/*
 * opts.c - iotap-record's settings: built-in defaults, then the record:
 * section of /etc/iotap/iotap.yaml (or -c FILE), then command-line flags,
 * each later source winning over the earlier ones.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "record.h"
#include "util.h"

static const char usage_text[] =
    "usage: iotap-record [-i IFACE | -r FILE|-] [-w ROOT] [--sensor NAME] [-C SIZE]\n"
    "                    [-G SECONDS] [-Z USER] [-c CONFIG] [--snaplen N] [--level N]\n"
    "                    [--flush SECONDS] [--slice-encrypted N] [--max-bytes SIZE]\n"
    "                    [--min-free SIZE] [--buffer-size SIZE] [-p] [BPF expression ...]\n"
    "Records one interface (or a capture file) into rotated zstd pcap segments\n"
    "under ROOT/SENSOR/YYYY/MM/DD/. SIZE takes K, M, G suffixes (powers of 1024).\n"
    "  -i IFACE            interface to capture on (live)\n"
    "  -r FILE|-           read a capture file or stdin instead (packet times drive rotation)\n"
    "  -w ROOT             output root (default " IOTAP_REC_DEFAULT_ROOT ")\n"
    "  --sensor NAME       sensor name (default: host name)\n"
    "  -C SIZE             rotate when the compressed segment reaches SIZE (default 64M, 0 = never)\n"
    "  -G SECONDS          rotate every SECONDS, aligned to the clock (default 3600, 0 = never)\n"
    "  -Z USER             drop root to USER after opening the capture and output tree\n"
    "  -c CONFIG           configuration file (default " IOTAP_DEFAULT_CONFIG ")\n"
    "  -s, --snaplen N     bytes kept per packet (default 262144)\n"
    "  -p, --no-promisc    do not put the interface into promiscuous mode\n"
    "  -B, --buffer-size SIZE  kernel capture buffer (default 4M)\n"
    "  --level N           zstd level (default 3)\n"
    "  --flush SECONDS     flush to disk every SECONDS of wall-clock time (default 2)\n"
    "  --slice-encrypted N keep at most N payload bytes of TLS/QUIC packets past the handshake\n"
    "  --max-bytes SIZE    delete oldest finished segments above SIZE in total\n"
    "  --min-free SIZE     delete oldest finished segments while less than SIZE is free\n";

_Noreturn static void usage(int status)
{
    fputs(usage_text, status ? stderr : stdout);
    exit(status);
}

enum {
    OPT_SENSOR = 0x1000, OPT_LEVEL, OPT_FLUSH, OPT_SLICE, OPT_MAXB, OPT_MINFREE, OPT_HELP,
};

static uint64_t size_arg(const char *name, const char *v)
{
    uint64_t x;
    if (iotap_parse_size(v, &x) < 0)
        iotap_die("%s: bad size '%s' (use e.g. 64M, 1G)", name, v);
    return x;
}

static uint64_t num_arg(const char *name, const char *v, uint64_t max)
{
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    if (!*v || *end || x > max || *v == '-')
        iotap_die("%s: bad number '%s'", name, v);
    return x;
}

/* Flush interval: seconds with an optional fraction ("2", "0.5"). */
static uint64_t flush_arg(const char *v)
{
    char *end;
    double s = strtod(v, &end);
    if (!*v || *end || !(s > 0) || s > 3600)
        iotap_die("--flush: bad interval '%s' (seconds, > 0)", v);
    return (uint64_t)(s * 1000 + 0.5) ? (uint64_t)(s * 1000 + 0.5) : 1;
}

void iotap_rec_parse(iotap_rec_opts *o, int argc, char **argv)
{
    iotap_set_progname(argc > 0 ? argv[0] : "iotap-record");
    static const struct option longopts[] = {
        {"interface", required_argument, NULL, 'i'},
        {"read", required_argument, NULL, 'r'},
        {"root", required_argument, NULL, 'w'},
        {"sensor", required_argument, NULL, OPT_SENSOR},
        {"rotate-size", required_argument, NULL, 'C'},
        {"rotate-seconds", required_argument, NULL, 'G'},
        {"user", required_argument, NULL, 'Z'},
        {"config", required_argument, NULL, 'c'},
        {"snaplen", required_argument, NULL, 's'},
        {"no-promisc", no_argument, NULL, 'p'},
        {"buffer-size", required_argument, NULL, 'B'},
        {"level", required_argument, NULL, OPT_LEVEL},
        {"flush", required_argument, NULL, OPT_FLUSH},
        {"slice-encrypted", required_argument, NULL, OPT_SLICE},
        {"max-bytes", required_argument, NULL, OPT_MAXB},
        {"min-free", required_argument, NULL, OPT_MINFREE},
        {"help", no_argument, NULL, 'h'},
        {0}};
    /* Flags first into a scratch config, so the file can be loaded from -c. */
    iotap_record_config fl = { 0 };
    fl.promisc = -1;
    const char *cfgpath = NULL, *readf = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "+i:r:w:C:G:Z:c:s:pB:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': fl.interface = optarg; break;
        case 'r': readf = optarg; break;
        case 'w': fl.root = optarg; break;
        case OPT_SENSOR: fl.sensor = optarg; break;
        case 'C': fl.rotate_size = size_arg("-C", optarg); fl.set |= IOTAP_RC_ROTATE_SIZE; break;
        case 'G': fl.rotate_seconds = num_arg("-G", optarg, 366 * 86400ull); fl.set |= IOTAP_RC_ROTATE_SECONDS; break;
        case 'Z': fl.user = optarg; break;
        case 'c': cfgpath = optarg; break;
        case 's': fl.snaplen = num_arg("--snaplen", optarg, IOTAP_REC_MAX_SNAPLEN); fl.set |= IOTAP_RC_SNAPLEN; break;
        case 'p': fl.promisc = 0; break;
        case 'B': fl.buffer_size = size_arg("--buffer-size", optarg); fl.set |= IOTAP_RC_BUFFER; break;
        case OPT_LEVEL: fl.level = num_arg("--level", optarg, 22); fl.set |= IOTAP_RC_LEVEL; break;
        case OPT_FLUSH: fl.flush_seconds = flush_arg(optarg); fl.set |= IOTAP_RC_FLUSH; break;
        case OPT_SLICE: fl.slice_encrypted = num_arg("--slice-encrypted", optarg, IOTAP_REC_MAX_SNAPLEN); fl.set |= IOTAP_RC_SLICE; break;
        case OPT_MAXB: fl.max_bytes = size_arg("--max-bytes", optarg); fl.set |= IOTAP_RC_MAX_BYTES; break;
        case OPT_MINFREE: fl.min_free = size_arg("--min-free", optarg); fl.set |= IOTAP_RC_MIN_FREE; break;
        case 'h': usage(0);
        default: usage(2);
        }
    }
    iotap_config cfg;
    if (iotap_config_load(cfgpath, &cfg) < 0)
        exit(2);
    const iotap_record_config *fc = &cfg.record;

    memset(o, 0, sizeof *o);
    o->snaplen = IOTAP_REC_MAX_SNAPLEN;
    o->promisc = 1;
    o->buffer_size = 4u << 20;
    o->rotate_size = 64u << 20;
    o->rotate_seconds = 3600;
    o->flush_ms = 2000;
    o->level = 3;
#define PICK(field, bit, dst, conv) \
    if (fl.set & (bit)) dst = conv(fl.field); else if (fc->set & (bit)) dst = conv(fc->field)
#define SAME(x) (x)
#define MS(x) (x)
    PICK(snaplen, IOTAP_RC_SNAPLEN, o->snaplen, (uint32_t));
    PICK(buffer_size, IOTAP_RC_BUFFER, o->buffer_size, SAME);
    PICK(rotate_size, IOTAP_RC_ROTATE_SIZE, o->rotate_size, SAME);
    PICK(rotate_seconds, IOTAP_RC_ROTATE_SECONDS, o->rotate_seconds, SAME);
    PICK(level, IOTAP_RC_LEVEL, o->level, (int));
    PICK(max_bytes, IOTAP_RC_MAX_BYTES, o->max_bytes, SAME);
    PICK(min_free, IOTAP_RC_MIN_FREE, o->min_free, SAME);
    PICK(slice_encrypted, IOTAP_RC_SLICE, o->slice_encrypted, (uint32_t));
#undef PICK
    /* The file gives whole seconds, the flag milliseconds. */
    if (fl.set & IOTAP_RC_FLUSH)
        o->flush_ms = fl.flush_seconds;
    else if (fc->set & IOTAP_RC_FLUSH)
        o->flush_ms = fc->flush_seconds * 1000;
    if (fl.promisc >= 0)
        o->promisc = fl.promisc;
    else if (fc->promisc >= 0)
        o->promisc = fc->promisc;
    if (o->snaplen == 0 || o->snaplen > IOTAP_REC_MAX_SNAPLEN)
        iotap_die("snaplen must be 1..%u", IOTAP_REC_MAX_SNAPLEN);
    if (o->level < 1 || o->level > 22)
        iotap_die("level must be 1..22");
    if (o->flush_ms == 0)
        iotap_die("flush interval must be positive");
    if (o->slice_encrypted > o->snaplen)
        o->slice_encrypted = o->snaplen;

    /* Flags win over the file for strings too. */
#define STRPICK(field) o->field = xstrdup(fl.field ? fl.field : fc->field ? fc->field : ""); \
    if (!*o->field) { free(o->field); o->field = NULL; }
    STRPICK(interface);
    STRPICK(root);
    STRPICK(sensor);
    STRPICK(user);
#undef STRPICK
    if (!o->root)
        o->root = xstrdup(IOTAP_REC_DEFAULT_ROOT);
    if (!o->sensor) {
        char host[256] = "";
        if (gethostname(host, sizeof host - 1) < 0 || !*host)
            snprintf(host, sizeof host, "sensor");
        char *dot = strchr(host, '.');
        if (dot)
            *dot = '\0';
        o->sensor = xstrdup(host);
    }
    /* It becomes a directory and the start of every file name: no '/', no
     * leading '.' (hidden, "." and ".."), no control characters. Dots
     * elsewhere ("pi.lan") and '-' are fine. */
    bool bad_sensor = strchr(o->sensor, '/') || o->sensor[0] == '.' || strlen(o->sensor) > 100;
    for (const unsigned char *p = (const unsigned char *)o->sensor; *p; p++)
        bad_sensor |= *p < 0x20 || *p == 0x7f;
    if (bad_sensor)
        iotap_die("bad sensor name '%s' (no '/', no leading '.', at most 100 bytes)", o->sensor);
    /* A filter on the command line replaces the configured one. */
    if (optind < argc) {
        size_t len = 1;
        for (int i = optind; i < argc; i++)
            len += strlen(argv[i]) + 1;
        o->filter = xcalloc(1, len);
        for (int i = optind; i < argc; i++) {
            if (i > optind)
                strcat(o->filter, " ");
            strcat(o->filter, argv[i]);
        }
    } else if (fc->filter && *fc->filter) {
        o->filter = xstrdup(fc->filter);
    }
    if (readf) {
        o->read_file = xstrdup(readf);
        /* -r wins over an interface from the file; both as flags is an error. */
        if (fl.interface)
            iotap_die("-i and -r exclude each other");
        free(o->interface);
        o->interface = NULL;
    } else if (!o->interface) {
        iotap_warn("no interface: give -i IFACE (or record.interface in the config) or -r FILE");
        usage(2);
    }
    if (cfgpath)
        o->config_path = xstrdup(cfgpath);
    iotap_config_free(&cfg);
}

void iotap_rec_opts_free(iotap_rec_opts *o)
{
    free(o->interface);
    free(o->read_file);
    free(o->root);
    free(o->sensor);
    free(o->user);
    free(o->filter);
    free(o->config_path);
    memset(o, 0, sizeof *o);
}
