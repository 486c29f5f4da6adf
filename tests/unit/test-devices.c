/*
 * test-devices.c - lib/devices: vendors from the ieee-data lists (checked
 * against the CSV line itself), randomized MACs, group MACs refused,
 * first/last seen, the bounded unicast address list, DHCP host name /
 * vendor class / FQDN from a client message (hand-built and from the
 * corpus dhcp-mud.pcap), server replies ignored, listing by MAC.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices.h"
#include "pcapwalk.h"
#include "test.h"
#include "util.h"

#define S 1000000000LL

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

/* The organisation the MA-L list gives for a 6-hex-digit prefix. */
static char *csv_org(const char *prefix)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "grep -i '^MA-L,%s,' /usr/share/ieee-data/oui.csv | cut -d, -f3", prefix);
    char *o = pw_run(cmd);
    if (o && strchr(o, '\n'))
        *strchr(o, '\n') = '\0';
    return o;
}

typedef struct ctx { iotap_devices *t; unsigned n; } ctx;
static void on_pkt(const pw_pkt *p, void *vc)
{
    ctx *c = vc;
    if (p->proto != 17 || p->dport != 67)
        return;
    iotap_dhcp m;
    if (iotap_dhcp_parse(p->payload, p->len, &m) == NULL && iotap_devices_dhcp(c->t, &m, p->ts_ns))
        c->n++;
}

int main(void)
{
    iotap_set_progname("test-devices");
    bool have_ieee = access("/usr/share/ieee-data/oui.csv", R_OK) == 0;
    iotap_oui *oui = iotap_oui_load(NULL);
    iotap_devices *t = iotap_devices_new(oui);
    static const uint8_t echo[6] = {0x44, 0x65, 0x0d, 0x12, 0x34, 0x56};
    static const uint8_t rnd[6] = {0x3a, 0x11, 0x22, 0x33, 0x44, 0x55};
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};

    iotap_device *d = iotap_devices_see(t, echo, 100 * S);
    CHECK(d != NULL);
    if (have_ieee) {
        char *org = csv_org("44650D");
        CHECK(org && org[0]);
        CHECK_STR(d->vendor, org);
        free(org);
    }
    CHECK(!d->randomized);
    CHECK(iotap_devices_see(t, echo, 50 * S) == d);
    CHECK(iotap_devices_see(t, echo, 300 * S) == d);
    CHECK_EQ_I(d->first_ns, 50 * S);
    CHECK_EQ_I(d->last_ns, 300 * S);
    iotap_device *r = iotap_devices_see(t, rnd, 1 * S);
    CHECK(r && r->randomized && r->vendor == NULL);
    CHECK(iotap_devices_see(t, bcast, 1 * S) == NULL);
    CHECK(iotap_devices_see(t, mcast, 1 * S) == NULL);
    CHECK_EQ_U(iotap_devices_count(t), 2);

    /* Addresses: unicast only, deduplicated, bounded. */
    iotap_addr a = ip("192.168.1.20"), b = ip("fe80::4665:dff:fe12:3456");
    iotap_device_add_addr(d, &a);
    iotap_device_add_addr(d, &b);
    iotap_device_add_addr(d, &a);
    iotap_addr zero4 = ip("0.0.0.0"), mc = ip("224.0.0.251"), bc = ip("255.255.255.255"), mc6 = ip("ff02::fb"), un6 = ip("::");
    iotap_device_add_addr(d, &zero4);
    iotap_device_add_addr(d, &mc);
    iotap_device_add_addr(d, &bc);
    iotap_device_add_addr(d, &mc6);
    iotap_device_add_addr(d, &un6);
    CHECK_EQ_U(d->naddrs, 2);
    for (int i = 0; i < 40; i++) {
        char s[32];
        snprintf(s, sizeof s, "2001:db8::%d", i + 1);
        iotap_addr x = ip(s);
        iotap_device_add_addr(d, &x);
    }
    CHECK_EQ_U(d->naddrs, IOTAP_DEVICE_MAX_ADDRS);
    CHECK_EQ_U(d->addrs_dropped, 40 - (IOTAP_DEVICE_MAX_ADDRS - 2));
    CHECK(d->addrs[0].family == 4 && memcmp(d->addrs[0].a, a.a, 16) == 0);

    /* DHCP: a client REQUEST teaches; a server ACK does not. */
    iotap_dhcp m;
    memset(&m, 0, sizeof m);
    m.op = 1;
    m.has_mac = true;
    memcpy(m.chaddr, echo, 6);
    strcpy(m.hostname, "Kitchen-Echo");
    strcpy(m.vendor_class, "amazon-echo");
    CHECK(iotap_devices_dhcp(t, &m, 400 * S) == d);
    CHECK_STR(d->hostname, "Kitchen-Echo");
    CHECK_STR(d->vendor_class, "amazon-echo");
    CHECK(d->fqdn == NULL);
    CHECK_EQ_I(d->last_ns, 400 * S);
    m.op = 2;
    strcpy(m.hostname, "server-says");
    CHECK(iotap_devices_dhcp(t, &m, 500 * S) == NULL);
    CHECK_STR(d->hostname, "Kitchen-Echo");
    /* A later message without option 12 keeps the name. */
    m.op = 1;
    m.hostname[0] = '\0';
    strcpy(m.fqdn, "echo.home.arpa");
    iotap_devices_dhcp(t, &m, 600 * S);
    CHECK_STR(d->hostname, "Kitchen-Echo");
    CHECK_STR(d->fqdn, "echo.home.arpa");
    CHECK_EQ_U(d->dhcp_messages, 2);

    /* Many devices: the table grows, the list is sorted by MAC. */
    for (int i = 0; i < 2000; i++) {
        uint8_t mac[6] = {0x00, 0x16, 0x3e, (uint8_t)(i >> 8), (uint8_t)i, 0x01};
        CHECK(iotap_devices_see(t, mac, i * S) != NULL);
    }
    size_t n;
    iotap_device **v = iotap_devices_list(t, &n);
    CHECK_EQ_U(n, 2002);
    int sorted = 1;
    for (size_t i = 1; i < n; i++)
        sorted &= memcmp(v[i - 1]->mac, v[i]->mac, 6) < 0;
    CHECK(sorted);
    CHECK(iotap_devices_find(t, echo) == d);
    free(v);
    iotap_devices_free(t);

    /* The corpus: a Raspberry Pi's DHCP REQUEST (tcpdump's dhcp-mud.pcap). */
    const char *corpus = test_corpus();
    if (corpus) {
        char path[1024];
        snprintf(path, sizeof path, "%s/tcpdump/tests/dhcp-mud.pcap", corpus);
        ctx c = { iotap_devices_new(oui), 0 };
        CHECK(pw_walk(path, on_pkt, &c) > 0);
        CHECK_EQ_U(c.n, 1);
        static const uint8_t pi[6] = {0xb8, 0x27, 0xeb, 0xb8, 0x53, 0xc8};
        iotap_device *p = iotap_devices_find(c.t, pi);
        CHECK(p != NULL);
        if (p) {
            CHECK_STR(p->hostname, "raspberrypi");
            CHECK_STR(p->vendor_class, "dhcpcd-6.11.5:Linux-4.1.18-v7+:armv7l:BCM2709");
            if (have_ieee) {
                char *org = csv_org("B827EB");
                CHECK_STR(p->vendor, org);
                free(org);
            }
        }
        iotap_devices_free(c.t);
    }
    iotap_oui_free(oui);
    return TEST_DONE();
}
