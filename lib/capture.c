/*
 * capture.c - reads a list of inputs as one packet stream (see capture.h).
 *
 * What a user should know:
 *  - Inputs are files, directories or "-" (stdin). The format is found from
 *    the first bytes, never from the name: classic pcap (either byte order,
 *    micro- or nanosecond, also the "modified" a1b2cd34 variant), pcapng
 *    (read by libpcap), and either of them compressed with zstd (any number
 *    of frames, skippable frames allowed) or gzip (any number of members).
 *    Decompression is streamed: no temporary files, memory does not grow
 *    with the input.
 *  - A directory is walked recursively; entries are sorted by name (byte
 *    order) within each directory, so ROOT/SENSOR/YYYY/MM/DD/ segments come
 *    out in capture order. Only names ending in .pcap, .pcapng or .cap,
 *    optionally followed by .zst, .zstd or .gz, are read (case does not
 *    matter); sidecars (.yaml) and other files are ignored. Names starting
 *    with a dot are skipped, which covers the recorder's `.partial`
 *    directory. Symbolic links are followed, but a directory that is already
 *    on the walk's path (a loop) is skipped, and the walk stops at depth 32.
 *    A file named explicitly is read whatever its name.
 *  - All inputs form ONE stream: packet numbers (num) run on across inputs.
 *    Classic pcap files concatenated into one file or pipe (`cat a.pcap
 *    b.pcap`, `zcat *.pcap.gz`) are read as one input too.
 *  - Damage is reported once per problem on stderr as
 *      iotap-TOOL: FILE: what (byte OFFSET, after packet N)
 *    e.g. "truncated zstd frame at byte 81234 (after packet 311)" (offsets
 *    in zstd/gzip messages are in the compressed file: its end for a cut
 *    file, where the decoder noticed it for corrupt data, which is up to one
 *    256 KiB read later than the bad byte; record offsets are in the
 *    decompressed pcap stream), "bad record length 4294967295 at byte
 *    9000 (packet 12)", "not a capture file (unknown magic 3c68746d)",
 *    "cannot open: No such file or directory". Every packet before the damage
 *    is delivered; the rest of that input is skipped (a pcap record header
 *    that is bad gives no reliable way to find the next one, so there is no
 *    resync guessing) and reading goes on with the next input.
 *    iotap_reader_damaged() counts the problems so programs exit non-zero.
 *  - A record's caplen may exceed the file's snaplen up to 262144 bytes (as
 *    libpcap and Wireshark allow); more than max(snaplen, 262144) is bad.
 *  - Corrupt zstd data is usually only noticed at the end of a block or by
 *    the frame checksum, so packets decoded from the damaged block before
 *    that point are delivered as they came out (streaming cannot wait for
 *    the checksum at the end of a segment-long frame).
 *  - Timestamps keep nanoseconds (pcap a1b23c4d, pcapng if_tsresol).
 *  - Speed: decompression writes straight into the parse buffer, packets
 *    are pointers into it (valid until the next call), no per-packet
 *    allocation; reading a .pcap.zst runs at about the speed of zstd -dc.
 *  - pcapng is read by libpcap, with its limits: offsets are 0 (the format
 *    hides them); an input whose interfaces have different link types, or a
 *    packet longer than its interface's snaplen, ends that input with
 *    libpcap's message and the packet number (Wireshark reads both).
 */
#include "capture.h"
#include "bpf.h"
#include "decode.h"
#include "instream.h"
#include "pcapfile.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define WALK_MAX_DEPTH 32
#define ERRLEN 512

struct iotap_reader {
    char **inputs;              /* as given */
    size_t ninputs, next_input;
    char **files;               /* expansion of the current input */
    size_t nfiles, next_file;
    unsigned damaged;
    uint64_t bytes_done;        /* raw bytes of closed inputs */
    uint64_t num;
    /* the open input */
    char *name;                 /* as shown in messages and packets */
    iotap_instream *in;
    bool is_pcapng;
    iotap_pcapfile pf;
    pcap_t *pc;
    uint64_t input_num;
    /* iotap_reader_check_linktypes: packets iotap_decode() cannot read */
    bool check_links;
    uint64_t unsupported;
    int unsupported_link;
};

/* ---- directory walk ---- */

struct strvec {
    char **v;
    size_t n, cap;
};

static void sv_push(struct strvec *sv, char *s)
{
    if (sv->n + 1 >= sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 16;
        sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, size_t n, const char *suf)
{
    size_t m = strlen(suf);
    return n >= m && strncasecmp(s + n - m, suf, m) == 0;
}

/* .pcap .pcapng .cap, optionally + .zst .zstd .gz */
static bool is_capture_name(const char *name)
{
    size_t n = strlen(name);
    static const char *const comp[] = { ".zst", ".zstd", ".gz" };
    for (size_t i = 0; i < 3; i++)
        if (ends_with(name, n, comp[i])) {
            n -= strlen(comp[i]);
            break;
        }
    return ends_with(name, n, ".pcap") || ends_with(name, n, ".pcapng") || ends_with(name, n, ".cap");
}

struct walk_anc {
    dev_t dev;
    ino_t ino;
};

static void walk(const char *dir, struct walk_anc *anc, int depth, struct strvec *out, unsigned *errors)
{
    DIR *d = opendir(dir);
    if (!d) {
        iotap_warn("%s: cannot open directory: %s", dir, strerror(errno));
        (*errors)++;
        return;
    }
    struct strvec names = { 0 };
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')    /* . .. .partial and other hidden entries */
            continue;
        sv_push(&names, xstrdup(e->d_name));
    }
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    size_t dl = strlen(dir);
    for (size_t i = 0; i < names.n; i++) {
        size_t nl = strlen(names.v[i]);
        char *path = xmalloc(dl + nl + 2);
        memcpy(path, dir, dl);
        size_t k = dl;
        if (k == 0 || path[k - 1] != '/')
            path[k++] = '/';
        memcpy(path + k, names.v[i], nl + 1);
        struct stat st;
        if (stat(path, &st) != 0) {
            /* A dangling link or a file removed meanwhile: only matters
             * when it looked like a capture. */
            if (is_capture_name(names.v[i])) {
                iotap_warn("%s: cannot open: %s", path, strerror(errno));
                (*errors)++;
            }
            free(path);
        } else if (S_ISDIR(st.st_mode)) {
            bool loop = false;
            for (int j = 0; j <= depth; j++)
                if (anc[j].dev == st.st_dev && anc[j].ino == st.st_ino)
                    loop = true;
            if (loop) {
                free(path);     /* a symlink back up the tree */
            } else if (depth + 1 >= WALK_MAX_DEPTH) {
                iotap_warn("%s: directory nesting deeper than %d, skipped", path, WALK_MAX_DEPTH);
                (*errors)++;
                free(path);
            } else {
                anc[depth + 1].dev = st.st_dev;
                anc[depth + 1].ino = st.st_ino;
                walk(path, anc, depth + 1, out, errors);
                free(path);
            }
        } else if (S_ISREG(st.st_mode) && is_capture_name(names.v[i])) {
            sv_push(out, path);
        } else {
            free(path);
        }
        free(names.v[i]);
    }
    free(names.v);
}

static void expand_one(const char *in, struct strvec *out, unsigned *errors)
{
    struct stat st;
    if (strcmp(in, "-") == 0) {
        sv_push(out, xstrdup(in));
    } else if (stat(in, &st) != 0) {
        iotap_warn("%s: cannot open: %s", in, strerror(errno));
        (*errors)++;
    } else if (S_ISDIR(st.st_mode)) {
        struct walk_anc anc[WALK_MAX_DEPTH + 1];
        anc[0].dev = st.st_dev;
        anc[0].ino = st.st_ino;
        walk(in, anc, 0, out, errors);
    } else {
        sv_push(out, xstrdup(in));
    }
}

char **iotap_expand_inputs(const char *const *inputs, size_t n, size_t *count, unsigned *errors)
{
    struct strvec out = { 0 };
    unsigned errs = 0;
    for (size_t i = 0; i < n; i++)
        expand_one(inputs[i], &out, &errs);
    if (!out.v) {
        out.v = xcalloc(1, sizeof *out.v);
    }
    if (count)
        *count = out.n;
    if (errors)
        *errors += errs;
    return out.v;
}

void iotap_free_inputs(char **list)
{
    if (!list)
        return;
    for (size_t i = 0; list[i]; i++)
        free(list[i]);
    free(list);
}

/* ---- the reader ---- */

iotap_reader *iotap_reader_open(const char *const *inputs, size_t n)
{
    iotap_reader *r = xcalloc(1, sizeof *r);
    r->inputs = xcalloc(n + 1, sizeof *r->inputs);
    for (size_t i = 0; i < n; i++)
        r->inputs[i] = xstrdup(inputs[i]);
    r->ninputs = n;
    return r;
}

static void damage(iotap_reader *r, const char *what)
{
    iotap_warn("%s: %s", r->name, what);
    r->damaged++;
}

/* fopencookie read for libpcap: pcapng bytes come from the instream. A
 * decompression error looks like end of file to libpcap; the reader reports
 * the instream's own message instead of libpcap's "truncated" one. */
static ssize_t cookie_read(void *c, char *buf, size_t size)
{
    return (ssize_t)iotap_instream_read(c, buf, size);
}

static int cookie_close(void *c)
{
    (void)c;    /* the instream belongs to the reader */
    return 0;
}

void iotap_reader_check_linktypes(iotap_reader *r)
{
    r->check_links = true;
}

static void close_input(iotap_reader *r)
{
    if (r->unsupported) {
        const char *nm = pcap_datalink_val_to_name(iotap_linktype_to_dlt(r->unsupported_link));
        char err[ERRLEN];
        snprintf(err, sizeof err, "link type %d (%s) not supported: %llu packets not analyzed",
                 r->unsupported_link, nm ? nm : "unknown", (unsigned long long)r->unsupported);
        damage(r, err);
        r->unsupported = 0;
    }
    if (r->pc)
        pcap_close(r->pc);  /* fcloses the cookie stream */
    r->pc = NULL;
    if (r->in) {
        r->bytes_done += iotap_instream_raw_bytes(r->in);
        iotap_instream_close(r->in);
    }
    r->in = NULL;
    free(r->name);
    r->name = NULL;
}

/* Opens the next file; false when none is left. Problems are reported and
 * the file skipped. */
static bool open_next(iotap_reader *r)
{
    char err[ERRLEN];
    for (;;) {
        while (r->next_file >= r->nfiles) {
            iotap_free_inputs(r->files);
            r->files = NULL;
            r->nfiles = r->next_file = 0;
            if (r->next_input >= r->ninputs)
                return false;
            const char *one = r->inputs[r->next_input++];
            r->files = iotap_expand_inputs(&one, 1, &r->nfiles, &r->damaged);
        }
        const char *path = r->files[r->next_file++];
        r->name = xstrdup(strcmp(path, "-") == 0 ? "stdin" : path);
        r->input_num = 0;
        r->is_pcapng = false;
        r->in = iotap_instream_open(path);
        if (!r->in) {
            snprintf(err, sizeof err, "cannot open: %s", strerror(errno));
            damage(r, err);
            close_input(r);
            continue;
        }
        const uint8_t *m;
        size_t have = iotap_instream_fill(r->in, 4, &m);
        if (have < 4) {
            if (iotap_instream_error(r->in)) {
                snprintf(err, sizeof err, "%s (no packets)", iotap_instream_error(r->in));
                damage(r, err);
            } else if (have == 0)
                damage(r, "empty, not a capture file");
            else
                damage(r, "not a capture file (too short)");
            close_input(r);
            continue;
        }
        if (iotap_pcapfile_magic(m)) {
            if (iotap_pcapfile_open(&r->pf, r->in, err, sizeof err) != 0) {
                damage(r, err);
                close_input(r);
                continue;
            }
            return true;
        }
        if (m[0] == 0x0a && m[1] == 0x0d && m[2] == 0x0d && m[3] == 0x0a) {
            cookie_io_functions_t io = { .read = cookie_read, .close = cookie_close };
            FILE *fp = fopencookie(r->in, "r", io);
            if (!fp)
                iotap_die("fopencookie: %s", strerror(errno));
            char ebuf[PCAP_ERRBUF_SIZE] = "";
            r->pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
            if (!r->pc) {
                fclose(fp);
                if (iotap_instream_error(r->in))
                    damage(r, iotap_instream_error(r->in));
                else {
                    snprintf(err, sizeof err, "libpcap: %s", ebuf);
                    damage(r, err);
                }
                close_input(r);
                continue;
            }
            r->is_pcapng = true;
            return true;
        }
        snprintf(err, sizeof err, "not a capture file (unknown magic %02x%02x%02x%02x)", m[0], m[1],
                 m[2], m[3]);
        damage(r, err);
        close_input(r);
    }
}

/* 1 = packet, 0 = input ended (cleanly or with damage reported). */
static int next_pcapng(iotap_reader *r, iotap_packet *p)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc = pcap_next_ex(r->pc, &h, &data);
    if (rc == 1) {
        /* libpcap turns 64-bit pcapng stamps into seconds that may not fit
         * in ns since 1970 (a hostile or broken file): saturate. */
        int64_t ns;
        if (__builtin_mul_overflow((int64_t)h->ts.tv_sec, IOTAP_NS_PER_SEC, &ns) ||
            __builtin_add_overflow(ns, (int64_t)h->ts.tv_usec, &ns))
            ns = h->ts.tv_sec < 0 ? INT64_MIN : INT64_MAX;
        p->ts_ns = ns;
        p->caplen = h->caplen;
        p->len = h->len;
        p->data = data;
        p->linktype = iotap_dlt_to_linktype(pcap_datalink(r->pc));
        p->snaplen = (uint32_t)pcap_snapshot(r->pc);
        p->offset = 0;
        return 1;
    }
    char err[ERRLEN];
    const char *serr = iotap_instream_error(r->in);
    if (serr) {
        snprintf(err, sizeof err, "%s (after packet %llu)", serr, (unsigned long long)r->input_num);
        damage(r, err);
    } else if (rc != PCAP_ERROR_BREAK) {
        snprintf(err, sizeof err, "libpcap: %s (after packet %llu)", pcap_geterr(r->pc),
                 (unsigned long long)r->input_num);
        damage(r, err);
    }
    return 0;
}

int iotap_reader_next(iotap_reader *r, iotap_packet *p)
{
    char err[ERRLEN];
    for (;;) {
        if (!r->in && !open_next(r))
            return 0;
        int rc;
        if (r->is_pcapng) {
            rc = next_pcapng(r, p);
        } else {
            rc = iotap_pcapfile_next(&r->pf, p, err, sizeof err);
            if (rc < 0) {
                damage(r, err);
                rc = 0;
            }
        }
        if (rc == 1) {
            p->num = ++r->num;
            p->input_num = ++r->input_num;
            p->input = r->name;
            if (r->check_links && !iotap_linktype_supported(p->linktype)) {
                r->unsupported++;
                r->unsupported_link = p->linktype;
            }
            return 1;
        }
        close_input(r);
    }
}

unsigned iotap_reader_damaged(const iotap_reader *r)
{
    return r->damaged;
}

uint64_t iotap_reader_bytes_read(const iotap_reader *r)
{
    return r->bytes_done + (r->in ? iotap_instream_raw_bytes(r->in) : 0);
}

void iotap_reader_close(iotap_reader *r)
{
    if (!r)
        return;
    close_input(r);
    iotap_free_inputs(r->files);
    for (size_t i = 0; i < r->ninputs; i++)
        free(r->inputs[i]);
    free(r->inputs);
    free(r);
}
