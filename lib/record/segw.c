/*
 * segw.c - one segment = one zstd frame over a pcap stream (see segw.h).
 *
 * Data path: records are appended to `in` (1 MiB); when it is full, or on a
 * flush, it is pushed through ZSTD_compressStream2 into `out`, and `out` is
 * written to the fd. A failed write leaves `out` (and whatever of `in` zstd
 * did not take yet) untouched and sets `stalled`; nothing is dropped.
 *
 * Durability: after each flush a helper thread fdatasync()s the file, so
 * the flushed bytes survive a power cut without the capture loop waiting
 * for the storage (an SD card can take hundreds of milliseconds, longer
 * than the kernel's capture buffer lasts at full rate). A failed sync is
 * reported by the next flush. Without threads it is done inline.
 */
#include "segw.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "pcapwrite.h"
#include "util.h"

#define SEGW_IN_CAP  (512u << 10)   /* > one record of 256 KiB + 16 */
#define SEGW_OUT_CAP (256u << 10)

struct iotap_segw {
    int fd;
    ZSTD_CCtx *cctx;
    uint8_t *in;
    size_t in_len;          /* staged bytes not yet given to zstd */
    uint8_t *out;
    size_t out_len;         /* compressed bytes waiting in out */
    size_t out_done;        /* of those, already written */
    uint64_t on_disk;
    /* The syncer thread; everything below mu is guarded by it. */
    pthread_t syncer;
    bool syncer_on;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool sync_req, sync_busy, sync_quit;
    int sync_err;               /* from the syncer, not yet reported */
    uint64_t sync_target;       /* on_disk to make durable */
    uint64_t synced_upto;       /* on_disk at the last successful fdatasync */
    uint64_t syncs;
    uint64_t fed, produced;     /* totals in and out of zstd (for estimates) */
    double ratio;               /* produced/fed at the last complete flush */
    EVP_MD_CTX *sha;
    bool stalled, ended, synced;
    int err;
};

iotap_segw *iotap_segw_new(int fd, int level)
{
    iotap_segw *w = xcalloc(1, sizeof *w);
    w->fd = fd;
    w->cctx = ZSTD_createCCtx();
    if (!w->cctx || ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, level)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_checksumFlag, 1))) {
        ZSTD_freeCCtx(w->cctx);
        free(w);
        return NULL;
    }
    /* With a second core, zstd compresses in a worker thread while we read
     * packets (still one frame; ZSTD_e_flush still waits for the data). */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus > 1)
        ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_nbWorkers, 1);   /* ignored without MT support */
    w->ratio = 1.0;             /* until a flush teaches us better */
    w->in = xmalloc(SEGW_IN_CAP);
    w->out = xmalloc(SEGW_OUT_CAP);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->sha = EVP_MD_CTX_new();
    if (!w->sha || EVP_DigestInit_ex(w->sha, EVP_sha256(), NULL) != 1)
        iotap_die("SHA-256 unavailable in libcrypto");
    return w;
}

/* Writes out[out_done..out_len). 0 when all of it is on disk. */
static int drain(iotap_segw *w)
{
    while (w->out_done < w->out_len) {
        ssize_t n = write(w->fd, w->out + w->out_done, w->out_len - w->out_done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            w->err = n < 0 ? errno : ENOSPC;
            w->stalled = true;
            return -1;
        }
        EVP_DigestUpdate(w->sha, w->out + w->out_done, (size_t)n);
        w->out_done += (size_t)n;
        w->on_disk += (uint64_t)n;
    }
    w->out_len = w->out_done = 0;
    return 0;
}

/* Pushes the staged input through zstd with the given directive; for
 * flush/end keeps going until zstd says nothing is left. 0 or -1 (stalled). */
static int pump(iotap_segw *w, ZSTD_EndDirective mode)
{
    ZSTD_inBuffer ib = { w->in, w->in_len, 0 };
    for (;;) {
        if (w->out_len == SEGW_OUT_CAP && drain(w) < 0)
            break;
        ZSTD_outBuffer ob = { w->out, SEGW_OUT_CAP, w->out_len };
        size_t r = ZSTD_compressStream2(w->cctx, &ob, &ib, mode);
        if (ZSTD_isError(r))
            iotap_die("zstd: %s", ZSTD_getErrorName(r));
        w->produced += ob.pos - w->out_len;
        w->out_len = ob.pos;
        if (mode == ZSTD_e_continue ? ib.pos == ib.size : r == 0)
            break;
    }
    w->fed += ib.pos;
    /* Keep what zstd did not take (only after a stall) at the front. */
    if (ib.pos)
        memmove(w->in, w->in + ib.pos, ib.size - ib.pos);
    w->in_len = ib.size - ib.pos;
    if (w->stalled)
        return -1;
    if (mode != ZSTD_e_continue) {
        /* Everything fed so far is now out: a true ratio. */
        if (w->fed)
            w->ratio = (double)w->produced / (double)w->fed;
        return drain(w);
    }
    return 0;
}

int iotap_segw_write(iotap_segw *w, const void *data, size_t len)
{
    if (w->stalled || w->ended)
        return -1;
    const uint8_t *p = data;
    while (len) {
        if (w->in_len == SEGW_IN_CAP && pump(w, ZSTD_e_continue) < 0) {
            /* Stalled: keep the rest if it fits, so a record is never cut. */
            if (SEGW_IN_CAP - w->in_len < len)
                iotap_die("segment writer: staged record lost");    /* cannot happen: records <= 256 KiB + 16 */
        }
        size_t room = SEGW_IN_CAP - w->in_len, n = len < room ? len : room;
        memcpy(w->in + w->in_len, p, n);
        w->in_len += n;
        p += n;
        len -= n;
    }
    return 0;
}

int iotap_segw_record(iotap_segw *w, int64_t ts_ns, uint32_t caplen, uint32_t len,
                      const uint8_t *data)
{
    if (w->stalled || w->ended)
        return -1;
    /* Make room for the whole record first so a stall never splits it. */
    if (SEGW_IN_CAP - w->in_len < (size_t)caplen + 16 && pump(w, ZSTD_e_continue) < 0 &&
        SEGW_IN_CAP - w->in_len < (size_t)caplen + 16)
        return -1;
    uint8_t hdr[16];
    iotap_pcap_record_header(hdr, ts_ns, caplen, len, false);
    memcpy(w->in + w->in_len, hdr, 16);
    if (caplen)
        memcpy(w->in + w->in_len + 16, data, caplen);
    w->in_len += 16 + (size_t)caplen;
    return 0;
}

int iotap_segw_retry(iotap_segw *w)
{
    if (!w->stalled)
        return 0;
    w->stalled = false;
    if (drain(w) < 0)
        return -1;
    if (w->in_len && pump(w, ZSTD_e_continue) < 0)
        return -1;
    return 0;
}

/* One fdatasync; with mu held on entry and exit (released meanwhile). */
static void sync_once(iotap_segw *w)
{
    uint64_t target = w->sync_target;
    w->sync_req = false;
    w->sync_busy = true;
    pthread_mutex_unlock(&w->mu);
    int r = fdatasync(w->fd), e = errno;
    pthread_mutex_lock(&w->mu);
    w->sync_busy = false;
    if (r < 0 && e != EINVAL) {
        w->sync_err = e;
    } else {
        w->synced_upto = target;
        w->syncs++;
    }
    pthread_cond_broadcast(&w->cv);
}

static void *syncer_main(void *arg)
{
    iotap_segw *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->sync_req && !w->sync_quit)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->sync_req)
            break;
        sync_once(w);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void syncer_stop(iotap_segw *w)
{
    if (!w->syncer_on)
        return;
    pthread_mutex_lock(&w->mu);
    w->sync_quit = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->syncer, NULL);
    w->syncer_on = false;
}

int iotap_segw_flush(iotap_segw *w)
{
    if (w->ended)
        return 0;
    if (iotap_segw_retry(w) < 0)
        return -1;
    if (pump(w, ZSTD_e_flush) < 0)
        return -1;
    /* write() only reaches the page cache; the kernel may sit on it for
     * ~30 s. A power cut must lose at most one flush interval. */
    if (!w->syncer_on && !w->sync_quit) {
        /* The thread takes no signals: they belong to the main loop. */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        w->syncer_on = pthread_create(&w->syncer, NULL, syncer_main, w) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (!w->syncer_on)
            w->sync_quit = true;        /* no thread: sync inline from now on */
    }
    pthread_mutex_lock(&w->mu);
    int err = w->sync_err;
    w->sync_err = 0;
    if (w->on_disk != w->synced_upto && (w->on_disk != w->sync_target || !(w->sync_req || w->sync_busy))) {
        w->sync_target = w->on_disk;
        w->sync_req = true;
        if (w->syncer_on)
            pthread_cond_broadcast(&w->cv);
        else
            sync_once(w);
        if (!w->syncer_on && w->sync_err) {
            err = w->sync_err;
            w->sync_err = 0;
        }
    }
    pthread_mutex_unlock(&w->mu);
    if (err) {
        w->err = err;
        return -1;          /* not stalled: the bytes were accepted */
    }
    return 0;
}

void iotap_segw_sync_wait(iotap_segw *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->syncer_on && (w->sync_req || w->sync_busy))
        pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

uint64_t iotap_segw_syncs(iotap_segw *w)
{
    pthread_mutex_lock(&w->mu);
    uint64_t n = w->syncs;
    pthread_mutex_unlock(&w->mu);
    return n;
}

int iotap_segw_finish(iotap_segw *w)
{
    syncer_stop(w);         /* the final fsync below covers everything */
    w->sync_quit = true;
    if (iotap_segw_retry(w) < 0)
        return -1;
    if (!w->ended) {
        if (pump(w, ZSTD_e_end) < 0)
            return -1;
        w->ended = true;
    }
    if (!w->synced) {
        if (fsync(w->fd) < 0) {
            w->err = errno;
            return -1;
        }
        w->synced = true;
    }
    return 0;
}

bool iotap_segw_stalled(const iotap_segw *w) { return w->stalled; }
int iotap_segw_errno(const iotap_segw *w) { return w->err; }

uint64_t iotap_segw_size(const iotap_segw *w)
{
    return w->on_disk + (w->out_len - w->out_done);
}

uint64_t iotap_segw_estimate(const iotap_segw *w)
{
    /* zstd (in a worker thread, whole jobs of several MiB) may hold much of
     * what it was fed, so count all fed bytes at the last known ratio. */
    uint64_t out = iotap_segw_size(w), guess = (uint64_t)((double)w->fed * w->ratio);
    return (out > guess ? out : guess) + (uint64_t)((double)w->in_len * w->ratio);
}

void iotap_segw_sha256(const iotap_segw *w, char hex[65])
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || EVP_MD_CTX_copy_ex(c, w->sha) != 1 || EVP_DigestFinal_ex(c, md, &mdlen) != 1)
        iotap_die("SHA-256 failed");
    EVP_MD_CTX_free(c);
    for (unsigned i = 0; i < 32 && i < mdlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[64] = '\0';
}

void iotap_segw_free(iotap_segw *w)
{
    if (!w)
        return;
    syncer_stop(w);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    if (w->fd >= 0)
        close(w->fd);
    ZSTD_freeCCtx(w->cctx);
    EVP_MD_CTX_free(w->sha);
    free(w->in);
    free(w->out);
    free(w);
}
