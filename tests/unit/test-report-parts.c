/*
 * test-report-parts: the small data structures under lib/report: rmap
 * (order, stable pointers, growth), the DNS name cache (own question wins,
 * other devices' answers, latest answer replaces, cap and eviction count)
 * and --bucket durations.
 */
#include <stdio.h>
#include <string.h>
#include "report/report.h"
#include "report/rmap.h"
#include "report/rnames.h"
#include "test.h"
#include "util.h"

static void test_rmap(void)
{
    rmap *m = rmap_new(sizeof(uint64_t));
    uint64_t *first = NULL;
    for (uint32_t i = 0; i < 100000; i++) {
        bool created;
        uint64_t *v = rmap_put(m, &i, sizeof i, &created);
        CHECK(created || i == 0);
        *v = i * 3;
        if (i == 0)
            first = v;
    }
    CHECK_EQ_U(rmap_count(m), 100000);
    uint32_t k = 0;
    CHECK(rmap_get(m, &k, sizeof k) == first);      /* did not move while growing */
    bool created = true;
    k = 77777;
    uint64_t *v = rmap_put(m, &k, sizeof k, &created);
    CHECK(!created);
    CHECK_EQ_U(*v, 77777 * 3);
    size_t bad = 0;
    for (size_t i = 0; i < rmap_count(m); i++) {
        const void *key;
        size_t klen;
        uint64_t *x = rmap_at(m, i, &key, &klen);
        uint32_t kk;
        memcpy(&kk, key, sizeof kk);
        if (klen != 4 || kk != i || *x != i * 3ULL)
            bad++;
    }
    CHECK_EQ_U(bad, 0);
    k = 100000;
    CHECK(rmap_get(m, &k, sizeof k) == NULL);
    CHECK(rmap_get(m, "", 0) == NULL);
    rmap_put(m, "", 0, NULL);                          /* the empty key is a key */
    CHECK(rmap_get(m, "", 0) != NULL);
    rmap_free(m);
}

static void test_names(void)
{
    const uint8_t a[6] = { 0x68, 0xdb, 0xf5, 1, 2, 3 }, b[6] = { 0x44, 0x47, 0xcc, 1, 2, 3 },
                  c[6] = { 0xac, 0xed, 0x5c, 1, 2, 3 };
    iotap_addr x, y;
    iotap_addr_parse("198.51.100.50", &x);
    iotap_addr_parse("2001:db8::50", &y);
    rnames *n = rnames_new(3);
    const char *name;
    CHECK_EQ_I(rnames_lookup(n, a, &x, &name), RNAMES_NONE);
    rnames_add(n, a, &x, "n-devs.tplinkcloud.com");
    rnames_add(n, b, &x, "mqtt.hik-connect.com");
    CHECK_EQ_I(rnames_lookup(n, a, &x, &name), RNAMES_OWN);
    CHECK_STR(name, "n-devs.tplinkcloud.com");
    CHECK_EQ_I(rnames_lookup(n, b, &x, &name), RNAMES_OWN);
    CHECK_STR(name, "mqtt.hik-connect.com");
    /* A device that never asked gets the latest answer any device got. */
    CHECK_EQ_I(rnames_lookup(n, c, &x, &name), RNAMES_OTHER_DEVICE);
    CHECK_STR(name, "mqtt.hik-connect.com");
    CHECK_EQ_I(rnames_lookup(n, a, &y, &name), RNAMES_NONE);
    /* A later answer to the same device replaces the name. */
    rnames_add(n, a, &x, "other.example");
    CHECK_EQ_I(rnames_lookup(n, a, &x, &name), RNAMES_OWN);
    CHECK_STR(name, "other.example");
    CHECK_EQ_U(rnames_evicted(n), 0);
    /* Cap 3: a fourth (device, address) pushes out the oldest (b, x). */
    rnames_add(n, c, &y, "v6.example");
    rnames_add(n, b, &y, "v6b.example");
    CHECK_EQ_U(rnames_count(n), 3);
    CHECK_EQ_U(rnames_evicted(n), 1);
    CHECK_EQ_I(rnames_lookup(n, b, &x, &name), RNAMES_OTHER_DEVICE);
    CHECK_STR(name, "other.example");
    rnames_add(n, a, &x, "");                          /* ignored */
    CHECK_EQ_U(rnames_count(n), 3);
    rnames_free(n);

    /* Many names through a small cap: bounded, every eviction counted. */
    n = rnames_new(1000);
    for (uint32_t i = 0; i < 50000; i++) {
        iotap_addr z = { 4, { 100, (uint8_t)(64 + (i >> 16)), (uint8_t)(i >> 8), (uint8_t)i } };
        char nm[32];
        snprintf(nm, sizeof nm, "h%u.example", i);
        rnames_add(n, a, &z, nm);
    }
    CHECK_EQ_U(rnames_count(n), 1000);
    CHECK_EQ_U(rnames_evicted(n), 49000);
    iotap_addr last = { 4, { 100, 64, (49999 >> 8) & 0xff, 49999 & 0xff } };
    CHECK_EQ_I(rnames_lookup(n, a, &last, &name), RNAMES_OWN);
    CHECK_STR(name, "h49999.example");
    rnames_free(n);
}

static void test_duration(void)
{
    int64_t ns = 0;
    CHECK_EQ_I(iotap_report_parse_duration("1h", &ns), 0);
    CHECK_EQ_I(ns, 3600 * IOTAP_NS_PER_SEC);
    CHECK_EQ_I(iotap_report_parse_duration("15m", &ns), 0);
    CHECK_EQ_I(ns, 900 * IOTAP_NS_PER_SEC);
    CHECK_EQ_I(iotap_report_parse_duration("90", &ns), 0);
    CHECK_EQ_I(ns, 90 * IOTAP_NS_PER_SEC);
    CHECK_EQ_I(iotap_report_parse_duration("1d", &ns), 0);
    CHECK_EQ_I(ns, 86400 * IOTAP_NS_PER_SEC);
    const char *bad[] = { "", "h", "0", "0s", "-1h", "1x", "1hh", "99999999999999999999d", "1e3" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = iotap_report_parse_duration(bad[i], &ns);
        if (rc != -1)
            fprintf(stderr, "accepted '%s'\n", bad[i]);
        CHECK_EQ_I(rc, -1);
    }
}

int main(void)
{
    test_rmap();
    test_names();
    test_duration();
    return TEST_DONE();
}
