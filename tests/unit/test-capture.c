/*
 * test-capture.c - lib/capture (the input reader) against a reference packet
 * list built here: the same packets written as LE/BE microsecond pcap, LE
 * nanosecond pcap, pcapng (written here, and by editcap when present),
 * zstd (one frame; many frames cut across records with skippable frames),
 * gzip (one and two members) and through stdin must read back identically;
 * directory walks come out in name order without sidecars or .partial; a
 * capture split at random record boundaries into a directory of .pcap.zst
 * reads back as the unsplit stream; each kind of damage gives its message,
 * exactly the readable packets, a damage count, and the next input is
 * still read.
 *
 * `test-capture --count INPUT...` prints "PACKETS DAMAGED" for all inputs as
 * one stream; `--count-each FILE...` prints "PACKETS DAMAGED FILE" per file;
 * `--list INPUT...` prints "EPOCH.NANOSECONDS CAPLEN LEN" per packet (tshark's
 * frame.time_epoch form); `--write INPUT...` writes the stream as nanosecond
 * pcap to stdout. The e2e scripts compare these with tshark and tcpdump.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "capture.h"
#include "pcapwrite.h"
#include "test.h"
#include "util.h"

/* ---- reference packets ---- */

typedef struct ref_pkt {
    int64_t ts_ns;
    uint32_t caplen, len;
    uint8_t *data;
} ref_pkt;

#define NREF 400
static ref_pkt ref[NREF];
static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void make_ref(void)
{
    int64_t t = 1761984000LL * IOTAP_NS_PER_SEC + 123456789;
    for (int i = 0; i < NREF; i++) {
        uint32_t caplen;
        switch (i % 10) {
        case 0: caplen = 0; break;
        case 1: caplen = 65535; break;
        case 2: caplen = 60; break;
        case 3: caplen = 1514; break;
        default: caplen = (uint32_t)(rnd() % 3000); break;
        }
        if (i == 7)
            caplen = 200000;        /* above a 65535 snaplen, below 262144 */
        uint32_t len = caplen;
        if (i % 4 == 1)
            len = caplen + 1 + (uint32_t)(rnd() % 9000);   /* snapped */
        ref[i].caplen = caplen;
        ref[i].len = len;
        ref[i].data = xmalloc(caplen);
        for (uint32_t k = 0; k < caplen; k++)
            ref[i].data[k] = (uint8_t)rnd();
        /* distinct stamps with nanosecond digits; never decreasing */
        t += (int64_t)(rnd() % 3000000000ull) + 1;
        ref[i].ts_ns = t;
    }
}

/* ---- a growing byte buffer ---- */

typedef struct buf {
    uint8_t *p;
    size_t n, cap;
} buf;

static void bput(buf *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    if (n)
        memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void bput32(buf *b, uint32_t v, bool be)
{
    uint8_t x[4];
    if (be) {
        x[0] = (uint8_t)(v >> 24); x[1] = (uint8_t)(v >> 16); x[2] = (uint8_t)(v >> 8); x[3] = (uint8_t)v;
    } else {
        x[3] = (uint8_t)(v >> 24); x[2] = (uint8_t)(v >> 16); x[1] = (uint8_t)(v >> 8); x[0] = (uint8_t)v;
    }
    bput(b, x, 4);
}

static void bput16(buf *b, uint16_t v, bool be)
{
    uint8_t x[2];
    if (be) { x[0] = (uint8_t)(v >> 8); x[1] = (uint8_t)v; }
    else { x[1] = (uint8_t)(v >> 8); x[0] = (uint8_t)v; }
    bput(b, x, 2);
}

/* Classic pcap of ref[from..to); offs[i] gets each record's offset. */
static buf write_pcap(int from, int to, bool be, bool nsec, uint32_t snaplen, uint64_t *offs)
{
    buf b = { 0 };
    bput32(&b, nsec ? 0xa1b23c4du : 0xa1b2c3d4u, be);
    bput16(&b, 2, be);
    bput16(&b, 4, be);
    bput32(&b, 0, be);
    bput32(&b, 0, be);
    bput32(&b, snaplen, be);
    bput32(&b, 1, be);
    for (int i = from; i < to; i++) {
        if (offs)
            offs[i] = b.n;
        int64_t s = ref[i].ts_ns / IOTAP_NS_PER_SEC, f = ref[i].ts_ns % IOTAP_NS_PER_SEC;
        bput32(&b, (uint32_t)s, be);
        bput32(&b, (uint32_t)(nsec ? f : f / 1000), be);
        bput32(&b, ref[i].caplen, be);
        bput32(&b, ref[i].len, be);
        bput(&b, ref[i].data, ref[i].caplen);
    }
    return b;
}

/* Minimal pcapng: SHB, one IDB with if_tsresol 9 (ns), one EPB per packet. */
static buf write_pcapng(void)
{
    buf b = { 0 };
    bput32(&b, 0x0A0D0D0A, false);
    bput32(&b, 28, false);
    bput32(&b, 0x1A2B3C4D, false);
    bput16(&b, 1, false);
    bput16(&b, 0, false);
    bput32(&b, 0xffffffffu, false);
    bput32(&b, 0xffffffffu, false);
    bput32(&b, 28, false);
    /* IDB: type, len, linktype, reserved, snaplen, option 9 len 1 (+pad), end */
    bput32(&b, 1, false);
    bput32(&b, 32, false);
    bput16(&b, 1, false);
    bput16(&b, 0, false);
    bput32(&b, 262144, false);
    bput16(&b, 9, false);
    bput16(&b, 1, false);
    uint8_t res[4] = { 9, 0, 0, 0 };
    bput(&b, res, 4);
    bput32(&b, 0, false);
    bput32(&b, 32, false);
    for (int i = 0; i < NREF; i++) {
        uint32_t pad = (4 - ref[i].caplen % 4) % 4;
        uint32_t blen = 32 + ref[i].caplen + pad;
        uint64_t ts = (uint64_t)ref[i].ts_ns;
        bput32(&b, 6, false);
        bput32(&b, blen, false);
        bput32(&b, 0, false);
        bput32(&b, (uint32_t)(ts >> 32), false);
        bput32(&b, (uint32_t)ts, false);
        bput32(&b, ref[i].caplen, false);
        bput32(&b, ref[i].len, false);
        bput(&b, ref[i].data, ref[i].caplen);
        uint8_t z[4] = { 0 };
        bput(&b, z, pad);
        bput32(&b, blen, false);
    }
    return b;
}

static buf zstd_frame(const uint8_t *p, size_t n, bool checksum)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum ? 1 : 0);
    buf b = { 0 };
    b.cap = ZSTD_compressBound(n);
    b.p = xmalloc(b.cap);
    size_t r = ZSTD_compress2(c, b.p, b.cap, p, n);
    if (ZSTD_isError(r))
        iotap_die("zstd: %s", ZSTD_getErrorName(r));
    b.n = r;
    ZSTD_freeCCtx(c);
    return b;
}

static void skippable(buf *b, size_t n)
{
    bput32(b, 0x184D2A53, false);
    bput32(b, (uint32_t)n, false);
    for (size_t i = 0; i < n; i++) {
        uint8_t x = (uint8_t)rnd();
        bput(b, &x, 1);
    }
}

static buf gzip_member(const uint8_t *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        iotap_die("deflateInit2");
    buf b = { 0 };
    b.cap = deflateBound(&z, (uLong)n) + 64;
    b.p = xmalloc(b.cap);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = b.p;
    z.avail_out = (uInt)b.cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        iotap_die("deflate");
    b.n = b.cap - z.avail_out;
    deflateEnd(&z);
    return b;
}

static const char *tpath(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *tpath(const char *fmt, ...)
{
    static char bufs[8][1024];
    static int k;
    char *p = bufs[k++ % 8];
    char name[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    snprintf(p, 1024, "%s/%s", test_tmpdir(), name);
    return p;
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        iotap_die("%s: %s", path, strerror(errno));
}

static void mkdirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *s = tmp + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(tmp, 0755);
            *s = '/';
        }
    mkdir(tmp, 0755);
}

/* ---- reading and comparing ---- */

/* Reads inputs and compares with ref[from..from+expect); usec compares
 * at microsecond precision. Returns packets read; *damaged set. */
static uint64_t read_compare(const char *const *inputs, size_t n, int from, int expect, bool usec,
                             const uint64_t *offs, unsigned *damaged, const char *what)
{
    iotap_reader *r = iotap_reader_open(inputs, n);
    iotap_packet p;
    uint64_t got = 0;
    int bad = 0;
    while (iotap_reader_next(r, &p)) {
        int i = from + (int)got;
        got++;
        if (i >= from + expect || i >= NREF) {
            bad++;
            continue;
        }
        int64_t want_ts = usec ? ref[i].ts_ns / 1000 * 1000 : ref[i].ts_ns;
        if (p.ts_ns != want_ts || p.caplen != ref[i].caplen || p.len != ref[i].len ||
            (p.caplen && memcmp(p.data, ref[i].data, p.caplen) != 0) || p.num != got ||
            p.linktype != 1 || (offs && p.offset != offs[i])) {
            if (bad++ < 3)
                fprintf(stderr, "%s: packet %llu differs (ts %lld/%lld caplen %u/%u len %u/%u "
                        "offset %llu)\n", what, (unsigned long long)got, (long long)p.ts_ns,
                        (long long)want_ts, p.caplen, ref[i].caplen, p.len, ref[i].len,
                        (unsigned long long)p.offset);
        }
    }
    CHECK_EQ_I(bad, 0);
    if (damaged)
        *damaged = iotap_reader_damaged(r);
    CHECK(iotap_reader_bytes_read(r) > 0 || expect == 0);
    iotap_reader_close(r);
    if ((int)got != expect)
        fprintf(stderr, "%s: got %llu packets, want %d\n", what, (unsigned long long)got, expect);
    CHECK_EQ_U(got, (uint64_t)expect);
    return got;
}

static void read_file_ok(const char *path, bool usec, const uint64_t *offs, const char *what)
{
    unsigned dmg = 9;
    read_compare(&path, 1, 0, NREF, usec, offs, &dmg, what);
    CHECK_EQ_U(dmg, 0);
}

/* Runs the reader with stderr captured into a file; returns what it said. */
static char *with_stderr(const char *const *inputs, size_t n, uint64_t *npkts, unsigned *damaged,
                         uint64_t *last_input_pkts)
{
    const char *log = tpath("stderr.log");
    fflush(stderr);
    int saved = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    close(fd);
    iotap_reader *r = iotap_reader_open(inputs, n);
    iotap_packet p;
    uint64_t k = 0, last = 0;
    const char *last_name = NULL;
    char lastbuf[1024] = "";
    while (iotap_reader_next(r, &p)) {
        k++;
        if (!last_name || strcmp(lastbuf, p.input) != 0) {
            snprintf(lastbuf, sizeof lastbuf, "%s", p.input);
            last_name = lastbuf;
            last = 0;
        }
        last++;
    }
    *damaged = iotap_reader_damaged(r);
    iotap_reader_close(r);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    *npkts = k;
    if (last_input_pkts)
        *last_input_pkts = last;
    FILE *f = fopen(log, "rb");
    char *s = xcalloc(1, 65536);
    if (f) {
        size_t got = fread(s, 1, 65535, f);
        s[got] = 0;
        fclose(f);
    }
    fprintf(stderr, "[stderr was: %s]\n", s);
    return s;
}

/* ---- the tests ---- */

#define IOTAP_MAX_TEST_CAPLEN 262144u
static volatile uint64_t sink;   /* keeps byte reads that check pointers */

static buf le_usec;                 /* the reference as LE usec pcap */
static uint64_t le_offs[NREF];

static void test_formats(void)
{
    uint64_t offs[NREF];
    le_usec = write_pcap(0, NREF, false, false, 65535, le_offs);
    write_file(tpath("le-usec.pcap"), le_usec.p, le_usec.n);
    read_file_ok(tpath("le-usec.pcap"), true, le_offs, "le-usec");

    buf b = write_pcap(0, NREF, true, false, 65535, offs);
    write_file(tpath("be-usec.pcap"), b.p, b.n);
    read_file_ok(tpath("be-usec.pcap"), true, offs, "be-usec");
    free(b.p);

    buf ns = write_pcap(0, NREF, false, true, 262144, offs);
    write_file(tpath("le-nsec.pcap"), ns.p, ns.n);
    read_file_ok(tpath("le-nsec.pcap"), false, offs, "le-nsec");
    b = write_pcap(0, NREF, true, true, 262144, NULL);
    write_file(tpath("be-nsec.cap"), b.p, b.n);
    read_file_ok(tpath("be-nsec.cap"), false, offs, "be-nsec");
    free(b.p);

    /* The "modified" (Kuznetzov) format: 8 more bytes per record header
     * (ifindex, protocol, pkt_type, pad), here in big-endian order. */
    {
        buf m = { 0 };
        uint64_t moffs[NREF];
        bput32(&m, 0xa1b2cd34u, true);
        bput(&m, le_usec.p + 4, 20);
        memcpy(m.p + 4, (uint8_t[]){ 0, 2, 0, 4 }, 4);         /* version, BE */
        memcpy(m.p + 16, (uint8_t[]){ 0, 0, 0xff, 0xff }, 4);  /* snaplen 65535 */
        memcpy(m.p + 20, (uint8_t[]){ 0, 0, 0, 1 }, 4);        /* Ethernet */
        for (int i = 0; i < NREF; i++) {
            moffs[i] = m.n;
            int64_t sec = ref[i].ts_ns / IOTAP_NS_PER_SEC, f = ref[i].ts_ns % IOTAP_NS_PER_SEC;
            bput32(&m, (uint32_t)sec, true);
            bput32(&m, (uint32_t)(f / 1000), true);
            bput32(&m, ref[i].caplen, true);
            bput32(&m, ref[i].len, true);
            bput32(&m, 3, true);                                /* ifindex */
            bput(&m, (uint8_t[]){ 0x08, 0x00, 0, 0 }, 4);       /* protocol, type, pad */
            bput(&m, ref[i].data, ref[i].caplen);
        }
        write_file(tpath("modified.pcap"), m.p, m.n);
        read_file_ok(tpath("modified.pcap"), true, moffs, "modified pcap");
        free(m.p);
    }

    /* Two pcap files concatenated (as `cat a.pcap b.pcap` makes), the
     * second in the other byte order, compressed as one zstd frame. */
    {
        buf a = write_pcap(0, 150, false, false, 65535, NULL);
        buf b2 = write_pcap(150, NREF, true, false, 262144, NULL);
        bput(&a, b2.p, b2.n);
        buf za = zstd_frame(a.p, a.n, true);
        write_file(tpath("concat.pcap.zst"), za.p, za.n);
        read_file_ok(tpath("concat.pcap.zst"), true, NULL, "concatenated pcaps");
        free(a.p);
        free(b2.p);
        free(za.p);
    }

    /* The snaplen of the header comes through. */
    {
        const char *in = tpath("le-usec.pcap");
        iotap_reader *r = iotap_reader_open(&in, 1);
        iotap_packet p;
        CHECK(iotap_reader_next(r, &p) == 1);
        CHECK_EQ_U(p.snaplen, 65535);
        CHECK_STR(p.input, in);
        CHECK_EQ_U(p.input_num, 1);
        CHECK_EQ_U(p.offset, 24);
        iotap_reader_close(r);
    }

    b = write_pcapng();
    write_file(tpath("ref.pcapng"), b.p, b.n);
    read_file_ok(tpath("ref.pcapng"), false, NULL, "pcapng");
    buf z = zstd_frame(b.p, b.n, true);
    write_file(tpath("ref.pcapng.zst"), z.p, z.n);
    read_file_ok(tpath("ref.pcapng.zst"), false, NULL, "pcapng.zst");
    free(z.p);
    free(b.p);

    /* Wireshark's own pcapng (editcap keeps nanoseconds), when tshark is
     * here. From the nanosecond file: its snaplen 262144 covers the
     * 200000-byte packet, which libpcap's pcapng reader insists on. */
    if (system("command -v editcap >/dev/null 2>&1") == 0) {
        char cmd[3000];
        snprintf(cmd, sizeof cmd, "editcap -F pcapng '%s' '%s'", tpath("le-nsec.pcap"),
                 tpath("editcap.pcapng"));
        CHECK_EQ_I(system(cmd), 0);
        read_file_ok(tpath("editcap.pcapng"), false, NULL, "editcap pcapng");
    } else {
        fprintf(stderr, "editcap not found: pcapng written by Wireshark not tested\n");
    }

    /* zstd, one frame; named without any extension (magic decides) */
    z = zstd_frame(ns.p, ns.n, false);
    write_file(tpath("one-frame"), z.p, z.n);
    read_file_ok(tpath("one-frame"), false, offs, "zstd one frame");
    free(z.p);

    /* zstd, many frames cut at odd offsets, with skippable frames */
    {
        buf m = { 0 };
        skippable(&m, 17);
        size_t cuts[] = { 0, 1, 7, 24, 100, 4099, 70001, 300000, 1000000, ns.n };
        for (size_t i = 0; i + 1 < sizeof cuts / sizeof cuts[0]; i++) {
            size_t a = cuts[i] < ns.n ? cuts[i] : ns.n, e = cuts[i + 1] < ns.n ? cuts[i + 1] : ns.n;
            if (e <= a)
                continue;
            buf f = zstd_frame(ns.p + a, e - a, i % 2);
            bput(&m, f.p, f.n);
            free(f.p);
            if (i == 3)
                skippable(&m, 0);
            if (i == 5)
                skippable(&m, 5000);
        }
        skippable(&m, 3);
        write_file(tpath("multi.pcap.zst"), m.p, m.n);
        read_file_ok(tpath("multi.pcap.zst"), false, offs, "zstd multi frame");
        free(m.p);
    }

    /* gzip, one member and two members split inside a record */
    buf g = gzip_member(le_usec.p, le_usec.n);
    write_file(tpath("one.pcap.gz"), g.p, g.n);
    read_file_ok(tpath("one.pcap.gz"), true, le_offs, "gzip one member");
    free(g.p);
    {
        size_t cut = le_offs[NREF / 2] + 5;
        buf m = gzip_member(le_usec.p, cut), g2 = gzip_member(le_usec.p + cut, le_usec.n - cut);
        bput(&m, g2.p, g2.n);
        write_file(tpath("two.pcap.gz"), m.p, m.n);
        read_file_ok(tpath("two.pcap.gz"), true, le_offs, "gzip two members");
        free(m.p);
        free(g2.p);
    }

    /* stdin: plain, zstd and pcapng through fd 0 */
    const char *stdin_files[] = { "le-usec.pcap", "multi.pcap.zst", "ref.pcapng" };
    for (int k = 0; k < 3; k++) {
        int saved = dup(0);
        int fd = open(tpath("%s", stdin_files[k]), O_RDONLY);
        CHECK(fd >= 0);
        dup2(fd, 0);
        close(fd);
        const char *dash = "-";
        unsigned dmg = 9;
        read_compare(&dash, 1, 0, NREF, k == 0, k == 1 ? offs : k == 0 ? le_offs : NULL, &dmg,
                     stdin_files[k]);
        CHECK_EQ_U(dmg, 0);
        dup2(saved, 0);
        close(saved);
    }
    /* stdin from a pipe that delivers in small pieces */
    {
        int pfd[2];
        CHECK(pipe(pfd) == 0);
        pid_t pid = fork();
        if (pid == 0) {
            close(pfd[0]);
            buf zz = zstd_frame(ns.p, ns.n, true);
            for (size_t o = 0; o < zz.n; o += 3) {
                size_t k = zz.n - o < 3 ? zz.n - o : 3;
                if (write(pfd[1], zz.p + o, k) != (ssize_t)k)
                    _exit(1);
            }
            _exit(0);
        }
        close(pfd[1]);
        int saved = dup(0);
        dup2(pfd[0], 0);
        close(pfd[0]);
        const char *dash = "-";
        unsigned dmg = 9;
        read_compare(&dash, 1, 0, NREF, false, offs, &dmg, "pipe");
        CHECK_EQ_U(dmg, 0);
        dup2(saved, 0);
        close(saved);
        int st;
        waitpid(pid, &st, 0);
    }
    free(ns.p);
}

/* Several inputs are one stream; num runs on, input_num restarts. */
static void test_multi_inputs(void)
{
    int cut1 = 123, cut2 = 301;
    buf a = write_pcap(0, cut1, false, false, 65535, NULL);
    buf b = write_pcap(cut1, cut2, true, true, 65535, NULL);
    buf c = write_pcap(cut2, NREF, false, true, 65535, NULL);
    buf bz = zstd_frame(b.p, b.n, true);
    write_file(tpath("part-a.pcap"), a.p, a.n);
    write_file(tpath("part-b.pcap.zst"), bz.p, bz.n);
    write_file(tpath("part-c.pcap"), c.p, c.n);
    char pa[1024], pb[1024], pc[1024];
    snprintf(pa, sizeof pa, "%s", tpath("part-a.pcap"));
    snprintf(pb, sizeof pb, "%s", tpath("part-b.pcap.zst"));
    snprintf(pc, sizeof pc, "%s", tpath("part-c.pcap"));
    const char *in[] = { pa, pb, pc };
    iotap_reader *r = iotap_reader_open(in, 3);
    iotap_packet p;
    uint64_t k = 0;
    int bad = 0;
    while (iotap_reader_next(r, &p)) {
        int i = (int)k++;
        int part = i < cut1 ? 0 : i < cut2 ? 1 : 2;
        uint64_t want_in = (uint64_t)(i - (part == 0 ? 0 : part == 1 ? cut1 : cut2)) + 1;
        int64_t want_ts = part == 0 ? ref[i].ts_ns / 1000 * 1000 : ref[i].ts_ns;
        if (p.num != k || p.input_num != want_in || strcmp(p.input, in[part]) != 0 ||
            p.ts_ns != want_ts || p.caplen != ref[i].caplen)
            bad++;
    }
    CHECK_EQ_U(k, NREF);
    CHECK_EQ_I(bad, 0);
    CHECK_EQ_U(iotap_reader_damaged(r), 0);
    CHECK_EQ_U(iotap_reader_bytes_read(r), a.n + bz.n + c.n);
    iotap_reader_close(r);
    free(a.p);
    free(b.p);
    free(bz.p);
    free(c.p);
}

/* Name-order walk of ROOT/SENSOR/YYYY/MM/DD with sidecars and .partial. */
static void test_walk(void)
{
    const char *root = tpath("tree");
    char d[1024];
    /* parts: 5 segments in capture order */
    const char *segs[] = {
        "home/2026/09/30/home-20260930T235959Z-000009.pcap.zst",
        "home/2026/10/01/home-20261001T000000Z-000010.pcap.gz",
        "home/2026/10/01/home-20261001T010000Z-000011.pcap",
        "home/2026/10/02/home-20261002T000000Z-000012.pcapng",
        "home/2026/10/10/home-20261010T000000Z-000013.PCAP.ZSTD",
    };
    int cuts[] = { 0, 50, 120, 200, 260, NREF };
    for (int s = 0; s < 5; s++) {
        snprintf(d, sizeof d, "%s/%s", root, segs[s]);
        *strrchr(d, '/') = 0;
        mkdirs(d);
        buf b = write_pcap(cuts[s], cuts[s + 1], s == 2, true, 262144, NULL);
        buf out = { 0 };
        if (s == 0 || s == 4)
            out = zstd_frame(b.p, b.n, true);
        else if (s == 1)
            out = gzip_member(b.p, b.n);
        else
            bput(&out, b.p, b.n);
        snprintf(d, sizeof d, "%s/%s", root, segs[s]);
        /* s == 3 is classic pcap under a .pcapng name: magic decides */
        write_file(d, out.p, out.n);
        /* its sidecar, which must be ignored */
        char y[1100];
        snprintf(y, sizeof y, "%s", d);
        char *dot = strstr(y + strlen(root), ".");
        snprintf(dot, sizeof y - (size_t)(dot - y), ".yaml");
        write_file(y, "sensor: home\n", 13);
        free(b.p);
        free(out.p);
    }
    /* things that must be skipped */
    snprintf(d, sizeof d, "%s/home/.partial", root);
    mkdirs(d);
    snprintf(d, sizeof d, "%s/home/.partial/home-20261011T000000Z-000014.pcap", root);
    write_file(d, le_usec.p, le_usec.n);
    snprintf(d, sizeof d, "%s/home/2026/10/01/notes.txt", root);
    write_file(d, le_usec.p, le_usec.n);
    snprintf(d, sizeof d, "%s/home/2026/.hidden.pcap", root);
    write_file(d, le_usec.p, le_usec.n);
    /* a symlink loop must not loop */
    snprintf(d, sizeof d, "%s/home/2026/10/loop", root);
    if (symlink("..", d) != 0)
        fprintf(stderr, "symlink: %s\n", strerror(errno));

    size_t n = 0;
    unsigned errs = 0;
    char **list = iotap_expand_inputs(&root, 1, &n, &errs);
    CHECK_EQ_U(n, 5);
    CHECK_EQ_U(errs, 0);
    for (size_t i = 0; i < n && i < 5; i++) {
        snprintf(d, sizeof d, "%s/%s", root, segs[i]);
        CHECK_STR(list[i], d);
    }
    CHECK(list[n] == NULL);
    iotap_free_inputs(list);

    unsigned dmg = 9;
    read_compare(&root, 1, 0, NREF, false, NULL, &dmg, "walk");
    CHECK_EQ_U(dmg, 0);

    /* A nonexistent input is reported and counted by the expansion. */
    const char *two[] = { "/nonexistent/iotap-test", root };
    errs = 0;
    list = iotap_expand_inputs(two, 2, &n, &errs);
    CHECK_EQ_U(n, 5);
    CHECK_EQ_U(errs, 1);
    iotap_free_inputs(list);
}

/* A capture split at random record boundaries into a directory of
 * .pcap.zst segments reads back as the unsplit stream. */
static void test_split(void)
{
    for (int round = 0; round < 3; round++) {
        int nseg = 2 + round * 5;
        int bounds[32];
        bounds[0] = 0;
        bounds[nseg] = NREF;
        for (int s = 1; s < nseg; s++)
            bounds[s] = (int)(rnd() % (NREF + 1));
        /* sort the inner cuts (empty segments allowed) */
        for (int a = 1; a < nseg; a++)
            for (int b2 = a + 1; b2 < nseg; b2++)
                if (bounds[b2] < bounds[a]) {
                    int t = bounds[a];
                    bounds[a] = bounds[b2];
                    bounds[b2] = t;
                }
        char dir[1024];
        snprintf(dir, sizeof dir, "%s", tpath("split%d/cam/2026/11/01", round));
        mkdirs(dir);
        for (int s = 0; s < nseg; s++) {
            buf b = write_pcap(bounds[s], bounds[s + 1], false, true, 262144, NULL);
            buf z = zstd_frame(b.p, b.n, true);
            char f[1200];
            snprintf(f, sizeof f, "%s/cam-20261101T%06dZ-%06d.pcap.zst", dir, 1000 + s, s + 1);
            write_file(f, z.p, z.n);
            free(b.p);
            free(z.p);
        }
        const char *top = tpath("split%d", round);
        unsigned dmg = 9;
        read_compare(&top, 1, 0, NREF, false, NULL, &dmg, "split");
        CHECK_EQ_U(dmg, 0);
    }
}

/* Packets of the decompressed prefix a streaming zstd decoder yields from
 * a damaged file: the ground truth for what a reader can deliver. */
static size_t zstd_prefix(const uint8_t *p, size_t n)
{
    ZSTD_DStream *d = ZSTD_createDStream();
    ZSTD_initDStream(d);
    size_t total = 0;
    uint8_t *out = xmalloc(1 << 16);
    ZSTD_inBuffer in = { p, n, 0 };
    for (;;) {
        ZSTD_outBuffer o = { out, 1 << 16, 0 };
        size_t r = ZSTD_decompressStream(d, &o, &in);
        total += o.pos;
        if (ZSTD_isError(r) || (o.pos == 0 && in.pos == in.size))
            break;
    }
    free(out);
    ZSTD_freeDStream(d);
    return total;
}

static size_t gzip_prefix(const uint8_t *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    inflateInit2(&z, 16 + MAX_WBITS);
    uint8_t *out = xmalloc(1 << 16);
    size_t total = 0;
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    for (;;) {
        z.next_out = out;
        z.avail_out = 1 << 16;
        int r = inflate(&z, Z_NO_FLUSH);
        total += (1 << 16) - z.avail_out;
        if (r != Z_OK)
            break;
    }
    inflateEnd(&z);
    free(out);
    return total;
}

static int records_within(size_t prefix)
{
    int k = 0;
    while (k < NREF && le_offs[k] + 16 + ref[k].caplen <= prefix)
        k++;
    return k;
}

static void damage_case(const char *what, const char *path, uint64_t want_pkts,
                        const char *fragment)
{
    const char *good = tpath("le-usec.pcap");
    const char *in[] = { path, good };
    uint64_t got, last;
    unsigned dmg;
    char *msg = with_stderr(in, 2, &got, &dmg, &last);
    if (got != want_pkts + NREF)
        fprintf(stderr, "%s: got %llu packets, want %llu + %d\n", what, (unsigned long long)got,
                (unsigned long long)want_pkts, NREF);
    CHECK_EQ_U(got, want_pkts + NREF);
    CHECK_EQ_U(last, NREF);             /* the next input is read in full */
    CHECK_EQ_U(dmg, 1);
    if (!strstr(msg, fragment))
        fprintf(stderr, "%s: stderr lacks \"%s\"\n", what, fragment);
    CHECK(strstr(msg, fragment) != NULL);
    /* exactly one line: one message per problem */
    CHECK(strchr(msg, '\n') && strchr(msg, '\n') == strrchr(msg, '\n'));
    CHECK(strstr(msg, path) != NULL);
    free(msg);
}

static void test_damage(void)
{
    char frag[512];
    /* truncated zstd frame */
    buf z = zstd_frame(le_usec.p, le_usec.n, true);
    size_t cut = z.n / 2;
    write_file(tpath("trunc.pcap.zst"), z.p, cut);
    int want = records_within(zstd_prefix(z.p, cut));
    CHECK(want > 0 && want < NREF);
    snprintf(frag, sizeof frag, "truncated zstd frame at byte %zu (after packet %d)", cut, want);
    damage_case("truncated zstd", tpath("trunc.pcap.zst"), (uint64_t)want, frag);

    /* a corrupt byte inside zstd data (checksummed frames): frames before
     * the damaged one are delivered exactly; error names the offset */
    {
        buf m = { 0 };
        size_t half = le_offs[NREF / 2] + 3;
        buf f1 = zstd_frame(le_usec.p, half, true), f2 = zstd_frame(le_usec.p + half, le_usec.n - half, true);
        bput(&m, f1.p, f1.n);
        bput(&m, f2.p, f2.n);
        m.p[f1.n + f2.n / 2] ^= 0x55;
        write_file(tpath("corrupt.pcap.zst"), m.p, m.n);
        const char *in[] = { tpath("corrupt.pcap.zst"), tpath("le-usec.pcap") };
        uint64_t got, last;
        unsigned dmg;
        char *msg = with_stderr(in, 2, &got, &dmg, &last);
        int before = records_within(half);
        CHECK(got >= (uint64_t)before + NREF && got <= 2 * NREF);
        CHECK_EQ_U(dmg, 1);
        CHECK_EQ_U(last, NREF);
        CHECK(strstr(msg, "corrupt zstd data at byte ") != NULL);
        /* the reported offset lies in the second frame */
        const char *at = strstr(msg, "at byte ");
        unsigned long long off = at ? strtoull(at + 8, NULL, 10) : 0;
        CHECK(off >= f1.n && off <= m.n);
        free(msg);
        /* the delivered prefix (up to the second frame) is exact */
        unsigned d2;
        const char *one = tpath("corrupt.pcap.zst");
        fflush(stderr);
        iotap_reader *r = iotap_reader_open(&one, 1);
        iotap_packet p;
        int k = 0, bad = 0;
        while (iotap_reader_next(r, &p) && k < before) {
            if (p.caplen != ref[k].caplen || memcmp(p.data, ref[k].data, p.caplen) != 0)
                bad++;
            k++;
        }
        d2 = iotap_reader_damaged(r);
        iotap_reader_close(r);
        CHECK_EQ_I(bad, 0);
        CHECK_EQ_I(k, before);
        (void)d2;
        free(m.p);
        free(f1.p);
        free(f2.p);
    }
    free(z.p);

    /* bad record length in record 100 */
    {
        buf b = { 0 };
        bput(&b, le_usec.p, le_usec.n);
        int k = 99;
        memset(b.p + le_offs[k] + 8, 0xff, 4);
        write_file(tpath("badlen.pcap"), b.p, b.n);
        snprintf(frag, sizeof frag, "bad record length 4294967295 at byte %llu (packet %d)",
                 (unsigned long long)le_offs[k], k + 1);
        damage_case("bad record length", tpath("badlen.pcap"), (uint64_t)k, frag);
        /* the same, compressed: offsets are in the decompressed stream */
        buf bz = zstd_frame(b.p, b.n, false);
        write_file(tpath("badlen.pcap.zst"), bz.p, bz.n);
        damage_case("bad record length zst", tpath("badlen.pcap.zst"), (uint64_t)k, frag);
        free(bz.p);
        /* caplen just above 262144 with a small snaplen is bad too */
        memcpy(b.p, le_usec.p, le_usec.n);
        uint32_t v = 262145;
        memcpy(b.p + le_offs[k] + 8, &v, 4);
        write_file(tpath("badlen2.pcap"), b.p, b.n);
        snprintf(frag, sizeof frag, "bad record length 262145 at byte %llu (packet %d)",
                 (unsigned long long)le_offs[k], k + 1);
        damage_case("caplen 262145", tpath("badlen2.pcap"), (uint64_t)k, frag);
        free(b.p);
    }

    /* garbage after the end: fewer bytes than a record header */
    {
        buf b = { 0 };
        bput(&b, le_usec.p, le_usec.n);
        bput(&b, "GARBAGE", 7);
        write_file(tpath("garbage.pcap"), b.p, b.n);
        snprintf(frag, sizeof frag, "7 bytes of garbage at end (byte %zu", le_usec.n);
        damage_case("garbage", tpath("garbage.pcap"), NREF, frag);
        free(b.p);
    }

    /* a truncated final record (header complete, data short) */
    {
        size_t last_off = le_offs[NREF - 1];
        size_t n = last_off + 16 + ref[NREF - 1].caplen / 2;
        if (ref[NREF - 1].caplen < 2)
            n = last_off + 10;
        write_file(tpath("truncrec.pcap"), le_usec.p, n);
        snprintf(frag, sizeof frag, "%zu bytes of ", n - last_off);
        damage_case("truncated record", tpath("truncrec.pcap"), NREF - 1, frag);
        snprintf(frag, sizeof frag, "at end (byte %zu", last_off);
        damage_case("truncated record 2", tpath("truncrec.pcap"), NREF - 1, frag);
        /* gzip cut short */
        buf g = gzip_member(le_usec.p, le_usec.n);
        write_file(tpath("trunc.pcap.gz"), g.p, g.n - 100000);
        int gwant = records_within(gzip_prefix(g.p, g.n - 100000));
        CHECK(gwant > 0 && gwant < NREF);
        snprintf(frag, sizeof frag, "truncated gzip data at byte %zu (after packet %d)",
                 g.n - 100000, gwant);
        damage_case("truncated gzip", tpath("trunc.pcap.gz"), (uint64_t)gwant, frag);
        free(g.p);
    }

    /* nonexistent file, non-capture file, empty file */
    damage_case("nonexistent", tpath("does-not-exist.pcap"), 0,
                "does-not-exist.pcap: cannot open: No such file or directory");
    write_file(tpath("hello.pcap"), "hello world, no capture\n", 24);
    damage_case("not a capture", tpath("hello.pcap"), 0,
                "not a capture file (unknown magic 68656c6c)");
    write_file(tpath("empty.pcap"), "", 0);
    damage_case("empty", tpath("empty.pcap"), 0, "empty");

    /* truncated pcapng: libpcap's error with our packet number */
    {
        buf b = write_pcapng();
        write_file(tpath("trunc.pcapng"), b.p, b.n - 50);
        damage_case("truncated pcapng", tpath("trunc.pcapng"), NREF - 1, "(after packet 399)");
        free(b.p);
    }
}

/* Random damage (seeded): the reader must end, never hand out more than
 * 262144 bytes, and a change inside packet payloads of a plain pcap must
 * change nothing but bytes. Sanitizer builds catch any stray access. */
static void test_mutations(void)
{
    int n = 60;     /* a small capture keeps this quick */
    uint64_t offs[NREF];
    buf plain = write_pcap(0, n, false, true, 65535, offs);
    buf ng = write_pcapng();
    buf z = zstd_frame(plain.p, plain.n, true), g = gzip_member(plain.p, plain.n);
    buf *srcs[] = { &plain, &ng, &z, &g };
    const char *path = tpath("mutant");
    int payload_ok = 0, payload_runs = 0;
    for (int round = 0; round < 400; round++) {
        buf *src = srcs[round % 4];
        buf m = { 0 };
        bput(&m, src->p, src->n);
        bool payload_only = round % 4 == 0 && round % 8 == 0;
        if (payload_only) {
            /* change bytes only inside packet data */
            for (int k = 0; k < 5; k++) {
                int i = (int)(rnd() % (uint64_t)n);
                if (ref[i].caplen)
                    m.p[offs[i] + 16 + rnd() % ref[i].caplen] ^= (uint8_t)(1 + rnd() % 255);
            }
        } else {
            int k = 1 + (int)(rnd() % 6);
            while (k--) {
                size_t at = rnd() % m.n;
                switch (rnd() % 3) {
                case 0: m.p[at] = (uint8_t)rnd(); break;
                case 1: m.n = at ? at : 1; break;
                default: for (size_t j = at; j < at + 4 && j < m.n; j++) m.p[j] = (uint8_t)rnd();
                }
            }
        }
        write_file(path, m.p, m.n);
        free(m.p);
        fflush(stderr);
        int saved = dup(2), fd = open("/dev/null", O_WRONLY);
        dup2(fd, 2);
        close(fd);
        iotap_reader *r = iotap_reader_open(&path, 1);
        iotap_packet p;
        uint64_t k = 0;
        bool sane = true;
        while (iotap_reader_next(r, &p)) {
            k++;
            if (p.caplen > IOTAP_MAX_TEST_CAPLEN || (p.caplen && !p.data) || k > 100000)
                sane = false;
            if (p.caplen)
                sink += p.data[0] + p.data[p.caplen - 1];
            if (k > 100000)
                break;
        }
        unsigned d = iotap_reader_damaged(r);
        iotap_reader_close(r);
        dup2(saved, 2);
        close(saved);
        CHECK(sane);
        if (payload_only) {
            payload_runs++;
            payload_ok += k == (uint64_t)n && d == 0;
        }
    }
    CHECK(payload_runs > 0);
    CHECK_EQ_I(payload_ok, payload_runs);
    free(plain.p);
    free(ng.p);
    free(z.p);
    free(g.p);
}

/* ---- --count modes for the e2e scripts ---- */

static int count_main(int argc, char **argv)
{
    iotap_set_progname("test-capture");
    if (strcmp(argv[1], "--list") == 0 || strcmp(argv[1], "--write") == 0) {
        bool write = strcmp(argv[1], "--write") == 0;
        iotap_reader *r = iotap_reader_open((const char *const *)argv + 2, (size_t)argc - 2);
        iotap_packet p;
        iotap_pcapw *w = NULL;
        while (iotap_reader_next(r, &p)) {
            if (write) {
                if (!w)
                    w = iotap_pcapw_new(stdout, p.linktype, p.snaplen ? p.snaplen : 262144, true);
                iotap_pcapw_write(w, p.ts_ns, p.caplen, p.len, p.data);
            } else {
                printf("%lld.%09lld\t%u\t%u\n", (long long)(p.ts_ns / IOTAP_NS_PER_SEC),
                       (long long)(p.ts_ns % IOTAP_NS_PER_SEC), p.caplen, p.len);
            }
        }
        if (w)
            iotap_pcapw_free(w);
        unsigned d = iotap_reader_damaged(r);
        iotap_reader_close(r);
        return d ? 1 : 0;
    }
    if (strcmp(argv[1], "--count") == 0) {
        iotap_reader *r = iotap_reader_open((const char *const *)argv + 2, (size_t)argc - 2);
        iotap_packet p;
        uint64_t n = 0, sum = 0;
        while (iotap_reader_next(r, &p)) {
            n++;
            sum += p.caplen;
            if (p.caplen)   /* touch the bytes so a sanitizer sees bad pointers */
                sum += p.data[0] + p.data[p.caplen - 1];
        }
        sink = sum;
        printf("%llu %u\n", (unsigned long long)n, iotap_reader_damaged(r));
        iotap_reader_close(r);
        return 0;
    }
    if (strcmp(argv[1], "--count-each") != 0) {
        fprintf(stderr, "usage: test-capture [--count|--count-each|--list|--write INPUT...]\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        const char *one = argv[i];
        iotap_reader *r = iotap_reader_open(&one, 1);
        iotap_packet p;
        uint64_t n = 0, sum = 0;
        while (iotap_reader_next(r, &p)) {
            n++;
            if (p.caplen)
                sum += p.data[0] + p.data[p.caplen - 1];
        }
        sink = sum;
        printf("%llu %u %s\n", (unsigned long long)n, iotap_reader_damaged(r), argv[i]);
        fflush(stdout);
        iotap_reader_close(r);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strncmp(argv[1], "--", 2) == 0)
        return count_main(argc, argv);
    iotap_set_progname("test-capture");
    make_ref();
    test_formats();
    test_multi_inputs();
    test_walk();
    test_split();
    test_damage();
    test_mutations();
    free(le_usec.p);
    for (int i = 0; i < NREF; i++)
        free(ref[i].data);
    return TEST_DONE();
}
