/*
 * naming.c - picks a flow's name by the DESIGN.md priority (see naming.h).
 */
#include "naming.h"

#include <stdbool.h>
#include <string.h>

const char *iotap_name_source_str(iotap_name_source s)
{
    switch (s) {
    case IOTAP_NAME_SNI: return "sni";
    case IOTAP_NAME_QUIC: return "quic";
    case IOTAP_NAME_HTTP: return "http";
    case IOTAP_NAME_DNS: return "dns";
    case IOTAP_NAME_DNS_OTHER: return "dns-other-device";
    case IOTAP_NAME_NONE: default: return "none";
    }
}

bool iotap_naming_normalize(const char *in, bool strip_port, char *out)
{
    out[0] = '\0';
    if (!in)
        return false;
    size_t n = strnlen(in, IOTAP_NAMING_BUFSZ * 2);
    const char *s = in;
    if (strip_port) {
        if (s[0] == '[') {              /* [v6]:port */
            const char *close = memchr(s, ']', n);
            if (!close)
                return false;
            s++;
            n = (size_t)(close - s);
        } else {
            const char *colon = memchr(s, ':', n);
            /* One colon is a port; more would be a bare IPv6 literal. */
            if (colon && !memchr(colon + 1, ':', n - (size_t)(colon - s) - 1))
                n = (size_t)(colon - s);
        }
    }
    while (n > 0 && s[n - 1] == '.')
        n--;
    if (n == 0 || n >= IOTAP_NAMING_BUFSZ)
        return false;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    out[n] = '\0';
    return true;
}

iotap_name_source iotap_naming_choose(const iotap_names *names, const uint8_t *mac,
                                      const iotap_addr *remote, int64_t first_ns,
                                      const iotap_flow_hints *hints, char *out)
{
    out[0] = '\0';
    if (hints) {
        if (iotap_naming_normalize(hints->sni, false, out))
            return IOTAP_NAME_SNI;
        if (iotap_naming_normalize(hints->quic_sni, false, out))
            return IOTAP_NAME_QUIC;
        if (iotap_naming_normalize(hints->http_host, true, out))
            return IOTAP_NAME_HTTP;
    }
    if (names && remote) {
        if (mac && iotap_naming_normalize(iotap_names_lookup(names, mac, remote, first_ns, NULL), false, out))
            return IOTAP_NAME_DNS;
        if (iotap_naming_normalize(iotap_names_lookup_any(names, remote, first_ns, NULL), false, out))
            return IOTAP_NAME_DNS_OTHER;
    }
    return IOTAP_NAME_NONE;
}
