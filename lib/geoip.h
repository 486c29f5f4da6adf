/*
 * geoip.h - country and autonomous system of a remote address, from MaxMind
 * DB files read with libmaxminddb: country ISO code from a Country
 * database (or a City database when there is no Country one), AS number
 * and organisation from an ASN (or ISP) database.
 *
 * Which files: the paths given (from iotap.yaml's geoip: section or the
 * command line); for every kind not given, the first database of that kind
 * found in IOTAP_GEOIP_DIRS (GeoLite2-*.mmdb, GeoIP2-*.mmdb, dbip-*.mmdb,
 * the kind read from each file's metadata database_type). A given path that
 * does not open is reported; when no database at all is found, one warning
 * says so and every lookup leaves the columns empty.
 *
 *   iotap_geoip *g = iotap_geoip_open(cfg.geoip_country, cfg.geoip_city, cfg.geoip_asn);
 *   iotap_geo geo;
 *   iotap_geoip_lookup(g, &flow->remote, &geo);   // geo.country "" when unknown
 */
#ifndef IOTAP_GEOIP_H
#define IOTAP_GEOIP_H
#include <stdbool.h>
#include <stdint.h>
#include "addr.h"

#define IOTAP_GEOIP_DIRS "/usr/share/GeoIP", "/var/lib/GeoIP"

typedef struct iotap_geo {
    char country[4];        /* ISO 3166-1 alpha-2 ("DE"), "" when unknown */
    uint32_t asn;           /* 0 when unknown */
    char as_org[128];       /* "" when unknown */
} iotap_geo;

typedef struct iotap_geoip iotap_geoip;
/* Never NULL. Any path may be NULL (not given). */
iotap_geoip *iotap_geoip_open(const char *country, const char *city, const char *asn);
/* The same with other search directories (NULL-terminated; NULL = none). */
iotap_geoip *iotap_geoip_open_dirs(const char *country, const char *city, const char *asn,
                                   const char *const *dirs);
/* True when a country (or city) database is open / an ASN database is. */
bool iotap_geoip_has_country(const iotap_geoip *g);
bool iotap_geoip_has_asn(const iotap_geoip *g);
/* Fills *out (all empty for private, unknown or family-0 addresses). */
void iotap_geoip_lookup(const iotap_geoip *g, const iotap_addr *a, iotap_geo *out);
void iotap_geoip_close(iotap_geoip *g);
#endif
