/*
 * segments.c - iotap-segments' listing (see segments.h). Reads sidecars with
 * the recorder's own reader, hashes each segment with libcrypto, and writes
 * one CSV row per segment through csvout.
 */
#include "segments.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvout.h"
#include "record.h"
#include "sidecar.h"
#include "util.h"

typedef struct ent {
    char *path;
    char sensor[128];
    uint64_t seq;
    bool has_sc;
    char sc_err[256];
    iotap_sidecar sc;
    char sha[65];       /* computed, "" when not verified or unreadable */
} ent;

static ent *g_v;
static size_t g_n, g_cap;

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static void add(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    int64_t sec;
    uint64_t seq;
    if (!ends_with(base, ".pcap.zst") || iotap_rec_parse_segname(base, &sec, &seq) < 0)
        return;
    if (g_n == g_cap) {
        g_cap = g_cap ? g_cap * 2 : 64;
        g_v = xrealloc(g_v, g_cap * sizeof *g_v);
    }
    ent *e = &g_v[g_n++];
    memset(e, 0, sizeof *e);
    e->path = xstrdup(path);
    e->seq = seq;
    /* Sensor = name minus "-YYYYMMDDTHHMMSSZ-NNNNNN.pcap.zst". */
    size_t l = strlen(base) - 9;
    const char *p = base + l;
    int dashes = 0;
    while (p > base && dashes < 2)
        if (*--p == '-')
            dashes++;
    snprintf(e->sensor, sizeof e->sensor, "%.*s", (int)(p - base), base);
}

/* Files the recorder could not (fully) recover and kept aside in
 * SENSOR/.damaged/: never segments, each one reported as a problem. */
static long g_damaged;

static int visit_damaged(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)ftw;
    if (flag == FTW_F) {
        iotap_warn("%s: a crash leftover the recorder could not fully recover (%lld bytes, "
                   "kept for inspection)", path, (long long)sb->st_size);
        g_damaged++;
    }
    return FTW_CONTINUE;
}

static int visit(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    if (flag == FTW_D && ftw->level > 0 && strcmp(path + ftw->base, ".partial") == 0)
        return FTW_SKIP_SUBTREE;
    if (flag == FTW_D && ftw->level > 0 && strcmp(path + ftw->base, ".damaged") == 0) {
        nftw(path, visit_damaged, 8, FTW_PHYS);
        return FTW_SKIP_SUBTREE;
    }
    if (flag == FTW_F)
        add(path);
    return FTW_CONTINUE;
}

static int by_order(const void *a, const void *b)
{
    const ent *x = a, *y = b;
    int c = strcmp(x->sensor, y->sensor);
    if (c)
        return c;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return strcmp(x->path, y->path);
}

static void hash_file(ent *e)
{
    int fd = open(e->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    static uint8_t buf[1 << 16];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        EVP_DigestUpdate(c, buf, (size_t)n);
    close(fd);
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(c, md, &len);
    EVP_MD_CTX_free(c);
    if (n < 0)
        return;
    for (unsigned i = 0; i < 32 && i < len; i++)
        snprintf(e->sha + 2 * i, 3, "%02x", md[i]);
}

static void csv_opt_time(iotap_csv *c, int64_t ns, bool known)
{
    if (known)
        iotap_csv_time(c, ns);
    else
        iotap_csv_str(c, NULL);
}

static void csv_opt_i64(iotap_csv *c, int64_t v)
{
    if (v >= 0)
        iotap_csv_i64(c, v);
    else
        iotap_csv_str(c, NULL);
}

static void addp(char *buf, size_t n, const char *what)
{
    size_t l = strlen(buf);
    snprintf(buf + l, n - l, "%s%s", l ? ";" : "", what);
}

long iotap_segments_report(const char *const *inputs, size_t n, FILE *out, bool verify)
{
    long problems = 0;
    bool unreadable = false;
    g_v = NULL;
    g_n = g_cap = 0;
    g_damaged = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(inputs[i], &st) < 0) {
            iotap_warn("%s: %s", inputs[i], strerror(errno));
            unreadable = true;
        } else if (S_ISDIR(st.st_mode)) {
            nftw(inputs[i], visit, 32, FTW_PHYS | FTW_ACTIONRETVAL);
        } else {
            add(inputs[i]);
        }
    }
    for (size_t i = 0; i < g_n; i++) {
        ent *e = &g_v[i];
        char yaml[4096];
        snprintf(yaml, sizeof yaml, "%.*s.yaml", (int)(strlen(e->path) - 9), e->path);
        if (access(yaml, F_OK) == 0) {
            e->has_sc = iotap_sidecar_read(yaml, &e->sc, e->sc_err, sizeof e->sc_err) == 0;
            if (!e->has_sc)
                iotap_warn("%s: %s", yaml, e->sc_err);
            else if (e->sc.sensor[0])
                snprintf(e->sensor, sizeof e->sensor, "%s", e->sc.sensor);
        } else {
            snprintf(e->sc_err, sizeof e->sc_err, "no sidecar");
        }
        if (verify)
            hash_file(e);
    }
    if (g_n)
        qsort(g_v, g_n, sizeof *g_v, by_order);

    iotap_csv *c = iotap_csv_new(out);
    iotap_csv_header(c, (const char *[]){ "file", "sensor", "sequence", "interface", "opened", "closed",
        "first_packet", "last_packet", "packets", "bytes", "compressed_bytes", "kernel_drops",
        "interface_drops", "lost_packets", "recovered", "close_reason", "missing_before",
        "gap_seconds", "gap_reason", "clock_jump_seconds", "sliced_packets", "slice_saved_bytes",
        "sha256_ok", "chain", "problems", NULL });
    for (size_t i = 0; i < g_n; i++) {
        ent *e = &g_v[i];
        const ent *prev = i > 0 && strcmp(g_v[i - 1].sensor, e->sensor) == 0 ? &g_v[i - 1] : NULL;
        const iotap_sidecar *s = &e->sc;
        char prob[512] = "";
        if (!e->has_sc) {
            addp(prob, sizeof prob, e->sc_err[0] ? e->sc_err : "no sidecar");
            problems++;
        }
        iotap_csv_str(c, e->path);
        iotap_csv_str(c, e->sensor);
        iotap_csv_u64(c, e->seq);
        iotap_csv_str(c, e->has_sc ? s->interface : NULL);
        csv_opt_time(c, s->opened_ns, e->has_sc && s->opened_ns);
        csv_opt_time(c, s->closed_ns, e->has_sc && s->closed_ns);
        csv_opt_time(c, s->first_ns, e->has_sc && s->has_packets_time);
        csv_opt_time(c, s->last_ns, e->has_sc && s->has_packets_time);
        if (e->has_sc) {
            iotap_csv_u64(c, s->packets);
            iotap_csv_u64(c, s->bytes);
            iotap_csv_u64(c, s->compressed_bytes);
            csv_opt_i64(c, s->kernel_drops);
            csv_opt_i64(c, s->interface_drops);
            iotap_csv_u64(c, s->lost_packets);
            iotap_csv_str(c, s->recovered ? "true" : "false");
            iotap_csv_str(c, s->close_reason);
        } else {
            for (int k = 0; k < 8; k++)
                iotap_csv_str(c, NULL);
        }
        if (s->kernel_drops > 0 || s->interface_drops > 0)
            addp(prob, sizeof prob, "drops");
        if (s->lost_packets)
            addp(prob, sizeof prob, "lost packets");
        if (s->recovered)
            addp(prob, sizeof prob, "recovered after a crash");
        /* Gaps: missing sequence numbers, and time not recorded. */
        uint64_t missing = prev && e->seq > prev->seq ? e->seq - prev->seq - 1 : 0;
        if (prev)
            iotap_csv_u64(c, missing);
        else
            iotap_csv_str(c, NULL);
        if (missing)
            addp(prob, sizeof prob, "missing segments before");
        double gap = 0;
        if (e->has_sc && s->gap_start_ns && s->opened_ns > s->gap_start_ns)
            gap = (double)(s->opened_ns - s->gap_start_ns) / 1e9;
        if (prev && prev->has_sc && e->has_sc && s->opened_ns) {
            int64_t end = prev->sc.closed_ns ? prev->sc.closed_ns : prev->sc.last_ns;
            if (end && s->opened_ns - end > IOTAP_NS_PER_SEC && (double)(s->opened_ns - end) / 1e9 > gap &&
                strcmp(s->source, "file") != 0)
                gap = (double)(s->opened_ns - end) / 1e9;
        }
        iotap_csv_printf(c, "%.3f", gap);
        iotap_csv_str(c, e->has_sc ? s->gap_reason : NULL);
        if (gap > 0)
            addp(prob, sizeof prob, "gap");
        iotap_csv_printf(c, "%.3f", (double)s->clock_jump_ns / 1e9);
        if (s->clock_jump_ns)
            addp(prob, sizeof prob, "clock jump");
        iotap_csv_u64(c, s->sliced_packets);
        iotap_csv_u64(c, s->slice_saved_bytes);
        /* Integrity. */
        bool sha_ok = true;
        if (!verify || !e->has_sc) {
            iotap_csv_str(c, NULL);
        } else {
            sha_ok = e->sha[0] && strcmp(e->sha, s->sha256) == 0;
            iotap_csv_str(c, sha_ok ? "true" : "false");
            if (!sha_ok) {
                addp(prob, sizeof prob, e->sha[0] ? "sha256 mismatch" : "unreadable");
                problems++;
            }
        }
        const char *chain;
        if (!e->has_sc)
            chain = "";
        else if (!prev)
            chain = "start";
        else if (!prev->has_sc)
            chain = "unknown";
        else {
            /* The previous file's real hash when we have it, else its sidecar's.
             * Missing sequence numbers that still link (leftovers with no
             * complete packet, removed at recovery) are "ok"; ones that do
             * not may hold the link, so the chain is "unknown" there. */
            const char *ph = verify && prev->sha[0] ? prev->sha : prev->sc.sha256;
            chain = strcmp(s->prev_sha256, ph) == 0 ? "ok" : missing ? "unknown" : "broken";
            if (*chain == 'b') {
                addp(prob, sizeof prob, "hash chain broken");
                problems++;
            }
        }
        iotap_csv_str(c, chain);
        iotap_csv_str(c, prob);
        iotap_csv_end(c);
    }
    int wr = iotap_csv_close(c);
    for (size_t i = 0; i < g_n; i++)
        free(g_v[i].path);
    free(g_v);
    g_v = NULL;
    if (wr < 0 || unreadable)
        return -1;
    return problems + g_damaged;
}
