/*
 * rmain.c - the command line shared by the five report programs
 * (iotap_report_main in report.h): options, then the pipeline, then the
 * exit status (0; 1 when the input was damaged; 2 when writing failed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report.h"
#include "util.h"

int iotap_report_parse_duration(const char *s, int64_t *ns)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || *s == '-')
        return -1;
    int64_t unit = IOTAP_NS_PER_SEC;
    if (*end) {
        if (end[1])
            return -1;
        switch (*end) {
        case 's': unit = IOTAP_NS_PER_SEC; break;
        case 'm': unit = 60 * IOTAP_NS_PER_SEC; break;
        case 'h': unit = 3600 * IOTAP_NS_PER_SEC; break;
        case 'd': unit = 86400 * IOTAP_NS_PER_SEC; break;
        default: return -1;
        }
    }
    if (v == 0 || v > (unsigned long long)(INT64_MAX / unit))
        return -1;
    *ns = (int64_t)v * unit;
    return 0;
}

static void usage(FILE *to, int status, int kind, const char *about)
{
    fprintf(to, "usage: %s [OPTIONS] [INPUT...]\n%s\n", iotap_progname, about);
    if (kind == IOTAP_REPORT_TIMELINE)
        fprintf(to,
                "  --bucket DURATION     bucket width: 30s, 15m, 1h (default), 1d\n"
                "  --by-domain           one row per device, domain and bucket\n");
    if (kind == IOTAP_REPORT_DOMAINS)
        fprintf(to,
                "  --geoip-country FILE  GeoLite2/GeoIP2 Country database (.mmdb)\n"
                "  --geoip-city FILE     City database, used for the country when no\n"
                "                        Country database is given\n"
                "  --geoip-asn FILE      GeoLite2/GeoIP2 ASN database\n");
    fprintf(to,
            "  --max-flows N         open flows held (default 500000); older ones are\n"
            "                        closed early and counted on stderr\n"
            "  --max-names N         DNS answers remembered (default 200000)\n"
            "  --max-rows N          aggregate rows (default 500000)\n"
            "%s", iotap_cli_common_usage);
    exit(status);
}

static _Noreturn void only(const char *opt, const char *prog)
{
    iotap_die("--%s: only %s takes this option (see -h)", opt, prog);
}

static size_t count_arg(const char *opt, const char *arg)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (end == arg || *end || errno || v == 0 || *arg == '-' || v > (1ULL << 40))
        iotap_die("--%s: '%s' is not a positive number", opt, arg);
    return (size_t)v;
}

int iotap_report_main(int argc, char **argv, int kind, const char *about)
{
    enum { O_FLOWS = 1, O_NAMES, O_ROWS, O_CC, O_CITY, O_ASN, O_BUCKET, O_BYDOM };
    static const struct option all[] = {
        IOTAP_CLI_LONGOPTS,
        {"max-flows", required_argument, NULL, O_FLOWS},
        {"max-names", required_argument, NULL, O_NAMES},
        {"max-rows", required_argument, NULL, O_ROWS},
        {"geoip-country", required_argument, NULL, O_CC},
        {"geoip-city", required_argument, NULL, O_CITY},
        {"geoip-asn", required_argument, NULL, O_ASN},
        {"bucket", required_argument, NULL, O_BUCKET},
        {"by-domain", no_argument, NULL, O_BYDOM},
        {0},
    };
    iotap_cli cli;
    iotap_cli_init(&cli, argc, argv);
    iotap_report_opts o;
    iotap_report_opts_default(&o, kind);
    int ch;
    while ((ch = getopt_long(argc, argv, IOTAP_CLI_SHORTOPTS, all, NULL)) != -1) {
        if (iotap_cli_option(&cli, ch, optarg))
            continue;
        bool geo = kind == IOTAP_REPORT_DOMAINS, tl = kind == IOTAP_REPORT_TIMELINE;
        switch (ch) {
        case O_FLOWS: o.max_flows = count_arg("max-flows", optarg); break;
        case O_NAMES: o.max_names = count_arg("max-names", optarg); break;
        case O_ROWS: o.max_rows = count_arg("max-rows", optarg); break;
        case O_CC: if (!geo) only("geoip-country", "iotap-domains"); o.geoip_country = optarg; break;
        case O_CITY: if (!geo) only("geoip-city", "iotap-domains"); o.geoip_city = optarg; break;
        case O_ASN: if (!geo) only("geoip-asn", "iotap-domains"); o.geoip_asn = optarg; break;
        case O_BUCKET:
            if (!tl)
                only("bucket", "iotap-timeline");
            if (iotap_report_parse_duration(optarg, &o.bucket_ns) != 0)
                iotap_die("--bucket: '%s' is not a duration (like 1h, 15m, 30s, 1d)", optarg);
            break;
        case O_BYDOM: if (!tl) only("by-domain", "iotap-timeline"); o.by_domain = true; break;
        default: usage(stderr, 2, kind, about);
        }
    }
    if (cli.want_help)
        usage(stdout, 0, kind, about);
    iotap_cli_finish(&cli, argc, argv, optind);
    iotap_csv *csv = iotap_csv_new(cli.out);
    iotap_report *r = iotap_report_new(&o, &cli, csv);
    iotap_reader *rd = iotap_report_run(r);
    iotap_report_finish(r);
    int wfail = iotap_csv_close(csv);
    int status = iotap_cli_exit(&cli, rd);
    iotap_report_free(r);
    iotap_reader_close(rd);
    return wfail && status == 0 ? 2 : status;
}
