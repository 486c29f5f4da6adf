/*
 * report.h - the pipeline behind iotap-devices, iotap-domains, iotap-flows,
 * iotap-dns and iotap-timeline:
 *
 *   reader -> decode -> learning (router MACs, DNS answers, DHCP facts;
 *   from every frame, so filters never change what is known) -> --since/
 *   --until and --device -> per-MAC Layer-2 counters -> flow table ->
 *   per-flow inspection (first client bytes: TLS SNI / HTTP Host; QUIC
 *   Initial; DNS; DHCP) -> at flow close: the flow's name (SNI, QUIC,
 *   HTTP Host, this device's DNS question, another device's, none) and its
 *   device -> flow rows, per device+domain aggregates, timeline buckets.
 *
 * One program asks for one kind of report; everything it does not need is
 * skipped. Rows that are streamed (flows, DNS) are written while reading;
 * aggregates are written by iotap_report_finish(). Memory is bounded by
 * the caps in iotap_report_opts; whatever is dropped at a cap is counted
 * and reported once on stderr at the end.
 *
 *   iotap_report_opts o; iotap_report_opts_default(&o, IOTAP_REPORT_DEVICES);
 *   iotap_report *r = iotap_report_new(&o, &cli, csv);   // writes the header
 *   iotap_reader *rd = iotap_report_run(r);             // reads every input
 *   iotap_report_finish(r);                             // rows, warnings
 *   status = iotap_cli_exit(&cli, rd); iotap_report_free(r); iotap_reader_close(rd);
 */
#ifndef IOTAP_REPORT_H
#define IOTAP_REPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "capture.h"
#include "cli.h"
#include "csvout.h"

enum iotap_report_kind {
    IOTAP_REPORT_DEVICES, IOTAP_REPORT_DOMAINS, IOTAP_REPORT_FLOWS,
    IOTAP_REPORT_DNS, IOTAP_REPORT_TIMELINE,
};

typedef struct iotap_report_opts {
    int kind;                   /* enum iotap_report_kind */
    int64_t bucket_ns;          /* timeline bucket (default 1 h) */
    bool by_domain;             /* timeline per device and domain */
    size_t max_flows;           /* open flows (default 500,000) */
    size_t max_names;           /* DNS name cache keys, (device, address) and global
                                   address keys together (names.h; default 200,000) */
    size_t max_rows;            /* aggregate rows: devices+domains, timeline (default 500,000) */
    size_t max_macs;            /* MACs counted (default 100,000) */
    const char *geoip_country, *geoip_city, *geoip_asn;  /* flags; NULL = config/search */
} iotap_report_opts;
void iotap_report_opts_default(iotap_report_opts *o, int kind);

typedef struct iotap_report iotap_report;
/* cli must stay valid (filters, config, labels). Writes csv's header. */
iotap_report *iotap_report_new(const iotap_report_opts *o, iotap_cli *cli, iotap_csv *csv);
/* One packet of the stream (for callers with their own reader). */
void iotap_report_packet(iotap_report *r, const iotap_packet *p);
/* Reads cli->inputs to the end through iotap_report_packet. */
iotap_reader *iotap_report_run(iotap_report *r);
/* Closes open flows, writes the aggregate rows, reports caps hit. */
void iotap_report_finish(iotap_report *r);
void iotap_report_free(iotap_report *r);

/* What the caps cost (for tests). */
typedef struct iotap_report_stats {
    uint64_t flows_evicted, names_evicted, dns_pending_dropped;
    uint64_t rows_folded, macs_dropped, flows_seen;
    uint64_t macs_dropped_in;   /* devices: frames to a MAC past the cap (packets_in) */
} iotap_report_stats;
void iotap_report_stats_get(const iotap_report *r, iotap_report_stats *s);

/* The whole program for the thin mains in analyze/: common options (cli.h)
 * plus --max-flows/--max-names/--max-rows, and per kind --geoip-country/
 * --geoip-city/--geoip-asn (domains), --bucket DURATION and --by-domain
 * (timeline). `about` is the program's one-line description for -h.
 * Returns the exit status. */
int iotap_report_main(int argc, char **argv, int kind, const char *about);
/* "1h", "15m", "30s", "1d", "90" (seconds) -> ns; 0 ok, -1 bad. */
int iotap_report_parse_duration(const char *s, int64_t *ns);
#endif
