/*
 * util.c - messages, allocation, size/time/MAC parsing and formatting
 * shared by every iotap program (see util.h).
 */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *iotap_progname = "iotap";

void iotap_set_progname(const char *argv0)
{
    if (!argv0 || !*argv0)
        return;
    const char *slash = strrchr(argv0, '/');
    iotap_progname = slash ? slash + 1 : argv0;
}

static void vwarn(const char *fmt, va_list ap)
{
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    fprintf(stderr, "%s: %s\n", iotap_progname, buf);
}

void iotap_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
}

void iotap_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
    exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        iotap_die("out of memory (%zu bytes)", n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        iotap_die("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        iotap_die("out of memory (%zu bytes)", n);
    return q;
}

char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        iotap_die("out of memory");
    return d;
}

int iotap_parse_size(const char *s, uint64_t *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    unsigned shift = 0;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    default: return -1;
    }
    /* Accept an optional "iB"/"B" after the suffix ("64MiB", "1GB"). */
    if (shift && (end[0] == 'i' || end[0] == 'I') && (end[1] == 'b' || end[1] == 'B'))
        end += 2;
    else if (*end == 'b' || *end == 'B')
        end++;
    if (*end)
        return -1;
    if (shift && v > (UINT64_MAX >> shift))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int parse_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* ".123456789" -> ns; advances p. */
static int64_t parse_fraction(const char **p)
{
    int64_t ns = 0, scale = 100000000;
    while (isdigit((unsigned char)**p)) {   /* digits past ns are read, not kept */
        ns += (**p - '0') * scale;
        scale /= 10;
        (*p)++;
    }
    return ns;
}

int iotap_parse_time(const char *s, int64_t *ns)
{
    if (!s || !*s)
        return -1;
    const char *p = s;
    /* Epoch seconds: digits with an optional fraction ("1761984000.25"). */
    if (isdigit((unsigned char)*s) && strspn(s, "0123456789.") == strlen(s) &&
        strchr(s, '.') == strrchr(s, '.') && strchr(s, '-') == NULL) {
        int64_t sec = 0;
        while (isdigit((unsigned char)*p)) {
            sec = sec * 10 + (*p++ - '0');
            if (sec > INT64_MAX / IOTAP_NS_PER_SEC - 1)   /* past year 2262 */
                return -1;
        }
        int64_t frac = 0;
        if (*p == '.') {
            p++;
            frac = parse_fraction(&p);
        }
        *ns = sec * IOTAP_NS_PER_SEC + frac;
        return 0;
    }
    /* ISO 8601, extended (2026-11-01T08:00:00Z) or basic (20261101T080000Z,
     * as in segment names; all digits alone are epoch seconds above, so the
     * basic form needs its T). One form throughout: no colon in basic. */
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (parse_digits(&p, 4, &y))
        return -1;
    bool basic = isdigit((unsigned char)*p);
    if (basic) {
        if (parse_digits(&p, 2, &mo) || parse_digits(&p, 2, &d) || (*p != 'T' && *p != 't'))
            return -1;
    } else if (*p++ != '-' || parse_digits(&p, 2, &mo) || *p++ != '-' || parse_digits(&p, 2, &d)) {
        return -1;
    }
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
        return -1;
    int64_t frac = 0, offset = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (parse_digits(&p, 2, &h) || (!basic && *p++ != ':') || parse_digits(&p, 2, &mi))
            return -1;
        if (basic ? isdigit((unsigned char)*p) : *p == ':') {
            if (!basic)
                p++;
            if (parse_digits(&p, 2, &sec))
                return -1;
            if (*p == '.' || *p == ',') {
                p++;
                frac = parse_fraction(&p);
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return -1;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
            if (parse_digits(&p, 2, &oh))
                return -1;
            if (*p == ':' && !basic)
                p++;
            if (*p && parse_digits(&p, 2, &om))
                return -1;
            if (oh > 23 || om > 59)
                return -1;
            offset = sign * (oh * 3600 + om * 60);
        }
    }
    if (*p)
        return -1;
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t t = days * 86400 + h * 3600 + mi * 60 + sec - offset;
    /* Nanoseconds in an int64_t reach from 1677 to 2262; a year outside
     * that (a hostile sidecar's "8294-11-25") is refused, not wrapped. */
    if (t > INT64_MAX / IOTAP_NS_PER_SEC - 1 || t < INT64_MIN / IOTAP_NS_PER_SEC + 1)
        return -1;
    *ns = t * IOTAP_NS_PER_SEC + frac;
    return 0;
}

char *iotap_format_time(int64_t ns, char *buf)
{
    int64_t sec = ns / IOTAP_NS_PER_SEC, rem = ns % IOTAP_NS_PER_SEC;
    if (rem < 0) {
        rem += IOTAP_NS_PER_SEC;
        sec--;
    }
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, IOTAP_TIME_BUFSZ, "invalid");
        return buf;
    }
    if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) {   /* not a 4-digit year */
        snprintf(buf, IOTAP_TIME_BUFSZ, "invalid");
        return buf;
    }
    /* Formatted into a roomy buffer first: gcc cannot see that every field
     * is in range and would warn of truncation. */
    char tmp[96];
    int n = snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(rem / 1000));
    size_t len = n > 0 && (size_t)n < IOTAP_TIME_BUFSZ ? (size_t)n : IOTAP_TIME_BUFSZ - 1;
    memcpy(buf, tmp, len);
    buf[len] = '\0';
    return buf;
}

char *iotap_format_mac(const uint8_t mac[6], char *buf)
{
    snprintf(buf, IOTAP_MAC_BUFSZ, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
             mac[3], mac[4], mac[5]);
    return buf;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int iotap_parse_mac(const char *s, uint8_t mac[6])
{
    /* Accept aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff and aabbccddeeff. */
    int n = 0;
    for (const char *p = s; *p; ) {
        if (*p == ':' || *p == '-' || *p == '.') {
            p++;
            continue;
        }
        int v = hexval((unsigned char)*p);
        if (v < 0 || n == 12)   /* not hex, or a 13th digit */
            return -1;
        if (n % 2 == 0)
            mac[n / 2] = (uint8_t)(v << 4);
        else
            mac[n / 2] |= (uint8_t)v;
        n++;
        p++;
    }
    return n == 12 ? 0 : -1;
}

bool iotap_progress_allowed(void)
{
    return isatty(STDERR_FILENO) != 0;
}
