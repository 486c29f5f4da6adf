/*
 * regdom.h - the registrable domain (eTLD+1) of a host name, from the
 * Public Suffix List through libpsl: "api.eu.amazonalexa.com" ->
 * "amazonalexa.com", "a.b.example.co.uk" -> "example.co.uk". The list is
 * the system's newest (psl_latest: /usr/share/publicsuffix) or else the
 * copy built into libpsl.
 *
 * Empty result for IP literals (v4, v6, bracketed), for a name that is
 * itself a public suffix ("co.uk"), and for empty input. Names are
 * lower-cased and lose a trailing dot first. Single-label names
 * ("printer") give "".
 */
#ifndef IOTAP_REGDOM_H
#define IOTAP_REGDOM_H
#include <stddef.h>

#define IOTAP_REGDOM_BUFSZ 256

typedef struct iotap_regdom iotap_regdom;
/* Never NULL (without any list, every answer is ""; one warning). */
iotap_regdom *iotap_regdom_new(void);
/* Writes the registrable domain of host to out (IOTAP_REGDOM_BUFSZ bytes)
 * and returns out ("" when there is none). */
const char *iotap_regdom_get(const iotap_regdom *r, const char *host, char *out);
void iotap_regdom_free(iotap_regdom *r);
#endif
