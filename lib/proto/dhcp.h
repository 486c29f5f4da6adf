/*
 * dhcp.h - DHCPv4 messages (RFC 2131 BOOTP header and magic cookie, RFC
 * 2132 options), as far as device facts need them: the client hardware
 * address, the message type (53), host name (12), vendor class (60),
 * client FQDN (81, RFC 4702), requested address (50), routers (3), DNS
 * servers (6) and client identifier (61). Option overload (52) is followed
 * into the file and sname fields.
 *
 * Text options are kept printable: bytes outside 0x20..0x7e become '?', and
 * trailing NULs (common in host names) are dropped. At most
 * IOTAP_DHCP_MAX_OPTIONS options are read per message.
 *
 *   iotap_dhcp d;
 *   const char *err = iotap_dhcp_parse(udp_payload, len, &d);
 *   if (!err && d.op == 1) ... d.chaddr, d.hostname, d.vendor_class ...
 */
#ifndef IOTAP_PROTO_DHCP_H
#define IOTAP_PROTO_DHCP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOTAP_DHCP_MAX_OPTIONS 256
#define IOTAP_DHCP_MAX_ADDRS 4
#define IOTAP_DHCP_TEXT 256

enum {
    IOTAP_DHCP_DISCOVER = 1, IOTAP_DHCP_OFFER, IOTAP_DHCP_REQUEST, IOTAP_DHCP_DECLINE,
    IOTAP_DHCP_ACK, IOTAP_DHCP_NAK, IOTAP_DHCP_RELEASE, IOTAP_DHCP_INFORM,
};

typedef struct iotap_dhcp {
    uint8_t op;                 /* 1 request (client), 2 reply (server) */
    uint8_t htype, hlen;
    uint32_t xid;
    uint8_t ciaddr[4], yiaddr[4], siaddr[4], giaddr[4];
    bool has_mac;               /* htype 1 (Ethernet) and hlen 6 */
    uint8_t chaddr[6];
    int msg_type;               /* option 53, 0 when absent */
    char hostname[IOTAP_DHCP_TEXT];     /* 12, "" when absent */
    char vendor_class[IOTAP_DHCP_TEXT]; /* 60 */
    char fqdn[IOTAP_DHCP_TEXT];         /* 81, domain name part, dotted */
    bool has_requested;
    uint8_t requested[4];       /* 50 */
    size_t nrouters, ndns;
    uint8_t routers[IOTAP_DHCP_MAX_ADDRS][4];   /* 3 */
    uint8_t dns[IOTAP_DHCP_MAX_ADDRS][4];       /* 6 */
    size_t client_id_len;
    uint8_t client_id[64];      /* 61 (first 64 bytes) */
    unsigned noptions;          /* options read */
} iotap_dhcp;

/* Parses a DHCP message (a UDP payload, ports 67/68). Returns NULL, or a
 * static string saying what was malformed (*d keeps what came before). */
const char *iotap_dhcp_parse(const uint8_t *p, size_t len, iotap_dhcp *d);

/* "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE",
 * "INFORM", or NULL. */
const char *iotap_dhcp_type_name(int type);
#endif
