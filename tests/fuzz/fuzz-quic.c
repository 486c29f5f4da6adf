/*
 * fuzz-quic.c - the QUIC Initial parser (lib/proto/quic.c): header
 * protection, decryption, CRYPTO frame reassembly and the ClientHello inside.
 *
 * Random bytes almost never pass AES-GCM authentication, so most of the
 * input is taken as PLAINTEXT frames that this target protects itself (with
 * the keys iotap_quic_initial_keys() derives, as a real client would) before
 * handing the datagram over. Input:
 *   [mode u8] then records [kind u8][len u16 BE][bytes]
 * kind bit 0: 0 = bytes are a raw datagram, 1 = bytes are the frames of an
 * Initial packet (v1 or v2 by bit 1, packet number from bits 2..7) that is
 * built and encrypted here. mode bit 0 also runs the one-shot decrypt API.
 */
#include <openssl/evp.h>
#include "fuzz.h"
#include "proto/quic.h"

static const uint8_t dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };

/* An Initial packet around `frames` (n bytes), protected as a client would.
 * out has room for n + 64 bytes. Returns its length, or 0. */
static size_t build_initial(uint8_t *out, uint32_t version, uint32_t pn,
                            const uint8_t *frames, size_t n)
{
    iotap_quic_keys k;
    if (iotap_quic_initial_keys(version, dcid, sizeof dcid, false, &k) < 0)
        return 0;
    size_t plen = n < 4 ? 4 : n;    /* header protection samples 16 bytes after pn */
    size_t o = 0;
    /* v1 Initial type 0, v2 Initial type 1 (RFC 9369 3.2); pn length 4. */
    out[o++] = (uint8_t)(version == IOTAP_QUIC_V2 ? 0xd3 : 0xc3);
    out[o++] = (uint8_t)(version >> 24); out[o++] = (uint8_t)(version >> 16);
    out[o++] = (uint8_t)(version >> 8); out[o++] = (uint8_t)version;
    out[o++] = sizeof dcid; memcpy(out + o, dcid, sizeof dcid); o += sizeof dcid;
    out[o++] = 0;                   /* no source connection id */
    out[o++] = 0;                   /* no token */
    size_t length = 4 + plen + 16;
    out[o++] = (uint8_t)(0x40 | length >> 8); out[o++] = (uint8_t)length;
    size_t pn_off = o;
    out[o++] = (uint8_t)(pn >> 24); out[o++] = (uint8_t)(pn >> 16);
    out[o++] = (uint8_t)(pn >> 8); out[o++] = (uint8_t)pn;
    memset(out + o, 0, plen);       /* PADDING frames after the input's */
    memcpy(out + o, frames, n);
    uint8_t nonce[12], mask[16];
    memcpy(nonce, k.iv, 12);
    for (int i = 0; i < 4; i++)
        nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int ol = 0, ok = c != NULL;
    uint8_t *pl = out + o;
    ok = ok && EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL)
        && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL)
        && EVP_EncryptInit_ex(c, NULL, NULL, k.key, nonce)
        && EVP_EncryptUpdate(c, NULL, &ol, out, (int)o)
        && EVP_EncryptUpdate(c, pl, &ol, pl, (int)plen)
        && EVP_EncryptFinal_ex(c, pl + ol, &ol)
        && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, pl + plen);
    if (ok)
        EVP_CIPHER_CTX_reset(c);
    ok = ok && EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, k.hp, NULL)
        && EVP_CIPHER_CTX_set_padding(c, 0)
        && EVP_EncryptUpdate(c, mask, &ol, out + pn_off + 4, 16);
    EVP_CIPHER_CTX_free(c);
    if (!ok)
        return 0;
    out[0] ^= mask[0] & 0x0f;
    for (int i = 0; i < 4; i++)
        out[pn_off + i] ^= mask[1 + i];
    return o + plen + 16;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz in = fz_make(data, size);
    uint8_t mode = fz_u8(&in);
    iotap_quic *q = NULL;
    while (fz_left(&in) >= 3) {
        uint8_t kind = fz_u8(&in);
        size_t want = fz_u16(&in) % 2048, got;
        const uint8_t *bytes = fz_bytes(&in, want, &got);
        size_t dlen = got;
        uint8_t *dg = malloc(got + 64);
        if (kind & 1) {
            uint32_t ver = kind & 2 ? IOTAP_QUIC_V2 : IOTAP_QUIC_V1;
            dlen = build_initial(dg, ver, kind >> 2, bytes, got);
            if (!dlen) {
                free(dg);
                continue;
            }
        } else if (got) {
            memcpy(dg, bytes, got);
        }
        /* Exactly dlen bytes, so over-reads are caught. */
        uint8_t *exact = realloc(dg, dlen ? dlen : 1);
        if (mode & 1) {
            uint8_t *plain = malloc(dlen ? dlen : 1);
            size_t plen = 0;
            uint64_t pn;
            uint32_t version;
            const char *err = NULL;
            size_t used = iotap_quic_decrypt_initial(exact, dlen, false, plain, &plen, &pn, &version, &err);
            if (used > dlen || (used && plen > dlen))
                abort();
            free(plain);
        }
        if (!q && iotap_quic_is_initial(exact, dlen))
            q = iotap_quic_new();
        if (q) {
            const char *err = NULL;
            if (iotap_quic_datagram(q, exact, dlen, &err) == IOTAP_QUIC_DONE) {
                const iotap_tls_hello *h = iotap_quic_hello(q);
                if (strnlen(h->sni, sizeof h->sni) >= sizeof h->sni)
                    abort();
                (void)iotap_quic_version(q);
                iotap_quic_free(q);
                q = NULL;
            }
        }
        free(exact);
    }
    iotap_quic_free(q);
    return 0;
}
