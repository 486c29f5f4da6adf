/*
 * quic.c - QUIC Initial packets, client side: long header (RFC 9000 17.2,
 * 17.2.2), Initial secrets and packet protection (RFC 9001 5.2-5.4, HKDF
 * from RFC 5869 with TLS 1.3's HKDF-Expand-Label, RFC 8446 7.1), frames
 * allowed in Initials (RFC 9000 12.4, 19.2-19.6, 19.19), QUIC version 2
 * salt, labels and packet type (RFC 9369 3.2-3.3). See quic.h.
 */
#include "proto/quic.h"

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "hello.h"
#include "util.h"

static const uint8_t salt_v1[20] = {
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
    0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
static const uint8_t salt_v2[20] = {
    0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
    0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9};

/* ---- key schedule ---- */

static int hkdf(int mode, const uint8_t *salt, size_t saltlen, const uint8_t *key, size_t keylen,
                const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    int ok = c && EVP_PKEY_derive_init(c) > 0 &&
             EVP_PKEY_CTX_hkdf_mode(c, mode) > 0 &&
             EVP_PKEY_CTX_set_hkdf_md(c, EVP_sha256()) > 0 &&
             (!salt || EVP_PKEY_CTX_set1_hkdf_salt(c, salt, (int)saltlen) > 0) &&
             EVP_PKEY_CTX_set1_hkdf_key(c, key, (int)keylen) > 0 &&
             (!info || EVP_PKEY_CTX_add1_hkdf_info(c, info, (int)infolen) > 0) &&
             EVP_PKEY_derive(c, out, &outlen) > 0;
    EVP_PKEY_CTX_free(c);
    return ok ? 0 : -1;
}

/* HKDF-Expand-Label(secret, label, "", len) of RFC 8446 7.1. */
static int expand_label(const uint8_t secret[32], const char *label, uint8_t *out, size_t len)
{
    uint8_t info[64];
    size_t ll = strlen(label), n = 0;
    info[n++] = (uint8_t)(len >> 8);
    info[n++] = (uint8_t)len;
    info[n++] = (uint8_t)(6 + ll);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, ll);
    n += ll;
    info[n++] = 0;
    return hkdf(EVP_PKEY_HKDEF_MODE_EXPAND_ONLY, NULL, 0, secret, 32, info, n, out, len);
}

int iotap_quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len,
                            bool server, iotap_quic_keys *k)
{
    const uint8_t *salt;
    const char *lk, *liv, *lhp;
    if (version == IOTAP_QUIC_V1) {
        salt = salt_v1;
        lk = "quic key", liv = "quic iv", lhp = "quic hp";
    } else if (version == IOTAP_QUIC_V2) {
        salt = salt_v2;
        lk = "quicv2 key", liv = "quicv2 iv", lhp = "quicv2 hp";
    } else {
        return -1;
    }
    uint8_t initial[32], secret[32];
    uint8_t empty = 0;
    if (hkdf(EVP_PKEY_HKDEF_MODE_EXTRACT_ONLY, salt, 20, dcid_len ? dcid : &empty, dcid_len,
             NULL, 0, initial, 32) != 0)
        return -1;
    if (expand_label(initial, server ? "server in" : "client in", secret, 32) != 0 ||
        expand_label(secret, lk, k->key, 16) != 0 ||
        expand_label(secret, liv, k->iv, 12) != 0 ||
        expand_label(secret, lhp, k->hp, 16) != 0)
        return -1;
    return 0;
}

/* ---- packets ---- */

/* Variable-length integer (RFC 9000 16). */
static uint64_t varint(iotap_cursor *c)
{
    uint8_t b = cur_u8(c);
    unsigned extra = (1u << (b >> 6)) - 1;
    uint64_t v = b & 0x3f;
    for (unsigned i = 0; i < extra; i++)
        v = v << 8 | cur_u8(c);
    return v;
}

static bool initial_type(uint32_t version, uint8_t b0)
{
    unsigned type = b0 >> 4 & 3;
    return version == IOTAP_QUIC_V2 ? type == 1 : type == 0;
}

bool iotap_quic_is_initial(const uint8_t *p, size_t len)
{
    iotap_cursor c = cur_make(p, len);
    uint8_t b0 = cur_u8(&c);
    uint32_t v = cur_u32be(&c);
    return !c.err && (b0 & 0xc0) == 0xc0 && (v == IOTAP_QUIC_V1 || v == IOTAP_QUIC_V2) &&
           initial_type(v, b0);
}

typedef struct longhdr {
    uint8_t b0;
    uint32_t version;
    const uint8_t *dcid;
    size_t dcid_len;
    size_t pn_off;          /* offset of the packet number */
    size_t end;             /* offset just past this packet */
} longhdr;

/* Parses a long header at the start of p. Returns NULL or what is wrong. */
static const char *long_header(const uint8_t *p, size_t len, longhdr *h)
{
    iotap_cursor c = cur_make(p, len);
    h->b0 = cur_u8(&c);
    h->version = cur_u32be(&c);
    if (c.err || !(h->b0 & 0x80))
        return "not a QUIC long header";
    h->dcid_len = cur_u8(&c);
    if (h->dcid_len > 20)
        return "connection ID longer than 20 bytes";
    h->dcid = cur_take(&c, h->dcid_len);
    uint8_t scid_len = cur_u8(&c);
    if (scid_len > 20)
        return "connection ID longer than 20 bytes";
    cur_skip(&c, scid_len);
    if (c.err)
        return "QUIC header cut short";
    if (h->version != IOTAP_QUIC_V1 && h->version != IOTAP_QUIC_V2)
        return "QUIC version without known Initial keys";
    unsigned type = h->b0 >> 4 & 3;
    if (initial_type(h->version, h->b0)) {
        uint64_t tlen = varint(&c);     /* token */
        if (c.err || tlen > cur_left(&c))
            return "QUIC token runs past the datagram";
        cur_skip(&c, (size_t)tlen);
    }
    else if (type == (h->version == IOTAP_QUIC_V2 ? 0u : 3u))
        return "QUIC Retry packet";     /* no length field */
    uint64_t plen = varint(&c);
    if (c.err)
        return "QUIC header cut short";
    if (plen > cur_left(&c))
        return "QUIC packet length beyond the datagram";
    h->pn_off = c.off;
    h->end = c.off + (size_t)plen;
    return NULL;
}

static int aes_ecb_block(const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int n = 0, ok = x && EVP_EncryptInit_ex(x, EVP_aes_128_ecb(), NULL, key, NULL) > 0 &&
                    EVP_CIPHER_CTX_set_padding(x, 0) > 0 &&
                    EVP_EncryptUpdate(x, out, &n, in, 16) > 0 && n == 16;
    EVP_CIPHER_CTX_free(x);
    return ok ? 0 : -1;
}

static int aes_gcm_open(const iotap_quic_keys *k, uint64_t pn, const uint8_t *aad, size_t aadlen,
                        const uint8_t *ct, size_t ctlen, const uint8_t tag[16], uint8_t *out)
{
    uint8_t nonce[12];
    memcpy(nonce, k->iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int n = 0, fin = 0;
    int ok = x && EVP_DecryptInit_ex(x, EVP_aes_128_gcm(), NULL, NULL, NULL) > 0 &&
             EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) > 0 &&
             EVP_DecryptInit_ex(x, NULL, NULL, k->key, nonce) > 0 &&
             EVP_DecryptUpdate(x, NULL, &n, aad, (int)aadlen) > 0 &&
             EVP_DecryptUpdate(x, out, &n, ct, (int)ctlen) > 0 &&
             EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, 16, (void *)tag) > 0 &&
             EVP_DecryptFinal_ex(x, out + n, &fin) > 0;
    EVP_CIPHER_CTX_free(x);
    return ok ? 0 : -1;
}

/* Decrypts with the given keys; see iotap_quic_decrypt_initial. */
static size_t decrypt(const uint8_t *p, const longhdr *h, const iotap_quic_keys *k,
                      uint8_t *out, size_t *outlen, uint64_t *pn, const char **err)
{
    /* The sample starts 4 bytes after the packet number offset (RFC 9001
     * 5.4.2) and the packet must hold it plus the minimum payload. */
    if (h->end < h->pn_off + 4 + 16) {
        *err = "QUIC Initial too short to sample";
        return 0;
    }
    uint8_t mask[16], hdr[20 + 20 + 64 + 4];
    if (aes_ecb_block(k->hp, p + h->pn_off + 4, mask) != 0) {
        *err = "header protection failed";
        return 0;
    }
    uint8_t b0 = (uint8_t)(h->b0 ^ (mask[0] & 0x0f));
    size_t pnlen = (size_t)(b0 & 3) + 1;
    uint64_t n = 0;
    for (size_t i = 0; i < pnlen; i++)
        n = n << 8 | (uint8_t)(p[h->pn_off + i] ^ mask[1 + i]);
    size_t hdrlen = h->pn_off + pnlen;
    if (h->end < hdrlen + 16) {
        *err = "QUIC Initial too short for its tag";
        return 0;
    }
    /* The AAD is the unprotected header; it can be long (a token), so use
     * a heap copy when it does not fit the local buffer. */
    uint8_t *aad = hdrlen <= sizeof hdr ? hdr : xmalloc(hdrlen);
    memcpy(aad, p, hdrlen);
    aad[0] = b0;
    for (size_t i = 0; i < pnlen; i++)
        aad[h->pn_off + i] = (uint8_t)(p[h->pn_off + i] ^ mask[1 + i]);
    size_t ctlen = h->end - hdrlen - 16;
    int r = aes_gcm_open(k, n, aad, hdrlen, p + hdrlen, ctlen, p + h->end - 16, out);
    if (aad != hdr)
        free(aad);
    if (r != 0) {
        *err = "QUIC Initial does not decrypt (not a client Initial, or damaged)";
        return 0;
    }
    *outlen = ctlen;
    *pn = n;
    return h->end;
}

size_t iotap_quic_decrypt_initial(const uint8_t *p, size_t len, bool from_server,
                                  uint8_t *out, size_t *outlen, uint64_t *pn,
                                  uint32_t *version, const char **err)
{
    static const char *dummy;
    if (!err)
        err = &dummy;
    longhdr h;
    if ((*err = long_header(p, len, &h)) != NULL)
        return 0;
    if (!initial_type(h.version, h.b0)) {
        *err = "not an Initial packet";
        return 0;
    }
    iotap_quic_keys k;
    if (iotap_quic_initial_keys(h.version, h.dcid, h.dcid_len, from_server, &k) != 0) {
        *err = "Initial key derivation failed";
        return 0;
    }
    *version = h.version;
    return decrypt(p, &h, &k, out, outlen, pn, err);
}

/* ---- per-flow state ---- */

struct iotap_quic {
    bool done;
    uint32_t version;
    uint8_t dcid[20];
    size_t dcid_len;
    bool have_keys;
    iotap_quic_keys keys;
    unsigned datagrams;
    iotap_hbuf crypto;
    iotap_tls_hello hello;
};

iotap_quic *iotap_quic_new(void)
{
    iotap_quic *q = xcalloc(1, sizeof *q);
    iotap_hbuf_init(&q->crypto, IOTAP_QUIC_CRYPTO_CAP);
    return q;
}

void iotap_quic_free(iotap_quic *q)
{
    if (!q)
        return;
    iotap_hbuf_free(&q->crypto);
    free(q);
}

const iotap_tls_hello *iotap_quic_hello(const iotap_quic *q) { return &q->hello; }
uint32_t iotap_quic_version(const iotap_quic *q) { return q->version; }

/* Walks the frames of one decrypted Initial; CRYPTO data goes to the
 * buffer. Returns NULL or what was wrong. */
static const char *frames(iotap_quic *q, const uint8_t *p, size_t len)
{
    iotap_cursor c = cur_make(p, len);
    while (cur_has(&c, 1)) {
        uint64_t type = varint(&c);
        switch (type) {
        case 0x00:          /* PADDING */
        case 0x01:          /* PING */
            break;
        case 0x02:          /* ACK */
        case 0x03: {
            varint(&c);     /* largest acknowledged */
            varint(&c);     /* delay */
            uint64_t ranges = varint(&c);
            varint(&c);     /* first range */
            for (uint64_t i = 0; i < ranges && !c.err; i++) {
                varint(&c);
                varint(&c);
            }
            if (type == 0x03) {
                varint(&c);
                varint(&c);
                varint(&c);
            }
            break;
        }
        case 0x06: {        /* CRYPTO */
            uint64_t off = varint(&c), n = varint(&c);
            /* Compare before narrowing to size_t (32-bit targets). */
            const uint8_t *d = !c.err && n <= cur_left(&c) ? cur_take(&c, (size_t)n) : NULL;
            if (!d)
                return "CRYPTO frame runs past the packet";
            iotap_hbuf_add(&q->crypto, off, d, (size_t)n);
            break;
        }
        case 0x1c:          /* CONNECTION_CLOSE */
            return NULL;
        default:
            return "frame type not allowed in an Initial packet";
        }
        if (c.err)
            return "frame runs past the packet";
    }
    return NULL;
}

int iotap_quic_datagram(iotap_quic *q, const uint8_t *p, size_t len, const char **err)
{
    static const char *dummy;
    if (!err)
        err = &dummy;
    *err = NULL;
    if (q->done)
        return IOTAP_QUIC_DONE;
    q->datagrams++;
    size_t off = 0;
    /* Coalesced packets (RFC 9000 12.2): at most a few per datagram. */
    for (int k = 0; k < 8 && off < len; k++) {
        longhdr h;
        const char *e = long_header(p + off, len - off, &h);
        if (e) {
            if (k == 0)
                *err = e;
            break;
        }
        if (!initial_type(h.version, h.b0)) {
            off += h.end;           /* 0-RTT or Handshake: skip */
            continue;
        }
        if (!q->have_keys || h.dcid_len != q->dcid_len || memcmp(h.dcid, q->dcid, h.dcid_len) != 0) {
            /* First Initial, or a new DCID after a Retry. */
            if (iotap_quic_initial_keys(h.version, h.dcid, h.dcid_len, false, &q->keys) != 0) {
                *err = "Initial key derivation failed";
                break;
            }
            memcpy(q->dcid, h.dcid, h.dcid_len);
            q->dcid_len = h.dcid_len;
            q->have_keys = true;
            q->version = h.version;
        }
        uint8_t *plain = xmalloc(h.end);
        size_t plen;
        uint64_t pn;
        size_t used = decrypt(p + off, &h, &q->keys, plain, &plen, &pn, err);
        if (used) {
            const char *fe = frames(q, plain, plen);
            if (fe)
                *err = fe;
        }
        free(plain);
        off += h.end;
    }
    if (q->crypto.contig > 0) {
        const char *te = NULL;
        int r = iotap_tls_handshake_stream(q->crypto.buf, q->crypto.contig, &q->hello, &te);
        if (r == IOTAP_TLS_DONE || r == IOTAP_TLS_BAD || r == IOTAP_TLS_NOT) {
            if (r != IOTAP_TLS_DONE) {
                memset(&q->hello, 0, sizeof q->hello);
                *err = te ? te : "CRYPTO stream does not start with a ClientHello";
            }
            q->done = true;
        } else if (q->crypto.contig >= q->crypto.cap) {
            *err = "ClientHello larger than the CRYPTO buffer";
            q->done = true;
        }
    }
    if (!q->done && q->datagrams >= IOTAP_QUIC_MAX_DATAGRAMS) {
        if (!*err)
            *err = "no complete ClientHello in the first Initial packets";
        q->done = true;
    }
    if (q->done)
        iotap_hbuf_free(&q->crypto);
    return q->done ? IOTAP_QUIC_DONE : IOTAP_QUIC_MORE;
}
