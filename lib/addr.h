/*
 * addr.h - IPv4/IPv6 addresses and network prefixes as one small value type,
 * and the set of networks that count as "the LAN" (RFC 1918, link-local,
 * ULA and loopback by default; more from the config file; IPv6 prefixes
 * learned from Router Advertisements).
 */
#ifndef IOTAP_ADDR_H
#define IOTAP_ADDR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct iotap_addr {
    uint8_t family;     /* 0 (none), 4 or 6 */
    uint8_t a[16];      /* IPv4 in a[0..3], rest zero */
} iotap_addr;

#define IOTAP_ADDR_BUFSZ 46
/* "192.168.1.20" / "2001:db8::1" (inet_ntop forms); "" for family 0. */
char *iotap_addr_format(const iotap_addr *a, char *buf);
int iotap_addr_parse(const char *s, iotap_addr *a);   /* 0 ok, -1 bad */
void iotap_addr_set4(iotap_addr *a, const uint8_t b[4]);
void iotap_addr_set6(iotap_addr *a, const uint8_t b[16]);
int iotap_addr_cmp(const iotap_addr *x, const iotap_addr *y);
bool iotap_addr_eq(const iotap_addr *x, const iotap_addr *y);
uint64_t iotap_addr_hash(const iotap_addr *a);
/* Broadcast, multicast (v4 224/4, v6 ff00::/8) or unspecified. */
bool iotap_addr_is_multicast(const iotap_addr *a);

typedef struct iotap_net {
    iotap_addr addr;
    uint8_t prefix;     /* bits */
} iotap_net;
int iotap_net_parse(const char *s, iotap_net *n);    /* "10.0.0.0/8", "fd00::/8", bare address = host */
bool iotap_net_contains(const iotap_net *n, const iotap_addr *a);

/* The LAN: default private ranges + added networks. */
typedef struct iotap_lan iotap_lan;
iotap_lan *iotap_lan_new(void);           /* with the default ranges */
void iotap_lan_add(iotap_lan *l, const iotap_net *n);
bool iotap_lan_contains(const iotap_lan *l, const iotap_addr *a);
void iotap_lan_free(iotap_lan *l);
#endif
