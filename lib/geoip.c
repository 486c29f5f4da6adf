/*
 * geoip.c - MaxMind DB lookups through libmaxminddb (see geoip.h).
 */
#include "geoip.h"

#include <glob.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util.h"

enum { K_COUNTRY, K_CITY, K_ASN, K_N };

struct iotap_geoip {
    MMDB_s db[K_N];
    bool open[K_N];
};

static int kind_of(const char *type)
{
    if (!type)
        return -1;
    if (strstr(type, "ASN") || strstr(type, "asn") || strstr(type, "ISP"))
        return K_ASN;
    if (strstr(type, "City") || strstr(type, "city"))
        return K_CITY;
    if (strstr(type, "Country") || strstr(type, "country"))
        return K_COUNTRY;
    return -1;
}

static bool open_db(iotap_geoip *g, int kind, const char *path, bool complain)
{
    MMDB_s db;
    int st = MMDB_open(path, MMDB_MODE_MMAP, &db);
    if (st != MMDB_SUCCESS) {
        if (complain)
            iotap_warn("%s: cannot open GeoIP database: %s", path, MMDB_strerror(st));
        return false;
    }
    int k = kind_of(db.metadata.database_type);
    if (kind >= 0 && k != kind && complain)
        iotap_warn("%s: database type %s used as given", path, db.metadata.database_type);
    if (kind < 0)
        kind = k;
    if (kind < 0 || g->open[kind]) {
        MMDB_close(&db);
        return false;
    }
    g->db[kind] = db;
    g->open[kind] = true;
    return true;
}

iotap_geoip *iotap_geoip_open_dirs(const char *country, const char *city, const char *asn,
                                   const char *const *dirs)
{
    iotap_geoip *g = xcalloc(1, sizeof *g);
    const char *given[K_N] = {country, city, asn};
    for (int k = 0; k < K_N; k++)
        if (given[k] && *given[k])
            open_db(g, k, given[k], true);
    static const char *const pats[] = {"GeoLite2-*.mmdb", "GeoIP2-*.mmdb", "dbip-*.mmdb"};
    for (size_t d = 0; dirs && dirs[d]; d++)
        for (size_t p = 0; p < sizeof pats / sizeof *pats; p++) {
            char pat[1024];
            snprintf(pat, sizeof pat, "%s/%s", dirs[d], pats[p]);
            glob_t gl;
            if (glob(pat, 0, NULL, &gl) == 0)
                for (size_t i = 0; i < gl.gl_pathc; i++)
                    open_db(g, -1, gl.gl_pathv[i], false);  /* kind from metadata */
            globfree(&gl);
        }
    if (!g->open[K_COUNTRY] && !g->open[K_CITY] && !g->open[K_ASN]) {
        char where[512] = "";
        size_t n = 0;
        for (size_t d = 0; dirs && dirs[d] && n < sizeof where; d++)
            n += (size_t)snprintf(where + n, sizeof where - n, "%s%s", n ? ", " : "", dirs[d]);
        iotap_warn("no GeoIP database found (set geoip: in iotap.yaml%s%s); "
                   "country and ASN columns stay empty", n ? ", or install one in " : "", where);
    }
    return g;
}

iotap_geoip *iotap_geoip_open(const char *country, const char *city, const char *asn)
{
    static const char *const dirs[] = {IOTAP_GEOIP_DIRS, NULL};
    return iotap_geoip_open_dirs(country, city, asn, dirs);
}

bool iotap_geoip_has_country(const iotap_geoip *g) { return g->open[K_COUNTRY] || g->open[K_CITY]; }
bool iotap_geoip_has_asn(const iotap_geoip *g) { return g->open[K_ASN]; }

void iotap_geoip_close(iotap_geoip *g)
{
    if (!g)
        return;
    for (int k = 0; k < K_N; k++)
        if (g->open[k])
            MMDB_close(&g->db[k]);
    free(g);
}

static bool lookup(const MMDB_s *db, const iotap_addr *a, MMDB_lookup_result_s *res)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (a->family == 4) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        memcpy(&s4->sin_addr, a->a, 4);
    } else if (a->family == 6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        memcpy(&s6->sin6_addr, a->a, 16);
    } else {
        return false;
    }
    int err = 0;
    /* MMDB_lookup_sockaddr takes a non-const MMDB_s but does not change it. */
    *res = MMDB_lookup_sockaddr((MMDB_s *)db, (const struct sockaddr *)&ss, &err);
    return err == MMDB_SUCCESS && res->found_entry;
}

static void get_str(MMDB_lookup_result_s *res, char *out, size_t cap, const char *const *path)
{
    MMDB_entry_data_s d;
    if (MMDB_aget_value(&res->entry, &d, path) != MMDB_SUCCESS || !d.has_data ||
        d.type != MMDB_DATA_TYPE_UTF8_STRING)
        return;
    size_t n = d.data_size < cap - 1 ? d.data_size : cap - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)d.utf8_string[i];
        out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    out[n] = '\0';
}

void iotap_geoip_lookup(const iotap_geoip *g, const iotap_addr *a, iotap_geo *out)
{
    memset(out, 0, sizeof *out);
    MMDB_lookup_result_s res;
    int k = g->open[K_COUNTRY] ? K_COUNTRY : g->open[K_CITY] ? K_CITY : -1;
    if (k >= 0 && lookup(&g->db[k], a, &res)) {
        static const char *const cpath[] = {"country", "iso_code", NULL};
        static const char *const rpath[] = {"registered_country", "iso_code", NULL};
        get_str(&res, out->country, sizeof out->country, cpath);
        if (!out->country[0])
            get_str(&res, out->country, sizeof out->country, rpath);
    }
    if (g->open[K_ASN] && lookup(&g->db[K_ASN], a, &res)) {
        static const char *const npath[] = {"autonomous_system_number", NULL};
        static const char *const opath[] = {"autonomous_system_organization", NULL};
        MMDB_entry_data_s d;
        if (MMDB_aget_value(&res.entry, &d, npath) == MMDB_SUCCESS && d.has_data) {
            if (d.type == MMDB_DATA_TYPE_UINT32)
                out->asn = d.uint32;
            else if (d.type == MMDB_DATA_TYPE_UINT16)
                out->asn = d.uint16;
            else if (d.type == MMDB_DATA_TYPE_UINT64 && d.uint64 <= UINT32_MAX)
                out->asn = (uint32_t)d.uint64;
        }
        get_str(&res, out->as_org, sizeof out->as_org, opath);
    }
}
