/*
 * test-config.c - lib/config: every key of a full file, the shipped example
 * etc/iotap.yaml, empty and missing files, and each kind of mistake
 * reported as FILE:LINE (the line is checked) with the load failing.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "test.h"
#include "util.h"

static char path[1024];

static void write_file(const char *text)
{
    snprintf(path, sizeof path, "%s/test.yaml", test_tmpdir());
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

/* Loads text; returns the load's result and the messages it printed. */
static int load_text(const char *text, iotap_config *cfg, char *msgs, size_t msgsz)
{
    write_file(text);
    fflush(stderr);
    int saved = dup(2);
    FILE *err = tmpfile();
    dup2(fileno(err), 2);
    int rc = iotap_config_load(path, cfg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(err);
    size_t n = fread(msgs, 1, msgsz - 1, err);
    msgs[n] = '\0';
    fclose(err);
    fputs(msgs, stderr);    /* keep them in the log */
    return rc;
}

static void test_full(void)
{
    iotap_config cfg;
    char msgs[4096];
    int rc = load_text(
        "# full configuration\n"
        "record:\n"
        "  interface: wlan0\n"
        "  root: /var/lib/iotap\n"
        "  sensor: pi-home\n"
        "  snaplen: 262144\n"
        "  promisc: false\n"
        "  buffer_size: 4M\n"
        "  rotate_size: 64M\n"
        "  rotate_seconds: 3600\n"
        "  flush_seconds: 2\n"
        "  level: 3\n"
        "  user: iotap\n"
        "  filter: \"not port 22\"\n"
        "  max_bytes: 20G\n"
        "  min_free: 1G\n"
        "  slice_encrypted: 0\n"
        "devices:\n"
        "  \"44:65:0D:12:34:56\": kitchen-echo\n"
        "  b8-27-eb-00-00-02: \"living room, tv\"\n"
        "lan: [192.168.1.0/24, \"2001:db8:1::/64\", 10.9.8.7]\n"
        "router: \"b8:27:eb:00:00:01\"\n"
        "geoip:\n"
        "  country: /usr/share/GeoIP/GeoLite2-Country.mmdb\n"
        "  city: /c.mmdb\n"
        "  asn: /usr/share/GeoIP/GeoLite2-ASN.mmdb\n",
        &cfg, msgs, sizeof msgs);
    CHECK_EQ_I(rc, 0);
    CHECK_STR(msgs, "");
    CHECK_STR(cfg.path, path);
    iotap_record_config *r = &cfg.record;
    CHECK_STR(r->interface, "wlan0");
    CHECK_STR(r->root, "/var/lib/iotap");
    CHECK_STR(r->sensor, "pi-home");
    CHECK_STR(r->user, "iotap");
    CHECK_STR(r->filter, "not port 22");
    CHECK_EQ_U(r->snaplen, 262144);
    CHECK_EQ_I(r->promisc, 0);
    CHECK_EQ_U(r->buffer_size, 4 << 20);
    CHECK_EQ_U(r->rotate_size, 64 << 20);
    CHECK_EQ_U(r->rotate_seconds, 3600);
    CHECK_EQ_U(r->flush_seconds, 2);
    CHECK_EQ_U(r->level, 3);
    CHECK_EQ_U(r->max_bytes, 20ULL << 30);
    CHECK_EQ_U(r->min_free, 1ULL << 30);
    CHECK_EQ_U(r->slice_encrypted, 0);
    CHECK_EQ_U(r->set, IOTAP_RC_SNAPLEN | IOTAP_RC_BUFFER | IOTAP_RC_ROTATE_SIZE |
                       IOTAP_RC_ROTATE_SECONDS | IOTAP_RC_FLUSH | IOTAP_RC_LEVEL |
                       IOTAP_RC_MAX_BYTES | IOTAP_RC_MIN_FREE | IOTAP_RC_SLICE);
    CHECK_EQ_U(cfg.nlabels, 2);
    uint8_t m1[6] = {0x44, 0x65, 0x0d, 0x12, 0x34, 0x56}, m2[6] = {0xb8, 0x27, 0xeb, 0, 0, 2};
    CHECK_STR(iotap_config_label(&cfg, m1), "kitchen-echo");
    CHECK_STR(iotap_config_label(&cfg, m2), "living room, tv");
    CHECK(iotap_config_label(&cfg, (const uint8_t[6]){1, 2, 3, 4, 5, 6}) == NULL);
    uint8_t mac[6];
    CHECK_EQ_I(iotap_config_device(&cfg, "kitchen-echo", mac), 0);
    CHECK(memcmp(mac, m1, 6) == 0);
    CHECK_EQ_I(iotap_config_device(&cfg, "B8:27:EB:00:00:02", mac), 0);
    CHECK(memcmp(mac, m2, 6) == 0);
    CHECK_EQ_I(iotap_config_device(&cfg, "no-such-device", mac), -1);
    CHECK_EQ_U(cfg.nlan, 3);
    if (cfg.nlan == 3) {
        char buf[IOTAP_ADDR_BUFSZ];
        CHECK_STR(iotap_addr_format(&cfg.lan[0].addr, buf), "192.168.1.0");
        CHECK_EQ_U(cfg.lan[0].prefix, 24);
        CHECK_STR(iotap_addr_format(&cfg.lan[1].addr, buf), "2001:db8:1::");
        CHECK_EQ_U(cfg.lan[1].prefix, 64);
        CHECK_EQ_U(cfg.lan[2].prefix, 32);
    }
    CHECK(cfg.has_router);
    CHECK(memcmp(cfg.router_mac, (const uint8_t[6]){0xb8, 0x27, 0xeb, 0, 0, 1}, 6) == 0);
    CHECK_STR(cfg.geoip_country, "/usr/share/GeoIP/GeoLite2-Country.mmdb");
    CHECK_STR(cfg.geoip_city, "/c.mmdb");
    CHECK_STR(cfg.geoip_asn, "/usr/share/GeoIP/GeoLite2-ASN.mmdb");
    iotap_config_free(&cfg);
    CHECK(cfg.labels == NULL && cfg.path == NULL);
    iotap_config_free(&cfg);    /* twice is harmless */
}

static void test_empty_and_null(void)
{
    iotap_config cfg;
    char msgs[4096];
    CHECK_EQ_I(load_text("", &cfg, msgs, sizeof msgs), 0);
    CHECK_EQ_U(cfg.nlabels, 0);
    CHECK_EQ_I(cfg.record.promisc, -1);
    CHECK(!cfg.has_router);
    iotap_config_free(&cfg);
    CHECK_EQ_I(load_text("# only a comment\n---\n", &cfg, msgs, sizeof msgs), 0);
    iotap_config_free(&cfg);
    /* Null values leave settings unset. */
    CHECK_EQ_I(load_text("record:\n  snaplen:\n  interface: ~\n  promisc: null\nrouter:\n"
                         "devices:\nlan:\ngeoip:\n",
                         &cfg, msgs, sizeof msgs), 0);
    CHECK_EQ_U(cfg.record.set, 0);
    CHECK(cfg.record.interface == NULL);
    CHECK_EQ_I(cfg.record.promisc, -1);
    CHECK(!cfg.has_router);
    iotap_config_free(&cfg);
    /* One network without a list; promisc spellings. */
    CHECK_EQ_I(load_text("lan: 10.1.0.0/16\nrecord: {promisc: yes}\n", &cfg, msgs, sizeof msgs), 0);
    CHECK_EQ_U(cfg.nlan, 1);
    CHECK_EQ_I(cfg.record.promisc, 1);
    iotap_config_free(&cfg);
}

/* A bad file: load fails, and the messages name FILE:LINE and say what. */
static void bad(const char *text, unsigned line, const char *what, int srcline)
{
    iotap_config cfg;
    char msgs[4096], want[1200];
    int rc = load_text(text, &cfg, msgs, sizeof msgs);
    snprintf(want, sizeof want, "%s:%u: ", path, line);
    test_checks++;
    if (rc != -1 || !strstr(msgs, want) || !strstr(msgs, what)) {
        test_failures++;
        fprintf(stderr, "test-config.c:%d: want failure with '%s...%s', got rc %d\n", srcline, want,
                what, rc);
    }
    /* A failed load leaves nothing behind. */
    CHECK(cfg.nlabels == 0 && cfg.labels == NULL && cfg.path == NULL && cfg.lan == NULL);
    iotap_config_free(&cfg);
}
#define BAD(text, line, what) bad(text, line, what, __LINE__)

static void test_errors(void)
{
    BAD("record:\n  snaplen: 100\n  snaplne: 5\n", 3, "unknown key 'record.snaplne'");
    BAD("record:\n  snaplne:\n", 2, "unknown key 'record.snaplne'");
    BAD("recrod:\n  snaplen: 100\n", 1, "unknown key 'recrod'");
    BAD("geoip:\n  contry: /x\n", 2, "unknown key 'geoip.contry'");
    BAD("record:\n  rotate_size: 64Q\n", 2, "record.rotate_size: '64Q' is not a size");
    BAD("record:\n  level: 99\n", 2, "record.level: '99'");
    BAD("record:\n  rotate_seconds: -1\n", 2, "rotate_seconds: '-1'");
    BAD("record:\n  promisc: maybe\n", 2, "promisc: 'maybe' is not true or false");
    BAD("record:\n  interface: [a, b]\n", 2, "interface: expected a single value");
    BAD("record: wlan0\n", 1, "record: expected a mapping");
    BAD("devices:\n  \"44:65:0d:12:34:5\": x\n", 2, "'44:65:0d:12:34:5' is not a MAC address");
    BAD("devices:\n  \"44:65:0d:12:34:56\": a\n  \"44-65-0D-12-34-56\": b\n", 3,
        "44:65:0d:12:34:56 listed twice (first at line 2)");
    BAD("devices:\n  \"44:65:0d:12:34:56\": tv\n\n  \"44:65:0d:12:34:57\": tv\n", 4,
        "label 'tv' used twice (first at line 2)");
    BAD("devices:\n  \"44:65:0d:12:34:56\":\n", 2, "has no label");
    BAD("lan:\n  - 192.168.1.0/24\n  - 192.168.300.0/24\n", 3, "'192.168.300.0/24' is not a network");
    BAD("lan: [10.0.0.0/33]\n", 1, "is not a network");
    BAD("router: nope\n", 1, "router: 'nope' is not a MAC address");
    BAD("record:\n  level: 3\n  level: 4\n", 3, "key 'level' given twice");
    BAD("record:\n  snaplen: 1\n x: [\n", 3, "");                   /* YAML syntax */
    BAD("a: 1\n---\nb: 2\n", 3, "only one YAML document");
    /* Several mistakes: every one reported. */
    iotap_config cfg;
    char msgs[4096], l2[1100], l3[1100];
    CHECK_EQ_I(load_text("record:\n  snaplen: x\n  level: y\n", &cfg, msgs, sizeof msgs), -1);
    snprintf(l2, sizeof l2, "%s:2: ", path);
    snprintf(l3, sizeof l3, "%s:3: ", path);
    CHECK(strstr(msgs, l2) != NULL);
    CHECK(strstr(msgs, l3) != NULL);
    iotap_config_free(&cfg);
}

static void test_missing(void)
{
    iotap_config cfg;
    char p[1100];
    snprintf(p, sizeof p, "%s/does-not-exist.yaml", test_tmpdir());
    CHECK_EQ_I(iotap_config_load(p, &cfg), -1);
    iotap_config_free(&cfg);
    /* The default file: missing is an empty config, not an error. */
    if (access(IOTAP_DEFAULT_CONFIG, F_OK) != 0) {
        CHECK_EQ_I(iotap_config_load(NULL, &cfg), 0);
        CHECK(cfg.path == NULL);
        CHECK_EQ_U(cfg.nlabels, 0);
        iotap_config_free(&cfg);
    }
}

/* The example that `make install` puts in /etc/iotap. */
static void test_example(void)
{
    const char *src = getenv("IOTAP_SRC");
    char p[1100];
    snprintf(p, sizeof p, "%s/etc/iotap.yaml", src ? src : ".");
    iotap_config cfg;
    CHECK_EQ_I(iotap_config_load(p, &cfg), 0);
    CHECK_STR(cfg.record.root, "/var/lib/iotap");
    CHECK(cfg.record.interface == NULL);
    CHECK_EQ_U(cfg.nlabels, 3);
    CHECK_STR(iotap_config_label(&cfg, (const uint8_t[6]){0x00, 0x00, 0x5e, 0x00, 0x53, 0x01}),
              "kitchen-speaker");
    CHECK_EQ_U(cfg.nlan, 2);
    CHECK(!cfg.has_router);
    iotap_config_free(&cfg);
}

int main(void)
{
    iotap_set_progname("test-config");
    test_full();
    test_empty_and_null();
    test_errors();
    test_missing();
    test_example();
    return TEST_DONE();
}
