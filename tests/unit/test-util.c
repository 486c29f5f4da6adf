/*
 * test-util.c - lib/util.c: size, time and MAC parsing/formatting at their
 * edges. Expected times come from glibc's timegm(), not from util.c.
 *
 * Inputs that once hit undefined behaviour in util.c (overflowing epoch
 * seconds, a 13th MAC digit) stay here as regression checks.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test.h"
#include "util.h"


static uint64_t size_of(const char *s, int *rc)
{
    uint64_t v = 12345;
    *rc = iotap_parse_size(s, &v);
    return v;
}

static void test_size(void)
{
    int rc;
    struct { const char *s; uint64_t v; } good[] = {
        {"0", 0}, {"1048576", 1048576}, {"512k", 512 * 1024}, {"512K", 512 * 1024},
        {"64M", 64ULL << 20}, {"1G", 1ULL << 30}, {"1T", 1ULL << 40}, {"64MiB", 64ULL << 20},
        {"1GB", 1ULL << 30}, {"18446744073709551615", UINT64_MAX},
        {"16777215T", 16777215ULL << 40}, {"17179869183G", 17179869183ULL << 30},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint64_t v = size_of(good[i].s, &rc);
        CHECK_EQ_I(rc, 0);
        CHECK_EQ_U(v, good[i].v);
        if (rc || v != good[i].v)
            fprintf(stderr, "  size '%s'\n", good[i].s);
    }
    const char *bad[] = {"", "M", "-1", " 1", "1 ", "1.5M", "1X", "1Mx", "1Mi", "0x10",
                         "18446744073709551616", "16777216T", "17179869184G", "1KK", NULL};
    for (size_t i = 0; bad[i]; i++) {
        size_of(bad[i], &rc);
        CHECK_EQ_I(rc, -1);
        if (rc != -1)
            fprintf(stderr, "  size '%s' accepted\n", bad[i]);
    }
    CHECK_EQ_I(iotap_parse_size(NULL, &(uint64_t){0}), -1);
}

/* Truth from libc. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = s};
    return (int64_t)timegm(&tm) * IOTAP_NS_PER_SEC;
}

static void time_is(const char *s, int64_t want, int line)
{
    int64_t ns = 0;
    int rc = iotap_parse_time(s, &ns);
    test_checks++;
    if (rc != 0 || ns != want) {
        test_failures++;
        fprintf(stderr, "test-util.c:%d: parse_time('%s') = %d, %lld; want %lld\n", line, s, rc,
                (long long)ns, (long long)want);
    }
}
#define TIME_IS(s, want) time_is(s, want, __LINE__)

static void time_bad(const char *s, int line)
{
    int64_t ns;
    test_checks++;
    if (iotap_parse_time(s, &ns) != -1) {
        test_failures++;
        fprintf(stderr, "test-util.c:%d: parse_time('%s') accepted\n", line, s);
    }
}
#define TIME_BAD(s) time_bad(s, __LINE__)

static void test_time(void)
{
    int64_t t0 = utc(2026, 11, 1, 8, 0, 0);
    TIME_IS("2026-11-01T08:00:00Z", t0);
    TIME_IS("2026-11-01t08:00:00z", t0);
    TIME_IS("2026-11-01 08:00:00", t0);
    TIME_IS("2026-11-01T08:00", t0);
    TIME_IS("2026-11-01T08:00:00.5Z", t0 + 500000000);
    TIME_IS("2026-11-01T08:00:00,25Z", t0 + 250000000);
    TIME_IS("2026-11-01T08:00:00.123456789Z", t0 + 123456789);
    TIME_IS("2026-11-01T08:00:00.1234567891Z", t0 + 123456789);   /* beyond ns: dropped */
    TIME_IS("2026-11-01T09:00:00+01:00", t0);
    TIME_IS("2026-11-01T09:00:00+0100", t0);
    TIME_IS("2026-11-01T09:00:00+01", t0);
    TIME_IS("2026-11-01T02:30:00-05:30", t0);
    TIME_IS("2026-11-01", utc(2026, 11, 1, 0, 0, 0));
    TIME_IS("1970-01-01T00:00:00Z", 0);
    TIME_IS("1969-12-31T23:59:59Z", -IOTAP_NS_PER_SEC);
    TIME_IS("2000-02-29", utc(2000, 2, 29, 0, 0, 0));
    TIME_IS("2100-03-01", utc(2100, 3, 1, 0, 0, 0));
    TIME_IS("2016-12-31T23:59:60Z", utc(2017, 1, 1, 0, 0, 0));   /* leap second */
    TIME_IS("0", 0);
    TIME_IS("1761984000", 1761984000LL * IOTAP_NS_PER_SEC);
    TIME_IS("1761984000.25", 1761984000LL * IOTAP_NS_PER_SEC + 250000000);
    TIME_IS("1761984000.000001", 1761984000LL * IOTAP_NS_PER_SEC + 1000);
    /* ISO 8601 basic form, as in segment names (SENSOR-20261101T080000Z-...) */
    TIME_IS("20261101T080000Z", t0);
    TIME_IS("20261101t080000z", t0);
    TIME_IS("20261101T0800Z", t0);
    TIME_IS("20261101T0800", t0);
    TIME_IS("20261101T080000", t0);
    TIME_IS("20261101T080000.5Z", t0 + 500000000);
    TIME_IS("20261101T080000,123456789Z", t0 + 123456789);
    TIME_IS("20261101T090000+0100", t0);
    TIME_IS("20261101T090000+01", t0);
    TIME_IS("20261101T023000-0530", t0);
    TIME_IS("20240229T000000Z", utc(2024, 2, 29, 0, 0, 0));
    TIME_IS("20161231T235960Z", utc(2017, 1, 1, 0, 0, 0));
    TIME_IS("20261101", 20261101LL * IOTAP_NS_PER_SEC);   /* digits alone: epoch seconds */
    TIME_BAD("20261101Z");
    TIME_BAD("20261101T");
    TIME_BAD("20261101T08");
    TIME_BAD("20261101T08:00:00Z");     /* one form throughout */
    TIME_BAD("20261101T080000+01:00");
    TIME_BAD("2026-11-01T080000Z");
    TIME_BAD("2026-1101T08:00:00Z");
    TIME_BAD("20261301T080000Z");
    TIME_BAD("20250229T080000Z");
    TIME_BAD("20261101T240000Z");
    TIME_BAD("20261101T086000Z");
    TIME_BAD("20261101T0800001Z");
    TIME_BAD("202611011T080000Z");
    TIME_BAD("99991101T080000Z");      /* past 2262 */

    TIME_BAD("");
    TIME_BAD("abc");
    TIME_BAD("2026-13-01");
    TIME_BAD("2026-00-10");
    TIME_BAD("2026-11-32");
    TIME_BAD("2026-11-00");
    TIME_BAD("2026-11-01T24:00:00Z");
    TIME_BAD("2026-11-01T08:60:00Z");
    TIME_BAD("2026-11-01T08:00:61Z");
    TIME_BAD("2026-11-01T08:00:00Q");
    TIME_BAD("2026-11-01T08:00:00+");
    TIME_BAD("2026-11-01T08:00:00+1");
    TIME_BAD("2026-11-01T08");
    TIME_BAD("2026-1-01");
    TIME_BAD("26-11-01");
    TIME_BAD("1.2.3");
    TIME_BAD("1234567890123");
    TIME_BAD("-5");
    TIME_BAD("2026-11-01T08:00:00Z ");
    TIME_BAD("8294-11-25T06:50:00Z");   /* past 2262: no int64_t of ns holds it */
    TIME_BAD("1600-01-01");
    TIME_IS("2262-04-11T23:47:15Z", 9223372035LL * IOTAP_NS_PER_SEC);
    CHECK_EQ_I(iotap_parse_time(NULL, &(int64_t){0}), -1);

    int64_t ns;
    CHECK(iotap_parse_time(".", &ns) == -1);
    CHECK(iotap_parse_time("2026-02-31", &ns) == -1);
    CHECK(iotap_parse_time("2025-02-29", &ns) == -1);   /* not a leap year */
    CHECK(iotap_parse_time("2026-04-31", &ns) == -1);
    CHECK(iotap_parse_time("2024-02-29", &ns) == 0);
    CHECK(iotap_parse_time("2026-11-01T08:00:00+99:00", &ns) == -1);
    CHECK(iotap_parse_time("99999999999", &ns) == -1);
    CHECK(iotap_parse_time("99999999999999999999.5", &ns) == -1);
    CHECK(iotap_parse_time("9223372035", &ns) == 0);
}

static void test_format_time(void)
{
    char buf[IOTAP_TIME_BUFSZ];
    CHECK_STR(iotap_format_time(0, buf), "1970-01-01T00:00:00.000000Z");
    CHECK_STR(iotap_format_time(utc(2026, 11, 1, 8, 0, 0) + 123456789, buf),
              "2026-11-01T08:00:00.123456Z");
    /* Microseconds are truncated, never rounded up into the next second. */
    CHECK_STR(iotap_format_time(utc(2026, 12, 31, 23, 59, 59) + 999999999, buf),
              "2026-12-31T23:59:59.999999Z");
    CHECK_STR(iotap_format_time(-1, buf), "1969-12-31T23:59:59.999999Z");
    CHECK_STR(iotap_format_time(-IOTAP_NS_PER_SEC / 2, buf), "1969-12-31T23:59:59.500000Z");
    /* Round trip through the parser. */
    int64_t ns;
    CHECK_EQ_I(iotap_parse_time(iotap_format_time(1761984000123456000LL, buf), &ns), 0);
    CHECK_EQ_I(ns, 1761984000123456000LL);
}

static void test_mac(void)
{
    uint8_t want[6] = {0xb8, 0x27, 0xeb, 0x0a, 0xbc, 0xde};
    const char *good[] = {"b8:27:eb:0a:bc:de", "B8:27:EB:0A:BC:DE", "b8-27-eb-0a-bc-de",
                          "b827.eb0a.bcde", "b827eb0abcde", NULL};
    for (size_t i = 0; good[i]; i++) {
        uint8_t m[6] = {0};
        CHECK_EQ_I(iotap_parse_mac(good[i], m), 0);
        CHECK(memcmp(m, want, 6) == 0);
    }
    const char *bad[] = {"", "b8:27:eb:0a:bc", "b8:27:eb:0a:bc:dg", "b8:27:eb:0a:bc:d",
                         "xx:27:eb:0a:bc:de", "b8 27 eb 0a bc de", NULL};
    for (size_t i = 0; bad[i]; i++) {
        uint8_t m[6];
        CHECK_EQ_I(iotap_parse_mac(bad[i], m), -1);
    }
    /* Too many digits: must be refused without writing past mac[6]. The
     * buffer has room after the 6 bytes so a stray write is seen, not a crash. */
    uint8_t big[8];
    memset(big, 0x55, sizeof big);
    CHECK_EQ_I(iotap_parse_mac("b8:27:eb:0a:bc:de:01", big), -1);
    CHECK(big[6] == 0x55);
    CHECK_EQ_U(big[7], 0x55);

    char buf[IOTAP_MAC_BUFSZ];
    CHECK_STR(iotap_format_mac(want, buf), "b8:27:eb:0a:bc:de");
    CHECK_STR(iotap_format_mac((const uint8_t[6]){0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, buf),
              "ff:ff:ff:ff:ff:ff");
    CHECK(!iotap_mac_is_random(want));
    CHECK(iotap_mac_is_random((const uint8_t[6]){0xda, 0xa1, 0x19, 0, 0, 1}));
    CHECK(iotap_mac_is_group((const uint8_t[6]){0x01, 0x00, 0x5e, 0, 0, 1}));
    CHECK(!iotap_mac_is_group(want));
}

static void test_misc(void)
{
    iotap_set_progname("/usr/local/bin/iotap-cat");
    CHECK_STR(iotap_progname, "iotap-cat");
    iotap_set_progname("");
    CHECK_STR(iotap_progname, "iotap-cat");
    char *s = xstrdup(NULL);
    CHECK_STR(s, "");
    free(s);
}

int main(void)
{
    test_size();
    test_time();
    test_format_time();
    test_mac();
    test_misc();
    return TEST_DONE();
}
