/*
 * iotap-cat - writes any mix of capture inputs (segments, directories,
 * pcap/pcapng, compressed or not) as ONE classic pcap stream, optionally cut
 * by time, device and a BPF filter, for tcpdump -r -, Wireshark or any other
 * pcap tool.
 *
 *   iotap-cat [-o FILE] [--since T] [--until T] [--device MAC|LABEL]
 *             [-f BPF] [--nano] [input ...]
 *
 * A single input file keeps its global header (snaplen, link type), so a
 * little-endian microsecond pcap comes out byte-identical. With several
 * inputs (or a directory) the header's snaplen is at least 262144, because
 * libpcap cuts records longer than the header's snaplen and a later input may
 * have a larger one. One pcap stream holds one link type: a packet of a
 * different link type stops the run with status 2 after what came before.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf.h"
#include "capture.h"
#include "cli.h"
#include "decode.h"
#include "pcapwrite.h"
#include "util.h"

enum { OPT_NANO = 0x2000 };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: iotap-cat [-o FILE] [--since TIME] [--until TIME] [--device MAC|LABEL]\n"
            "                 [-f BPF] [--nano] [--config FILE] [-q] [input ...]\n"
            "Writes the inputs as one classic pcap stream (stdout or -o FILE).\n"
            "  -f, --filter EXPR     keep packets matching a BPF expression (pcap-filter(7))\n"
            "      --nano            nanosecond time stamps (default microsecond)\n"
            "  -w FILE               same as -o FILE\n"
            "%s",
            iotap_cli_common_usage);
}

static const char *link_name(int linktype)
{
    const char *n = pcap_datalink_val_to_name(iotap_linktype_to_dlt(linktype));
    return n ? n : "unknown";
}

/* Which header snaplen to write: the input's for a single file or stdin,
 * else room for any record (see the file comment). */
static uint32_t out_snaplen(const iotap_cli *cli, uint32_t first)
{
    struct stat st;
    bool single = cli->ninputs == 1 &&
                  (strcmp(cli->inputs[0], "-") == 0 ||
                   (stat(cli->inputs[0], &st) == 0 && !S_ISDIR(st.st_mode)));
    if (single || first >= 262144)
        return first;
    return 262144;
}

struct cat {
    iotap_cli cli;
    const char *filter;
    bool nano;
    iotap_pcapw *w;
    int linktype;
    uint32_t snaplen;
    char *first_input;          /* input that set the link type */
    pcap_t *dead;
    struct bpf_program prog;
    bool have_prog;
    bool warned_cut;
};

/* A write failed: report (not for a closed pipe) and stop. */
static _Noreturn void write_failed(struct cat *c)
{
    if (errno != EPIPE)
        iotap_warn("%s: write error: %s", c->cli.output ? c->cli.output : "stdout",
                   strerror(errno ? errno : EIO));
    exit(2);
}

/* The first packet fixes the link type: header, BPF program. */
static void start_output(struct cat *c, const iotap_packet *p)
{
    c->linktype = p->linktype;
    c->snaplen = out_snaplen(&c->cli, p->snaplen);
    c->first_input = xstrdup(p->input);
    if (c->filter) {
        c->dead = pcap_open_dead_with_tstamp_precision(iotap_linktype_to_dlt(p->linktype), (int)(c->snaplen ? c->snaplen : 262144),
                                                       PCAP_TSTAMP_PRECISION_MICRO);
        if (!c->dead)
            iotap_die("cannot set up a BPF filter for link type %d", p->linktype);
        if (pcap_compile(c->dead, &c->prog, c->filter, 1, PCAP_NETMASK_UNKNOWN) != 0)
            iotap_die("-f '%s': %s (link type %s of %s)", c->filter, pcap_geterr(c->dead),
                      link_name(p->linktype), p->input);
        c->have_prog = true;
    }
    errno = 0;
    c->w = iotap_pcapw_new(c->cli.out, c->linktype, c->snaplen, c->nano);
}

static bool wanted(struct cat *c, const iotap_packet *p)
{
    if (!iotap_cli_time_ok(&c->cli, p->ts_ns))
        return false;
    if (c->cli.has_device) {
        iotap_decoded d;
        if (iotap_decode(p, &d) != 0 || !iotap_cli_frame_ok(&c->cli, &d))
            return false;
    }
    if (c->have_prog) {
        struct pcap_pkthdr h = {.caplen = p->caplen, .len = p->len};
        h.ts.tv_sec = (time_t)(p->ts_ns / IOTAP_NS_PER_SEC);
        h.ts.tv_usec = (suseconds_t)(p->ts_ns % IOTAP_NS_PER_SEC / 1000);
        if (!pcap_offline_filter(&c->prog, &h, p->data))
            return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        IOTAP_CLI_LONGOPTS,
        {"filter", required_argument, NULL, 'f'},
        {"nano", no_argument, NULL, OPT_NANO},
        {0}};
    struct cat c = {0};
    iotap_cli_init(&c.cli, argc, argv);
    int opt;
    while ((opt = getopt_long(argc, argv, IOTAP_CLI_SHORTOPTS "f:w:", longopts, NULL)) != -1) {
        if (iotap_cli_option(&c.cli, opt, optarg))
            continue;
        switch (opt) {
        case 'f':
            c.filter = optarg;
            break;
        case 'w':
            iotap_cli_option(&c.cli, 'o', optarg);
            break;
        case OPT_NANO:
            c.nano = true;
            break;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (c.cli.want_help) {
        usage(stdout);
        return 0;
    }
    if (c.filter && !*c.filter)
        c.filter = NULL;        /* tcpdump: an empty expression matches all */
    if (c.filter) {
        /* A bad expression is a usage error even when no packet is read;
         * the input's link type is not known yet (start_output compiles
         * the filter for it). */
        char err[PCAP_ERRBUF_SIZE + 64];
        if (iotap_bpf_check(c.filter, err, sizeof err) != 0) {
            iotap_warn("-f '%s': %s", c.filter, err);
            return 2;
        }
    }
    iotap_cli_finish(&c.cli, argc, argv, optind);
    if (isatty(fileno(c.cli.out)))
        iotap_die("refusing to write binary pcap data to a terminal: use -o FILE or a pipe");

    iotap_reader *r = iotap_reader_open(c.cli.inputs, c.cli.ninputs);
    iotap_packet p;
    int status = 0;
    while (iotap_reader_next(r, &p) == 1) {
        iotap_cli_progress(&c.cli, r, &p);
        if (!c.w)
            start_output(&c, &p);
        if (p.linktype != c.linktype) {
            iotap_warn("%s: link type %s (%d) differs from %s (%d) of %s; one pcap stream holds "
                       "one link type: cat them separately",
                       p.input, link_name(p.linktype), p.linktype, link_name(c.linktype),
                       c.linktype, c.first_input);
            status = 2;
            break;
        }
        if (!wanted(&c, &p))
            continue;
        uint32_t caplen = p.caplen;
        uint32_t limit = c.snaplen > 262144 ? c.snaplen : 262144;
        if (caplen > limit) {
            /* Longer than any pcap reader accepts with this header. */
            if (!c.warned_cut)
                iotap_warn("%s: packet %llu: %u captured bytes cut to %u (the output's snaplen)",
                           p.input, (unsigned long long)p.input_num, caplen, limit);
            c.warned_cut = true;
            caplen = limit;
        }
        errno = 0;
        if (iotap_pcapw_write(c.w, p.ts_ns, caplen, p.len, p.data) != 0)
            write_failed(&c);
    }
    if (!c.w) {
        /* Nothing was read: still a valid (empty) capture for the next tool. */
        errno = 0;
        c.w = iotap_pcapw_new(c.cli.out, IOTAP_LINK_ETHERNET, 262144, c.nano);
    }
    errno = 0;
    if (iotap_pcapw_free(c.w) != 0)
        write_failed(&c);
    if (c.have_prog)
        pcap_freecode(&c.prog);
    if (c.dead)
        pcap_close(c.dead);
    free(c.first_input);
    int rc = iotap_cli_exit(&c.cli, r);
    iotap_reader_close(r);
    return status ? status : rc;
}
