/*
 * recorder.c - iotap-record's main loop (see record.h for the module map).
 *
 * One thread, one poll() loop. Timers run on CLOCK_MONOTONIC; the wall clock
 * only names segments, aligns time rotation and is watched for jumps (its
 * progress compared with the monotonic clock's). Every TICK_MS the loop
 * handles signals, flushes the current segment when the flush interval has
 * passed, rotates on time, retries stalled writes and unfinished closes,
 * and reopens a lost interface.
 *
 * Live mode: libpcap non-blocking on its selectable fd. The segment is open
 * whenever the capture is, so an idle link still rotates on time.
 *
 * Offline mode (-r): libpcap reads through an fopencookie() stream whose read
 * function polls the real fd with the tick as timeout, so a slow pipe is
 * still flushed on time and SIGTERM ends it. Packet times drive rotation;
 * segments open at the first packet. A full disk makes it wait (nothing is
 * dropped); live mode cannot wait and counts what it drops in the sidecar.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pcapwrite.h"
#include "recint.h"
#include "segw.h"
#include "util.h"

#define TICK_MS 200
#define CLOCK_JUMP_NS (5 * IOTAP_NS_PER_SEC)
#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 10000

static volatile sig_atomic_t g_stop, g_hup;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        g_hup = 1;
    else
        g_stop = 1;
}

typedef struct segment {
    iotap_segw *w;
    char base[IOTAP_REC_NAME_MAX];
    iotap_sidecar sc;
    int64_t boundary_ns;        /* time rotation: close at or after this */
    struct pcap_stat stat0;
    bool have_stat0;
} segment;

typedef struct rec {
    const iotap_rec_opts *o;
    iotap_rec_tree tree;
    bool live;
    pcap_t *pc;
    int pfd;                    /* live: selectable fd */
    int infd;                   /* offline: input fd */
    int linktype;
    bool open, closing;         /* cur is open / done is waiting to be finished */
    segment cur, done;
    /* Notes for the next segment's sidecar. */
    int64_t gap_start_ns;
    char gap_reason[32];
    uint64_t pending_lost;
    /* Timers. */
    int64_t mono_last, wall_last, next_tick, next_flush, reopen_at;
    int64_t backoff_ms;
    const char *offset_file;    /* test hook */
    iotap_slicer *slicer;
    bool stall_logged, close_logged, sync_logged, in_read;
    char last_open_err[PCAP_ERRBUF_SIZE];
    uint64_t lost_total;
    int status;
} rec;

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * IOTAP_NS_PER_SEC + ts.tv_nsec;
}

static int64_t wall_ns(const rec *r)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t t = (int64_t)ts.tv_sec * IOTAP_NS_PER_SEC + ts.tv_nsec;
    if (r->offset_file) {
        FILE *f = fopen(r->offset_file, "r");
        double off = 0;
        if (f) {
            if (fscanf(f, "%lf", &off) != 1)
                off = 0;
            fclose(f);
        }
        if (isfinite(off) && fabs(off) < 1e9)
            t += (int64_t)(off * 1e9);
    }
    return t;
}

static const char *errstr(int e) { return strerror(e ? e : EIO); }

/* ---- closing ---- */

/* Tries to finish and publish r->done. 0 when it is published. */
static int finish_done(rec *r)
{
    segment *s = &r->done;
    if (iotap_segw_finish(s->w) < 0) {
        if (!r->close_logged)
            iotap_warn("%s: cannot finish segment: %s; will retry", s->base, errstr(iotap_segw_errno(s->w)));
        r->close_logged = true;
        return -1;
    }
    iotap_segw_sha256(s->w, s->sc.sha256);
    s->sc.compressed_bytes = iotap_segw_size(s->w);
    if (iotap_rec_publish(&r->tree, s->base, &s->sc) < 0) {
        if (!r->close_logged)
            iotap_warn("%s: cannot publish segment: %s: %s; will retry", s->base,
                       iotap_rec_publish_failed_path(), strerror(errno));
        r->close_logged = true;
        return -1;
    }
    if (r->close_logged)
        iotap_warn("%s: finished after all", s->base);
    r->close_logged = false;
    iotap_segw_free(s->w);
    s->w = NULL;
    r->closing = false;
    iotap_rec_retention(&r->tree, r->o->max_bytes, r->o->min_free);
    return 0;
}

static void close_segment(rec *r, const char *reason)
{
    if (!r->open)
        return;
    segment *s = &r->cur;
    s->sc.closed_ns = wall_ns(r);
    snprintf(s->sc.close_reason, sizeof s->sc.close_reason, "%s", reason);
    if (r->live && s->have_stat0) {
        struct pcap_stat now;
        if (r->pc && pcap_stats(r->pc, &now) == 0) {
            s->sc.kernel_drops = (uint32_t)(now.ps_drop - s->stat0.ps_drop);
            s->sc.interface_drops = (uint32_t)(now.ps_ifdrop - s->stat0.ps_ifdrop);
        }
    }
    r->done = *s;
    r->open = false;
    r->closing = true;
    memset(&r->cur, 0, sizeof r->cur);
    finish_done(r);
}

/* ---- opening ---- */

static int open_segment(rec *r, int64_t name_ns)
{
    if (r->closing && finish_done(r) < 0)
        return -1;
    segment *s = &r->cur;
    memset(s, 0, sizeof *s);
    int64_t sec = name_ns / IOTAP_NS_PER_SEC;
    int fd = -1;
    char path[IOTAP_REC_NAME_MAX * 3];
    for (int tries = 0; fd < 0 && tries < 1000; tries++) {
        uint64_t seq = r->tree.st.next_seq++;
        iotap_rec_segname(s->base, sizeof s->base, r->tree.sensor, sec, seq);
        snprintf(path, sizeof path, "%s/%s.pcap.zst", r->tree.partialdir, s->base);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        if (fd < 0 && errno != EEXIST)
            break;
        s->sc.sequence = seq;
    }
    if (fd < 0) {
        if (!r->stall_logged)
            iotap_warn("%s: cannot create: %s; will retry", path, strerror(errno));
        r->stall_logged = true;
        r->tree.st.next_seq--;
        return -1;
    }
    /* The sequence number must survive a restart before the name is used. */
    if (iotap_rec_state_save(r->tree.sensordir, &r->tree.st) < 0)
        iotap_warn("%s/.seq: cannot save: %s", r->tree.sensordir, strerror(errno));
    s->w = iotap_segw_new(fd, r->o->level);
    if (!s->w)
        iotap_die("zstd refuses level %d", r->o->level);
    uint8_t hdr[24];
    iotap_pcap_global_header(hdr, r->linktype, r->o->snaplen, false);
    iotap_segw_write(s->w, hdr, sizeof hdr);
    iotap_segw_flush(s->w);
    iotap_sidecar *sc = &s->sc;
    iotap_sidecar_init(sc);
    sc->sequence = r->tree.st.next_seq - 1;
    snprintf(sc->sensor, sizeof sc->sensor, "%s", r->tree.sensor);
    snprintf(sc->interface, sizeof sc->interface, "%s", r->o->interface ? r->o->interface : "");
    snprintf(sc->source, sizeof sc->source, "%s", r->live ? "live" : "file");
    snprintf(sc->filter, sizeof sc->filter, "%s", r->o->filter ? r->o->filter : "");
    sc->linktype = r->linktype;
    sc->snaplen = r->o->snaplen;
    sc->opened_ns = wall_ns(r);
    sc->slice_encrypted = r->o->slice_encrypted;
    sc->gap_start_ns = r->gap_start_ns;
    snprintf(sc->gap_reason, sizeof sc->gap_reason, "%s", r->gap_reason);
    sc->lost_packets = r->pending_lost;
    r->gap_start_ns = 0;
    r->gap_reason[0] = '\0';
    r->pending_lost = 0;
    if (r->o->rotate_seconds) {
        int64_t g = (int64_t)r->o->rotate_seconds;
        int64_t q = sec / g - (sec % g < 0);
        s->boundary_ns = (q + 1) * g * IOTAP_NS_PER_SEC;
    }
    if (r->live && r->pc && pcap_stats(r->pc, &s->stat0) == 0)
        s->have_stat0 = true;
    r->open = true;
    if (r->stall_logged && !iotap_segw_stalled(s->w)) {
        iotap_warn("%s: writing again", s->base);
        r->stall_logged = false;
    }
    return 0;
}

/* A packet was seen but cannot be stored. */
static void lose(rec *r)
{
    if (r->open)
        r->cur.sc.lost_packets++;
    else
        r->pending_lost++;
    if (!r->lost_total)
        iotap_warn("dropping packets until the disk takes data again");
    r->lost_total++;
}

static void note_gap(rec *r, const char *reason)
{
    if (!r->gap_start_ns)
        r->gap_start_ns = wall_ns(r);
    snprintf(r->gap_reason, sizeof r->gap_reason, "%s", reason);
}

/* ---- ticks ---- */

static void check_stall(rec *r)
{
    if (!r->open || !iotap_segw_stalled(r->cur.w))
        return;
    if (!r->stall_logged)
        iotap_warn("%s: write failed: %s; holding the data and retrying", r->cur.base,
                   errstr(iotap_segw_errno(r->cur.w)));
    r->stall_logged = true;
}

/* Live mode keeps a segment open while the capture runs. */
static void ensure_open_live(rec *r)
{
    if (r->live && r->pc && !r->open && !g_stop)
        open_segment(r, wall_ns(r));
}

static void tick(rec *r)
{
    int64_t mono = mono_ns(), wall = wall_ns(r);
    r->next_tick = mono + TICK_MS * 1000000LL;
    int64_t jump = (wall - r->wall_last) - (mono - r->mono_last);
    r->wall_last = wall;
    r->mono_last = mono;
    if (jump > CLOCK_JUMP_NS || jump < -CLOCK_JUMP_NS) {
        iotap_warn("wall clock jumped by %+.3f s; closing the segment", (double)jump / 1e9);
        if (r->open) {
            r->cur.sc.clock_jump_ns = jump;
            close_segment(r, "clock-jump");
        }
        ensure_open_live(r);
    }
    if (g_hup) {
        g_hup = 0;
        iotap_warn("SIGHUP: rotating");
        close_segment(r, "sighup");
        ensure_open_live(r);
    }
    if (r->closing || (r->open && iotap_segw_stalled(r->cur.w))) {
        /* Disk trouble: make room if allowed, then try again. */
        iotap_rec_retention(&r->tree, r->o->max_bytes, r->o->min_free);
        if (r->closing)
            finish_done(r);
        if (r->open && iotap_segw_stalled(r->cur.w) && iotap_segw_retry(r->cur.w) == 0) {
            iotap_warn("%s: writing again", r->cur.base);
            r->stall_logged = false;
        }
    }
    ensure_open_live(r);
    if (r->open && mono >= r->next_flush) {
        r->next_flush = mono + (int64_t)r->o->flush_ms * 1000000LL;
        if (iotap_segw_flush(r->cur.w) < 0 && !iotap_segw_stalled(r->cur.w)) {
            if (!r->sync_logged)
                iotap_warn("%s: fdatasync failed: %s; the last %.1f s may not be on disk",
                           r->cur.base, errstr(iotap_segw_errno(r->cur.w)), (double)r->o->flush_ms / 1e3);
            r->sync_logged = true;
        } else if (!iotap_segw_stalled(r->cur.w)) {
            r->sync_logged = false;
        }
        check_stall(r);
    }
    if (r->live && r->open && r->cur.boundary_ns && wall >= r->cur.boundary_ns &&
        !iotap_segw_stalled(r->cur.w)) {
        close_segment(r, "time");
        ensure_open_live(r);
    }
}

static void maybe_tick(rec *r)
{
    if (mono_ns() >= r->next_tick)
        tick(r);
}

/* ---- packets ---- */

static void handle(rec *r, int64_t ts, uint32_t caplen, uint32_t len, const uint8_t *data)
{
    if (caplen > r->o->snaplen)
        caplen = r->o->snaplen;
    if (len < caplen)
        len = caplen;
    if (!r->live && r->open && r->cur.boundary_ns && ts >= r->cur.boundary_ns)
        close_segment(r, "time");
    uint32_t keep = caplen;
    if (r->slicer)
        keep = iotap_slicer_caplen(r->slicer, r->linktype, data, caplen);
    for (;;) {
        if (!r->open)
            open_segment(r, r->live ? wall_ns(r) : ts);
        if (r->open && iotap_segw_record(r->cur.w, ts, keep, len, data) == 0)
            break;
        check_stall(r);
        if (r->live || g_stop) {
            lose(r);
            return;
        }
        /* Offline: wait for space instead of dropping. */
        poll(NULL, 0, TICK_MS);
        tick(r);
    }
    segment *s = &r->cur;
    if (!s->sc.has_packets_time) {
        s->sc.first_ns = ts;
        s->sc.has_packets_time = true;
    }
    s->sc.last_ns = ts;
    s->sc.packets++;
    s->sc.bytes += len;
    s->sc.captured_bytes += keep;
    if (keep < caplen) {
        s->sc.sliced_packets++;
        s->sc.slice_saved_bytes += caplen - keep;
    }
    check_stall(r);
    if (r->o->rotate_size && iotap_segw_estimate(s->w) >= r->o->rotate_size && !iotap_segw_stalled(s->w)) {
        close_segment(r, "size");
        ensure_open_live(r);
    }
}

static void pcap_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    rec *r = (rec *)user;
    int64_t ts = (int64_t)h->ts.tv_sec * IOTAP_NS_PER_SEC + (int64_t)h->ts.tv_usec * 1000;
    handle(r, ts, h->caplen, h->len, data);
}

/* ---- live capture ---- */

static int open_live(rec *r)
{
    char err[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_create(r->o->interface, err);
    if (!p)
        goto fail;
    pcap_set_snaplen(p, (int)r->o->snaplen);
    pcap_set_promisc(p, r->o->promisc);
    pcap_set_timeout(p, TICK_MS);
    if (r->o->buffer_size)
        pcap_set_buffer_size(p, (int)(r->o->buffer_size > (1u << 30) ? (1u << 30) : r->o->buffer_size));
    int rc = pcap_activate(p);
    if (rc < 0) {
        snprintf(err, sizeof err, "%s", pcap_geterr(p));
        if (!*err || rc == PCAP_ERROR_NO_SUCH_DEVICE)
            snprintf(err, sizeof err, "%s: %s", r->o->interface, pcap_statustostr(rc));
        pcap_close(p);
        goto fail;
    }
    if (rc > 0)
        iotap_warn("%s: %s", r->o->interface, pcap_statustostr(rc));
    if (r->o->filter) {
        struct bpf_program prog;
        if (pcap_compile(p, &prog, r->o->filter, 1, PCAP_NETMASK_UNKNOWN) < 0)
            iotap_die("filter '%s': %s", r->o->filter, pcap_geterr(p));
        if (pcap_setfilter(p, &prog) < 0)
            iotap_die("filter '%s': %s", r->o->filter, pcap_geterr(p));
        pcap_freecode(&prog);
    }
    if (pcap_setnonblock(p, 1, err) < 0) {
        pcap_close(p);
        goto fail;
    }
    r->pc = p;
    r->pfd = pcap_get_selectable_fd(p);
    r->linktype = pcap_datalink(p);
    r->backoff_ms = 0;
    r->last_open_err[0] = '\0';
    iotap_warn("capturing on %s (link type %s)", r->o->interface,
               pcap_datalink_val_to_name(r->linktype) ? pcap_datalink_val_to_name(r->linktype) : "?");
    return 0;
fail:
    if (strcmp(err, r->last_open_err) != 0)
        iotap_warn("cannot capture: %s; retrying", err);
    snprintf(r->last_open_err, sizeof r->last_open_err, "%s", err);
    r->backoff_ms = r->backoff_ms ? r->backoff_ms * 2 : BACKOFF_MIN_MS;
    if (r->backoff_ms > BACKOFF_MAX_MS)
        r->backoff_ms = BACKOFF_MAX_MS;
    r->reopen_at = mono_ns() + r->backoff_ms * 1000000LL;
    return -1;
}

static void lost_live(rec *r, const char *why)
{
    iotap_warn("%s: capture lost: %s; retrying", r->o->interface, why);
    close_segment(r, "interface-lost");
    pcap_close(r->pc);
    r->pc = NULL;
    r->pfd = -1;
    note_gap(r, "interface-lost");
    r->backoff_ms = 0;
    r->reopen_at = mono_ns() + BACKOFF_MIN_MS * 1000000LL;
    snprintf(r->last_open_err, sizeof r->last_open_err, "%s", why);
}

/* Hand what the ring holds to handle(); false when the capture was lost. */
static bool dispatch_live(rec *r)
{
    /* A bounded count keeps ticks on time under load. */
    for (int i = 0; i < 64 && r->pc; i++) {
        int got = pcap_dispatch(r->pc, -1, pcap_cb, (u_char *)r);
        if (got == PCAP_ERROR) {
            char why[PCAP_ERRBUF_SIZE];
            snprintf(why, sizeof why, "%s", pcap_geterr(r->pc));
            lost_live(r, why);
            return false;
        }
        if (got <= 0)
            break;
        if (!g_stop && mono_ns() >= r->next_tick)
            tick(r);
    }
    return true;
}

/*
 * Stopping: the kernel has accepted packets that are still in the ring.
 * With TPACKET_V3 a partly filled block reaches us only when its timer
 * (pcap_set_timeout, TICK_MS) retires it, so without this the last block,
 * up to TICK_MS of traffic, would vanish at every stop uncounted (the
 * kernel counts it as received, not dropped). Wait for at most two
 * retirements and drain; a second signal cuts it short.
 */
static void drain_live(rec *r)
{
    int64_t until = mono_ns() + 2 * TICK_MS * 1000000LL;
    while (r->pc) {
        int64_t left = (until - mono_ns()) / 1000000;
        if (left <= 0)
            break;
        struct pollfd pfd = { r->pfd, POLLIN, 0 };
        if (poll(&pfd, 1, (int)left) <= 0 || !dispatch_live(r))
            break;
    }
}

static void run_live(rec *r)
{
    ensure_open_live(r);
    while (!g_stop) {
        int64_t now = mono_ns();
        if (!r->pc && now >= r->reopen_at && open_live(r) == 0)
            ensure_open_live(r);
        now = mono_ns();
        int64_t wait = (r->next_tick - now) / 1000000;
        if (!r->pc && r->reopen_at - now < wait * 1000000LL)
            wait = (r->reopen_at - now) / 1000000;
        if (wait < 0)
            wait = 0;
        struct pollfd pfd = { r->pc ? r->pfd : -1, POLLIN, 0 };
        int n = poll(&pfd, 1, (int)(wait + 1));
        if (n > 0 && r->pc)
            dispatch_live(r);
        maybe_tick(r);
    }
    drain_live(r);
}

/* ---- offline (-r) ---- */

static ssize_t cookie_read(void *c, char *buf, size_t size)
{
    rec *r = c;
    for (;;) {
        if (g_stop)
            return 0;
        int64_t wait = (r->next_tick - mono_ns()) / 1000000;
        if (wait < 0)
            wait = 0;
        struct pollfd pfd = { r->infd, POLLIN, 0 };
        int n = poll(&pfd, 1, (int)wait);
        if (n > 0) {
            ssize_t got = read(r->infd, buf, size);
            if (got < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            maybe_tick(r);
            return got;
        }
        if (n < 0 && errno != EINTR)
            return -1;
        tick(r);
    }
}

static int cookie_close(void *c)
{
    rec *r = c;
    if (r->infd > 0)
        close(r->infd);
    r->infd = -1;
    return 0;
}

static int run_offline(rec *r, pcap_t *p)
{
    int status = 0;
    struct pcap_pkthdr *h;
    const u_char *data;
    unsigned n = 0;
    for (;;) {
        int rc = pcap_next_ex(p, &h, &data);
        if (rc == 1) {
            pcap_cb((u_char *)r, h, data);
            if ((++n & 63) == 0)
                maybe_tick(r);
        } else if (rc == PCAP_ERROR_BREAK || rc == 0) {
            break;
        } else {
            if (!g_stop) {
                iotap_warn("%s: %s (after packet %u)", r->o->read_file, pcap_geterr(p), n);
                status = 1;
            }
            break;
        }
        if (g_stop)
            break;
    }
    return status;
}

static pcap_t *open_offline(rec *r)
{
    const char *f = r->o->read_file;
    r->infd = strcmp(f, "-") == 0 ? 0 : open(f, O_RDONLY | O_CLOEXEC);
    if (r->infd < 0)
        iotap_die("%s: %s", f, strerror(errno));
    cookie_io_functions_t io = { .read = cookie_read, .close = cookie_close };
    FILE *fp = fopencookie(r, "r", io);
    if (!fp)
        iotap_die("fopencookie: %s", strerror(errno));
    setvbuf(fp, NULL, _IOFBF, 256 << 10);
    char err[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, err);
    if (!p) {
        if (g_stop)
            exit(0);
        iotap_die("%s: %s", f, err);
    }
    if (r->o->filter) {
        struct bpf_program prog;
        if (pcap_compile(p, &prog, r->o->filter, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
            pcap_setfilter(p, &prog) < 0)
            iotap_die("filter '%s': %s", r->o->filter, pcap_geterr(p));
        pcap_freecode(&prog);
    }
    r->linktype = pcap_datalink(p);
    return p;
}

/* ---- run ---- */

int iotap_rec_run(const iotap_rec_opts *o)
{
    rec *r = xcalloc(1, sizeof *r);
    r->o = o;
    r->live = o->read_file == NULL;
    r->pfd = r->infd = -1;
    const char *off = getenv("IOTAP_TEST_CLOCK_OFFSET_FILE");
    r->offset_file = off && *off ? off : NULL;
    umask(027);
    r->mono_last = mono_ns();
    r->wall_last = wall_ns(r);
    r->next_tick = r->mono_last + TICK_MS * 1000000LL;
    r->next_flush = r->mono_last + (int64_t)o->flush_ms * 1000000LL;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (iotap_rec_tree_init(&r->tree, o->root, o->sensor) < 0) {
        if (errno == EBUSY)
            iotap_die("%s/%s: another iotap-record is already recording into this directory "
                      "(it holds the lock on .partial/); give each instance its own --sensor",
                      o->root, o->sensor);
        iotap_die("%s/%s: cannot set up the output directory: %s", o->root, o->sensor, strerror(errno));
    }
    /* A read-only output tree at start is a configuration error, not an
     * outage to wait for: -r would wait forever and live mode would drop
     * every packet. Say which directory and stop before recovery touches
     * anything. (A tree that becomes unwritable later is waited for.) */
    const char *bad_dir;
    if (iotap_rec_tree_writable(&r->tree, &bad_dir) < 0)
        iotap_die("%s: output directory not writable: %s", bad_dir, strerror(errno));
    unsigned bad = iotap_rec_recover_all(&r->tree, o->interface, o->level);
    if (bad)
        r->status = 1;
    iotap_rec_retention(&r->tree, o->max_bytes, o->min_free);

    pcap_t *offline = NULL;
    if (r->live) {
        /* Open once before dropping privileges; failures retry in the loop. */
        if (open_live(r) < 0)
            note_gap(r, "interface-missing");
    } else {
        offline = open_offline(r);
    }
    if (o->user && iotap_rec_drop_privs(&r->tree, o->user) < 0)
        iotap_die("cannot drop privileges to %s", o->user);
    if (o->slice_encrypted)
        r->slicer = iotap_slicer_new(o->slice_encrypted);


    if (r->live) {
        run_live(r);
    } else {
        r->status |= run_offline(r, offline);
    }
    close_segment(r, g_stop ? "signal" : "end-of-input");
    /* Give a full disk a little time before giving up on the last segment. */
    for (int i = 0; r->closing && i < 25; i++) {
        poll(NULL, 0, TICK_MS);
        iotap_rec_retention(&r->tree, o->max_bytes, o->min_free);
        finish_done(r);
    }
    if (r->closing) {
        iotap_warn("%s: left unfinished in .partial/ (recovered at the next start)", r->done.base);
        iotap_segw_free(r->done.w);
        r->status = 1;
    }
    if (r->lost_total) {
        iotap_warn("%llu packets could not be stored (see lost_packets in the sidecars)",
                   (unsigned long long)r->lost_total);
        /* Lost while no segment was open: they would have been counted in
         * the next one's sidecar, and there is no next one. */
        if (r->pending_lost)
            iotap_warn("%llu of them were lost after the last segment closed and are in no sidecar",
                       (unsigned long long)r->pending_lost);
        r->status = 1;
    }
    if (offline)
        pcap_close(offline);
    if (r->pc)
        pcap_close(r->pc);
    iotap_slicer_free(r->slicer);
    iotap_rec_tree_close(&r->tree);
    int status = r->status;
    free(r);
    return status;
}

int iotap_rec_main(int argc, char **argv)
{
    iotap_rec_opts o;
    iotap_rec_parse(&o, argc, argv);
    int status = iotap_rec_run(&o);
    iotap_rec_opts_free(&o);
    return status;
}
