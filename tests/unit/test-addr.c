/* test-addr.c - addresses, prefixes and the LAN set (lib/addr.c). */
#include "addr.h"
#include "test.h"

#include <stdlib.h>

static iotap_addr A(const char *s)
{
    iotap_addr a;
    if (iotap_addr_parse(s, &a) != 0) {
        fprintf(stderr, "bad test address %s\n", s);
        exit(2);
    }
    return a;
}

static void roundtrip(const char *in, const char *out)
{
    iotap_addr a;
    char buf[IOTAP_ADDR_BUFSZ];
    CHECK_EQ_I(iotap_addr_parse(in, &a), 0);
    CHECK_STR(iotap_addr_format(&a, buf), out);
}

static bool in_net(const char *net, const char *addr)
{
    iotap_net n;
    if (iotap_net_parse(net, &n) != 0)
        return false;
    iotap_addr a = A(addr);
    return iotap_net_contains(&n, &a);
}

static bool in_lan(const iotap_lan *l, const char *addr)
{
    iotap_addr a = A(addr);
    return iotap_lan_contains(l, &a);
}

int main(void)
{
    /* Text forms are inet_ntop's. */
    roundtrip("192.168.1.20", "192.168.1.20");
    roundtrip("0.0.0.0", "0.0.0.0");
    roundtrip("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1");
    roundtrip("FE80::1", "fe80::1");
    roundtrip("::ffff:1.2.3.4", "::ffff:1.2.3.4");
    iotap_addr a;
    char buf[IOTAP_ADDR_BUFSZ];
    CHECK_EQ_I(iotap_addr_parse("192.168.1.256", &a), -1);
    CHECK_EQ_I(iotap_addr_parse("1.2.3", &a), -1);
    CHECK_EQ_I(iotap_addr_parse("", &a), -1);
    CHECK_EQ_I(iotap_addr_parse("2001:db8::1::2", &a), -1);
    CHECK_EQ_I(iotap_addr_parse(" 1.2.3.4", &a), -1);
    CHECK_EQ_I(iotap_addr_parse(NULL, &a), -1);
    CHECK_EQ_U(a.family, 0);
    CHECK_STR(iotap_addr_format(&a, buf), "");

    /* set4/set6, equality and order. */
    const uint8_t b4[4] = { 10, 0, 0, 1 };
    iotap_addr x, y;
    iotap_addr_set4(&x, b4);
    y = A("10.0.0.1");
    CHECK(iotap_addr_eq(&x, &y));
    CHECK_EQ_U(iotap_addr_hash(&x), iotap_addr_hash(&y));
    x.a[9] = 0x55;          /* junk beyond an IPv4 address is not part of it */
    CHECK(iotap_addr_eq(&x, &y));
    CHECK_EQ_U(iotap_addr_hash(&x), iotap_addr_hash(&y));
    CHECK_EQ_I(iotap_addr_cmp(&x, &y), 0);
    iotap_addr z = A("10.0.0.2"), v6 = A("::1");
    CHECK(iotap_addr_cmp(&y, &z) < 0);
    CHECK(iotap_addr_cmp(&z, &y) > 0);
    CHECK(iotap_addr_cmp(&z, &v6) < 0);     /* IPv4 sorts before IPv6 */
    CHECK(!iotap_addr_eq(&y, &z));
    CHECK(iotap_addr_hash(&y) != iotap_addr_hash(&z));
    const uint8_t b6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    iotap_addr_set6(&x, b6);
    y = A("2001:db8::1");
    CHECK(iotap_addr_eq(&x, &y));
    /* IPv4 1.0.0.0 and IPv6 100:: share bytes but not a family. */
    x = A("1.0.0.0");
    y = A("100::");
    CHECK(!iotap_addr_eq(&x, &y));

    /* Multicast, broadcast, unspecified. */
    const char *mc[] = { "224.0.0.1", "239.255.255.250", "255.255.255.255", "0.0.0.0",
                         "ff02::1", "ff05::1:3", "::" };
    for (size_t i = 0; i < sizeof mc / sizeof mc[0]; i++) {
        a = A(mc[i]);
        if (!iotap_addr_is_multicast(&a))
            fprintf(stderr, "not multicast: %s\n", mc[i]);
        CHECK(iotap_addr_is_multicast(&a));
    }
    const char *uc[] = { "223.255.255.255", "240.0.0.1", "192.168.1.255", "8.8.8.8",
                         "fe80::1", "::1", "2001:db8::" };
    for (size_t i = 0; i < sizeof uc / sizeof uc[0]; i++) {
        a = A(uc[i]);
        CHECK(!iotap_addr_is_multicast(&a));
    }

    /* Prefixes. */
    iotap_net n;
    CHECK_EQ_I(iotap_net_parse("10.0.0.0/8", &n), 0);
    CHECK_EQ_U(n.prefix, 8);
    CHECK_EQ_I(iotap_net_parse("10.1.2.3/8", &n), 0);      /* host bits cleared */
    CHECK_STR(iotap_addr_format(&n.addr, buf), "10.0.0.0");
    CHECK_EQ_I(iotap_net_parse("fd00::/8", &n), 0);
    CHECK_EQ_U(n.prefix, 8);
    CHECK_EQ_U(n.addr.family, 6);
    CHECK_EQ_I(iotap_net_parse("192.168.1.7", &n), 0);
    CHECK_EQ_U(n.prefix, 32);
    CHECK_EQ_I(iotap_net_parse("2001:db8::7", &n), 0);
    CHECK_EQ_U(n.prefix, 128);
    CHECK_EQ_I(iotap_net_parse("10.0.0.0/33", &n), -1);
    CHECK_EQ_I(iotap_net_parse("::/129", &n), -1);
    CHECK_EQ_I(iotap_net_parse("10.0.0.0/", &n), -1);
    CHECK_EQ_I(iotap_net_parse("10.0.0.0/-1", &n), -1);
    CHECK_EQ_I(iotap_net_parse("10.0.0.0/8x", &n), -1);
    CHECK_EQ_I(iotap_net_parse("10.0.0/8", &n), -1);
    CHECK_EQ_I(iotap_net_parse("/8", &n), -1);
    CHECK(in_net("0.0.0.0/0", "203.0.113.9"));
    CHECK(!in_net("0.0.0.0/0", "::1"));
    CHECK(in_net("::/0", "2001:db8::1"));
    CHECK(in_net("192.168.1.0/24", "192.168.1.255"));
    CHECK(!in_net("192.168.1.0/24", "192.168.2.0"));
    CHECK(in_net("192.168.1.128/25", "192.168.1.200"));
    CHECK(!in_net("192.168.1.128/25", "192.168.1.127"));
    CHECK(in_net("10.0.0.5", "10.0.0.5"));
    CHECK(!in_net("10.0.0.5", "10.0.0.4"));
    CHECK(in_net("fe80::/10", "febf:ffff::1"));
    CHECK(!in_net("fe80::/10", "fec0::1"));
    CHECK(in_net("2001:db8:1::/48", "2001:db8:1:ffff::1"));
    CHECK(!in_net("2001:db8:1::/48", "2001:db8:2::1"));
    CHECK(in_net("2001:db8::1/128", "2001:db8::1"));
    CHECK(!in_net("2001:db8::1/128", "2001:db8::2"));
    CHECK(in_net("2001:db8::/63", "2001:db8:0:1::9"));
    CHECK(!in_net("2001:db8::/64", "2001:db8:0:1::9"));

    /* The default LAN set: each range's edges, and its neighbours outside. */
    iotap_lan *lan = iotap_lan_new();
    const char *inside[] = {
        "10.0.0.0", "10.255.255.255", "172.16.0.0", "172.31.255.255",
        "192.168.0.0", "192.168.255.255", "169.254.1.1", "127.0.0.1", "0.0.0.0",
        "0.255.255.255", "255.255.255.255", "224.0.0.251", "239.255.255.250",
        "::1", "::", "fe80::1", "febf::1", "fc00::1", "fdff:ffff::1", "ff02::fb",
        "ff05::1:3",
    };
    const char *outside[] = {
        "9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0",
        "192.167.255.255", "192.169.0.0", "169.253.255.255", "128.0.0.1",
        "1.0.0.0", "255.255.255.254", "223.255.255.255", "240.0.0.1", "8.8.8.8",
        "::2", "fec0::1", "fbff::1", "fe00::1", "2001:db8::1", "::ffff:10.0.0.1",
    };
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
        if (!in_lan(lan, inside[i]))
            fprintf(stderr, "should be LAN: %s\n", inside[i]);
        CHECK(in_lan(lan, inside[i]));
    }
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        if (in_lan(lan, outside[i]))
            fprintf(stderr, "should not be LAN: %s\n", outside[i]);
        CHECK(!in_lan(lan, outside[i]));
    }
    /* Added networks (config, Router Advertisements); duplicates are free. */
    CHECK_EQ_I(iotap_net_parse("2001:db8:1::/64", &n), 0);
    iotap_lan_add(lan, &n);
    iotap_lan_add(lan, &n);
    CHECK(in_lan(lan, "2001:db8:1::5"));
    CHECK(!in_lan(lan, "2001:db8:1:1::5"));
    CHECK_EQ_I(iotap_net_parse("100.64.0.0/10", &n), 0);
    iotap_lan_add(lan, &n);
    CHECK(in_lan(lan, "100.127.255.255"));
    CHECK(!in_lan(lan, "100.128.0.0"));
    /* Many more than fit: no crash, the earlier ones still hold. */
    for (int i = 0; i < 1000; i++) {
        char s[64];
        snprintf(s, sizeof s, "2001:db8:%x:%x::/64", 100 + i / 65536, i % 65536);
        CHECK_EQ_I(iotap_net_parse(s, &n), 0);
        iotap_lan_add(lan, &n);
    }
    CHECK(in_lan(lan, "2001:db8:1::5"));
    CHECK(in_lan(lan, "10.1.2.3"));
    CHECK(!in_lan(lan, "8.8.4.4"));
    iotap_lan_free(lan);
    return TEST_DONE();
}
