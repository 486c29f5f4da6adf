/*
 * csvout.c - RFC 4180 CSV writing and reading on top of libcsv (see
 * csvout.h).
 *
 * Writing keeps the common case cheap: a field that needs no quotes is
 * written bare with one fwrite; only fields holding a comma, quote, CR, LF or
 * leading/trailing white space go through csv_fwrite(), which quotes them and
 * doubles inner quotes. The first write error is reported once (with errno's
 * text) and remembered, so iotap_csv_close() can make the program exit
 * non-zero instead of leaving a silently short report.
 */
#include "csvout.h"

#include <arpa/inet.h>
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct iotap_csv {
    FILE *out;
    bool row_open;      /* a field was written in the current row */
    bool failed;        /* a write failed (reported once) */
    bool commafree;     /* iotap_csv_set_commafree(): escape , CR LF in strings */
};

iotap_csv *iotap_csv_new(FILE *out)
{
    iotap_csv *c = xcalloc(1, sizeof *c);
    c->out = out;
    return c;
}

static void check_error(iotap_csv *c)
{
    if (!c->failed && ferror(c->out)) {
        c->failed = true;
        iotap_warn("write error: %s", strerror(errno ? errno : EIO));
    }
}

static bool needs_quotes(const char *s, size_t n)
{
    if (n == 0)
        return false;
    if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return true;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return true;
    return false;
}

/* One field as it is (RFC 4180 quoting only when needed). */
static void put_field(iotap_csv *c, const char *s, size_t n)
{
    if (c->failed)
        return;
    if (c->row_open)
        putc(',', c->out);
    c->row_open = true;
    if (!s)
        n = 0;
    if (needs_quotes(s, n)) {
        csv_fwrite(c->out, s, n);   /* failure shows in ferror() */
    } else if (n) {
        fwrite(s, 1, n, c->out);
    }
    check_error(c);
}

void iotap_csv_set_commafree(iotap_csv *c, bool on)
{
    c->commafree = on;
}

/* What comma-free mode must rewrite: ',' CR LF, and "\x" (so that the
 * \xHH escapes stay reversible). */
static bool needs_escape(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '\r' || s[i] == '\n' ||
            (s[i] == '\\' && i + 1 < n && s[i + 1] == 'x'))
            return true;
    return false;
}

void iotap_csv_strn(iotap_csv *c, const char *s, size_t n)
{
    if (!s)
        n = 0;
    if (!c->commafree || c->failed || !needs_escape(s, n)) {
        put_field(c, s, n);
        return;
    }
    char *e = xmalloc(4 * n + 1), *o = e;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ',' || ch == '\r' || ch == '\n' ||
            (ch == '\\' && i + 1 < n && s[i + 1] == 'x'))
            o += sprintf(o, "\\x%02x", ch);
        else
            *o++ = (char)ch;
    }
    put_field(c, e, (size_t)(o - e));
    free(e);
}

void iotap_csv_display(iotap_csv *c, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char small[256];
    char *e = n < sizeof small ? small : xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ',' || ch == '\r' || ch == '\n' || ch == '\t')
            ch = ' ';
        if (ch == ' ' && (k == 0 || e[k - 1] == ' '))
            continue;
        e[k++] = ch;
    }
    while (k && e[k - 1] == ' ')
        k--;
    put_field(c, e, k);
    if (e != small)
        free(e);
}

void iotap_csv_str(iotap_csv *c, const char *s)
{
    iotap_csv_strn(c, s, s ? strlen(s) : 0);
}

void iotap_csv_printf(iotap_csv *c, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        iotap_csv_strn(c, "", 0);
        return;
    }
    if ((size_t)n < sizeof small) {
        iotap_csv_strn(c, small, (size_t)n);
        return;
    }
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    iotap_csv_strn(c, big, (size_t)n);
    free(big);
}

void iotap_csv_u64(iotap_csv *c, uint64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    put_field(c, buf, (size_t)n);
}

void iotap_csv_i64(iotap_csv *c, int64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    put_field(c, buf, (size_t)n);
}

void iotap_csv_time(iotap_csv *c, int64_t ns)
{
    char buf[IOTAP_TIME_BUFSZ];
    iotap_csv_str(c, iotap_format_time(ns, buf));
}

void iotap_csv_mac(iotap_csv *c, const uint8_t mac[6])
{
    char buf[IOTAP_MAC_BUFSZ];
    iotap_csv_str(c, iotap_format_mac(mac, buf));
}

void iotap_csv_addr(iotap_csv *c, const iotap_addr *a)
{
    /* Same inet_ntop forms as iotap_addr_format(); done here so that CSV
     * output does not depend on the address module. */
    char buf[IOTAP_ADDR_BUFSZ] = "";
    if (a && a->family == 4)
        inet_ntop(AF_INET, a->a, buf, sizeof buf);
    else if (a && a->family == 6)
        inet_ntop(AF_INET6, a->a, buf, sizeof buf);
    iotap_csv_str(c, buf);
}

void iotap_csv_end(iotap_csv *c)
{
    c->row_open = false;
    if (c->failed)
        return;
    putc('\n', c->out);
    check_error(c);
}

void iotap_csv_header(iotap_csv *c, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        iotap_csv_str(c, names[i]);
    iotap_csv_end(c);
}

int iotap_csv_close(iotap_csv *c)
{
    if (!c)
        return 0;
    if (!c->failed && fflush(c->out) != 0) {
        c->failed = true;
        iotap_warn("write error: %s", strerror(errno ? errno : EIO));
    }
    check_error(c);
    int rc = c->failed ? -1 : 0;
    free(c);
    return rc;
}

/* ---- reading ---- */

/* A row may not grow without bound on hostile input. */
#define CSV_MAX_FIELDS 100000

struct reader {
    char **fields;
    size_t n, cap;
    bool too_many;
    iotap_csv_row_fn row_cb;
    void *ctx;
};

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->n >= CSV_MAX_FIELDS) {
        r->too_many = true;
        return;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->fields = xrealloc(r->fields, r->cap * sizeof *r->fields);
    }
    char *f = xmalloc(len + 1);
    if (len)
        memcpy(f, s, len);
    f[len] = '\0';
    r->fields[r->n++] = f;
}

static void free_fields(struct reader *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->fields[i]);
    r->n = 0;
}

static void on_row(int term, void *data)
{
    (void)term;
    struct reader *r = data;
    r->row_cb(r->fields, r->n, r->ctx);
    free_fields(r);
}

int iotap_csv_read(FILE *in, iotap_csv_row_fn row_cb, void *ctx)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        iotap_warn("CSV parser: out of memory");
        return -1;
    }
    struct reader r = {.row_cb = row_cb, .ctx = ctx};
    char buf[65536];
    size_t got, total = 0;
    int rc = 0;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
        size_t used = csv_parse(&p, buf, got, on_field, on_row, &r);
        if (used != got) {
            iotap_warn("CSV: %s at byte %zu", csv_strerror(csv_error(&p)), total + used);
            rc = -1;
            break;
        }
        total += got;
    }
    if (rc == 0 && ferror(in)) {
        iotap_warn("CSV: read error: %s", strerror(errno ? errno : EIO));
        rc = -1;
    }
    if (rc == 0 && csv_fini(&p, on_field, on_row, &r) != 0) {
        iotap_warn("CSV: %s at end of input", csv_strerror(csv_error(&p)));
        rc = -1;
    }
    if (rc == 0 && r.too_many) {
        iotap_warn("CSV: row with more than %d fields", CSV_MAX_FIELDS);
        rc = -1;
    }
    free_fields(&r);
    free(r.fields);
    csv_free(&p);
    return rc;
}
