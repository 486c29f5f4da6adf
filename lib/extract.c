/*
 * extract.c - safe, content-addressed files beneath one directory (see
 * extract.h). The directory is held open; nothing is ever resolved through
 * a path that the network could influence.
 */
#include "extract.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "util.h"

typedef struct stored {
    struct stored *next;
    char sha[65];
    char name[IOTAP_EXTRACT_NAME_MAX + 1];
} stored;

struct iotap_extract {
    int dirfd;
    char *path;
    stored **tab;
    size_t tabsz, nstored;
    uint64_t seq, written, dups, reused;
};

struct iotap_extract_file {
    int fd;
    char tmp[64];
    bool failed;
    uint64_t size;          /* bytes written */
};

iotap_extract *iotap_extract_open(const char *dir)
{
    if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
        iotap_warn("%s: cannot create directory: %s", dir, strerror(errno));
        return NULL;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        iotap_warn("%s: cannot open directory: %s", dir, strerror(errno));
        return NULL;
    }
    iotap_extract *x = xcalloc(1, sizeof *x);
    x->dirfd = fd;
    x->path = xstrdup(dir);
    x->tabsz = 1024;
    x->tab = xcalloc(x->tabsz, sizeof *x->tab);
    return x;
}

iotap_extract_file *iotap_extract_begin(iotap_extract *x)
{
    iotap_extract_file *f = xcalloc(1, sizeof *f);
    for (int tries = 0; tries < 100; tries++) {
        snprintf(f->tmp, sizeof f->tmp, ".iotap-tmp.%ld.%llu", (long)getpid(),
                 (unsigned long long)++x->seq);
        f->fd = openat(x->dirfd, f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
        if (f->fd >= 0)
            return f;
        if (errno != EEXIST)
            break;
    }
    iotap_warn("%s: cannot create a file: %s", x->path, strerror(errno));
    free(f);
    return NULL;
}

int iotap_extract_write(iotap_extract_file *f, const void *p, size_t n)
{
    const char *q = p;
    while (n && !f->failed) {
        ssize_t w = write(f->fd, q, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            iotap_warn("writing an extracted file: %s", w < 0 ? strerror(errno) : "short write");
            f->failed = true;
            break;
        }
        q += w;
        n -= (size_t)w;
        f->size += (uint64_t)w;
    }
    return f->failed ? -1 : 0;
}

static void file_end(iotap_extract *x, iotap_extract_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    unlinkat(x->dirfd, f->tmp, 0);
    free(f);
}

void iotap_extract_discard(iotap_extract *x, iotap_extract_file *f)
{
    if (f)
        file_end(x, f);
}

static size_t hash_slot(const iotap_extract *x, const char *sha)
{
    uint64_t h = 0;
    for (int i = 0; i < 16 && sha[i]; i++)
        h = h * 31 + (unsigned char)sha[i];
    return (size_t)(h % x->tabsz);
}

static stored *find_stored(const iotap_extract *x, const char *sha)
{
    for (stored *s = x->tab[hash_slot(x, sha)]; s; s = s->next)
        if (!strcmp(s->sha, sha))
            return s;
    return NULL;
}

static void add_stored(iotap_extract *x, const char *sha, const char *name)
{
    if (x->nstored >= x->tabsz * 2) {
        size_t nsz = x->tabsz * 4;
        stored **nt = xcalloc(nsz, sizeof *nt);
        size_t osz = x->tabsz;
        stored **ot = x->tab;
        x->tab = nt;
        x->tabsz = nsz;
        for (size_t i = 0; i < osz; i++)
            for (stored *s = ot[i], *nx; s; s = nx) {
                nx = s->next;
                size_t k = hash_slot(x, s->sha);
                s->next = nt[k];
                nt[k] = s;
            }
        free(ot);
    }
    stored *s = xcalloc(1, sizeof *s);
    snprintf(s->sha, sizeof s->sha, "%s", sha);
    snprintf(s->name, sizeof s->name, "%s", name);
    size_t k = hash_slot(x, sha);
    s->next = x->tab[k];
    x->tab[k] = s;
    x->nstored++;
}

/* Is the existing entry `name` a regular file holding exactly these bytes
 * (size, then SHA-256)? Opened without following a link and without
 * blocking on a FIFO; only read. */
static bool same_file(iotap_extract *x, const char *name, uint64_t size, const char *sha256)
{
    int fd = openat(x->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == size;
    if (same) {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
            iotap_die("SHA-256 unavailable in libcrypto");
        static unsigned char buf[64 * 1024];
        uint64_t got = 0;
        for (;;) {
            ssize_t r = read(fd, buf, sizeof buf);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                same = r == 0;
                break;
            }
            EVP_DigestUpdate(md, buf, (size_t)r);
            got += (uint64_t)r;
        }
        unsigned char d[32];
        unsigned dl = 0;
        EVP_DigestFinal_ex(md, d, &dl);
        EVP_MD_CTX_free(md);
        char hex[65];
        for (unsigned k = 0; k < 32; k++)
            snprintf(hex + 2 * k, 3, "%02x", d[k]);
        same = same && got == size && strcmp(hex, sha256) == 0;
    }
    close(fd);
    return same;
}

int iotap_extract_commit(iotap_extract *x, iotap_extract_file *f, const char *sha256,
                         const char *uri, const char *content_type, const char *content_range,
                         const uint8_t *head, size_t nhead, char name[IOTAP_EXTRACT_NAME_MAX + 1])
{
    stored *s = find_stored(x, sha256);
    if (s) {
        snprintf(name, IOTAP_EXTRACT_NAME_MAX + 1, "%s", s->name);
        x->dups++;
        file_end(x, f);
        return 0;
    }
    if (f->failed) {
        file_end(x, f);
        return -1;
    }
    const char *ext = iotap_extract_ext(content_type, head, nhead);
    char base[IOTAP_EXTRACT_NAME_MAX + 1];
    char range[64];
    iotap_extract_range(content_range, range, sizeof range);
    iotap_extract_name_ranged(uri, sha256, ext, range, base);
    for (int k = 0; k < 100; k++) {
        if (k == 0)
            snprintf(name, IOTAP_EXTRACT_NAME_MAX + 1, "%s", base);
        else {
            /* Same name already there (an earlier run, or planted): a new name. */
            char *dot = strrchr(base, '.');
            int stem = dot ? (int)(dot - base) : (int)strlen(base);
            snprintf(name, IOTAP_EXTRACT_NAME_MAX + 1, "%.*s~%d%s", stem, base, k, dot ? dot : "");
        }
        if (linkat(x->dirfd, f->tmp, x->dirfd, name, 0) == 0) {
            add_stored(x, sha256, name);
            x->written++;
            file_end(x, f);
            return 0;
        }
        if (errno != EEXIST)
            break;
        /* An earlier run stored these very bytes under this name: reuse
         * it. Anything else there (other bytes, a link, a FIFO) is left
         * alone and the body goes to the next ~N name. */
        if (same_file(x, name, f->size, sha256)) {
            add_stored(x, sha256, name);
            x->reused++;
            file_end(x, f);
            return 0;
        }
        errno = EEXIST;
    }
    iotap_warn("%s: cannot store %s: %s", x->path, name, strerror(errno));
    file_end(x, f);
    return -1;
}

void iotap_extract_counts(const iotap_extract *x, uint64_t *written, uint64_t *duplicates)
{
    *written = x->written;
    *duplicates = x->dups;
}

void iotap_extract_close(iotap_extract *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->tabsz; i++)
        for (stored *s = x->tab[i], *nx; s; s = nx) {
            nx = s->next;
            free(s);
        }
    free(x->tab);
    close(x->dirfd);
    free(x->path);
    free(x);
}

/* ---------------- naming ---------------- */

void iotap_media_type(const char *ct, char *out, size_t outsz)
{
    size_t n = 0;
    if (ct) {
        while (*ct == ' ' || *ct == '\t')
            ct++;
        for (; *ct && *ct != ';' && *ct != ',' && *ct != ' ' && n + 1 < outsz; ct++)
            out[n++] = (char)tolower((unsigned char)*ct);
    }
    if (outsz)
        out[n] = 0;
}

static const struct { const char *type, *ext; } ext_by_type[] = {
    {"image/jpeg", "jpg"}, {"image/jpg", "jpg"}, {"image/pjpeg", "jpg"}, {"image/png", "png"},
    {"image/gif", "gif"}, {"image/webp", "webp"}, {"image/svg+xml", "svg"},
    {"image/x-icon", "ico"}, {"image/vnd.microsoft.icon", "ico"}, {"image/bmp", "bmp"},
    {"image/avif", "avif"}, {"image/heic", "heic"}, {"image/tiff", "tif"},
    {"text/html", "html"}, {"text/plain", "txt"}, {"text/css", "css"}, {"text/xml", "xml"},
    {"text/csv", "csv"}, {"text/javascript", "js"}, {"application/javascript", "js"},
    {"application/x-javascript", "js"}, {"application/json", "json"},
    {"application/xml", "xml"}, {"application/xhtml+xml", "html"}, {"application/pdf", "pdf"},
    {"application/zip", "zip"}, {"application/gzip", "gz"}, {"application/x-gzip", "gz"},
    {"application/x-shockwave-flash", "swf"}, {"application/ocsp-response", "ocsp"},
    {"application/ocsp-request", "ocsp"}, {"application/pkix-crl", "crl"},
    {"application/x-x509-ca-cert", "crt"}, {"application/pkix-cert", "crt"},
    {"application/x-www-form-urlencoded", "form"}, {"application/protobuf", "pb"},
    {"application/x-protobuf", "pb"}, {"video/mp4", "mp4"}, {"video/mp2t", "ts"},
    {"audio/mpeg", "mp3"}, {"audio/aac", "aac"}, {"application/vnd.apple.mpegurl", "m3u8"},
    {"application/x-mpegurl", "m3u8"}, {"font/woff", "woff"}, {"font/woff2", "woff2"},
    {NULL, NULL},
};

const char *iotap_sniff_type(const uint8_t *h, size_t n)
{
#define STARTS(s) (n >= sizeof(s) - 1 && memcmp(h, s, sizeof(s) - 1) == 0)
    if (STARTS("\xff\xd8\xff")) return "image/jpeg";
    if (STARTS("\x89PNG\r\n\x1a\n")) return "image/png";
    if (STARTS("GIF87a") || STARTS("GIF89a")) return "image/gif";
    if (n >= 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WEBP", 4)) return "image/webp";
    if (STARTS("%PDF-")) return "application/pdf";
    if (STARTS("PK\x03\x04")) return "application/zip";
    if (STARTS("\x1f\x8b")) return "application/gzip";
    if (STARTS("\x00\x00\x01\x00")) return "image/x-icon";
    if (STARTS("BM")) return "image/bmp";
    if (STARTS("CWS") || STARTS("FWS") || STARTS("ZWS")) return "application/x-shockwave-flash";
    if (n >= 8 && !memcmp(h + 4, "ftyp", 4)) return "video/mp4";
    if (STARTS("ID3")) return "audio/mpeg";
    size_t i = 0;
    while (i < n && isspace(h[i]))
        i++;
    if (i < n && (h[i] == '{' || h[i] == '['))
        return "application/json";
    if (n - i >= 5 && (!strncasecmp((const char *)h + i, "<!doc", 5) || !strncasecmp((const char *)h + i, "<html", 5)))
        return "text/html";
    if (n - i >= 5 && !memcmp(h + i, "<?xml", 5))
        return "application/xml";
    if (n - i >= 4 && !memcmp(h + i, "<svg", 4))
        return "image/svg+xml";
#undef STARTS
    return NULL;
}

static const char *ext_of(const char *mt)
{
    for (int i = 0; mt && ext_by_type[i].type; i++)
        if (!strcmp(mt, ext_by_type[i].type))
            return ext_by_type[i].ext;
    return NULL;
}

const char *iotap_extract_ext(const char *content_type, const uint8_t *head, size_t nhead)
{
    char mt[128];
    iotap_media_type(content_type, mt, sizeof mt);
    const char *e = ext_of(mt);
    if (!e)
        e = ext_of(iotap_sniff_type(head, nhead));
    return e ? e : "bin";
}

static bool name_char(unsigned char c)
{
    return isalnum(c) || c == '.' || c == '_' || c == '-';
}

void iotap_extract_range(const char *cr, char *out, size_t outsz)
{
    if (outsz)
        out[0] = 0;
    if (!cr)
        return;
    while (*cr == ' ' || *cr == '\t')
        cr++;
    if (strncasecmp(cr, "bytes", 5) != 0)
        return;
    cr += 5;
    while (*cr == ' ' || *cr == '\t' || *cr == '=')
        cr++;
    const char *a = cr;
    size_t na = strspn(a, "0123456789");
    if (na == 0 || na > 20 || a[na] != '-')
        return;
    const char *b = a + na + 1;
    size_t nb = strspn(b, "0123456789");
    if (nb == 0 || nb > 20)
        return;
    snprintf(out, outsz, "bytes-%.*s-%.*s", (int)na, a, (int)nb, b);
}

void iotap_extract_name(const char *uri, const char *sha256, const char *ext,
                        char out[IOTAP_EXTRACT_NAME_MAX + 1])
{
    iotap_extract_name_ranged(uri, sha256, ext, NULL, out);
}

void iotap_extract_name_ranged(const char *uri, const char *sha256, const char *ext,
                               const char *range, char out[IOTAP_EXTRACT_NAME_MAX + 1])
{
    /* Path part of the URI: drop scheme://authority, query and fragment. */
    const char *u = uri ? uri : "";
    const char *scheme = strstr(u, "://");
    if (scheme && scheme < u + strcspn(u, "/?#"))
        u = scheme + 3;
    size_t plen = strcspn(u, "?#");
    size_t seg = plen;
    while (seg > 0 && u[seg - 1] != '/')
        seg--;
    /* Percent-decode the segment, then keep only safe characters. */
    char stem[101];
    size_t n = 0;
    for (size_t i = seg; i < plen && n < 100; i++) {
        unsigned char c = (unsigned char)u[i];
        if (c == '%' && i + 2 < plen && isxdigit((unsigned char)u[i + 1]) && isxdigit((unsigned char)u[i + 2])) {
            char hx[3] = {u[i + 1], u[i + 2], 0};
            c = (unsigned char)strtol(hx, NULL, 16);
            i += 2;
        }
        stem[n++] = name_char(c) ? (char)c : '_';
    }
    stem[n] = 0;
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = 0;
    for (char *p = stem; *p == '.'; p++)
        *p = '_';   /* no hidden files, never "." or ".." */
    for (char *p = stem; (p = strstr(p, "..")) != NULL;)
        *p = '_';   /* and no ".." anywhere */
    if (!*stem)
        snprintf(stem, sizeof stem, "body");
    char e[17];
    size_t k = 0;
    for (const char *p = ext ? ext : "bin"; *p && k < 16; p++)
        if (isalnum((unsigned char)*p))
            e[k++] = (char)*p;
    e[k] = 0;
    /* The range: only "bytes-DIGITS-DIGITS" (iotap_extract_range) is used. */
    char r[64] = "";
    if (range && *range && strlen(range) < sizeof r - 1 &&
        strspn(range, "bytes-0123456789") == strlen(range))
        snprintf(r, sizeof r, ".%s", range);
    snprintf(out, IOTAP_EXTRACT_NAME_MAX + 1, "%s-%.12s%s.%s", stem, sha256 ? sha256 : "", r,
             k ? e : "bin");
}
