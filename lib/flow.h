/*
 * flow.h - the flow table: bidirectional flows keyed by protocol, addresses
 * and ports, each oriented device -> remote.
 *
 * Orientation (which end is `local`, the device):
 *   1. the end whose address is in the LAN set (iotap_lan) when only one is;
 *   2. otherwise the end whose MAC is not a known router MAC when one is;
 *   3. otherwise the sender of a SYN without ACK (TCP);
 *   4. otherwise the sender of the first packet.
 * The table learns as it goes: a MAC that sends IPv4 from a non-LAN source is
 * a router MAC; an ICMPv6 Router Advertisement's on-link prefixes join the
 * LAN set. A flow's orientation never changes once made.
 *
 * Life: TCP flows follow SYN/FIN/RST; a flow that saw RST or FIN both ways
 * lingers briefly (close_linger) so trailing ACKs and retransmissions still
 * count to it; a SYN on a closed flow starts a new one. Flows idle longer
 * than their protocol's timeout are closed. Memory is capped by max_flows:
 * at the cap the least recently active flow is closed early (end EVICTED)
 * and counted. Time is packet time (the latest seen), so results do not
 * depend on how a capture was split into files.
 */
#ifndef IOTAP_FLOW_H
#define IOTAP_FLOW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "addr.h"
#include "decode.h"

enum iotap_dir { IOTAP_OUT = 0, IOTAP_IN = 1 };   /* out: from the device */

enum iotap_tcp_state {
    IOTAP_TCP_NONE = 0,     /* not TCP, or no handshake seen */
    IOTAP_TCP_SYN_SENT,
    IOTAP_TCP_SYN_ACKED,    /* SYN+ACK seen */
    IOTAP_TCP_ESTABLISHED,
    IOTAP_TCP_CLOSING,      /* FIN one way */
    IOTAP_TCP_CLOSED,       /* FIN both ways */
    IOTAP_TCP_RESET,
};

enum iotap_flow_end {
    IOTAP_END_NONE = 0,     /* still open */
    IOTAP_END_FIN,          /* closed by FIN both ways */
    IOTAP_END_RST,
    IOTAP_END_IDLE,         /* idle timeout */
    IOTAP_END_EVICTED,      /* table full: closed early */
    IOTAP_END_EOF,          /* input ended */
};

typedef struct iotap_flow {
    uint64_t id;                /* 1-based, in order of creation */
    uint8_t proto;              /* IPPROTO_* */
    iotap_addr local, remote;   /* local is the device side */
    uint16_t lport, rport;      /* ICMP: type, code of the first packet */
    bool has_mac;
    uint8_t dev_mac[6];         /* MAC of the local end */
    uint8_t remote_mac[6];      /* MAC frames of the remote end came from */
    bool remote_is_lan;         /* both ends on the LAN */
    int64_t first_ns, last_ns;
    uint64_t pkts[2], bytes[2]; /* [IOTAP_OUT], [IOTAP_IN]; bytes = orig_len */
    uint64_t payload[2];        /* L4 payload bytes (by header lengths) */
    uint8_t flags[2];           /* OR of TCP flags seen each way */
    uint8_t state;              /* enum iotap_tcp_state */
    uint8_t orig;               /* enum iotap_dir Zeek's originator sends in */
    uint8_t end;                /* enum iotap_flow_end once closed */
    void *user;                 /* analyzer's state; free it in the close callback */
    /* Table internals. */
    struct iotap_flow *hnext, *lru_prev, *lru_next;
    int64_t closed_ns;
} iotap_flow;

typedef struct iotap_flow_config {
    size_t max_flows;           /* default 1,000,000 */
    int64_t tcp_idle_ns;        /* default 30 min (keep-alive flows stay one flow) */
    int64_t udp_idle_ns;        /* default 2 min */
    int64_t other_idle_ns;      /* ICMP and others, default 1 min */
    int64_t close_linger_ns;    /* default 5 s */
} iotap_flow_config;
void iotap_flow_config_default(iotap_flow_config *c);

typedef struct iotap_flow_table iotap_flow_table;
/* Called once for every flow leaving the table (closed, idle, evicted, end
 * of input); the flow is freed after it returns. */
typedef void (*iotap_flow_close_fn)(iotap_flow *f, void *ctx);

/* lan is used (and extended by learning), not owned. */
iotap_flow_table *iotap_flows_new(const iotap_flow_config *cfg, iotap_lan *lan,
                                  iotap_flow_close_fn on_close, void *ctx);
/* A router MAC from the configuration. */
void iotap_flows_add_router(iotap_flow_table *t, const uint8_t mac[6]);
bool iotap_flows_is_router(const iotap_flow_table *t, const uint8_t mac[6]);

/* Accounts one decoded packet. Returns its flow (created if needed) and sets
 * *dir, or NULL for packets that belong to no flow (non-IP, non-first
 * fragments). Also runs expiry up to the packet's time. */
iotap_flow *iotap_flows_packet(iotap_flow_table *t, const iotap_decoded *d, int *dir);
/* Closes every remaining flow (end EOF), calling on_close for each. */
void iotap_flows_finish(iotap_flow_table *t);
void iotap_flows_free(iotap_flow_table *t);

typedef struct iotap_flow_stats {
    uint64_t created, closed, evicted, active, peak_active;
    uint64_t no_flow_packets;   /* packets iotap_flows_packet returned NULL for */
    uint64_t fragments;         /* IP fragments seen */
} iotap_flow_stats;
void iotap_flows_stats(const iotap_flow_table *t, iotap_flow_stats *s);

/* Zeek's conn_state: TCP as Zeek's TCP analyzer (S0, S1, SF, REJ, RSTO,
 * RSTR, SH, OTH ...); UDP SF (both ends sent), S0 (only the originator) or
 * SHR; OTH for ICMP and other protocols. A TCP flow must come from the
 * table (its endpoint states live there); others may be built by hand
 * (pkts[] and orig are all that is read). */
const char *iotap_flow_conn_state(const iotap_flow *f);
#endif
