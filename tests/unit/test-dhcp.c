/*
 * test-dhcp.c - lib/proto/dhcp: a hand-built REQUEST (host name with a
 * trailing NUL, vendor class, FQDN in wire form, requested address, client
 * id), option overload into file/sname, hostile messages (bad cookie, cut
 * options, endless pads), and the corpus DHCP captures against tshark.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapwalk.h"
#include "proto/dhcp.h"
#include "test.h"

typedef struct buf { uint8_t b[1024]; size_t n; } buf;
static void put(buf *b, const void *p, size_t n) { memcpy(b->b + b->n, p, n); b->n += n; }
static void u8(buf *b, unsigned v) { b->b[b->n++] = (uint8_t)v; }
static void opt(buf *b, unsigned code, const void *p, size_t n) { u8(b, code); u8(b, (unsigned)n); put(b, p, n); }

static void header(buf *b, unsigned op, const uint8_t mac[6])
{
    memset(b, 0, sizeof *b);
    u8(b, op); u8(b, 1); u8(b, 6); u8(b, 0);
    u8(b, 0xde); u8(b, 0xad); u8(b, 0xbe); u8(b, 0xef);
    b->n += 4 + 16;                                 /* secs, flags, addrs */
    b->b[16] = 192; b->b[17] = 168; b->b[18] = 1; b->b[19] = 50;   /* yiaddr */
    put(b, mac, 6);
    b->n += 10 + 64 + 128;                          /* chaddr pad, sname, file */
    u8(b, 99); u8(b, 130); u8(b, 83); u8(b, 99);
}

static const uint8_t mac[6] = {0x44, 0x65, 0x0d, 0xaa, 0xbb, 0xcc};

static void test_request(void)
{
    buf b;
    header(&b, 1, mac);
    opt(&b, 53, "\x03", 1);
    opt(&b, 61, "\x01\x44\x65\x0d\xaa\xbb\xcc", 7);
    opt(&b, 50, "\xc0\xa8\x01\x32", 4);
    opt(&b, 12, "Kitchen-Echo\0", 13);
    u8(&b, 0); u8(&b, 0);                           /* pads */
    opt(&b, 60, "amazon\x01" "echo", 11);
    opt(&b, 81, "\x05\x00\x00\x07kitchen\x04home\x04" "arpa\x00", 22);
    opt(&b, 55, "\x01\x03\x06", 3);
    u8(&b, 255);
    iotap_dhcp d;
    CHECK(iotap_dhcp_parse(b.b, b.n, &d) == NULL);
    CHECK_EQ_U(d.op, 1);
    CHECK_EQ_U(d.xid, 0xdeadbeef);
    CHECK(d.has_mac && memcmp(d.chaddr, mac, 6) == 0);
    CHECK_EQ_I(d.msg_type, IOTAP_DHCP_REQUEST);
    CHECK_STR(iotap_dhcp_type_name(d.msg_type), "REQUEST");
    CHECK_STR(d.hostname, "Kitchen-Echo");
    CHECK_STR(d.vendor_class, "amazon?echo");
    CHECK_STR(d.fqdn, "kitchen.home.arpa");
    CHECK(d.has_requested && memcmp(d.requested, "\xc0\xa8\x01\x32", 4) == 0);
    CHECK_EQ_U(d.client_id_len, 7);
    CHECK(memcmp(d.yiaddr, "\xc0\xa8\x01\x32", 4) == 0);
    CHECK_EQ_U(d.noptions, 7);

    /* Every cut: an error or a clean partial parse, never a crash. */
    for (size_t cut = 0; cut < b.n; cut++) {
        uint8_t *h = malloc(cut ? cut : 1);
        memcpy(h, b.b, cut);
        const char *err = iotap_dhcp_parse(h, cut, &d);
        if (cut < 240)
            CHECK(err != NULL);
        free(h);
    }
}

static void test_reply_overload(void)
{
    buf b;
    header(&b, 2, mac);
    /* Options in file (offset 108) and sname (offset 44). */
    static const uint8_t file_opts[] = {3, 8, 192, 168, 1, 1, 192, 168, 1, 2, 255};
    static const uint8_t sname_opts[] = {6, 4, 9, 9, 9, 9, 255};
    memcpy(b.b + 108, file_opts, sizeof file_opts);
    memcpy(b.b + 44, sname_opts, sizeof sname_opts);
    opt(&b, 53, "\x05", 1);
    opt(&b, 52, "\x03", 1);
    opt(&b, 81, "\x00\x00\x00" "ascii.example", 16);   /* ASCII encoding */
    /* no End option: tolerated */
    iotap_dhcp d;
    CHECK(iotap_dhcp_parse(b.b, b.n, &d) == NULL);
    CHECK_EQ_I(d.msg_type, IOTAP_DHCP_ACK);
    CHECK_EQ_U(d.nrouters, 2);
    CHECK(memcmp(d.routers[1], "\xc0\xa8\x01\x02", 4) == 0);
    CHECK_EQ_U(d.ndns, 1);
    CHECK(memcmp(d.dns[0], "\x09\x09\x09\x09", 4) == 0);
    CHECK_STR(d.fqdn, "ascii.example");
    CHECK_STR(d.hostname, "");
}

static void test_hostile(void)
{
    buf b;
    iotap_dhcp d;
    header(&b, 1, mac);
    b.b[236] = 1;                                   /* bad cookie */
    CHECK_STR(iotap_dhcp_parse(b.b, b.n, &d), "no DHCP magic cookie");
    CHECK(d.has_mac);                               /* header still there */
    header(&b, 3, mac);
    CHECK(iotap_dhcp_parse(b.b, b.n, &d) != NULL);
    header(&b, 1, mac);
    u8(&b, 12); u8(&b, 200); put(&b, "abc", 3);      /* length past the end */
    CHECK_STR(iotap_dhcp_parse(b.b, b.n, &d), "DHCP option runs past the message");
    header(&b, 1, mac);
    for (int i = 0; i < 300; i++)                   /* too many options */
        opt(&b, 200, "", 0);
    CHECK_STR(iotap_dhcp_parse(b.b, b.n, &d), "too many DHCP options");
    header(&b, 1, mac);
    opt(&b, 81, "\x04\x00\x00\xc0\x0c", 5);         /* compression in 81: ignored */
    CHECK(iotap_dhcp_parse(b.b, b.n, &d) == NULL);
    CHECK_STR(d.fqdn, "");
    b.b[2] = 0;                                     /* hlen 0: no MAC */
    CHECK(iotap_dhcp_parse(b.b, b.n, &d) == NULL);
    CHECK(!d.has_mac);
    CHECK(iotap_dhcp_parse(NULL, 0, &d) != NULL);
}

/* ---- corpus against tshark ---- */

typedef struct cctx { char *ts; unsigned compared; const char *file; } cctx;

static void field(const char *line, int idx, char *out, size_t cap)
{
    for (int i = 0; i < idx && line; i++) {
        line = strchr(line, '\t');
        if (line) line++;
    }
    size_t n = 0;
    while (line && line[n] && line[n] != '\t' && line[n] != '\n' && line[n] != ',' && n + 1 < cap) {
        out[n] = line[n];
        n++;
    }
    out[n] = '\0';
}

static void on_pkt(const pw_pkt *p, void *vctx)
{
    cctx *c = vctx;
    if (p->proto != 17 || !((p->sport == 67 || p->sport == 68) && (p->dport == 67 || p->dport == 68)))
        return;
    iotap_dhcp d;
    const char *err = iotap_dhcp_parse(p->payload, p->len, &d);
    char key[16];
    int kl = snprintf(key, sizeof key, "%u\t", p->num);
    const char *line = NULL;
    for (const char *l = c->ts; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strncmp(l, key, (size_t)kl) == 0) { line = l; break; }
    if (!line || err) {
        if (err)
            fprintf(stderr, "%s frame %u: %s\n", c->file, p->num, err);
        return;
    }
    char f[512], m[32];
    field(line, 1, f, sizeof f);
    if (d.has_mac) {
        snprintf(m, sizeof m, "%02x:%02x:%02x:%02x:%02x:%02x", d.chaddr[0], d.chaddr[1],
                 d.chaddr[2], d.chaddr[3], d.chaddr[4], d.chaddr[5]);
        CHECK_STR(m, f);
    }
    field(line, 2, f, sizeof f);
    CHECK_EQ_I(d.msg_type, f[0] ? atoi(f) : 0);
    field(line, 3, f, sizeof f);
    CHECK_STR(d.hostname, f);
    field(line, 4, f, sizeof f);
    if (!strchr(d.vendor_class, ','))
        CHECK_STR(d.vendor_class, f);
    field(line, 5, f, sizeof f);
    if (d.has_requested) {
        char ip[32];
        inet_ntop(AF_INET, d.requested, ip, sizeof ip);
        CHECK_STR(ip, f);
    } else {
        CHECK_STR(f, "");
    }
    c->compared++;
}

static void test_dhcp_corpus(void)
{
    const char *corpus = test_corpus();
    if (!corpus || !pw_have_tshark()) {
        fprintf(stderr, "corpus part skipped: no corpus or no tshark\n");
        return;
    }
    static const char *files[] = {
        "zeek/testing/btest/Traces/dhcp/dhcp.pcap",
        "zeek/testing/btest/Traces/dhcp/dhcp_inform.pcap",
        "zeek/testing/btest/Traces/dhcp/dhcp_discover_param_req_and_client_id.pcap",
        "zeek/testing/btest/Traces/dhcp/hw-type0.pcap",
        "zeek/testing/btest/Traces/dhcp/dhcp_bad_cookie_option_retention.pcap",
        "tcpdump/tests/dhcp-mud.pcap", "tcpdump/tests/dhcp-option-33.pcap",
        "tcpdump/tests/dhcp-rfc3004.pcap", "tcpdump/tests/dhcp-rfc4388.pcap",
        "tcpdump/tests/dhcp-rfc5859.pcap",
    };
    unsigned total = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1024], cmd[2048];
        snprintf(path, sizeof path, "%s/%s", corpus, files[i]);
        if (access(path, R_OK) != 0)
            continue;
        snprintf(cmd, sizeof cmd, "tshark -r '%s' -Y 'dhcp && !_ws.malformed' -T fields -e frame.number "
                 "-e dhcp.hw.mac_addr -e dhcp.option.dhcp -e dhcp.option.hostname "
                 "-e dhcp.option.vendor_class_id -e dhcp.option.requested_ip_address 2>/dev/null", path);
        cctx c = { pw_run(cmd), 0, files[i] };
        CHECK(c.ts != NULL);
        if (!c.ts)
            continue;
        pw_walk(path, on_pkt, &c);
        fprintf(stderr, "%s: %u messages compared\n", files[i], c.compared);
        total += c.compared;
        free(c.ts);
    }
    CHECK(total >= 40);
}

int main(void)
{
    test_request();
    test_reply_overload();
    test_hostile();
    test_dhcp_corpus();
    return TEST_DONE();
}
