/*
 * quic.h - the server name of a QUIC connection, from the client's Initial
 * packets (RFC 9000 section 17.2.2 long header; RFC 9001 section 5 Initial
 * protection; RFC 9369 for QUIC version 2).
 *
 * Initial packets are encrypted with keys anyone can derive from the
 * client's Destination Connection ID, so a passive observer can read the
 * CRYPTO frames that carry the TLS ClientHello. This module removes the
 * header protection (AES-128-ECB), decrypts the payload (AES-128-GCM, both
 * through libcrypto EVP), reassembles CRYPTO frames by offset in a bounded
 * buffer (a ClientHello may span several Initial packets and datagrams, in
 * any order), and parses the ClientHello with lib/proto/tls.h.
 *
 * Per flow (client -> server datagrams only):
 *
 *   if (!q && iotap_quic_is_initial(payload, len)) q = iotap_quic_new();
 *   if (q && iotap_quic_datagram(q, payload, len, &err) == IOTAP_QUIC_DONE) {
 *       const iotap_tls_hello *h = iotap_quic_hello(q);   // h->sni may be ""
 *       ... keep h->sni, iotap_quic_free(q) ...
 *   }
 *
 * Costs: nothing for datagrams that do not start with a long header of a
 * known version; the first Initials of each QUIC flow are decrypted. Memory
 * per flow: ~150 bytes plus a CRYPTO buffer that grows only as far as the
 * ClientHello reaches (at most IOTAP_QUIC_CRYPTO_CAP). After
 * IOTAP_QUIC_MAX_DATAGRAMS datagrams without a complete ClientHello the
 * flow is given up (DONE, empty SNI, *err says why).
 */
#ifndef IOTAP_PROTO_QUIC_H
#define IOTAP_PROTO_QUIC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/tls.h"

#define IOTAP_QUIC_V1 0x00000001u
#define IOTAP_QUIC_V2 0x6b3343cfu
#define IOTAP_QUIC_CRYPTO_CAP 16384
#define IOTAP_QUIC_MAX_DATAGRAMS 16

typedef struct iotap_quic_keys {
    uint8_t key[16], iv[12], hp[16];
} iotap_quic_keys;

/* Initial keys of one side (client or server) for a version (v1 or v2)
 * and the client's first Destination Connection ID. Returns 0, or -1 for
 * an unknown version or a libcrypto failure. */
int iotap_quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len,
                            bool server, iotap_quic_keys *k);

/* Cheap test: p starts with a long-header Initial packet of v1 or v2. */
bool iotap_quic_is_initial(const uint8_t *p, size_t len);

/* Removes the protection of the Initial packet at the start of p (with keys
 * derived from its own DCID, client side unless from_server). On success
 * returns the bytes the packet occupies (> 0), writes its plaintext payload
 * (frames) to out (room for len bytes) and sets *outlen, *pn and *version.
 * Returns 0 with *err set when the packet is not a decryptable Initial. */
size_t iotap_quic_decrypt_initial(const uint8_t *p, size_t len, bool from_server,
                                  uint8_t *out, size_t *outlen, uint64_t *pn,
                                  uint32_t *version, const char **err);

enum { IOTAP_QUIC_MORE = 0, IOTAP_QUIC_DONE = 1 };

typedef struct iotap_quic iotap_quic;
iotap_quic *iotap_quic_new(void);
/* One client -> server UDP datagram (may hold coalesced packets). Returns
 * IOTAP_QUIC_DONE once the ClientHello is parsed or the flow is given up
 * (and on every later call), else IOTAP_QUIC_MORE. *err (may be NULL) gets
 * the problem with this datagram, if any. */
int iotap_quic_datagram(iotap_quic *q, const uint8_t *p, size_t len, const char **err);
/* The ClientHello (all empty until DONE, or when given up). */
const iotap_tls_hello *iotap_quic_hello(const iotap_quic *q);
/* Version of the Initials seen (0 before the first). */
uint32_t iotap_quic_version(const iotap_quic *q);
void iotap_quic_free(iotap_quic *q);
#endif
