/*
 * csvout.h - RFC 4180 CSV rows on a stream. A field is written bare when it
 * needs no quoting and through libcsv's csv_fwrite() when it holds a comma,
 * quote, CR or LF (or leading/trailing space). Rows end in "\n",
 * as tshark and Zeek's CSV do; RFC 4180 readers accept both.
 *
 *   iotap_csv *c = iotap_csv_new(stdout);
 *   iotap_csv_header(c, (const char *[]){"mac", "bytes", NULL});
 *   iotap_csv_mac(c, mac); iotap_csv_u64(c, n); iotap_csv_end(c);
 *   if (iotap_csv_close(c) != 0) ... write failed
 */
#ifndef IOTAP_CSVOUT_H
#define IOTAP_CSVOUT_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "addr.h"

typedef struct iotap_csv iotap_csv;
iotap_csv *iotap_csv_new(FILE *out);
void iotap_csv_header(iotap_csv *c, const char *const *names);  /* NULL-terminated */
void iotap_csv_str(iotap_csv *c, const char *s);                 /* NULL = empty */
void iotap_csv_strn(iotap_csv *c, const char *s, size_t n);      /* bytes, may hold NUL */
void iotap_csv_printf(iotap_csv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void iotap_csv_u64(iotap_csv *c, uint64_t v);
void iotap_csv_i64(iotap_csv *c, int64_t v);
void iotap_csv_time(iotap_csv *c, int64_t ns);                   /* ISO 8601 UTC, micro-s */
void iotap_csv_mac(iotap_csv *c, const uint8_t mac[6]);
void iotap_csv_addr(iotap_csv *c, const iotap_addr *a);          /* family 0 = empty */
void iotap_csv_end(iotap_csv *c);                                /* ends the row */

/* Comma-free output (the report programs, so that `sort -t, -kN` and
 * `cut -d,` see the columns): once set, no string field holds a comma, CR
 * or LF. Strings from the network or config are written Zeek-style: ','
 * as \x2c, CR as \x0d, LF as \x0a, and a backslash followed by 'x' as
 * \x5c (so "\x41" becomes "\x5cx41" and every value stays reversible).
 * A field may still be RFC 4180 quoted when it holds a '"' or begins or
 * ends with a space, which never shifts a column. Numbers, times, MACs and
 * addresses are unchanged. Default off (RFC 4180 quoting only). */
void iotap_csv_set_commafree(iotap_csv *c, bool on);
/* A display string from a database (MAC vendor, AS organisation): commas,
 * CR, LF and tabs become spaces, runs of spaces one space, leading and
 * trailing spaces are dropped ("Samsung Electronics Co.,LTD" ->
 * "Samsung Electronics Co. LTD"), in either mode. NULL = empty. */
void iotap_csv_display(iotap_csv *c, const char *s);
/* Flushes; returns 0, or -1 when any write failed (message already given). */
int iotap_csv_close(iotap_csv *c);

/* Reading (for tests and tools that read CSV back): calls row_cb for every
 * row with its fields (NUL-terminated copies). Uses libcsv's parser.
 * Returns 0, or -1 on a parse error (reported). */
typedef void (*iotap_csv_row_fn)(char **fields, size_t n, void *ctx);
int iotap_csv_read(FILE *in, iotap_csv_row_fn row_cb, void *ctx);
#endif
