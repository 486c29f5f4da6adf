/*
 * fuzz-report.c - the whole report pipeline behind iotap-devices,
 * iotap-domains, iotap-flows, iotap-dns and iotap-timeline (lib/report/):
 * decoding, learning (router MACs, DNS answers, DHCP facts), the device
 * and time filters, the flow table, per-flow inspection (TLS SNI, HTTP
 * Host, QUIC Initial, DNS over UDP and reassembled TCP, DHCP), naming at
 * flow close and the rows written. The input is
 *   [kind u8][filter u8][frames ...]
 * kind % 6 picks the report (5: timeline --by-domain); filter bit 0 sets
 * --device to the first frame's source MAC, bit 1 a --since/--until window.
 * Frames are fuzz-decode's (frames.h). Every cap is tiny (4 flows, 8
 * names, 8 rows, 4 MACs), so eviction, folding and the "cap hit" reports
 * are reached too.
 *
 * Checked: the promise of docs/reports.md that no value holds a comma, CR
 * or LF, so every line of the output has as many commas as the header.
 * The MAC vendor lists come from a small private copy of ieee-data's files
 * (IOTAP_IEEE_DATA), written once: loading Debian's for every input would
 * leave little time for fuzzing.
 */
#include "frames.h"
#include <stdbool.h>
#include <sys/stat.h>
#include "cli.h"
#include "csvout.h"
#include "decode.h"
#include "report/report.h"
#include "util.h"

static const int links[] = {
    IOTAP_LINK_ETHERNET, IOTAP_LINK_RAW, IOTAP_LINK_LINUX_SLL, IOTAP_LINK_LINUX_SLL2,
    IOTAP_LINK_NULL, IOTAP_LINK_IPV4, IOTAP_LINK_IPV6,
};

static char ieee_dir[64];

static void remove_ieee(void)
{
    static const char *const files[] = {"oui.csv", "mam.csv", "oui36.csv", "iab.csv"};
    char path[128];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", ieee_dir, files[i]);
        unlink(path);
    }
    rmdir(ieee_dir);
}

/* A few real-looking entries of each list (header as in ieee-data). */
static void setup_ieee(void)
{
    snprintf(ieee_dir, sizeof ieee_dir, "/tmp/iotap-fuzz-ieee.XXXXXX");
    if (!mkdtemp(ieee_dir))
        abort();
    atexit(remove_ieee);
    static const char *const hdr = "Registry,Assignment,Organization Name,Organization Address\n";
    static const struct { const char *file, *rows; } lists[] = {
        {"oui.csv", "MA-L,B827EB,Raspberry Pi Foundation,Cambridge GB\n"
                    "MA-L,68DBF5,\"Amazon Technologies, Inc.\",Seattle US\n"
                    "MA-L,000000,XEROX CORPORATION,Webster US\n"},
        {"mam.csv", "MA-M,70B3D50,Example M,Somewhere\n"},
        {"oui36.csv", "MA-S,70B3D5000,Example S,Somewhere\n"},
        {"iab.csv", "IAB,0050C2000,Example IAB,Somewhere\n"},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", ieee_dir, lists[i].file);
        FILE *f = fopen(path, "w");
        if (!f)
            abort();
        fputs(hdr, f);
        fputs(lists[i].rows, f);
        fclose(f);
    }
    setenv("IOTAP_IEEE_DATA", ieee_dir, 1);
}

/* Every line as many commas as the first (the header), none empty. */
static void check_columns(const char *s, size_t n)
{
    long want = -1, commas = 0;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',')
            commas++;
        else if (s[i] == '\r')
            abort();
        else if (s[i] == '\n') {
            if (i == start || (want >= 0 && commas != want))
                abort();
            if (want < 0)
                want = commas;
            commas = 0;
            start = i + 1;
        }
    }
    if (start != n)
        abort();    /* the last line ends with LF */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        setup_ieee();
        ready = true;
    }
    char *out = NULL;
    size_t outlen = 0;
    FILE *mem = open_memstream(&out, &outlen);
    if (!mem)
        abort();
    fz in = fz_make(data, size);
    uint8_t kind = fz_u8(&in), filter = fz_u8(&in);
    int64_t ts = 1700000000 * IOTAP_NS_PER_SEC;   /* fz_frames_make()'s clock */

    iotap_cli cli;
    memset(&cli, 0, sizeof cli);
    cli.quiet = true;
    if (filter & 1) {
        /* The first frame's Ethernet source MAC, when it has one. */
        if (fz_left(&in) >= 4 + 12 && in.p[in.off] % 7 == 0) {
            cli.has_device = true;
            memcpy(cli.device_mac, in.p + in.off + 4 + 6, 6);
        }
    }
    if (filter & 2) {
        cli.has_since = cli.has_until = true;
        cli.since_ns = ts + (int64_t)(filter >> 2 & 7) * IOTAP_NS_PER_SEC;
        cli.until_ns = cli.since_ns + (int64_t)(filter >> 5) * 10 * IOTAP_NS_PER_SEC;
    }
    iotap_report_opts o;
    iotap_report_opts_default(&o, kind % 6 == 5 ? IOTAP_REPORT_TIMELINE : kind % 6);
    o.by_domain = kind % 6 == 5;
    o.bucket_ns = (int64_t)(1 + (kind >> 4)) * IOTAP_NS_PER_SEC;
    o.max_flows = 4;
    o.max_names = 8;
    o.max_rows = 8;
    o.max_macs = 4;
    o.geoip_country = o.geoip_city = o.geoip_asn = "/nonexistent/iotap-fuzz.mmdb";
    iotap_csv *csv = iotap_csv_new(mem);
    iotap_report *r = iotap_report_new(&o, &cli, csv);

    fz_frames fr = fz_frames_make(&in, links, sizeof links / sizeof links[0]);
    iotap_packet p;
    while (fz_next_frame(&fr, &p))
        iotap_report_packet(r, &p);
    iotap_report_finish(r);
    iotap_report_stats st;
    iotap_report_stats_get(r, &st);
    iotap_report_free(r);
    iotap_csv_close(csv);
    fclose(mem);
    check_columns(out, outlen);
    free(out);
    return 0;
}
