/*
 * config.h - /etc/iotap/iotap.yaml (or --config FILE), read with libyaml.
 *
 *   record:                  # iotap-record settings (flags win)
 *     interface: wlan0
 *     root: /var/lib/iotap
 *     sensor: pi-home
 *     snaplen: 262144
 *     promisc: true
 *     buffer_size: 4M
 *     rotate_size: 64M
 *     rotate_seconds: 3600
 *     flush_seconds: 2
 *     level: 3
 *     user: iotap
 *     filter: "not port 22"
 *     max_bytes: 20G
 *     min_free: 1G
 *     slice_encrypted: 0
 *   devices:                 # MAC -> label
 *     "44:65:0d:12:34:56": kitchen-echo
 *   lan: [192.168.1.0/24, "2001:db8:1::/64"]
 *   router: "b8:27:eb:00:00:01"
 *   geoip:
 *     country: /usr/share/GeoIP/GeoLite2-Country.mmdb
 *     city: ...
 *     asn: /usr/share/GeoIP/GeoLite2-ASN.mmdb
 *
 * Unknown keys and bad values are reported as `FILE:LINE: ...` and make the
 * load fail; a missing default file is not an error.
 */
#ifndef IOTAP_CONFIG_H
#define IOTAP_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "addr.h"

#define IOTAP_DEFAULT_CONFIG "/etc/iotap/iotap.yaml"

typedef struct iotap_label {
    uint8_t mac[6];
    char *name;
} iotap_label;

typedef struct iotap_record_config {
    char *interface, *root, *sensor, *user, *filter;   /* NULL = unset */
    uint64_t snaplen, buffer_size, rotate_size, rotate_seconds, flush_seconds;
    uint64_t level, max_bytes, min_free, slice_encrypted;
    int promisc;                /* -1 unset, 0, 1 */
    /* Which numeric fields the file set (so defaults and flags can merge). */
    unsigned set;               /* IOTAP_RC_* bits */
} iotap_record_config;
enum {
    IOTAP_RC_SNAPLEN = 1 << 0, IOTAP_RC_BUFFER = 1 << 1, IOTAP_RC_ROTATE_SIZE = 1 << 2,
    IOTAP_RC_ROTATE_SECONDS = 1 << 3, IOTAP_RC_FLUSH = 1 << 4, IOTAP_RC_LEVEL = 1 << 5,
    IOTAP_RC_MAX_BYTES = 1 << 6, IOTAP_RC_MIN_FREE = 1 << 7, IOTAP_RC_SLICE = 1 << 8,
};

typedef struct iotap_config {
    char *path;                 /* file it came from, or NULL */
    iotap_label *labels;
    size_t nlabels;
    iotap_net *lan;
    size_t nlan;
    bool has_router;
    uint8_t router_mac[6];
    char *geoip_country, *geoip_city, *geoip_asn;
    iotap_record_config record;
} iotap_config;

/* Loads path (or IOTAP_DEFAULT_CONFIG when path is NULL; a missing default
 * file gives an empty config). Returns 0, or -1 after reporting problems. */
int iotap_config_load(const char *path, iotap_config *cfg);
void iotap_config_free(iotap_config *cfg);
/* Label of a MAC, or NULL. */
const char *iotap_config_label(const iotap_config *cfg, const uint8_t mac[6]);
/* "aa:bb:..." or a label -> MAC. Returns 0, or -1 when it is neither. */
int iotap_config_device(const iotap_config *cfg, const char *mac_or_label, uint8_t mac[6]);
#endif
