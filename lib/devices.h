/*
 * devices.h - what is known about each device (a unicast MAC on the LAN
 * side): vendor from the IEEE lists (lib/oui.h; none for randomized,
 * locally administered MACs), host name and vendor class from its DHCP
 * messages (options 12, 60, 81), the IPv4/IPv6 addresses it used as source
 * (bounded list), and when it was first and last seen.
 *
 * The caller decides what is a device (not the router, not a group MAC);
 * this table only refuses group (multicast/broadcast) MACs.
 *
 *   iotap_devices *t = iotap_devices_new(oui);
 *   per frame from a device:  iotap_device *d = iotap_devices_see(t, mac, ts);
 *                             iotap_device_add_addr(d, &decoded.src);
 *   per DHCP client message:  iotap_devices_dhcp(t, &dhcp, ts);
 *   at the end:               iotap_device **v = iotap_devices_list(t, &n);  // by MAC
 */
#ifndef IOTAP_DEVICES_H
#define IOTAP_DEVICES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "addr.h"
#include "oui.h"
#include "proto/dhcp.h"

#define IOTAP_DEVICE_MAX_ADDRS 16

typedef struct iotap_device {
    uint8_t mac[6];
    bool randomized;            /* locally administered bit */
    const char *vendor;         /* from the OUI table, or NULL */
    char *hostname;             /* DHCP option 12 (latest), or NULL */
    char *vendor_class;         /* DHCP option 60 (latest), or NULL */
    char *fqdn;                 /* DHCP option 81 (latest), or NULL */
    size_t naddrs;
    iotap_addr addrs[IOTAP_DEVICE_MAX_ADDRS];   /* in order first seen */
    uint64_t addrs_dropped;     /* distinct addresses past the cap */
    int64_t first_ns, last_ns;
    uint64_t dhcp_messages;
    void *user;                 /* the caller's per-device data (not freed here) */
} iotap_device;

typedef struct iotap_devices iotap_devices;
/* oui may be NULL (no vendors); it is used, not owned. */
iotap_devices *iotap_devices_new(const iotap_oui *oui);
void iotap_devices_free(iotap_devices *t);

/* The device of mac seen at ts (created on first sight; first/last seen
 * updated). NULL for group MACs. */
iotap_device *iotap_devices_see(iotap_devices *t, const uint8_t mac[6], int64_t ts_ns);
/* The device of mac, or NULL (no update). */
iotap_device *iotap_devices_find(const iotap_devices *t, const uint8_t mac[6]);
/* Records a source address of the device: unicast IPv4/IPv6 only (not
 * 0.0.0.0, ::, multicast or broadcast). */
void iotap_device_add_addr(iotap_device *d, const iotap_addr *a);
/* A DHCP message from a client (op 1): its chaddr's device learns host
 * name, vendor class and FQDN when present. Server replies are ignored.
 * Returns the device, or NULL. */
iotap_device *iotap_devices_dhcp(iotap_devices *t, const iotap_dhcp *m, int64_t ts_ns);

size_t iotap_devices_count(const iotap_devices *t);
/* All devices sorted by MAC: a malloc'd array the caller frees (the
 * devices stay owned by the table). */
iotap_device **iotap_devices_list(const iotap_devices *t, size_t *n);
#endif
