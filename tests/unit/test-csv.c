/*
 * test-csv.c - lib/csvout: exact RFC 4180 bytes for plain and awkward
 * fields, every typed writer, round trip through iotap_csv_read (libcsv),
 * parse errors, and write errors on /dev/full reported once.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "test.h"
#include "util.h"

static char *slurp(FILE *f, size_t *n)
{
    fflush(f);
    rewind(f);
    size_t cap = 4096;
    char *buf = xmalloc(cap + 1);
    *n = fread(buf, 1, cap, f);
    buf[*n] = '\0';
    return buf;
}

static void test_write_exact(void)
{
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f)
        return;
    iotap_csv *c = iotap_csv_new(f);
    iotap_csv_header(c, (const char *[]){"mac", "name", "bytes", NULL});
    /* Fields that must stay bare. */
    iotap_csv_str(c, "plain");
    iotap_csv_str(c, NULL);
    iotap_csv_str(c, "");
    iotap_csv_str(c, "in ner");
    iotap_csv_str(c, "caf\xc3\xa9");
    iotap_csv_end(c);
    /* Fields that need quotes: comma, quote, CR, LF, leading/trailing space. */
    iotap_csv_str(c, "a,b");
    iotap_csv_str(c, "say \"hi\"");
    iotap_csv_str(c, "line1\nline2");
    iotap_csv_str(c, "cr\r");
    iotap_csv_str(c, " lead");
    iotap_csv_str(c, "trail ");
    iotap_csv_str(c, "\"");
    iotap_csv_end(c);
    /* Typed writers. */
    uint8_t mac[6] = {0xB8, 0x27, 0xEB, 0x0A, 0xBC, 0xDE};
    iotap_csv_mac(c, mac);
    iotap_csv_u64(c, UINT64_MAX);
    iotap_csv_i64(c, INT64_MIN);
    iotap_csv_time(c, 1761984000LL * IOTAP_NS_PER_SEC + 123456789);
    iotap_csv_printf(c, "%d-%s", 42, "x,y");
    iotap_csv_strn(c, "abcdef", 3);
    iotap_csv_end(c);
    iotap_addr a4 = {.family = 4, .a = {192, 168, 1, 20}};
    iotap_addr a6 = {.family = 6, .a = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
    iotap_addr none = {0};
    iotap_csv_addr(c, &a4);
    iotap_csv_addr(c, &a6);
    iotap_csv_addr(c, &none);
    iotap_csv_end(c);
    /* A long printf field goes past the small stack buffer. */
    char longs[1001];
    memset(longs, 'z', 1000);
    longs[1000] = '\0';
    iotap_csv_printf(c, "%s", longs);
    iotap_csv_end(c);
    CHECK_EQ_I(iotap_csv_close(c), 0);

    size_t n;
    char *got = slurp(f, &n);
    char want[4096];
    snprintf(want, sizeof want,
             "mac,name,bytes\n"
             "plain,,,in ner,caf\xc3\xa9\n"
             "\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"cr\r\",\" lead\",\"trail \",\"\"\"\"\n"
             "b8:27:eb:0a:bc:de,18446744073709551615,-9223372036854775808,"
             "2025-11-01T08:00:00.123456Z,\"42-x,y\",abc\n"
             "192.168.1.20,2001:db8::1,\n"
             "%s\n", longs);
    CHECK_STR(got, want);
    free(got);
    fclose(f);
}

struct rows {
    size_t nrows;
    size_t nfields[8];
    char *f[8][8];
};

static void on_row(char **fields, size_t n, void *ctx)
{
    struct rows *r = ctx;
    if (r->nrows < 8) {
        r->nfields[r->nrows] = n;
        for (size_t i = 0; i < n && i < 8; i++)
            r->f[r->nrows][i] = xstrdup(fields[i]);
    }
    r->nrows++;
}

static void free_rows(struct rows *r)
{
    for (size_t i = 0; i < 8; i++)
        for (size_t j = 0; j < 8; j++)
            free(r->f[i][j]);
}

static void test_roundtrip(void)
{
    FILE *f = tmpfile();
    if (!f)
        return;
    const char *vals[] = {"a,b", "say \"hi\"", "line1\r\nline2", " lead", "", "plain", NULL};
    iotap_csv *c = iotap_csv_new(f);
    iotap_csv_header(c, (const char *[]){"x", "y", NULL});
    for (size_t i = 0; vals[i]; i++)
        iotap_csv_str(c, vals[i]);
    iotap_csv_end(c);
    CHECK_EQ_I(iotap_csv_close(c), 0);
    rewind(f);
    struct rows r = {0};
    CHECK_EQ_I(iotap_csv_read(f, on_row, &r), 0);
    CHECK_EQ_U(r.nrows, 2);
    CHECK_EQ_U(r.nfields[0], 2);
    CHECK_STR(r.f[0][0], "x");
    CHECK_EQ_U(r.nfields[1], 6);
    for (size_t i = 0; vals[i]; i++)
        CHECK_STR(r.f[1][i], vals[i]);
    free_rows(&r);
    fclose(f);
}

static int read_string(const char *s, struct rows *r)
{
    FILE *f = tmpfile();
    fputs(s, f);
    rewind(f);
    int rc = iotap_csv_read(f, on_row, r);
    fclose(f);
    return rc;
}

static void test_read_cases(void)
{
    struct rows r = {0};
    /* No final newline, CRLF rows. */
    CHECK_EQ_I(read_string("a,b\r\n1,\"2\"\"\"\r\n3,4", &r), 0);
    CHECK_EQ_U(r.nrows, 3);
    CHECK_STR(r.f[1][1], "2\"");
    CHECK_STR(r.f[2][1], "4");
    free_rows(&r);

    memset(&r, 0, sizeof r);
    CHECK_EQ_I(read_string("a,\"unterminated\n", &r), -1);
    free_rows(&r);
    memset(&r, 0, sizeof r);
    CHECK_EQ_I(read_string("a,\"x\"y,b\n", &r), -1);
    free_rows(&r);
}

/* Undoes the \xHH escapes of comma-free mode. */
static void unescape(const char *s, char *out)
{
    while (*s) {
        unsigned v;
        if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1) {
            *out++ = (char)v;
            s += 4;
        } else {
            *out++ = *s++;
        }
    }
    *out = 0;
}

/* The report programs' mode: no comma, CR or LF in any value; network
 * strings escaped Zeek-style and reversible, database strings with commas
 * as spaces; numbers and RFC 4180 quotes for '"' and edge spaces unchanged;
 * the default mode still quotes. */
static void test_commafree(void)
{
    FILE *f = tmpfile();
    if (!f)
        return;
    iotap_csv *c = iotap_csv_new(f);
    iotap_csv_set_commafree(c, true);
    const char *vals[] = { "a,b", "line1\r\nline2", "back\\x41", "back\\slash",
                           "trail\\", "plain", ",", NULL };
    for (size_t i = 0; vals[i]; i++)
        iotap_csv_str(c, vals[i]);
    iotap_csv_end(c);
    iotap_csv_display(c, "Samsung Electronics Co.,LTD");
    iotap_csv_display(c, "Example Cloud, Inc.");
    iotap_csv_display(c, " ,Lead,  and\ttrail, ");
    iotap_csv_display(c, NULL);
    iotap_csv_str(c, "say \"hi\"");
    iotap_csv_u64(c, 42);
    iotap_csv_printf(c, "%s,%d", "x", 1);
    iotap_csv_end(c);
    iotap_csv_set_commafree(c, false);
    iotap_csv_str(c, "a,b");
    iotap_csv_display(c, "Co.,LTD");
    iotap_csv_end(c);
    CHECK_EQ_I(iotap_csv_close(c), 0);
    size_t n;
    char *got = slurp(f, &n);
    CHECK_STR(got,
              "a\\x2cb,line1\\x0d\\x0aline2,back\\x5cx41,back\\slash,trail\\,plain,\\x2c\n"
              "Samsung Electronics Co. LTD,Example Cloud Inc.,Lead and trail,,\"say \"\"hi\"\"\",42,x\\x2c1\n"
              "\"a,b\",Co. LTD\n");
    /* Reversible: unescaping the first row gives the values back. */
    char *line = strtok(got, "\n");
    size_t i = 0;
    for (char *fld = line ? strtok(line, ",") : NULL; fld && vals[i]; fld = strtok(NULL, ","), i++) {
        char back[64];
        unescape(fld, back);
        CHECK_STR(back, vals[i]);
    }
    CHECK_EQ_U(i, 7);
    free(got);
    fclose(f);
}

static void test_write_error(void)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return;
    /* Capture stderr to count the messages. */
    fflush(stderr);
    int saved = dup(2);
    FILE *err = tmpfile();
    dup2(fileno(err), 2);
    iotap_csv *c = iotap_csv_new(f);
    for (int i = 0; i < 5000; i++) {
        iotap_csv_str(c, "some field, with a comma");
        iotap_csv_u64(c, (uint64_t)i);
        iotap_csv_end(c);
    }
    int rc = iotap_csv_close(c);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(f);
    CHECK_EQ_I(rc, -1);
    size_t n;
    char *msgs = slurp(err, &n);
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += msgs[i] == '\n';
    CHECK_EQ_U(lines, 1);
    CHECK(strstr(msgs, "No space left on device") != NULL);
    free(msgs);
    fclose(err);
}

int main(void)
{
    iotap_set_progname("test-csv");
    test_write_exact();
    test_roundtrip();
    test_read_cases();
    test_commafree();
    test_write_error();
    return TEST_DONE();
}
