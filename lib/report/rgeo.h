/*
 * rgeo.h - country and AS of a remote address through libmaxminddb, for
 * the reports. Databases come from flags, then the config file, then the
 * usual places (/usr/share/GeoIP, /var/lib/GeoIP): GeoLite2/GeoIP2
 * Country or City for the country, GeoLite2/GeoIP2 ASN for the AS. With no
 * database the columns stay empty and one warning says so.
 */
#ifndef IOTAP_REPORT_RGEO_H
#define IOTAP_REPORT_RGEO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "addr.h"

typedef struct rgeo rgeo;
/* Any path may be NULL (then searched). Never returns NULL. */
rgeo *rgeo_open(const char *country, const char *city, const char *asn);
typedef struct rgeo_info {
    char country[8];            /* ISO 3166 code, "" when unknown */
    uint32_t asn;               /* 0 when unknown */
    char as_org[128];
} rgeo_info;
void rgeo_lookup(rgeo *g, const iotap_addr *a, rgeo_info *out);
void rgeo_close(rgeo *g);
#endif
