/* test-record-slice.c - the slicer on hand-built frames: TLS application
 * data (after a hello on the flow) and its continuations sliced, handshake
 * records, other flows and look-alikes without a hello whole, QUIC short headers sliced only after a long header, DNS never,
 * IPv6 and VLAN handled, truncated headers safe. */
#include <string.h>

#include "record/recint.h"
#include "test.h"

static uint8_t pkt[2000];

/* Ethernet(+vlan) / IPv4 / TCP or UDP with payload; returns frame length. */
static uint32_t build4(int vlan, uint8_t proto, uint16_t sport, uint16_t dport, const uint8_t *pl, size_t n,
                       uint16_t frag)
{
    memset(pkt, 0, sizeof pkt);
    size_t o = 12;
    if (vlan) {
        pkt[o] = 0x81; pkt[o + 1] = 0x00; o += 4;
    }
    pkt[o] = 0x08; pkt[o + 1] = 0x00; o += 2;
    uint8_t *ip = pkt + o;
    ip[0] = 0x45; ip[6] = (uint8_t)(frag >> 8); ip[7] = (uint8_t)frag; ip[9] = proto;
    /* Server to client (from port 443) swaps the addresses too. */
    int srv = sport == 443;
    uint8_t cli[4] = { 192, 168, 1, 20 }, rem[4] = { 198, 51, 100, 7 };
    memcpy(ip + 12, srv ? rem : cli, 4);
    memcpy(ip + 16, srv ? cli : rem, 4);
    o += 20;
    uint8_t *l4 = pkt + o;
    l4[0] = (uint8_t)(sport >> 8); l4[1] = (uint8_t)sport; l4[2] = (uint8_t)(dport >> 8); l4[3] = (uint8_t)dport;
    if (proto == 6) { l4[12] = 5 << 4; o += 20; } else { o += 8; }
    memcpy(pkt + o, pl, n);
    return (uint32_t)(o + n);
}

static uint32_t build6(uint16_t sport, uint16_t dport, const uint8_t *pl, size_t n)
{
    memset(pkt, 0, sizeof pkt);
    pkt[12] = 0x86; pkt[13] = 0xdd;
    uint8_t *ip = pkt + 14;
    ip[0] = 0x60; ip[6] = 17;
    ip[sport == 443 ? 24 : 8] = 0x20; ip[sport == 443 ? 8 : 24] = 0x20;
    ip[sport == 443 ? 39 : 23] = 1; ip[sport == 443 ? 23 : 39] = 2;
    uint8_t *l4 = ip + 40;
    l4[0] = (uint8_t)(sport >> 8); l4[1] = (uint8_t)sport; l4[2] = (uint8_t)(dport >> 8); l4[3] = (uint8_t)dport;
    memcpy(l4 + 8, pl, n);
    return (uint32_t)(14 + 40 + 8 + n);
}

int main(void)
{
    iotap_slicer *s = iotap_slicer_new(16);
    uint8_t pl[1400];
    memset(pl, 0xab, sizeof pl);
    /* ClientHello-like handshake record: whole. */
    pl[0] = 22; pl[1] = 3; pl[2] = 1; pl[3] = 0x02; pl[4] = 0x00; pl[5] = 1;
    uint32_t n = build4(0, 6, 50000, 443, pl, 600, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    /* Continuation before any app data: whole. */
    memset(pl, 0xab, 8);
    n = build4(0, 6, 443, 50000, pl, 1400, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    /* Application data record: sliced to headers + 16. */
    pl[0] = 23; pl[1] = 3; pl[2] = 3; pl[3] = 0x10; pl[4] = 0x00;
    n = build4(0, 6, 443, 50000, pl, 1400, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), 14 + 20 + 20 + 16);
    /* Continuation in the other direction of the same flow: sliced. */
    memset(pl, 0xab, 8);
    n = build4(0, 6, 50000, 443, pl, 1000, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), 14 + 20 + 20 + 16);
    /* A handshake record later in the flow (renegotiation/key update): whole. */
    pl[0] = 22; pl[1] = 3; pl[2] = 3; pl[3] = 0; pl[4] = 40;
    n = build4(0, 6, 443, 50000, pl, 45, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    /* Small payload (<= 16): unchanged. */
    memset(pl, 0xab, 8);
    n = build4(0, 6, 443, 50000, pl, 10, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    /* Another flow (other port) is unaffected. */
    n = build4(0, 6, 50001, 443, pl, 1000, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    /* Plain HTTP: whole. */
    memcpy(pl, "GET / HTTP/1.1\r\n", 16);
    n = build4(0, 6, 50002, 80, pl, 900, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    /* A plain flow whose payload happens to start like TLS application
     * data (17 03 03 + length) but never had a hello: whole, every time. */
    pl[0] = 23; pl[1] = 3; pl[2] = 3; pl[3] = 0x01; pl[4] = 0x00;
    n = build4(0, 6, 50005, 8080, pl, 800, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    n = build4(0, 6, 50005, 8080, pl, 800, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    memset(pl, 0xab, 8);
    n = build4(0, 6, 50005, 8080, pl, 800, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    /* A handshake record that is not a hello (e.g. a Finished) does not
     * make a flow TLS either. */
    pl[0] = 22; pl[1] = 3; pl[2] = 3; pl[3] = 0; pl[4] = 40; pl[5] = 20;
    n = build4(0, 6, 50006, 8443, pl, 45, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    pl[0] = 23; pl[1] = 3; pl[2] = 3; pl[3] = 0x01; pl[4] = 0x00;
    n = build4(0, 6, 8443, 50006, pl, 800, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    /* VLAN-tagged: ServerHello, then app data sliced with the tag counted. */
    pl[0] = 22; pl[1] = 3; pl[2] = 3; pl[3] = 0; pl[4] = 90; pl[5] = 2;
    n = build4(1, 6, 443, 50003, pl, 95, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    pl[0] = 23; pl[1] = 3; pl[2] = 3; pl[3] = 0x01; pl[4] = 0x00;
    n = build4(1, 6, 50003, 443, pl, 800, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), 18 + 20 + 20 + 16);
    /* A fragment is kept whole even if it looks like app data. */
    n = build4(0, 6, 50004, 443, pl, 800, 0x2000);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);

    /* QUIC: short header before a long one: whole; Initial: whole; then sliced. */
    memset(pl, 0x55, sizeof pl);
    pl[0] = 0x41;
    n = build4(0, 17, 51000, 443, pl, 1200, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    pl[0] = 0xc3; pl[1] = 0; pl[2] = 0; pl[3] = 0; pl[4] = 1;
    n = build4(0, 17, 51000, 443, pl, 1200, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    pl[0] = 0x41;
    n = build4(0, 17, 443, 51000, pl, 1200, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), 14 + 20 + 8 + 16);
    /* Unknown version: not QUIC. */
    pl[0] = 0xc3; pl[1] = 0x12; pl[2] = 0x34; pl[3] = 0x56; pl[4] = 0x78;
    n = build4(0, 17, 52000, 443, pl, 1200, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    pl[0] = 0x41;
    n = build4(0, 17, 52000, 443, pl, 1200, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    /* DNS is never touched, whatever it looks like. */
    pl[0] = 0xc3; pl[1] = 0; pl[2] = 0; pl[3] = 0; pl[4] = 1;
    n = build4(0, 17, 53000, 53, pl, 500, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    pl[0] = 0x41;
    n = build4(0, 17, 53000, 53, pl, 500, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    /* IPv6 QUIC. */
    pl[0] = 0xc0; pl[1] = 0; pl[2] = 0; pl[3] = 0; pl[4] = 1;
    n = build6(54000, 443, pl, 1200);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    pl[0] = 0x50;
    n = build6(443, 54000, pl, 1200);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), 14 + 40 + 8 + 16);
    /* Raw IPv4 link type (after a ClientHello on that flow). */
    pl[0] = 22; pl[1] = 3; pl[2] = 1; pl[3] = 0; pl[4] = 90; pl[5] = 1;
    n = build4(0, 6, 55000, 443, pl, 95, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 101, pkt + 14, n - 14), n - 14);
    pl[0] = 23; pl[1] = 3; pl[2] = 3; pl[3] = 0x01; pl[4] = 0x00;
    n = build4(0, 6, 55000, 443, pl, 800, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 101, pkt + 14, n - 14), 20 + 20 + 16);
    /* Truncated frames at every length never read past caplen (ASan). */
    n = build4(1, 6, 56000, 443, pl, 100, 0);
    for (uint32_t k = 0; k <= n; k++)
        CHECK(iotap_slicer_caplen(s, 1, pkt, k) <= k);
    /* Unknown link type: untouched. */
    CHECK_EQ_U(iotap_slicer_caplen(s, 127, pkt, n), n);
    /* The table stays bounded under many flows (and still works after). */
    for (uint32_t i = 0; i < 100000; i++) {
        pl[0] = 22; pl[1] = 3; pl[2] = 1; pl[3] = 0; pl[4] = 90; pl[5] = 1;
        n = build4(0, 6, (uint16_t)(1024 + i % 60000), (uint16_t)(443 + i / 60000), pl, 95, 0);
        iotap_slicer_caplen(s, 1, pkt, n);
        pl[0] = 23; pl[1] = 3; pl[2] = 3; pl[3] = 0x01; pl[4] = 0x00;
        n = build4(0, 6, (uint16_t)(1024 + i % 60000), (uint16_t)(443 + i / 60000), pl, 100, 0);
        iotap_slicer_caplen(s, 1, pkt, n);
    }
    pl[0] = 22; pl[1] = 3; pl[2] = 1; pl[3] = 0; pl[4] = 90; pl[5] = 1;
    n = build4(0, 6, 50000 + 9, 9443, pl, 95, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), n);
    pl[0] = 23; pl[1] = 3; pl[2] = 3; pl[3] = 0x01; pl[4] = 0x00;
    n = build4(0, 6, 50000 + 9, 9443, pl, 800, 0);
    CHECK_EQ_U(iotap_slicer_caplen(s, 1, pkt, n), 14 + 20 + 20 + 16);
    iotap_slicer_free(s);
    return TEST_DONE();
}
