/*
 * test-report-parts: the small pieces under lib/report: rmap (order,
 * stable pointers, growth, empty key) and --bucket durations.
 */
#include <stdio.h>
#include <string.h>
#include "report/report.h"
#include "report/rmap.h"
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
    test_duration();
    return TEST_DONE();
}
