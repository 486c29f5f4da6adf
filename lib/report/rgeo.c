/*
 * rgeo.c - libmaxminddb lookups for the reports (rgeo.h). Country from
 * country.iso_code (Country or City database), falling back to
 * registered_country; AS from autonomous_system_number/_organization.
 */
#include "report/rgeo.h"
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <unistd.h>
#include "util.h"

struct rgeo {
    MMDB_s country, asn;
    bool has_country, has_asn;
};

static const char *const dirs[] = { "/usr/share/GeoIP", "/var/lib/GeoIP", NULL };

static bool try_open(MMDB_s *db, const char *path, bool quiet)
{
    int st = MMDB_open(path, MMDB_MODE_MMAP, db);
    if (st != MMDB_SUCCESS) {
        if (!quiet)
            iotap_warn("%s: %s", path, MMDB_strerror(st));
        return false;
    }
    return true;
}

static bool search(MMDB_s *db, const char *const *names)
{
    char path[512];
    for (int d = 0; dirs[d]; d++)
        for (int n = 0; names[n]; n++) {
            snprintf(path, sizeof path, "%s/%s", dirs[d], names[n]);
            if (access(path, R_OK) == 0 && try_open(db, path, false))
                return true;
        }
    return false;
}

rgeo *rgeo_open(const char *country, const char *city, const char *asn)
{
    static const char *const cnames[] = { "GeoLite2-Country.mmdb", "GeoIP2-Country.mmdb",
        "GeoLite2-City.mmdb", "GeoIP2-City.mmdb", NULL };
    static const char *const anames[] = { "GeoLite2-ASN.mmdb", "GeoIP2-ASN.mmdb", NULL };
    rgeo *g = xcalloc(1, sizeof *g);
    if (country)
        g->has_country = try_open(&g->country, country, false);
    else if (city)
        g->has_country = try_open(&g->country, city, false);
    else
        g->has_country = search(&g->country, cnames);
    if (asn)
        g->has_asn = try_open(&g->asn, asn, false);
    else
        g->has_asn = search(&g->asn, anames);
    if (!g->has_country && !g->has_asn)
        iotap_warn("no GeoIP database found (--geoip-country/--geoip-asn or geoip: in the "
                   "config); country and AS columns are empty");
    else if (!g->has_country)
        iotap_warn("no GeoIP country database found; the country column is empty");
    else if (!g->has_asn)
        iotap_warn("no GeoIP ASN database found; the asn and as_org columns are empty");
    return g;
}

static MMDB_lookup_result_s lookup(MMDB_s *db, const iotap_addr *a)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (a->family == 4) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        memcpy(&s4->sin_addr, a->a, 4);
    } else {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        memcpy(&s6->sin6_addr, a->a, 16);
    }
    int err = 0;
    MMDB_lookup_result_s res = MMDB_lookup_sockaddr(db, (struct sockaddr *)&ss, &err);
    if (err != MMDB_SUCCESS)
        res.found_entry = false;
    return res;
}

static bool get_str(MMDB_entry_s *e, char *out, size_t outsz, const char *const *path)
{
    MMDB_entry_data_s v;
    if (MMDB_aget_value(e, &v, path) != MMDB_SUCCESS || !v.has_data ||
        v.type != MMDB_DATA_TYPE_UTF8_STRING)
        return false;
    size_t n = v.data_size < outsz - 1 ? v.data_size : outsz - 1;
    memcpy(out, v.utf8_string, n);
    out[n] = 0;
    /* Names go into CSV; control bytes would break rows for other tools. */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
            out[i] = ' ';
    return true;
}

void rgeo_lookup(rgeo *g, const iotap_addr *a, rgeo_info *out)
{
    memset(out, 0, sizeof *out);
    if (a->family != 4 && a->family != 6)
        return;
    if (g->has_country) {
        MMDB_lookup_result_s res = lookup(&g->country, a);
        if (res.found_entry) {
            static const char *const p1[] = { "country", "iso_code", NULL };
            static const char *const p2[] = { "registered_country", "iso_code", NULL };
            if (!get_str(&res.entry, out->country, sizeof out->country, p1))
                get_str(&res.entry, out->country, sizeof out->country, p2);
        }
    }
    if (g->has_asn) {
        MMDB_lookup_result_s res = lookup(&g->asn, a);
        if (res.found_entry) {
            MMDB_entry_data_s v;
            static const char *const pn[] = { "autonomous_system_number", NULL };
            static const char *const po[] = { "autonomous_system_organization", NULL };
            if (MMDB_aget_value(&res.entry, &v, pn) == MMDB_SUCCESS && v.has_data) {
                if (v.type == MMDB_DATA_TYPE_UINT32)
                    out->asn = v.uint32;
                else if (v.type == MMDB_DATA_TYPE_UINT16)
                    out->asn = v.uint16;
                else if (v.type == MMDB_DATA_TYPE_UINT64)
                    out->asn = (uint32_t)v.uint64;
            }
            get_str(&res.entry, out->as_org, sizeof out->as_org, po);
        }
    }
}

void rgeo_close(rgeo *g)
{
    if (!g)
        return;
    if (g->has_country)
        MMDB_close(&g->country);
    if (g->has_asn)
        MMDB_close(&g->asn);
    free(g);
}
