/*
 * recover.c - crash and power-loss recovery of .partial/.
 *
 * A segment that was being written when the recorder died is one zstd frame
 * without its end: ZSTD_decompressStream still yields everything up to the
 * last flush. We parse that pcap stream (through a bounded cursor: the bytes
 * are untrusted), stop at the last complete record, and write those records
 * as a new, complete frame (.recovering), which then replaces the damaged
 * file by rename and is published with `recovered: true`. Every step can be
 * repeated after another crash. Nothing is left behind in .partial/.
 *
 * Nothing is deleted silently: a leftover with no decodable data at all (a
 * power cut can leave blocks that never reached the disk) is moved to
 * SENSORDIR/.damaged/, and one whose decoding stopped at damage rather than
 * at its end is recovered up to the damage AND kept whole in .damaged/.
 * Only an empty (0-byte) file, created just before a crash, is removed.
 * Both are logged and count as problems (exit status 1).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "cursor.h"
#include "pcapwrite.h"
#include "recint.h"
#include "segw.h"
#include "util.h"

#define REC_MAX_CAPLEN (IOTAP_REC_MAX_SNAPLEN * 4)

int iotap_rec_recover_file(const char *in_path, int out_fd, int level, iotap_sidecar *sc)
{
    bool damaged;
    return iotap_rec_recover_file_ex(in_path, out_fd, level, sc, &damaged);
}

int iotap_rec_recover_file_ex(const char *in_path, int out_fd, int level, iotap_sidecar *sc,
                              bool *damaged)
{
    *damaged = false;
    int in = open(in_path, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        close(out_fd);
        return -1;
    }
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    size_t incap = ZSTD_DStreamInSize(), cap = 2 * (REC_MAX_CAPLEN + 16) + ZSTD_DStreamOutSize();
    uint8_t *ibuf = xmalloc(incap), *buf = xmalloc(cap);
    size_t blen = 0;
    bool have_header = false, stop = false, nsec = false;
    iotap_segw *w = NULL;
    int rc = 0;
    uint32_t snaplen = 0;
    while (!stop) {
        ssize_t n = read(in, ibuf, incap);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        ZSTD_inBuffer ib = { ibuf, (size_t)n, 0 };
        /* Until the input is used up AND zstd had room to give out all it
         * holds (a full output buffer may hide more). */
        for (bool full = true; !stop && (ib.pos < ib.size || full);) {
            ZSTD_outBuffer ob = { buf, cap, blen };
            size_t r = ZSTD_decompressStream(dctx, &ob, &ib);
            if (ZSTD_isError(r)) {
                iotap_warn("%s: zstd: %s; keeping the packets before it", in_path, ZSTD_getErrorName(r));
                stop = true;
                *damaged = true;
            }
            blen = ob.pos;
            full = ob.pos == ob.size;
            if (r == 0)
                stop = true;    /* frame complete; ignore anything after it */
            iotap_cursor c = cur_make(buf, blen);
            if (!have_header && blen >= 24) {
                uint32_t magic = cur_u32le(&c);
                if (magic != 0xa1b2c3d4u && magic != 0xa1b23c4du) {
                    iotap_warn("%s: not a little-endian pcap stream", in_path);
                    stop = true;
                    *damaged = true;
                    blen = 0;
                    break;
                }
                nsec = magic == 0xa1b23c4du;
                cur_skip(&c, 12);
                snaplen = cur_u32le(&c);
                int linktype = (int)cur_u32le(&c);
                w = iotap_segw_new(out_fd, level);
                out_fd = -1;
                uint8_t hdr[24];
                iotap_pcap_global_header(hdr, linktype, snaplen, false);
                iotap_segw_write(w, hdr, sizeof hdr);
                sc->linktype = linktype;
                sc->snaplen = snaplen;
                have_header = true;
            }
            if (!have_header)
                continue;
            /* Every complete record in buf. */
            for (;;) {
                size_t start = c.off;
                if (cur_left(&c) < 16)
                    break;
                uint32_t sec = cur_u32le(&c), frac = cur_u32le(&c);
                uint32_t caplen = cur_u32le(&c), len = cur_u32le(&c);
                if (caplen > REC_MAX_CAPLEN || (frac >= (nsec ? 1000000000u : 1000000u))) {
                    iotap_warn("%s: bad record at decompressed byte %zu; keeping the packets before it",
                               in_path, start);
                    stop = true;
                    *damaged = true;
                    c.off = start;
                    break;
                }
                const uint8_t *data = cur_take(&c, caplen);
                if (!data) {
                    c.off = start;
                    c.err = false;
                    break;
                }
                int64_t ts = (int64_t)sec * IOTAP_NS_PER_SEC + (int64_t)frac * (nsec ? 1 : 1000);
                if (iotap_segw_record(w, ts, caplen, len, data) < 0 && iotap_segw_retry(w) < 0) {
                    rc = -1;
                    stop = true;
                    break;
                }
                if (!sc->has_packets_time) {
                    sc->first_ns = ts;
                    sc->has_packets_time = true;
                }
                sc->last_ns = ts;
                sc->packets++;
                sc->bytes += len;
                sc->captured_bytes += caplen;
            }
            if (c.off) {
                memmove(buf, buf + c.off, blen - c.off);
                blen -= c.off;
            }
        }
    }
    if (!have_header && rc == 0) {
        errno = ENODATA;
        rc = -1;
    }
    if (w && rc == 0) {
        if (iotap_segw_finish(w) < 0) {
            errno = iotap_segw_errno(w);
            rc = -1;
        } else {
            iotap_segw_sha256(w, sc->sha256);
            sc->compressed_bytes = iotap_segw_size(w);
        }
    }
    int e = errno;
    iotap_segw_free(w);
    if (out_fd >= 0)
        close(out_fd);
    close(in);
    ZSTD_freeDCtx(dctx);
    free(ibuf);
    free(buf);
    errno = e;
    return rc;
}

typedef struct leftover {
    char base[IOTAP_REC_NAME_MAX];
    uint64_t seq;
} leftover;

static int by_seq(const void *a, const void *b)
{
    const leftover *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Puts the .partial/ leftover seg into SENSORDIR/.damaged/ under its own
 * name: moved (move = true) or hard-linked (the recovered copy then replaces
 * the .partial/ name). Never overwrites. 0, or -1 with a message. */
static int keep_damaged(const iotap_rec_tree *t, const char *seg, const char *base, bool move)
{
    char dir[IOTAP_REC_NAME_MAX + 16], to[IOTAP_REC_NAME_MAX * 3];
    snprintf(dir, sizeof dir, "%s/.damaged", t->sensordir);
    snprintf(to, sizeof to, "%s/%s.pcap.zst", dir, base);
    int rc;
    if (iotap_rec_mkdirs(dir) < 0) {
        rc = -1;
    } else if (move) {
        rc = iotap_rec_rename_noreplace(seg, to);
    } else {
        rc = link(seg, to);
        if (rc < 0 && errno == EEXIST) {
            struct stat a, b;     /* linked by an earlier, interrupted attempt */
            if (stat(seg, &a) == 0 && stat(to, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
                rc = 0;
            else
                errno = EEXIST;
        }
    }
    if (rc < 0) {
        iotap_warn("%s: cannot keep it in %s: %s; left in place", seg, dir, strerror(errno));
        return -1;
    }
    iotap_rec_fsync_dir(dir);
    iotap_rec_fsync_dir(t->partialdir);
    return 0;
}

static unsigned recover_one(iotap_rec_tree *t, const char *base, const char *interface, int level)
{
    char seg[IOTAP_REC_NAME_MAX * 2], yaml[IOTAP_REC_NAME_MAX * 2], tmp[IOTAP_REC_NAME_MAX * 2];
    snprintf(seg, sizeof seg, "%s/%s.pcap.zst", t->partialdir, base);
    snprintf(yaml, sizeof yaml, "%s/%s.yaml", t->partialdir, base);
    snprintf(tmp, sizeof tmp, "%s/%s.recovering", t->partialdir, base);
    if (access(yaml, F_OK) == 0) {
        /* The crash hit between sidecar and rename: the segment is whole. */
        if (iotap_rec_publish_resume(t, base) < 0) {
            iotap_warn("%s: cannot finish publishing: %s", yaml, strerror(errno));
            return 1;
        }
        iotap_warn("%s: finished an interrupted publish", base);
        return 0;
    }
    if (access(seg, F_OK) != 0)
        return 0;
    int64_t sec;
    uint64_t seq;
    iotap_rec_parse_segname(base, &sec, &seq);
    iotap_sidecar sc;
    iotap_sidecar_init(&sc);
    snprintf(sc.sensor, sizeof sc.sensor, "%s", t->sensor);
    snprintf(sc.interface, sizeof sc.interface, "%s", interface ? interface : "");
    snprintf(sc.source, sizeof sc.source, "recovered");
    snprintf(sc.close_reason, sizeof sc.close_reason, "recovered");
    sc.sequence = seq;
    sc.opened_ns = sec * IOTAP_NS_PER_SEC;
    sc.recovered = true;
    struct stat sb;
    if (stat(seg, &sb) == 0 && sb.st_size == 0) {
        /* Killed between creating the file and its first write (the pcap
         * header is written and synced at once): it never held any data. */
        iotap_warn("%s: no complete data (empty: created just before a crash); removed", seg);
        unlink(seg);
        return 0;
    }
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
        iotap_warn("%s: %s", tmp, strerror(errno));
        return 1;
    }
    bool damaged;
    if (iotap_rec_recover_file_ex(seg, fd, level, &sc, &damaged) < 0) {
        int e = errno;
        unlink(tmp);
        if (e == ENODATA) {
            /* Nothing decodable (e.g. a power cut left blocks that never
             * reached the disk): keep the bytes for a closer look. */
            if (keep_damaged(t, seg, base, true) == 0)
                iotap_warn("%s: no decodable data; moved to %s/.damaged/ (not deleted)", seg, t->sensordir);
            return 1;
        }
        iotap_warn("%s: recovery failed: %s; left in place", seg, strerror(e));
        return 1;
    }
    /* Stopped at damage, not at the end: what follows it is not in the
     * recovered segment, so the original stays in .damaged/ too. */
    if (damaged && keep_damaged(t, seg, base, false) < 0) {
        unlink(tmp);
        return 1;
    }
    if (rename(tmp, seg) < 0 || iotap_rec_publish(t, base, &sc) < 0) {
        iotap_warn("%s: cannot publish recovered segment: %s", seg, strerror(errno));
        return 1;
    }
    iotap_warn("%s: recovered %llu packets after a crash%s", base, (unsigned long long)sc.packets,
               damaged ? " (stopped at damage; the original is in .damaged/)" : "");
    return damaged ? 1 : 0;
}

unsigned iotap_rec_recover_all(iotap_rec_tree *t, const char *interface, int level)
{
    DIR *d = opendir(t->partialdir);
    if (!d)
        return 0;
    leftover *v = NULL;
    size_t n = 0, cap = 0;
    unsigned problems = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        if (name[0] == '.')
            continue;
        char path[IOTAP_REC_NAME_MAX * 2];
        snprintf(path, sizeof path, "%s/%s", t->partialdir, name);
        if (ends_with(name, ".tmp") || ends_with(name, ".recovering")) {
            unlink(path);   /* half-written helper files: their source is still here */
            continue;
        }
        size_t l = strlen(name);
        size_t baselen = ends_with(name, ".pcap.zst") ? l - 9 : ends_with(name, ".yaml") ? l - 5 : 0;
        int64_t sec;
        uint64_t seq;
        char base[IOTAP_REC_NAME_MAX];
        if (!baselen || baselen >= sizeof base) {
            iotap_warn("%s: unknown file in .partial/, left alone", path);
            continue;
        }
        memcpy(base, name, baselen);
        base[baselen] = '\0';
        if (iotap_rec_parse_segname(base, &sec, &seq) < 0) {
            iotap_warn("%s: unknown file in .partial/, left alone", path);
            continue;
        }
        bool dup = false;
        for (size_t i = 0; i < n; i++)
            dup |= strcmp(v[i].base, base) == 0;
        if (dup)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            v = xrealloc(v, cap * sizeof *v);
        }
        snprintf(v[n].base, sizeof v[n].base, "%s", base);
        v[n].seq = seq;
        n++;
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, by_seq);
    for (size_t i = 0; i < n; i++)
        problems += recover_one(t, v[i].base, interface, level);
    free(v);
    return problems;
}
