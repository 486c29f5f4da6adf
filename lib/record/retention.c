/*
 * retention.c - keeps the recorder inside its disk budget: while the
 * finished segments (with sidecars) of this sensor exceed max_bytes, or the
 * file system has less than min_free available, the oldest segment (lowest
 * sequence number: capture order even when the clock was wrong) is deleted
 * with its sidecar, and each deletion is logged. The segment being written
 * lives in .partial/ and is never a candidate.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "recint.h"
#include "util.h"

typedef struct seg {
    char *path;
    uint64_t seq, size;
} seg;

typedef struct seglist {
    seg *v;
    size_t n, cap;
    uint64_t total;
} seglist;

static void sidecar_path(const char *seg_path, char *buf, size_t n)
{
    size_t l = strlen(seg_path);
    snprintf(buf, n, "%.*s.yaml", (int)(l > 9 ? l - 9 : l), seg_path);
}

static void collect(const char *path, const char *base, void *ctx)
{
    seglist *l = ctx;
    int64_t sec;
    uint64_t seq;
    if (iotap_rec_parse_segname(base, &sec, &seq) < 0)
        return;
    struct stat st;
    uint64_t size = 0;
    if (stat(path, &st) == 0)
        size += (uint64_t)st.st_size;
    char sc[IOTAP_REC_NAME_MAX * 3];
    sidecar_path(path, sc, sizeof sc);
    if (stat(sc, &st) == 0)
        size += (uint64_t)st.st_size;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (seg){ xstrdup(path), seq, size };
    l->total += size;
}

static int by_seq(const void *a, const void *b)
{
    const seg *x = a, *y = b;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return strcmp(x->path, y->path);
}

static uint64_t free_bytes(const char *dir)
{
    struct statvfs vfs;
    if (statvfs(dir, &vfs) < 0)
        return UINT64_MAX;
    return (uint64_t)vfs.f_bavail * vfs.f_frsize;
}

unsigned iotap_rec_retention(const iotap_rec_tree *t, uint64_t max_bytes, uint64_t min_free)
{
    if (!max_bytes && !min_free)
        return 0;
    seglist l = { 0 };
    iotap_rec_walk_segments(t->sensordir, collect, &l);
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, by_seq);
    unsigned deleted = 0;
    for (size_t i = 0; i < l.n; i++) {
        bool over = max_bytes && l.total > max_bytes;
        bool low = min_free && free_bytes(t->sensordir) < min_free;
        if (!over && !low)
            break;
        char sc[IOTAP_REC_NAME_MAX * 3];
        sidecar_path(l.v[i].path, sc, sizeof sc);
        if (unlink(l.v[i].path) < 0 && errno != ENOENT) {
            iotap_warn("retention: cannot delete %s: %s", l.v[i].path, strerror(errno));
            continue;
        }
        unlink(sc);
        iotap_warn("retention: deleted %s (%llu bytes; %s)", l.v[i].path,
                   (unsigned long long)l.v[i].size, over ? "max_bytes" : "min_free");
        l.total -= l.v[i].size;
        deleted++;
        /* Drop the dated directories it leaves empty (rmdir fails otherwise). */
        char dir[IOTAP_REC_NAME_MAX * 3];
        snprintf(dir, sizeof dir, "%s", l.v[i].path);
        for (int k = 0; k < 3; k++) {
            char *slash = strrchr(dir, '/');
            if (!slash)
                break;
            *slash = '\0';
            if (strlen(dir) <= strlen(t->sensordir) || rmdir(dir) < 0)
                break;
        }
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i].path);
    free(l.v);
    return deleted;
}
