/*
 * tls.h - the TLS ClientHello (RFC 8446 section 4.1.2; record layer section
 * 5.1; extensions server_name RFC 6066 section 3, ALPN RFC 7301,
 * supported_versions RFC 8446 section 4.2.1). This is what names a TLS
 * flow: the SNI host name, plus the ALPN list and the highest version the
 * client offers.
 *
 * Three entry points for the three places a ClientHello turns up:
 *   iotap_tls_client_stream()    the first bytes a TCP client sent: records of
 *                                content type 22, the hello possibly split
 *                                over several records (lib/hello.h collects
 *                                these bytes across TCP segments);
 *   iotap_tls_handshake_stream() handshake messages without records (QUIC
 *                                CRYPTO frames, lib/proto/quic.h);
 *   iotap_tls_client_hello()     one ClientHello body (after the 4-byte
 *                                handshake header).
 * The stream forms tell "need more bytes" from "not TLS" from "broken", so a
 * caller can wait for the next segment. An SSLv2-compatible hello (no
 * extensions, so no SNI) is recognised and reported with sslv2 set.
 *
 * A host name is kept only when it is 1..255 printable ASCII characters
 * (no space, no control bytes); it is lower-cased. An invalid one leaves sni
 * empty and sets sni_invalid.
 */
#ifndef IOTAP_PROTO_TLS_H
#define IOTAP_PROTO_TLS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOTAP_TLS_NAME_BUFSZ 256
#define IOTAP_TLS_ALPN_BUFSZ 128
#define IOTAP_TLS_MAX_HELLO 16384   /* larger ClientHellos are refused */

typedef struct iotap_tls_hello {
    uint16_t record_version;    /* of the first record (0 without records) */
    uint16_t legacy_version;    /* ClientHello.legacy_version */
    uint16_t version;           /* highest non-GREASE supported_versions entry,
                                   else legacy_version */
    bool sslv2;                 /* SSLv2-compatible ClientHello */
    bool sni_invalid;           /* a server_name was there but not a host name */
    char sni[IOTAP_TLS_NAME_BUFSZ];     /* "" when none */
    char alpn[IOTAP_TLS_ALPN_BUFSZ];    /* "h2,http/1.1"; "" when none */
    unsigned nextensions;
    bool has_ech;               /* encrypted_client_hello (0xfe0d) offered:
                                   the SNI is then the public (outer) name */
} iotap_tls_hello;

enum {
    IOTAP_TLS_BAD = -2,         /* looked like TLS but is malformed (*err says) */
    IOTAP_TLS_NOT = -1,         /* not a TLS ClientHello at all */
    IOTAP_TLS_MORE = 0,         /* so far so good, the hello is not complete */
    IOTAP_TLS_DONE = 1,         /* *h filled */
};

int iotap_tls_client_stream(const uint8_t *p, size_t len, iotap_tls_hello *h, const char **err);
int iotap_tls_handshake_stream(const uint8_t *p, size_t len, iotap_tls_hello *h, const char **err);
/* Returns IOTAP_TLS_DONE or IOTAP_TLS_BAD. */
int iotap_tls_client_hello(const uint8_t *body, size_t len, iotap_tls_hello *h, const char **err);

/* "SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" (tshark's
 * spelling), or NULL for anything else. */
const char *iotap_tls_version_name(uint16_t v);
#endif
