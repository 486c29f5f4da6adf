/* test-record-segw.c - the segment writer and the crash-recovery decoder:
 * a flushed but unfinished frame recovers every flushed packet; a frame cut
 * anywhere recovers an exact prefix; the writer's SHA-256 is the file's;
 * garbage recovers nothing. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "record/recint.h"
#include "record/segw.h"
#include "pcapwrite.h"
#include "test.h"
#include "util.h"

static char dir[512];

static void path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

static void sha_file(const char *p, char hex[65])
{
    FILE *f = fopen(p, "rb");
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    uint8_t b[4096];
    size_t n;
    while (f && (n = fread(b, 1, sizeof b, f)) > 0)
        EVP_DigestUpdate(c, b, n);
    if (f)
        fclose(f);
    uint8_t md[32];
    unsigned l;
    EVP_DigestFinal_ex(c, md, &l);
    EVP_MD_CTX_free(c);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* Copies the first n bytes of a file. */
static void copy_prefix(const char *from, const char *to, off_t n)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    for (off_t i = 0; i < n; i++) {
        int ch = fgetc(a);
        if (ch == EOF)
            break;
        fputc(ch, b);
    }
    fclose(a);
    fclose(b);
}

static void packet(uint8_t *buf, uint32_t i, uint32_t len)
{
    for (uint32_t k = 0; k < len; k++)
        buf[k] = (uint8_t)(i * 31 + k * 7 + (k >> 3));
    memcpy(buf, &i, 4);
}

/* Recovers `in` into `out`; returns packets (or -1) and checks each one. */
static long recover_check(const char *in, const char *out, long expect_max)
{
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0640);
    iotap_sidecar sc;
    iotap_sidecar_init(&sc);
    if (iotap_rec_recover_file(in, fd, 3, &sc) < 0)
        return -1;
    /* Read back with zstd: a complete frame holding exactly sc.packets records. */
    FILE *f = fopen(out, "rb");
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    rewind(f);
    uint8_t *z = malloc((size_t)sz);
    CHECK_EQ_U(fread(z, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    unsigned long long raw = ZSTD_getFrameContentSize(z, (size_t)sz);
    size_t cap = 24 + (size_t)expect_max * (16 + 2000) + 1;
    uint8_t *d = malloc(cap);
    size_t dn = ZSTD_decompress(d, cap, z, (size_t)sz);
    CHECK(!ZSTD_isError(dn));
    (void)raw;
    long n = 0;
    size_t off = 24;
    uint8_t want[2000];
    while (!ZSTD_isError(dn) && off + 16 <= dn) {
        uint32_t caplen, ii;
        memcpy(&caplen, d + off + 8, 4);
        memcpy(&ii, d + off + 16, 4);
        packet(want, (uint32_t)n, caplen);
        CHECK_EQ_U(ii, (uint64_t)n);
        CHECK(memcmp(want, d + off + 16, caplen) == 0);
        off += 16 + caplen;
        n++;
    }
    CHECK_EQ_U(off, ZSTD_isError(dn) ? off : dn);
    CHECK_EQ_U(sc.packets, (uint64_t)n);
    char h[65];
    sha_file(out, h);
    CHECK_STR(sc.sha256, h);
    free(z);
    free(d);
    return n;
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/segw-%d", test_tmpdir(), (int)getpid());
    mkdir(dir, 0750);
    char seg[700], cut[700], out[700];
    path(seg, sizeof seg, "seg.pcap.zst");
    path(cut, sizeof cut, "cut.pcap.zst");
    path(out, sizeof out, "out.pcap.zst");
    int fd = open(seg, O_WRONLY | O_CREAT | O_TRUNC, 0640);
    iotap_segw *w = iotap_segw_new(fd, 3);
    uint8_t hdr[24], buf[2000];
    iotap_pcap_global_header(hdr, 1, 262144, false);
    CHECK_EQ_I(iotap_segw_write(w, hdr, 24), 0);
    const long N = 3000;
    for (long i = 0; i < N; i++) {
        uint32_t len = 60 + (uint32_t)(i * 37 % 1400);
        packet(buf, (uint32_t)i, len);
        CHECK_EQ_I(iotap_segw_record(w, (int64_t)i * 1000000, len, len + 4, buf), 0);
        if (i == 999) {
            CHECK_EQ_I(iotap_segw_flush(w), 0);
            /* A periodic flush must reach the disk, not just the page cache
             * (power loss): it is followed by an fdatasync. */
            iotap_segw_sync_wait(w);
            CHECK_EQ_U(iotap_segw_syncs(w), 1);
        }
    }
    /* Flushed but not finished: like the file a crash leaves behind. */
    CHECK_EQ_I(iotap_segw_flush(w), 0);
    iotap_segw_sync_wait(w);
    CHECK_EQ_U(iotap_segw_syncs(w), 2);
    CHECK_EQ_I(iotap_segw_flush(w), 0);     /* nothing new: no extra sync */
    iotap_segw_sync_wait(w);
    CHECK_EQ_U(iotap_segw_syncs(w), 2);
    struct stat st;
    stat(seg, &st);
    CHECK_EQ_U(iotap_segw_size(w), (uint64_t)st.st_size);
    copy_prefix(seg, cut, st.st_size);
    CHECK_EQ_I(recover_check(cut, out, N), N);
    /* Cut anywhere: an exact prefix, never more than was written. */
    for (off_t at = 30; at < st.st_size; at += st.st_size / 7) {
        copy_prefix(seg, cut, at);
        long n = recover_check(cut, out, N);
        CHECK(n <= N && (n >= 0 || at < 100));   /* too short for the pcap header: nothing */
    }
    CHECK_EQ_I(iotap_segw_finish(w), 0);
    char h1[65], h2[65];
    iotap_segw_sha256(w, h1);
    iotap_segw_free(w);
    sha_file(seg, h2);
    CHECK_STR(h1, h2);
    CHECK_EQ_I(recover_check(seg, out, N), N);
    /* Not zstd at all / empty: nothing to recover. */
    FILE *f = fopen(cut, "wb");
    fputs("this is not a zstd frame at all, just text", f);
    fclose(f);
    CHECK_EQ_I(recover_check(cut, out, N), -1);
    f = fopen(cut, "wb");
    fclose(f);
    CHECK_EQ_I(recover_check(cut, out, N), -1);
    CHECK_EQ_I(errno, ENODATA);
    return TEST_DONE();
}
