/*
 * test-regdom.c - lib/regdom: eTLD+1 from the Public Suffix List for plain,
 * multi-label suffixes, private suffixes, wildcard exception rules and odd inputs; empty
 * for IP literals, bare suffixes and single labels.
 */
#include "regdom.h"
#include "test.h"

int main(void)
{
    iotap_regdom *r = iotap_regdom_new();
    char out[IOTAP_REGDOM_BUFSZ];
    CHECK_STR(iotap_regdom_get(r, "api.eu.amazonalexa.com", out), "amazonalexa.com");
    CHECK_STR(iotap_regdom_get(r, "A.B.Example.CO.UK.", out), "example.co.uk");
    CHECK_STR(iotap_regdom_get(r, "example.com", out), "example.com");
    CHECK_STR(iotap_regdom_get(r, "foo.bar.github.io", out), "bar.github.io");  /* private suffix */
    CHECK_STR(iotap_regdom_get(r, "www.city.kawasaki.jp", out), "city.kawasaki.jp");
    CHECK_STR(iotap_regdom_get(r, "fritz.box", out), "fritz.box");   /* unlisted TLD: "*" rule */
    CHECK_STR(iotap_regdom_get(r, "co.uk", out), "");
    CHECK_STR(iotap_regdom_get(r, "com", out), "");
    CHECK_STR(iotap_regdom_get(r, "printer", out), "");
    CHECK_STR(iotap_regdom_get(r, "192.168.1.10", out), "");
    CHECK_STR(iotap_regdom_get(r, "2001:db8::1", out), "");
    CHECK_STR(iotap_regdom_get(r, "[2001:db8::1]", out), "");
    CHECK_STR(iotap_regdom_get(r, "", out), "");
    CHECK_STR(iotap_regdom_get(r, NULL, out), "");
    CHECK_STR(iotap_regdom_get(r, "...", out), "");
    iotap_regdom_free(r);
    return TEST_DONE();
}
