/*
 * naming.h - the name of a flow's remote end, by the priority DESIGN.md
 * fixes: TLS SNI, then QUIC SNI, then HTTP Host, then the name this device
 * asked DNS for that address before the flow began, then any device's DNS
 * name for it, else none. The source goes into the CSV `name_source`
 * column with exactly these words:
 *
 *   sni, quic, http, dns, dns-other-device, none
 *
 * Names are normalised: lower case, no trailing dot; an HTTP Host loses its
 * ":port" (and the brackets of an IPv6 literal). Empty strings count as
 * absent. SNI, QUIC and HTTP hints come from the flow itself (lib/hello.h,
 * lib/proto/quic.h); the DNS ones from lib/names.h at the flow's first
 * packet time.
 */
#ifndef IOTAP_NAMING_H
#define IOTAP_NAMING_H
#include <stdint.h>
#include "addr.h"
#include "names.h"

#define IOTAP_NAMING_BUFSZ 256

typedef enum iotap_name_source {
    IOTAP_NAME_NONE = 0,
    IOTAP_NAME_SNI,
    IOTAP_NAME_QUIC,
    IOTAP_NAME_HTTP,
    IOTAP_NAME_DNS,
    IOTAP_NAME_DNS_OTHER,
} iotap_name_source;

/* "sni", "quic", "http", "dns", "dns-other-device", "none". */
const char *iotap_name_source_str(iotap_name_source s);

typedef struct iotap_flow_hints {
    const char *sni;        /* TLS ClientHello server_name, or NULL/"" */
    const char *quic_sni;   /* QUIC Initial ClientHello server_name */
    const char *http_host;  /* first HTTP request's Host header */
} iotap_flow_hints;

/* Chooses the name of the remote end `remote` of a flow of device `mac`
 * (NULL when the capture has no MACs) that began at first_ns. Writes the
 * name to out (IOTAP_NAMING_BUFSZ bytes; "" for none) and returns its
 * source. names and hints may be NULL. */
iotap_name_source iotap_naming_choose(const iotap_names *names, const uint8_t *mac,
                                      const iotap_addr *remote, int64_t first_ns,
                                      const iotap_flow_hints *hints, char *out);

/* Normalises a host name into out (IOTAP_NAMING_BUFSZ): lower case, no
 * trailing dot; with strip_port, "host:80" -> "host", "[::1]:80" -> "::1".
 * Returns false (out = "") when nothing is left. */
bool iotap_naming_normalize(const char *in, bool strip_port, char *out);
#endif
