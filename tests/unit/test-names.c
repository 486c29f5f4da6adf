/*
 * test-names.c - lib/names: per-device and global answers, CNAME chains
 * (the question name is kept, not the chain's end), time-awareness (only
 * answers at or before the flow start count; the latest wins; history of
 * alternating names), unknown MACs, the entry cap with eviction counts, and
 * a DNS response parsed by lib/proto/dns fed through iotap_names_add_dns.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "proto/dns.h"
#include "test.h"

static iotap_addr v4(const char *s)
{
    iotap_addr a;
    memset(&a, 0, sizeof a);
    a.family = 4;
    inet_pton(AF_INET, s, a.a);
    return a;
}
static iotap_addr v6(const char *s)
{
    iotap_addr a;
    memset(&a, 0, sizeof a);
    a.family = 6;
    inet_pton(AF_INET6, s, a.a);
    return a;
}

static const uint8_t cam[6] = {0x44, 0x65, 0x0d, 1, 2, 3};
static const uint8_t tv[6] = {0x00, 0x11, 0x22, 4, 5, 6};

#define S 1000000000LL

static void test_basic(void)
{
    iotap_names *n = iotap_names_new(0);
    iotap_addr a = v4("93.184.216.34"), b = v6("2606:2800:220:1::1");
    iotap_names_add_answer(n, cam, 100 * S, "cam.example.com", &a);
    iotap_names_add_answer(n, cam, 100 * S, "cam.example.com", &b);
    int64_t when = 0;
    CHECK_STR(iotap_names_lookup(n, cam, &a, 100 * S, &when), "cam.example.com");
    CHECK_EQ_I(when, 100 * S);
    CHECK_STR(iotap_names_lookup(n, cam, &b, 200 * S, NULL), "cam.example.com");
    /* Before the answer: nothing. */
    CHECK(iotap_names_lookup(n, cam, &a, 100 * S - 1, NULL) == NULL);
    /* Another device did not ask: per-device none, global yes. */
    CHECK(iotap_names_lookup(n, tv, &a, 200 * S, NULL) == NULL);
    CHECK_STR(iotap_names_lookup_any(n, &a, 200 * S, NULL), "cam.example.com");
    CHECK(iotap_names_lookup_any(n, &a, 99 * S, NULL) == NULL);
    /* Same bytes, other family: different address. */
    iotap_addr a6 = a;
    a6.family = 6;
    CHECK(iotap_names_lookup_any(n, &a6, 200 * S, NULL) == NULL);

    /* The same address later answered for another name, then the first
     * again: each flow gets the latest name before its start. */
    iotap_names_add_answer(n, cam, 200 * S, "cdn.other.net", &a);
    iotap_names_add_answer(n, cam, 300 * S, "cam.example.com", &a);
    CHECK_STR(iotap_names_lookup(n, cam, &a, 150 * S, NULL), "cam.example.com");
    CHECK_STR(iotap_names_lookup(n, cam, &a, 250 * S, NULL), "cdn.other.net");
    CHECK_STR(iotap_names_lookup(n, cam, &a, 350 * S, &when), "cam.example.com");
    CHECK_EQ_I(when, 300 * S);
    /* An answer arriving out of order (merged captures) slots in by time. */
    iotap_names_add_answer(n, cam, 120 * S, "early.example.org", &a);
    CHECK_STR(iotap_names_lookup(n, cam, &a, 110 * S, NULL), "cam.example.com");
    CHECK_STR(iotap_names_lookup(n, cam, &a, 130 * S, NULL), "early.example.org");
    CHECK_STR(iotap_names_lookup(n, cam, &a, 210 * S, NULL), "cdn.other.net");

    /* No MAC: only the global map learns. */
    iotap_addr c = v4("1.2.3.4");
    iotap_names_add_answer(n, NULL, 5 * S, "nomac.example", &c);
    CHECK(iotap_names_lookup(n, cam, &c, 10 * S, NULL) == NULL);
    CHECK_STR(iotap_names_lookup_any(n, &c, 10 * S, NULL), "nomac.example");
    CHECK(iotap_names_lookup(n, NULL, &c, 10 * S, NULL) == NULL);

    iotap_names_stats st;
    iotap_names_get_stats(n, &st);
    CHECK_EQ_U(st.answers, 6);
    CHECK_EQ_U(st.entries, 5);      /* cam/a, cam/b, any/a, any/b, any/c */
    CHECK_EQ_U(st.evicted, 0);
    iotap_names_free(n);
}

static void test_runs_cap(void)
{
    iotap_names *n = iotap_names_new(0);
    iotap_addr a = v4("10.9.8.7");
    char name[32];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "n%d.example", i);
        iotap_names_add_answer(n, cam, (int64_t)(i + 1) * S, name, &a);
    }
    CHECK_STR(iotap_names_lookup(n, cam, &a, 100 * S, NULL), "n19.example");
    CHECK_STR(iotap_names_lookup(n, cam, &a, 15 * S, NULL), "n14.example");
    /* Older history is gone (bounded), and that is counted. */
    CHECK(iotap_names_lookup(n, cam, &a, 3 * S, NULL) == NULL);
    iotap_names_stats st;
    iotap_names_get_stats(n, &st);
    CHECK_EQ_U(st.runs_dropped, 2 * (20 - IOTAP_NAMES_MAX_RUNS));   /* device + global */
    iotap_names_free(n);
}

static void test_eviction(void)
{
    iotap_names *n = iotap_names_new(100);
    for (int i = 0; i < 1000; i++) {
        char ip[32], name[32];
        snprintf(ip, sizeof ip, "10.0.%d.%d", i / 256, i % 256);
        snprintf(name, sizeof name, "h%d.example", i);
        iotap_addr a = v4(ip);
        iotap_names_add_answer(n, cam, (int64_t)i * S, name, &a);
    }
    iotap_names_stats st;
    iotap_names_get_stats(n, &st);
    CHECK_EQ_U(st.entries, 100);
    CHECK_EQ_U(st.evicted, 2000 - 100);
    /* The newest survive, the oldest are gone. */
    iotap_addr last = v4("10.0.3.231"), first = v4("10.0.0.0");
    CHECK_STR(iotap_names_lookup(n, cam, &last, 5000 * S, NULL), "h999.example");
    CHECK_STR(iotap_names_lookup_any(n, &last, 5000 * S, NULL), "h999.example");
    CHECK(iotap_names_lookup_any(n, &first, 5000 * S, NULL) == NULL);
    /* A refreshed old key is kept over newer-but-idle ones. */
    iotap_addr k = v4("10.0.3.200");
    iotap_names_add_answer(n, cam, 2000 * S, "h968.example", &k);
    for (int i = 0; i < 60; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "10.1.0.%d", i);
        iotap_addr a = v4(ip);
        iotap_names_add_answer(n, NULL, 3000 * S, "x.example", &a);
    }
    CHECK_STR(iotap_names_lookup(n, cam, &k, 5000 * S, NULL), "h968.example");
    iotap_names_free(n);
}

/* A parsed DNS response: question -> CNAME -> CNAME -> A, AAAA; plus an A
 * for an unrelated owner (not reachable from the question: ignored). */
static void test_add_dns(void)
{
    uint8_t b[512];
    size_t k = 0;
#define U8(v) (b[k++] = (uint8_t)(v))
#define U16(v) (U8((v) >> 8), U8((v) & 0xff))
#define NAME(s) do { const char *s_ = (s); while (*s_) { const char *d_ = strchr(s_, '.'); \
    size_t l_ = d_ ? (size_t)(d_ - s_) : strlen(s_); U8(l_); memcpy(b + k, s_, l_); k += l_; \
    s_ += l_ + (d_ != NULL); } U8(0); } while (0)
    U16(7); U16(0x8180); U16(1); U16(5); U16(0); U16(0);
    NAME("Device-API.Vendor.com"); U16(1); U16(1);
    NAME("device-api.vendor.com"); U16(5); U16(1); U16(0); U16(60);
    size_t rl = k; U16(0); size_t st = k; NAME("api.cdn.vendor.net"); b[rl + 1] = (uint8_t)(k - st);
    NAME("api.cdn.vendor.net"); U16(5); U16(1); U16(0); U16(60);
    rl = k; U16(0); st = k; NAME("edge7.cdnprovider.net"); b[rl + 1] = (uint8_t)(k - st);
    NAME("edge7.cdnprovider.net"); U16(1); U16(1); U16(0); U16(60); U16(4);
    U8(203); U8(0); U8(113); U8(7);
    NAME("edge7.cdnprovider.net"); U16(28); U16(1); U16(0); U16(60); U16(16);
    uint8_t a6[16];
    inet_pton(AF_INET6, "2001:db8::7", a6);
    memcpy(b + k, a6, 16); k += 16;
    NAME("unrelated.example"); U16(1); U16(1); U16(0); U16(60); U16(4);
    U8(198); U8(51); U8(100); U8(9);

    static iotap_dns_msg m;
    CHECK(iotap_dns_parse(b, k, &m) == NULL);
    CHECK_EQ_U(m.nan, 5);
    iotap_names *n = iotap_names_new(0);
    CHECK_EQ_U(iotap_names_add_dns(n, tv, 50 * S, &m), 2);
    iotap_addr x = v4("203.0.113.7"), y = v6("2001:db8::7"), z = v4("198.51.100.9");
    CHECK_STR(iotap_names_lookup(n, tv, &x, 60 * S, NULL), "device-api.vendor.com");
    CHECK_STR(iotap_names_lookup(n, tv, &y, 60 * S, NULL), "device-api.vendor.com");
    CHECK(iotap_names_lookup_any(n, &z, 60 * S, NULL) == NULL);
    /* A query, or an error response, adds nothing. */
    m.qr = false;
    CHECK_EQ_U(iotap_names_add_dns(n, tv, 50 * S, &m), 0);
    m.qr = true;
    m.rcode = 3;
    CHECK_EQ_U(iotap_names_add_dns(n, tv, 50 * S, &m), 0);
    iotap_names_free(n);
}

int main(void)
{
    test_basic();
    test_runs_cap();
    test_eviction();
    test_add_dns();
    return TEST_DONE();
}
