/*
 * test-geoip.c - lib/geoip: small Country and ASN databases written by
 * tests/unit/geoip-fixture.pl (MaxMind::DB::Writer), found by searching a
 * directory and by explicit paths; country, ASN and organisation for IPv4
 * and IPv6, registered_country fallback, unknown and private addresses,
 * missing files; and MaxMind's own test databases from the corpus compared
 * with mmdblookup.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "geoip.h"
#include "pcapwalk.h"
#include "test.h"

static iotap_addr ip(const char *s)
{
    iotap_addr a;
    memset(&a, 0, sizeof a);
    if (inet_pton(AF_INET, s, a.a) == 1)
        a.family = 4;
    else if (inet_pton(AF_INET6, s, a.a) == 1)
        a.family = 6;
    return a;
}

static void check_fixture(iotap_geoip *g)
{
    iotap_geo geo;
    iotap_addr a = ip("203.0.113.77");
    iotap_geoip_lookup(g, &a, &geo);
    CHECK_STR(geo.country, "DE");
    CHECK_EQ_U(geo.asn, 64500);
    CHECK_STR(geo.as_org, "Example Org, Inc.");
    a = ip("2001:db8:1:2::99");
    iotap_geoip_lookup(g, &a, &geo);
    CHECK_STR(geo.country, "JP");
    CHECK_EQ_U(geo.asn, 64501);
    CHECK_STR(geo.as_org, "Test \"IPv6\" Networks");
    a = ip("198.51.100.1");                 /* only registered_country */
    iotap_geoip_lookup(g, &a, &geo);
    CHECK_STR(geo.country, "FR");
    CHECK_EQ_U(geo.asn, 0);
    CHECK_STR(geo.as_org, "");
    a = ip("192.168.1.10");                 /* not in the databases */
    iotap_geoip_lookup(g, &a, &geo);
    CHECK_STR(geo.country, "");
    CHECK_EQ_U(geo.asn, 0);
    a = ip("2001:db8:2::1");
    iotap_geoip_lookup(g, &a, &geo);
    CHECK_STR(geo.country, "");
    memset(&a, 0, sizeof a);                /* family 0 */
    iotap_geoip_lookup(g, &a, &geo);
    CHECK_STR(geo.country, "");
}

/* Runs mmdblookup and returns the first value line of a path, trimmed
 * ("DE", "1221"), or "" when nothing is found. */
static void mmdb(const char *db, const char *addr, const char *path, char *out, size_t cap)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "mmdblookup -f '%s' -i '%s' %s 2>/dev/null", db, addr, path);
    char *o = pw_run(cmd);
    out[0] = '\0';
    if (!o)
        return;
    char *q = strchr(o, '"');
    if (q) {
        char *e = strchr(q + 1, '"');
        if (e) {
            *e = '\0';
            snprintf(out, cap, "%s", q + 1);
        }
    } else {
        char *s = o;
        while (*s == ' ' || *s == '\n') s++;
        size_t n = strcspn(s, " <\n");
        s[n] = '\0';
        snprintf(out, cap, "%s", s);
    }
    free(o);
}

static void test_corpus_dbs(void)
{
    const char *corpus = test_corpus();
    if (!corpus || system("mmdblookup --version >/dev/null 2>&1") != 0) {
        fprintf(stderr, "corpus part skipped: no corpus or no mmdblookup\n");
        return;
    }
    char country[1024], asn[1024];
    snprintf(country, sizeof country, "%s/MaxMind-DB/test-data/GeoIP2-Country-Test.mmdb", corpus);
    snprintf(asn, sizeof asn, "%s/MaxMind-DB/test-data/GeoLite2-ASN-Test.mmdb", corpus);
    if (access(country, R_OK) != 0 || access(asn, R_OK) != 0)
        return;
    iotap_geoip *g = iotap_geoip_open_dirs(country, NULL, asn, NULL);
    CHECK(iotap_geoip_has_country(g) && iotap_geoip_has_asn(g));
    static const char *addrs[] = {"2.125.160.216", "81.2.69.160", "89.160.20.112", "216.160.83.56",
                                  "1.128.0.1", "12.81.92.1", "2001:218::1", "2a02:ec80::1",
                                  "2001:480::1", "67.43.156.1", "10.0.0.1"};
    unsigned known = 0;
    for (size_t i = 0; i < sizeof addrs / sizeof *addrs; i++) {
        char want_c[64], want_a[64], want_o[256];
        mmdb(country, addrs[i], "country iso_code", want_c, sizeof want_c);
        if (!want_c[0])
            mmdb(country, addrs[i], "registered_country iso_code", want_c, sizeof want_c);
        mmdb(asn, addrs[i], "autonomous_system_number", want_a, sizeof want_a);
        mmdb(asn, addrs[i], "autonomous_system_organization", want_o, sizeof want_o);
        iotap_addr a = ip(addrs[i]);
        iotap_geo geo;
        iotap_geoip_lookup(g, &a, &geo);
        fprintf(stderr, "%s: mmdblookup %s/%s/%s, we %s/%u/%s\n", addrs[i], want_c, want_a, want_o,
                geo.country, geo.asn, geo.as_org);
        CHECK_STR(geo.country, want_c);
        CHECK_EQ_U(geo.asn, want_a[0] ? strtoul(want_a, NULL, 10) : 0);
        CHECK_STR(geo.as_org, want_o);
        known += geo.country[0] != 0;
        known += geo.asn != 0;
    }
    CHECK(known >= 6);
    iotap_geoip_close(g);
}

int main(void)
{
    char dir[1024], cmd[4200];
    snprintf(dir, sizeof dir, "%s/geoip", test_tmpdir());
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && perl '%s/tests/unit/geoip-fixture.pl' '%s'",
             dir, getenv("IOTAP_SRC") ? getenv("IOTAP_SRC") : ".", dir);
    int st = system(cmd);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
        test_corpus_dbs();
        printf("skipped the fixture part: perl MaxMind::DB::Writer missing\n");
        return test_failures ? 1 : 77;
    }
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* Found by searching the directory (kinds from metadata). */
    const char *dirs[] = {"/nonexistent-iotap", dir, NULL};
    iotap_geoip *g = iotap_geoip_open_dirs(NULL, NULL, NULL, dirs);
    CHECK(iotap_geoip_has_country(g));
    CHECK(iotap_geoip_has_asn(g));
    check_fixture(g);
    iotap_geoip_close(g);

    /* Explicit paths, no search. */
    char c[1200], a[1200];
    snprintf(c, sizeof c, "%s/GeoLite2-Country.mmdb", dir);
    snprintf(a, sizeof a, "%s/GeoLite2-ASN.mmdb", dir);
    g = iotap_geoip_open_dirs(c, NULL, a, NULL);
    check_fixture(g);
    iotap_geoip_close(g);
    /* The Country DB given as "city": used for countries all the same. */
    g = iotap_geoip_open_dirs(NULL, c, NULL, NULL);
    CHECK(iotap_geoip_has_country(g));
    CHECK(!iotap_geoip_has_asn(g));
    iotap_addr x = ip("203.0.113.1");
    iotap_geo geo;
    iotap_geoip_lookup(g, &x, &geo);
    CHECK_STR(geo.country, "DE");
    CHECK_EQ_U(geo.asn, 0);
    iotap_geoip_close(g);

    /* Nothing anywhere: a warning, empty answers, no crash. */
    const char *none[] = {"/nonexistent-iotap", NULL};
    g = iotap_geoip_open_dirs("/nonexistent-iotap/x.mmdb", NULL, NULL, none);
    CHECK(!iotap_geoip_has_country(g) && !iotap_geoip_has_asn(g));
    iotap_geoip_lookup(g, &x, &geo);
    CHECK_STR(geo.country, "");
    iotap_geoip_close(g);
    /* A damaged database file is refused, not used. */
    const char *corpus = test_corpus();
    if (corpus) {
        char bad[1200];
        snprintf(bad, sizeof bad, "%s/MaxMind-DB/bad-data/libmaxminddb/libmaxminddb-corrupt-search-tree.mmdb", corpus);
        g = iotap_geoip_open_dirs(bad, NULL, NULL, NULL);
        iotap_geoip_lookup(g, &x, &geo);        /* whatever it says, no crash */
        iotap_geoip_close(g);
    }
    test_corpus_dbs();
    return TEST_DONE();
}
