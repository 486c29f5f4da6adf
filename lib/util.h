/*
 * util.h - small helpers every iotap program uses: error messages in the
 * `iotap-TOOL: what went wrong` form, allocation that never returns NULL,
 * size and time parsing, and the output formats DESIGN.md fixes (ISO 8601
 * UTC with microseconds, lower-case colon MACs).
 *
 * Time inside iotap is always int64_t nanoseconds since the Unix epoch (UTC).
 */
#ifndef IOTAP_UTIL_H
#define IOTAP_UTIL_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOTAP_NS_PER_SEC 1000000000LL

/* The program name used in messages ("iotap-cat"); set from argv[0]. */
extern const char *iotap_progname;
void iotap_set_progname(const char *argv0);

/* "iotap-TOOL: message\n" on stderr. */
void iotap_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void iotap_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Allocation that exits with a message instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* "64M", "1G", "512k", "1048576" -> bytes (K, M, G, T are powers of 1024).
 * Returns 0 on success, -1 on a malformed or overflowing value. */
int iotap_parse_size(const char *s, uint64_t *out);

/* ISO 8601 ("2026-11-01T08:00:00Z", "2026-11-01T08:00:00.5Z",
 * "2026-11-01 08:00:00", "2026-11-01", "+01:00" offsets) or epoch seconds
 * ("1761984000", "1761984000.25") -> ns. Times without zone are UTC.
 * Returns 0 on success, -1 on a malformed value. */
int iotap_parse_time(const char *s, int64_t *ns);

/* ns -> "2026-11-01T08:00:00.123456Z" (always microseconds). buf >= 32. */
#define IOTAP_TIME_BUFSZ 32
char *iotap_format_time(int64_t ns, char *buf);

/* MAC <-> "aa:bb:cc:dd:ee:ff". Parsing accepts ':' '-' or '.' forms and
 * either case. buf >= 18. */
#define IOTAP_MAC_BUFSZ 18
char *iotap_format_mac(const uint8_t mac[6], char *buf);
int iotap_parse_mac(const char *s, uint8_t mac[6]);
/* Locally administered bit set: a randomized/private address. */
static inline bool iotap_mac_is_random(const uint8_t mac[6]) { return (mac[0] & 0x02) != 0; }
static inline bool iotap_mac_is_group(const uint8_t mac[6]) { return (mac[0] & 0x01) != 0; }

/* True when stderr is a terminal (progress output is allowed). */
bool iotap_progress_allowed(void);
#endif
