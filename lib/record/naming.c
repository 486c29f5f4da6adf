/*
 * naming.c - segment names, dated directories and the state that survives
 * restarts (see record.h).
 *
 * SENSORDIR/.seq holds one line "NEXT_SEQ PREV_SHA256" written by temp file,
 * fsync and rename, so a power cut leaves either the old or the new state.
 * If it is lost, the highest sequence number found in the tree (finished
 * segments and .partial/) still keeps new names from colliding; segment
 * files are created with O_EXCL in any case.
 */
#include "record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sidecar.h"
#include "util.h"

void iotap_rec_segname(char *buf, size_t n, const char *sensor, int64_t sec, uint64_t seq)
{
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm);
    snprintf(buf, n, "%s-%04d%02d%02dT%02d%02d%02dZ-%06llu", sensor, tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned long long)seq);
}

int iotap_rec_parse_segname(const char *name, int64_t *sec, uint64_t *seq)
{
    /* Parse from the end: the sensor name may itself contain '-'. */
    const char *slash = strrchr(name, '/');
    if (slash)
        name = slash + 1;
    size_t len = strlen(name);
    /* Strip only the extensions the recorder itself adds: the sensor name
     * may contain '.' ("pi.lan"). */
    static const char *const exts[] = { ".pcap.zst", ".yaml.tmp", ".yaml", ".recovering" };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t el = strlen(exts[i]);
        if (len > el && strcmp(name + len - el, exts[i]) == 0) {
            len -= el;
            break;
        }
    }
    /* ...-YYYYMMDDTHHMMSSZ-NNNNNN : at least 1+16+1+6 after the sensor */
    const char *dash = NULL;
    for (size_t i = len; i-- > 0;)
        if (name[i] == '-') {
            dash = name + i;
            break;
        }
    if (!dash || dash - name < 17 || len - (size_t)(dash - name) < 2)
        return -1;
    uint64_t s = 0;
    for (const char *p = dash + 1; p < name + len; p++) {
        if (*p < '0' || *p > '9' || s > UINT64_MAX / 10 - 10)
            return -1;
        s = s * 10 + (uint64_t)(*p - '0');
    }
    const char *ts = dash - 16;
    if (ts[-1] != '-' || ts[8] != 'T' || ts[15] != 'Z')
        return -1;
    char iso[32];
    snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", ts, ts + 4, ts + 6, ts + 9,
             ts + 11, ts + 13);
    int64_t ns;
    if (iotap_parse_time(iso, &ns) < 0)
        return -1;
    *sec = ns / IOTAP_NS_PER_SEC;
    *seq = s;
    return 0;
}

void iotap_rec_datedir(char *buf, size_t n, const char *sensordir, int64_t sec)
{
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm);
    snprintf(buf, n, "%s/%04d/%02d/%02d", sensordir, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int iotap_rec_fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

int iotap_rec_mkdirs(const char *path)
{
    char tmp[IOTAP_REC_NAME_MAX * 2];
    if (strlen(path) >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(tmp, path);
    for (char *p = tmp + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(tmp, 0750) == 0) {
            /* Make the new entry durable in its parent. */
            char *slash = strrchr(tmp, '/');
            if (slash && slash != tmp) {
                *slash = '\0';
                iotap_rec_fsync_dir(tmp);
                *slash = '/';
            }
        } else if (errno != EEXIST) {
            return -1;
        }
        *p = c;
        if (!c)
            break;
    }
    return 0;
}

/* Recursively visits sensordir/YYYY/MM/DD (numeric names only). */
static void walk(const char *dir, int depth, iotap_rec_seg_fn fn, void *ctx)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        if (n[0] == '.')
            continue;           /* ., .., .partial, .seq */
        char path[IOTAP_REC_NAME_MAX * 2];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, n) >= sizeof path)
            continue;
        if (depth < 3) {
            if (strspn(n, "0123456789") == strlen(n))
                walk(path, depth + 1, fn, ctx);
        } else {
            size_t l = strlen(n);
            if (l > 9 && strcmp(n + l - 9, ".pcap.zst") == 0)
                fn(path, n, ctx);
        }
    }
    closedir(d);
}

void iotap_rec_walk_segments(const char *sensordir, iotap_rec_seg_fn fn, void *ctx)
{
    walk(sensordir, 0, fn, ctx);
}

static void max_seq(const char *path, const char *base, void *ctx)
{
    (void)path;
    int64_t sec;
    uint64_t seq, *m = ctx;
    if (iotap_rec_parse_segname(base, &sec, &seq) == 0 && seq + 1 > *m)
        *m = seq + 1;
}

/* The finished segment with the highest sequence number (its path). */
typedef struct newest {
    uint64_t seq;
    bool found;
    char path[IOTAP_REC_NAME_MAX * 2];
} newest;

static void newest_seg(const char *path, const char *base, void *ctx)
{
    int64_t sec;
    uint64_t seq;
    newest *nw = ctx;
    if (iotap_rec_parse_segname(base, &sec, &seq) == 0 && (!nw->found || seq > nw->seq) &&
        strlen(path) < sizeof nw->path) {
        nw->seq = seq;
        nw->found = true;
        strcpy(nw->path, path);
    }
}

void iotap_rec_state_load(const char *sensordir, const char *sensor, iotap_rec_state *st)
{
    (void)sensor;
    memset(st, 0, sizeof *st);
    char path[IOTAP_REC_NAME_MAX * 2];
    snprintf(path, sizeof path, "%s/.seq", sensordir);
    FILE *f = fopen(path, "r");
    if (f) {
        unsigned long long n = 0;
        char hex[65] = "";
        int k = fscanf(f, "%llu %64[0-9a-f]", &n, hex);
        if (k >= 1)
            st->next_seq = n;
        if (k == 2 && strlen(hex) == 64)
            memcpy(st->prev_sha256, hex, 65);
        fclose(f);
    }
    uint64_t m = st->next_seq;
    iotap_rec_walk_segments(sensordir, max_seq, &m);
    /* A crash between a segment's rename into place and the .seq update
     * leaves .seq one link behind; the newest finished segment's sidecar
     * is then the truth, or the next segment would break the hash chain.
     * (When the workstation has pulled every segment, .seq is all there is.) */
    newest nw = { 0 };
    iotap_rec_walk_segments(sensordir, newest_seg, &nw);
    if (nw.found && nw.seq + 1 >= st->next_seq) {
        char yaml[sizeof nw.path + 8], err[256];
        size_t l = strlen(nw.path) - strlen(".pcap.zst");
        snprintf(yaml, sizeof yaml, "%.*s.yaml", (int)l, nw.path);
        iotap_sidecar sc;
        if (iotap_sidecar_read(yaml, &sc, err, sizeof err) == 0 && strlen(sc.sha256) == 64)
            memcpy(st->prev_sha256, sc.sha256, 65);
    }
    /* .partial/ leftovers count too. */
    snprintf(path, sizeof path, "%s/.partial", sensordir);
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (e->d_name[0] != '.')
                max_seq(NULL, e->d_name, &m);
        closedir(d);
    }
    st->next_seq = m;
}

int iotap_rec_state_save(const char *sensordir, const iotap_rec_state *st)
{
    char path[IOTAP_REC_NAME_MAX * 2], tmp[IOTAP_REC_NAME_MAX * 2 + 8];
    snprintf(path, sizeof path, "%s/.seq", sensordir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    char line[128];
    int n = snprintf(line, sizeof line, "%llu %s\n", (unsigned long long)st->next_seq,
                     st->prev_sha256[0] ? st->prev_sha256 : "-");
    if (write(fd, line, (size_t)n) != n || fsync(fd) < 0) {
        int e = errno ? errno : EIO;
        close(fd);
        unlink(tmp);
        errno = e;
        return -1;
    }
    close(fd);
    if (rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    iotap_rec_fsync_dir(sensordir);
    return 0;
}
