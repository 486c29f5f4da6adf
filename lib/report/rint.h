/*
 * rint.h - what the lib/report files share: the report object, the
 * per-flow inspection state and the aggregate records. Not a public
 * interface; programs use report.h.
 */
#ifndef IOTAP_REPORT_RINT_H
#define IOTAP_REPORT_RINT_H
#include <stdbool.h>
#include <stdint.h>
#include "cli.h"
#include "csvout.h"
#include "decode.h"
#include "flow.h"
#include "hello.h"
#include "geoip.h"
#include "names.h"
#include "oui.h"
#include "regdom.h"
#include "proto/dns.h"
#include "report/report.h"
#include "report/rmap.h"

/* Application protocol of a flow. */
enum { RAPP_OTHER = 0, RAPP_TLS, RAPP_QUIC, RAPP_HTTP, RAPP_DNS, RAPP_DHCP, RAPP_N };
extern const char *const rapp_names[RAPP_N];
/* Name sources, in increasing priority. */
enum { RSRC_NONE = 0, RSRC_DNS_OTHER, RSRC_DNS, RSRC_HTTP, RSRC_QUIC, RSRC_SNI, RSRC_N };
extern const char *const rsrc_names[RSRC_N];

#define R_MAX_ADDRS 4           /* IPv4 / IPv6 addresses kept per device */
#define R_MAX_ROW_ADDRS 64      /* remote addresses kept per domain row */
#define R_MAX_FLOW_BUCKETS 4096 /* timeline buckets a flow holds before adding them to its rows */
#define R_DEV_CACHE 4

/* Per unicast MAC: Layer-2 counters and what DHCP/IP said about it. */
typedef struct rdev {
    uint8_t mac[6];
    uint64_t pkts[2], bytes[2];
    int64_t first_ns, last_ns;
    uint64_t flows, ndomains;
    char *hostname, *vendor_class;
    iotap_addr v4[R_MAX_ADDRS], v6[R_MAX_ADDRS];
    uint8_t n4, n6;
} rdev;

/* Per device and domain (or remote address for unnamed flows). */
typedef struct rdom {
    uint8_t mac[6];
    uint8_t kind;               /* 0 named, 1 unnamed (by address), 2 folded at the cap, 3 "(other devices)" */
    uint8_t src;                /* best name source seen */
    char *domain;
    iotap_addr addr;            /* kind 1 */
    uint64_t flows, pkts[2], bytes[2], clear;
    int64_t first_ns, last_ns;
    unsigned protos;            /* 1 << RAPP_* */
    iotap_addr *addrs;
    uint32_t naddrs;
    bool addrs_capped;
} rdom;

/* Timeline counters per (device[, domain], bucket). */
typedef struct rtl {
    uint8_t mac[6];
    uint8_t kind;               /* 0 device, 1 named, 2 by address, 3 folded, 4 "(other devices)" */
    int64_t bucket;             /* bucket number (time / bucket_ns, floored) */
    char *domain;
    iotap_addr addr;
    uint64_t pkts[2], bytes[2];
} rtl;

typedef struct rflow_bucket {
    int64_t bucket;
    uint64_t pkts[2], bytes[2];
} rflow_bucket;

/* Inspection state hanging off iotap_flow.user. */
typedef struct rflow {
    iotap_hello *hello;         /* TCP: client bytes until decided */
    uint8_t app;                /* RAPP_* */
    uint8_t src;                /* RSRC_* of name */
    uint8_t cdir;               /* direction the client sends in */
    bool decided;               /* app known, inspection over */
    bool cleartext;
    char *name;                 /* content name (SNI, QUIC SNI, Host) */
    char *dns_name;             /* from the DNS cache at the flow's first packet */
    uint8_t dns_src;            /* RSRC_DNS / RSRC_DNS_OTHER / RSRC_NONE */
    void *quic;                 /* QUIC Initial state (rquic.c) */
    rflow_bucket *tl;           /* by-domain timeline */
    uint32_t ntl, atl;
} rflow;

typedef struct rdnstcp rdnstcp;   /* rdnstcp.c */

/* A DNS query waiting for its response. */
typedef struct rdns_pending {
    int64_t ts;
    uint8_t mac[6];
    iotap_addr client;
    uint16_t port, id, qtype;
    char qname[IOTAP_DNS_NAME_BUFSZ];
    bool used, has_mac;
} rdns_pending;
#define R_DNS_PENDING 1024

struct iotap_report {
    iotap_report_opts o;
    iotap_cli *cli;
    iotap_csv *csv;
    iotap_lan *lan;
    iotap_flow_table *flows;
    iotap_names *names;
    iotap_regdom *regdom;
    iotap_oui *oui;
    iotap_geoip *geo;
    iotap_dns_msg *dnsmsg;
    bool want_flows, want_dns, want_domains, want_timeline;
    /* Aggregates. */
    rmap *devs;                 /* mac -> rdev */
    rdev *dev_cache[R_DEV_CACHE];  /* most recently counted MACs first */
    uint8_t last_router[6];     /* gateway MAC learned last (skips the lookup) */
    uint8_t last_inside_mac[6], last_inside_ip[4];
    rmap *doms;                 /* mac+kind+name/addr -> rdom */
    rmap *bcast;                /* rbcast.c: MAC -> iotap_flow */
    rmap *tl;                   /* mac[+kind+name/addr]+bucket -> rtl */
    rtl *last_tl[2];
    /* DNS log. */
    rdns_pending pending[R_DNS_PENDING];
    unsigned phead, pcount;
    uint64_t dns_damaged;       /* damaged/cut DNS messages reported (iotap-dns) */
    rdnstcp *dnstcp;            /* DNS over TCP streams (NULL until one is seen) */
    /* Caps hit. */
    iotap_report_stats st;
    bool finished;
};

/* rflow.c */
void rflow_packet(iotap_report *r, iotap_flow *f, int dir, const iotap_decoded *d);
void rflow_close(iotap_flow *f, void *ctx);
void rflow_header(iotap_csv *c);
void rflow_decide(const iotap_flow *f, rflow *s);
const char *rflow_name(const rflow *s, int *src);
bool rflow_wanted(const iotap_report *r, const iotap_flow *f, bool *attributed);
/* rdev.c */
rdev *rdev_get(iotap_report *r, const uint8_t mac[6]);
void rdev_frame(iotap_report *r, const iotap_decoded *d);
void rdev_dhcp(iotap_report *r, const iotap_decoded *d);
bool rdev_is_device(const iotap_report *r, const uint8_t mac[6]);
void rdev_header(iotap_csv *c);
void rdev_write(iotap_report *r);
/* rdomain.c */
void rdom_flow(iotap_report *r, const iotap_flow *f, const rflow *s, const char *name, int src);
void rdom_header(iotap_csv *c);
void rdom_write(iotap_report *r);
/* rdns.c */
void rdns_packet(iotap_report *r, const iotap_decoded *d, bool log);
void rdns_header(iotap_csv *c);
void rdns_flush(iotap_report *r, int64_t now);
void rdns_warn_summary(const iotap_report *r);
/* One DNS message (a UDP payload, or one taken out of a TCP stream; cut:
 * why it is incomplete, or NULL). */
void rdns_message(iotap_report *r, const iotap_decoded *d, const uint8_t *msg, size_t len,
                  bool log, const char *cut);
/* rdnstcp.c */
void rdnstcp_packet(iotap_report *r, const iotap_decoded *d);
void rdnstcp_finish(iotap_report *r);
void rdnstcp_free(iotap_report *r);
/* rbcast.c */
bool rbcast_wants(const iotap_decoded *d);
void rbcast_packet(iotap_report *r, const iotap_decoded *d);
void rbcast_finish(iotap_report *r);
/* rtimeline.c */
void rtl_frame(iotap_report *r, const iotap_decoded *d);
void rtl_flow_packet(iotap_report *r, const iotap_flow *f, rflow *s, int dir,
                     const iotap_decoded *d);
void rtl_flow_close(iotap_report *r, const iotap_flow *f, rflow *s, const char *name);
void rtl_header(iotap_report *r, iotap_csv *c);
void rtl_write(iotap_report *r);
/* Shared helpers (report.c). */
const char *r_label(const iotap_report *r, const uint8_t mac[6]);
bool r_mac_is_device(const iotap_report *r, const uint8_t mac[6]);
const char *r_proto_name(uint8_t proto, char *buf);
#endif
