/*
 * http_session.h - what iotap-http and iotap-extract share: every TCP flow
 * of the flow table gets two reassembled directions (reasm.h) feeding an
 * HTTP connection parser (proto/http.h). Flows whose first bytes are not
 * HTTP are dropped at once (TLS costs one look). State hangs off flow->user
 * and is flushed (holes become gaps, open bodies end) when the flow table
 * closes the flow, so memory follows the open flows, not the input size.
 *
 *   s = iotap_http_session_new(&cfg, &hooks, ctx);
 *   flows = iotap_flows_new(&fcfg, lan, close_cb, ...);  close_cb calls
 *       iotap_http_session_close(s, f)
 *   per packet: f = iotap_flows_packet(...); iotap_http_session_packet(s, f, dir, &d);
 *   end: iotap_flows_finish(flows); iotap_http_session_free(s);
 *
 * In the hooks, t->flow is the iotap_flow (valid during the call).
 */
#ifndef IOTAP_HTTP_SESSION_H
#define IOTAP_HTTP_SESSION_H
#include <stdbool.h>
#include <stdint.h>
#include "capture.h"
#include "decode.h"
#include "flow.h"
#include "proto/http.h"
#include "reasm.h"

typedef struct iotap_http_session_config {
    uint64_t max_body;      /* decoded bytes kept per body (default 64 MiB) */
    uint64_t stream_cap;    /* out-of-order bytes per direction (default 4 MiB) */
    uint64_t total_cap;     /* out-of-order bytes of all flows (default 256 MiB) */
    unsigned max_warnings;  /* problems reported one by one (default 50) */
    /* Added for the memory bound under many open connections: */
    size_t max_flows;       /* open TCP flows held (default 20,000); the least
                             * recently active is closed early (flushed,
                             * incomplete) and counted */
    uint64_t header_cap;    /* header bytes held by all connections (header
                             * blocks being read + unanswered requests'
                             * headers; default 64 MiB) */
} iotap_http_session_config;
void iotap_http_session_config_default(iotap_http_session_config *c);

/* The options iotap-http and iotap-extract share, as cli.h does for every
 * analyzer's: put IOTAP_HTTP_LONGOPTS in the program's option table and
 * hand each option to iotap_http_session_option() first. */
enum {
    IOTAP_HTTP_OPT_MAX_BODY = 0x1100, IOTAP_HTTP_OPT_STREAM, IOTAP_HTTP_OPT_TOTAL,
    IOTAP_HTTP_OPT_FLOWS, IOTAP_HTTP_OPT_HDR,
};
#define IOTAP_HTTP_LONGOPTS \
    {"max-body", required_argument, NULL, IOTAP_HTTP_OPT_MAX_BODY}, \
    {"stream-buffer", required_argument, NULL, IOTAP_HTTP_OPT_STREAM}, \
    {"total-buffer", required_argument, NULL, IOTAP_HTTP_OPT_TOTAL}, \
    {"max-flows", required_argument, NULL, IOTAP_HTTP_OPT_FLOWS}, \
    {"max-header-bytes", required_argument, NULL, IOTAP_HTTP_OPT_HDR}
/* True when opt was one of those (a bad value exits 2 with a message). */
bool iotap_http_session_option(iotap_http_session_config *c, int opt, const char *arg);

typedef struct iotap_http_session_stats {
    uint64_t tcp_flows, http_flows, txns, gaps, gap_bytes, conflicts, problems;
    uint64_t peak_buffered;
    uint64_t flows_evicted;     /* closed early at max_flows */
    uint64_t header_blocks_dropped, txns_forced, peak_header_bytes;  /* header_cap */
} iotap_http_session_stats;

typedef struct iotap_http_session iotap_http_session;
iotap_http_session *iotap_http_session_new(const iotap_http_session_config *cfg,
                                           const iotap_http_hooks *hooks, void *ctx);
/* One decoded packet of flow f, travelling in direction dir. Non-TCP
 * packets are ignored. */
void iotap_http_session_packet(iotap_http_session *s, iotap_flow *f, int dir,
                               const iotap_decoded *d);
/* The flow table is closing f: flush and report what is left. */
void iotap_http_session_close(iotap_http_session *s, iotap_flow *f);
void iotap_http_session_stats_get(const iotap_http_session *s, iotap_http_session_stats *st);
/* The whole job over cli's inputs: reader, decoder, flow table (LAN and
 * router from the configuration, --since/--until and --device applied),
 * this session. Returns the reader (closed by iotap_http_session_run_end
 * after the caller's iotap_cli_exit). */
struct iotap_cli;
iotap_reader *iotap_http_session_run(iotap_http_session *s, struct iotap_cli *cli);

/* Prints a one-line summary of suppressed problems, then frees. Every flow
 * must have been closed before (iotap_flows_finish). */
void iotap_http_session_free(iotap_http_session *s);
#endif
