/*
 * synth.h - the synthetic-home generator (iotap-synth), shared declarations.
 *
 * iotap-synth plays the part zstd's datagen plays: it writes a deterministic
 * capture of a small smart home (home.pcap) plus the ground truth for it
 * (the CSV files under truth/). The truth is computed from the generator's own model as
 * every frame is emitted - never by reading the capture back - so tests can
 * compare the analyzers (and tshark) against it.
 *
 * Pieces (one job per file):
 *   rng.c      own PRNG (xoshiro256**), so output never depends on libc
 *   pcapout.c  the pcap writer, the per-day sort buffer, frame accounting
 *   pkt.c      Ethernet/ARP/IPv4/IPv6/UDP/TCP/ICMP builders with checksums
 *   tcpconv.c  TCP conversations: handshake, segmentation, reordering,
 *              retransmission, FIN/RST teardown
 *   dhcp.c dns.c tls.c quic.c http.c body.c   protocol payloads
 *   home.c     the devices and one simulated day; bulk.c the volume streams
 *   truth.c    flows, DNS knowledge, naming, the CSV files
 *   main.c     options
 */
#ifndef IOTAP_SYNTH_H
#define IOTAP_SYNTH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MS  1000000LL            /* nanoseconds */
#define SEC 1000000000LL
#define MAX_FRAME 65600

/* ---- rng.c ---- */
typedef struct { uint64_t s[4]; } srng;
void rng_seed(srng *r, uint64_t seed);
uint64_t rng_next(srng *r);
uint32_t rng_below(srng *r, uint32_t n);        /* 0..n-1 */
void rng_bytes(srng *r, uint8_t *p, size_t n);

/* ---- addresses ---- */
typedef struct { uint8_t family; uint8_t a[16]; } saddr;   /* 4 or 6 */
saddr ip4(int a, int b, int c, int d);
saddr ip6_parse(const char *s);
bool saddr_eq(const saddr *x, const saddr *y);
void saddr_str(const saddr *x, char *buf, size_t n);

/* ---- the model ---- */
typedef struct sdev {
    uint8_t mac[6];
    const char *owner;          /* IEEE registry owner of the prefix, "" if random */
    const char *hostname, *vclass;
    saddr v4, v6;               /* v6.family 0 when none */
    bool is_router;
    uint16_t next_port;         /* ephemeral port allocator */
    uint64_t pk_out, pk_in, by_out, by_in;
} sdev;

typedef struct sflow {
    int dev;                    /* index into S->dev */
    uint8_t proto;              /* 1, 6, 17, 58 */
    saddr laddr, raddr;
    uint16_t lport, rport;
    char domain[256];           /* set for sni/quic/http; dns names resolved at the end */
    const char *name_source;    /* "sni" "quic" "http" or NULL = resolve from DNS */
    const char *app;
    int64_t start;
    uint64_t pk_out, pk_in, by_out, by_in;
} sflow;

typedef struct dnsknow {       /* one DNS answer: who learned which address when */
    int dev;
    int64_t ts;                 /* time of the response frame */
    char qname[256];
    saddr addr;
} dnsknow;

typedef struct frec { int64_t ts; uint64_t seq; uint32_t off, len; } frec;

typedef struct synth {
    srng rng;
    FILE *pcap;
    uint64_t file_bytes;
    /* sort buffer for one day's scenario traffic */
    frec *rec; size_t nrec, caprec;
    uint8_t *buf; size_t nbuf, capbuf;
    uint64_t seq;
    bool direct;                /* write frames straight to the file (bulk) */
    /* model */
    sdev dev[16]; int ndev;
    sflow **flow; size_t nflow, capflow;
    dnsknow *dns; size_t ndns, capdns;
    uint16_t ipid;
    /* totals */
    uint64_t packets, bytes, other_packets, other_bytes;
    int64_t first_ts, last_ts;
    /* truth streams written as generated */
    FILE *http_csv, *dns_csv;
    int day;
    int64_t day0;               /* start of the current day */
    uint64_t day_start_bytes;   /* file size when the current day began */
} synth;

/* ---- pcapout.c ---- */
void out_open(synth *S, const char *path);
void out_close(synth *S);
/* Emits one frame: accounts it to the devices (by MAC) and to flow f in
 * direction out (from the device) or in; f NULL = no listed flow. */
void emit(synth *S, int64_t ts, const uint8_t *frame, size_t len, sflow *f, bool out);
void out_flush_day(synth *S);  /* sorts and writes the buffered day */

/* ---- pkt.c ---- */
typedef struct sep { const uint8_t *mac; saddr ip; uint16_t port; } sep;
size_t pkt_udp(uint8_t *b, const sep *src, const sep *dst, const uint8_t *pl, size_t n, uint16_t ipid);
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
size_t pkt_tcp(uint8_t *b, const sep *src, const sep *dst, uint32_t seq, uint32_t ack,
               uint8_t flags, uint16_t win, const uint8_t *opt, size_t optlen,
               const uint8_t *pl, size_t n, uint16_t ipid);
size_t pkt_icmp4(uint8_t *b, const sep *src, const sep *dst, uint8_t type, uint16_t id,
                 uint16_t seqno, const uint8_t *pl, size_t n, uint16_t ipid);
size_t pkt_icmp6(uint8_t *b, const uint8_t *smac, const uint8_t *dmac, const saddr *src,
                 const saddr *dst, const uint8_t *body, size_t n); /* body from type */
size_t pkt_arp(uint8_t *b, const uint8_t *smac, const uint8_t *dmac, int op,
               const uint8_t *sha, const saddr *spa, const uint8_t *tha, const saddr *tpa);
extern const uint8_t MAC_BCAST[6];

/* ---- truth.c ---- */
sflow *flow_new(synth *S, int dev, uint8_t proto, const saddr *l, uint16_t lp,
                const saddr *r, uint16_t rp, const char *app, int64_t start);
void flow_name(sflow *f, const char *domain, const char *source);
void dns_learn(synth *S, int dev, int64_t ts, const char *qname, const saddr *a);
void truth_write(synth *S, const char *dir);
void csv_field(FILE *f, const char *s, bool last);

/* ---- tcpconv.c ---- */
typedef struct tcpc {
    synth *S; sflow *f;
    sep c, s;                   /* client (the device) and server */
    uint32_t cseq, sseq, cack, sack;
    int64_t t, rtt;
    uint16_t mss;
} tcpc;
typedef struct segopt {
    size_t split[4]; int nsplit;   /* extra segment boundaries (byte offsets) */
    int swap;                      /* swap segments swap-1 and swap (1-based), 0 none */
    int dup;                       /* retransmit segment dup (1-based), 0 none */
    bool partial;                  /* keep a trailing short segment back (bulk) */
    int64_t gap;                   /* time between segments */
} segopt;
void tcp_open(tcpc *tc, synth *S, int dev, const sep *c, const sep *s, int64_t t,
              int64_t rtt, const char *app);
size_t tcp_send(tcpc *tc, bool from_client, const uint8_t *d, size_t n, const segopt *o);
void tcp_fin(tcpc *tc, bool client_first);
void tcp_rst(tcpc *tc, bool from_client);
void tcp_wait(tcpc *tc, int64_t dt);

/* ---- protocol payloads ---- */
typedef struct dyn { uint8_t *p; size_t n, cap; } dyn;
void dyn_put(dyn *d, const void *p, size_t n);
void dyn_u8(dyn *d, unsigned v);
void dyn_u16(dyn *d, unsigned v);
void dyn_u24(dyn *d, unsigned v);
void dyn_u32(dyn *d, uint32_t v);
void dyn_free(dyn *d);

void dhcp_exchange(synth *S, int dev, int64_t t);
typedef struct dnsans { const char *cname[3]; int ncname; saddr addr[4]; int naddr; } dnsans;
/* Query from dev to the router; returns the time after the response. */
int64_t dns_query(synth *S, int dev, int64_t t, const char *qname, bool aaaa,
                  const dnsans *ans, bool nxdomain);
/* ClientHello (TLS record) with optional SNI and ALPN; handshake-only form for QUIC. */
void tls_client_hello(dyn *d, srng *r, const char *sni, const char *alpn, bool record,
                      const uint8_t *quic_tp, size_t quic_tp_len);
void tls_server_hello(dyn *d, srng *r, bool record);
void tls_appdata(dyn *d, srng *r, size_t plain);   /* one or more records */
/* A TLS session over an open TCP connection: handshake, then app data. */
void tls_session(tcpc *tc, const char *sni, const char *alpn, const segopt *cho,
                 size_t up, size_t down);
void quic_session(synth *S, int dev, const sep *c, const sep *s, int64_t t, const char *sni);

typedef struct hreq {
    const char *method, *uri, *host, *extra_hdrs;   /* extra ends in CRLF */
    const uint8_t *body; size_t body_len; const char *body_type;
    int status; const char *reason;
    const uint8_t *rbody; size_t rbody_len; const char *rtype;
    bool gzip, chunked, no_body;  /* no_body: HEAD or 304, rbody describes nothing */
    const segopt *req_opt, *resp_opt;
} hreq;
void http_exchange(tcpc *tc, const hreq *h);
void body_png(dyn *d, srng *r, int w, int h);
void body_jpeg(dyn *d, srng *r, size_t size);

void home_setup(synth *S);
void home_day(synth *S);
void bulk_fill(synth *S, uint64_t target);

#endif
