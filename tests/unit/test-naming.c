/*
 * test-naming.c - lib/naming: the DESIGN.md priority (SNI > QUIC SNI >
 * HTTP Host > this device's DNS question > any device's DNS name > none),
 * the exact name_source words, time-awareness through lib/names, and
 * normalisation (case, trailing dot, Host ports, IPv6 literals).
 */
#include <arpa/inet.h>
#include <string.h>

#include "naming.h"
#include "test.h"

#define S 1000000000LL
static const uint8_t cam[6] = {0x44, 0x65, 0x0d, 1, 2, 3};
static const uint8_t tv[6] = {0x00, 0x11, 0x22, 4, 5, 6};

int main(void)
{
    CHECK_STR(iotap_name_source_str(IOTAP_NAME_SNI), "sni");
    CHECK_STR(iotap_name_source_str(IOTAP_NAME_QUIC), "quic");
    CHECK_STR(iotap_name_source_str(IOTAP_NAME_HTTP), "http");
    CHECK_STR(iotap_name_source_str(IOTAP_NAME_DNS), "dns");
    CHECK_STR(iotap_name_source_str(IOTAP_NAME_DNS_OTHER), "dns-other-device");
    CHECK_STR(iotap_name_source_str(IOTAP_NAME_NONE), "none");

    iotap_names *n = iotap_names_new(0);
    iotap_addr a;
    memset(&a, 0, sizeof a);
    a.family = 4;
    inet_pton(AF_INET, "52.1.2.3", a.a);
    iotap_names_add_answer(n, cam, 100 * S, "cam-api.vendor.com", &a);
    iotap_names_add_answer(n, tv, 50 * S, "tv-api.other.com", &a);
    char out[IOTAP_NAMING_BUFSZ];

    iotap_flow_hints h = {"SNI.Example.COM.", "quic.example", "host.example:8080"};
    CHECK_EQ_I(iotap_naming_choose(n, cam, &a, 200 * S, &h, out), IOTAP_NAME_SNI);
    CHECK_STR(out, "sni.example.com");
    h.sni = "";
    CHECK_EQ_I(iotap_naming_choose(n, cam, &a, 200 * S, &h, out), IOTAP_NAME_QUIC);
    CHECK_STR(out, "quic.example");
    h.quic_sni = NULL;
    CHECK_EQ_I(iotap_naming_choose(n, cam, &a, 200 * S, &h, out), IOTAP_NAME_HTTP);
    CHECK_STR(out, "host.example");
    h.http_host = NULL;
    /* This device's own question wins over the other device's. */
    CHECK_EQ_I(iotap_naming_choose(n, cam, &a, 200 * S, &h, out), IOTAP_NAME_DNS);
    CHECK_STR(out, "cam-api.vendor.com");
    CHECK_EQ_I(iotap_naming_choose(n, tv, &a, 200 * S, NULL, out), IOTAP_NAME_DNS);
    CHECK_STR(out, "tv-api.other.com");
    /* Flow before cam's answer: cam gets the other device's name (the
     * latest answer to anyone before the flow). */
    CHECK_EQ_I(iotap_naming_choose(n, cam, &a, 80 * S, NULL, out), IOTAP_NAME_DNS_OTHER);
    CHECK_STR(out, "tv-api.other.com");
    /* A third device that never asked. */
    static const uint8_t plug[6] = {0x50, 0x02, 0x91, 7, 7, 7};
    CHECK_EQ_I(iotap_naming_choose(n, plug, &a, 200 * S, NULL, out), IOTAP_NAME_DNS_OTHER);
    CHECK_STR(out, "cam-api.vendor.com");
    /* Before any answer, or another address: none, empty name. */
    CHECK_EQ_I(iotap_naming_choose(n, cam, &a, 10 * S, NULL, out), IOTAP_NAME_NONE);
    CHECK_STR(out, "");
    iotap_addr other = a;
    other.a[3] = 99;
    CHECK_EQ_I(iotap_naming_choose(n, cam, &other, 200 * S, NULL, out), IOTAP_NAME_NONE);
    /* No MAC (raw IP capture): only the global map. */
    CHECK_EQ_I(iotap_naming_choose(n, NULL, &a, 200 * S, NULL, out), IOTAP_NAME_DNS_OTHER);
    CHECK_EQ_I(iotap_naming_choose(NULL, cam, &a, 200 * S, NULL, out), IOTAP_NAME_NONE);

    /* Normalisation. */
    CHECK(iotap_naming_normalize("[2001:db8::1]:443", true, out));
    CHECK_STR(out, "2001:db8::1");
    CHECK(iotap_naming_normalize("2001:db8::1", true, out));
    CHECK_STR(out, "2001:db8::1");
    CHECK(iotap_naming_normalize("Printer.Local.", true, out));
    CHECK_STR(out, "printer.local");
    CHECK(iotap_naming_normalize("server4:443", false, out));     /* SNI keeps it */
    CHECK_STR(out, "server4:443");
    CHECK(!iotap_naming_normalize(":80", true, out));
    CHECK(!iotap_naming_normalize(".", false, out));
    CHECK(!iotap_naming_normalize("[::1", true, out));
    iotap_names_free(n);
    return TEST_DONE();
}
