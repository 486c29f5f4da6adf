/*
 * test-pcapwrite.c - lib/pcapwrite against libpcap: what we write must read
 * back through pcap_open_offline with the same stamps, lengths and bytes;
 * a little-endian microsecond file copied record by record must come out
 * byte-identical; write errors (/dev/full) must be reported.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "pcapwrite.h"
#include "test.h"
#include "util.h"

static char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int i;
    char *p = buf[i++ % 4];
    snprintf(p, 512, "%s/%s", test_tmpdir(), name);
    return p;
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void test_headers(void)
{
    uint8_t g[24], r[16];
    iotap_pcap_global_header(g, 1, 262144, false);
    CHECK_EQ_U(get32(g), 0xa1b2c3d4u);
    CHECK_EQ_U(g[4] | g[5] << 8, 2);    /* host order is little-endian here */
    CHECK_EQ_U(get32(g + 8), 0);
    CHECK_EQ_U(get32(g + 12), 0);
    CHECK_EQ_U(get32(g + 16), 262144);
    CHECK_EQ_U(get32(g + 20), 1);
    iotap_pcap_global_header(g, 101, 65535, true);
    CHECK_EQ_U(get32(g), 0xa1b23c4du);
    CHECK_EQ_U(get32(g + 20), 101);

    iotap_pcap_record_header(r, 1761984000LL * IOTAP_NS_PER_SEC + 123456789, 60, 1514, false);
    CHECK_EQ_U(get32(r), 1761984000u);
    CHECK_EQ_U(get32(r + 4), 123456);
    CHECK_EQ_U(get32(r + 8), 60);
    CHECK_EQ_U(get32(r + 12), 1514);
    iotap_pcap_record_header(r, 1761984000LL * IOTAP_NS_PER_SEC + 123456789, 60, 1514, true);
    CHECK_EQ_U(get32(r + 4), 123456789);
    /* Before 1970: -0.5 s is second -1 plus 500000 us. */
    iotap_pcap_record_header(r, -500000000LL, 0, 0, false);
    CHECK_EQ_U(get32(r), 0xffffffffu);
    CHECK_EQ_U(get32(r + 4), 500000);
}

/* Writes three packets, reads them back with libpcap. */
static void test_roundtrip(bool nsec)
{
    const char *path = tmp_path(nsec ? "rt-ns.pcap" : "rt-us.pcap");
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    iotap_pcapw *w = iotap_pcapw_new(f, 1, 1000, nsec);
    uint8_t data[300];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7);
    int64_t base = 1761984000LL * IOTAP_NS_PER_SEC;
    CHECK_EQ_I(iotap_pcapw_write(w, base + 1, 60, 60, data), 0);
    CHECK_EQ_I(iotap_pcapw_write(w, base + 999999999, 300, 1514, data), 0);
    CHECK_EQ_I(iotap_pcapw_write(w, base + 2 * IOTAP_NS_PER_SEC + 5000, 0, 42, data), 0);
    CHECK_EQ_I(iotap_pcapw_free(w), 0);
    CHECK_EQ_I(fclose(f), 0);

    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK_EQ_I(pcap_datalink(p), 1);
    CHECK_EQ_I(pcap_snapshot(p), 1000);
    struct pcap_pkthdr *h;
    const u_char *d;
    int64_t want_ns[3] = {base + (nsec ? 1 : 0), base + (nsec ? 999999999 : 999999000),
                          base + 2 * IOTAP_NS_PER_SEC + 5000};
    uint32_t want_cap[3] = {60, 300, 0}, want_len[3] = {60, 1514, 42};
    for (int i = 0; i < 3; i++) {
        int rc = pcap_next_ex(p, &h, &d);
        CHECK_EQ_I(rc, 1);
        if (rc != 1)
            break;
        CHECK_EQ_I((int64_t)h->ts.tv_sec * IOTAP_NS_PER_SEC + h->ts.tv_usec, want_ns[i]);
        CHECK_EQ_U(h->caplen, want_cap[i]);
        CHECK_EQ_U(h->len, want_len[i]);
        CHECK(memcmp(d, data, h->caplen) == 0);
    }
    CHECK_EQ_I(pcap_next_ex(p, &h, &d), PCAP_ERROR_BREAK);
    pcap_close(p);
}

static int read_file(const char *path, uint8_t **buf, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    *buf = NULL;
    *n = 0;
    size_t cap = 0;
    for (;;) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 65536;
            *buf = xrealloc(*buf, cap);
        }
        size_t got = fread(*buf + *n, 1, cap - *n, f);
        if (!got)
            break;
        *n += got;
    }
    fclose(f);
    return 0;
}

/* A public LE microsecond capture, rewritten packet by packet through
 * libpcap's reader and our writer, is byte-identical to the original. */
static void test_copy_corpus(const char *rel)
{
    const char *corpus = test_corpus();
    if (!corpus)
        return;
    char in[1024];
    snprintf(in, sizeof in, "%s/%s", corpus, rel);
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(in, PCAP_TSTAMP_PRECISION_NANO, err);
    CHECK(p != NULL);
    if (!p)
        return;
    const char *out = tmp_path("copy.pcap");
    FILE *f = fopen(out, "wb");
    iotap_pcapw *w = iotap_pcapw_new(f, pcap_datalink(p), (uint32_t)pcap_snapshot(p), false);
    struct pcap_pkthdr *h;
    const u_char *d;
    int n = 0;
    while (pcap_next_ex(p, &h, &d) == 1) {
        CHECK_EQ_I(iotap_pcapw_write(w, (int64_t)h->ts.tv_sec * IOTAP_NS_PER_SEC + h->ts.tv_usec,
                                     h->caplen, h->len, d), 0);
        n++;
    }
    pcap_close(p);
    CHECK_EQ_I(iotap_pcapw_free(w), 0);
    fclose(f);
    CHECK(n > 0);
    uint8_t *a, *b;
    size_t na, nb;
    CHECK_EQ_I(read_file(in, &a, &na), 0);
    CHECK_EQ_I(read_file(out, &b, &nb), 0);
    CHECK_EQ_U(na, nb);
    CHECK(na == nb && memcmp(a, b, na) == 0);
    free(a);
    free(b);
}

static void test_write_error(void)
{
    FILE *f = fopen("/dev/full", "wb");
    if (!f)
        return;
    iotap_pcapw *w = iotap_pcapw_new(f, 1, 65535, false);
    uint8_t data[1500] = {0};
    int failed = 0;
    /* stdio buffers; the failure shows on some write or at the flush. */
    for (int i = 0; i < 100; i++)
        if (iotap_pcapw_write(w, 0, sizeof data, sizeof data, data) != 0)
            failed++;
    CHECK(failed > 0);
    CHECK_EQ_I(iotap_pcapw_free(w), -1);
    fclose(f);
}

int main(void)
{
    test_headers();
    test_roundtrip(false);
    test_roundtrip(true);
    test_copy_corpus("zeek/testing/btest/Traces/http/get.pcap");
    test_copy_corpus("zeek/testing/btest/Traces/http/bro.org.pcap");
    test_write_error();
    return TEST_DONE();
}
