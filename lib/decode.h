/*
 * decode.h - one packet's layers, found without copying: Ethernet II,
 * 802.1Q/802.1ad (QinQ), Linux cooked (SLL, SLL2), raw IP, BSD null; ARP;
 * IPv4 (with options; fragments marked), IPv6 (extension headers walked);
 * TCP, UDP, ICMP, ICMPv6.
 *
 * Every read is bounds-checked against caplen (lib/cursor.h). A header cut
 * short by the snap length sets `truncated`; a header that lies (IHL < 5,
 * total length < header) sets `error` to a static description. Lengths come
 * from the IP header, so Ethernet padding is never taken as payload, and a
 * snapped packet still reports the payload length its headers claim.
 */
#ifndef IOTAP_DECODE_H
#define IOTAP_DECODE_H
#include <stdbool.h>
#include <stdint.h>
#include "addr.h"
#include "capture.h"

#define IOTAP_TCP_FIN 0x01
#define IOTAP_TCP_SYN 0x02
#define IOTAP_TCP_RST 0x04
#define IOTAP_TCP_PSH 0x08
#define IOTAP_TCP_ACK 0x10
#define IOTAP_TCP_URG 0x20

typedef struct iotap_decoded {
    const iotap_packet *pkt;
    /* Link layer. has_mac is false for raw IP / SLL without a 6-byte address. */
    bool has_mac;
    uint8_t src_mac[6], dst_mac[6];
    uint8_t nvlan;              /* 802.1Q tags seen (0..2 kept) */
    uint16_t vlan[2];           /* VLAN ids, outermost first */
    uint16_t ethertype;         /* innermost EtherType (0x0800, 0x86dd, 0x0806...) */
    bool is_arp;
    /* Network layer. */
    uint8_t ip_ver;             /* 0 (not IP), 4 or 6 */
    iotap_addr src, dst;
    uint8_t ttl;                /* TTL / hop limit */
    uint8_t proto;              /* L4 protocol after IPv6 extension headers */
    bool frag;                  /* part of a fragmented datagram */
    bool frag_first;            /* ... and the one at offset 0 (L4 header inside) */
    uint32_t ip_id;             /* IPv4 id / IPv6 fragment id */
    /* Transport layer (valid when has_l4). */
    bool has_l4;
    uint16_t sport, dport;      /* TCP/UDP ports; ICMP: type, code */
    uint8_t tcp_flags;
    uint32_t tcp_seq, tcp_ack;
    uint16_t tcp_win;
    /* Payload above L4 (TCP/UDP data; for other protocols the IP payload). */
    const uint8_t *payload;
    uint32_t payload_caplen;    /* bytes of it inside the capture */
    uint32_t payload_len;       /* bytes the headers say it has (>= caplen when snapped) */
    bool truncated;             /* a header was cut off by caplen */
    const char *error;          /* what was malformed, or NULL */
} iotap_decoded;

/* Fills *d from pkt. Returns 0 when the link type is known (layers that are
 * absent or damaged are simply not set), -1 for an unsupported link type. */
int iotap_decode(const iotap_packet *pkt, iotap_decoded *d);
/* True for link types iotap_decode() understands. */
bool iotap_linktype_supported(int linktype);
#endif
