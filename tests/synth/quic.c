/*
 * quic.c - a QUIC v1 connection start (RFC 9000/9001): the client Initial
 * carries a real ClientHello (with SNI) in a CRYPTO frame, protected
 * exactly as RFC 9001 section 5 says - initial secrets from the client's
 * Destination Connection ID with HKDF-SHA256 and the v1 salt, AES-128-GCM
 * payload protection, AES-ECB header protection - so Wireshark (and
 * iotap's own parser) can decrypt it. The server answers with its Initial
 * (ACK + ServerHello), then short-header packets of random bytes flow both
 * ways (1-RTT keys are not derivable without the handshake, as in life).
 */
#include "synth.h"

#include "util.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

static const uint8_t salt_v1[20] = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                                    0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};

static void hmac(const uint8_t *key, size_t kn, const uint8_t *d, size_t n, uint8_t out[32])
{
    unsigned int ol = 32;
    if (!HMAC(EVP_sha256(), key, (int)kn, d, n, out, &ol))
        iotap_die("HMAC-SHA256 failed");
}

/* HKDF-Expand-Label(secret, label, "", len), len <= 32 (RFC 8446 7.1). */
static void expand_label(const uint8_t sec[32], const char *label, uint8_t *out, size_t len)
{
    uint8_t info[64], t[32];
    size_t ll = strlen(label), n = 0;
    info[n++] = 0; info[n++] = (uint8_t)len;
    info[n++] = (uint8_t)(6 + ll);
    memcpy(info + n, "tls13 ", 6); n += 6;
    memcpy(info + n, label, ll); n += ll;
    info[n++] = 0;
    info[n++] = 1;
    hmac(sec, 32, info, n, t);
    memcpy(out, t, len);
}

typedef struct keys { uint8_t key[16], iv[12], hp[16]; } keys;

static void initial_keys(const uint8_t *dcid, size_t n, bool server, keys *k)
{
    uint8_t init[32], sec[32];
    hmac(salt_v1, sizeof salt_v1, dcid, n, init);               /* HKDF-Extract */
    expand_label(init, server ? "server in" : "client in", sec, 32);
    expand_label(sec, "quic key", k->key, 16);
    expand_label(sec, "quic iv", k->iv, 12);
    expand_label(sec, "quic hp", k->hp, 16);
}

static void varint(dyn *d, uint64_t v)
{
    if (v < 64) dyn_u8(d, (unsigned)v);
    else if (v < 16384) dyn_u16(d, (unsigned)(0x4000 | v));
    else dyn_u32(d, (uint32_t)(0x80000000u | v));
}

/* Protects a long-header Initial in place: pkt[0..pn_off+4) is the header
 * (pn 4 bytes), then the plaintext payload, then 16 bytes for the tag. */
static void protect(uint8_t *pkt, size_t pn_off, size_t plen, uint32_t pn, const keys *k)
{
    uint8_t nonce[12], tag[16], mask[16];
    memcpy(nonce, k->iv, 12);
    for (int i = 0; i < 4; i++)
        nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int ol = 0, hl = (int)(pn_off + 4);
    uint8_t *pl = pkt + hl;
    if (!c || !EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL)
        || !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL)
        || !EVP_EncryptInit_ex(c, NULL, NULL, k->key, nonce)
        || !EVP_EncryptUpdate(c, NULL, &ol, pkt, hl)
        || !EVP_EncryptUpdate(c, pl, &ol, pl, (int)plen)
        || !EVP_EncryptFinal_ex(c, pl + ol, &ol)
        || !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag))
        iotap_die("AES-128-GCM failed");
    memcpy(pl + plen, tag, 16);
    EVP_CIPHER_CTX_reset(c);
    if (!EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, k->hp, NULL)
        || !EVP_CIPHER_CTX_set_padding(c, 0)
        || !EVP_EncryptUpdate(c, mask, &ol, pkt + pn_off + 4, 16))
        iotap_die("AES-ECB failed");
    EVP_CIPHER_CTX_free(c);
    pkt[0] ^= mask[0] & 0x0f;
    for (int i = 0; i < 4; i++)
        pkt[pn_off + i] ^= mask[1 + i];
}

/* An Initial packet (padded to 1200 bytes) holding `frames`. */
static void initial(dyn *out, const uint8_t *dcid, const uint8_t *scid, const keys *k,
                    const dyn *frames)
{
    dyn h = {0};
    dyn_u8(&h, 0xc3);
    dyn_u32(&h, 1);
    dyn_u8(&h, 8); dyn_put(&h, dcid, 8);
    dyn_u8(&h, 8); dyn_put(&h, scid, 8);
    dyn_u8(&h, 0);                                     /* token length */
    size_t plen = frames->n;
    if (h.n + 2 + 4 + plen + 16 < 1200)
        plen = 1200 - h.n - 2 - 4 - 16;
    varint(&h, 4 + plen + 16);
    size_t pn_off = h.n;
    dyn_u32(&h, 0);                                    /* packet number 0 */
    dyn_put(&h, frames->p, frames->n);
    while (h.n < pn_off + 4 + plen)
        dyn_u8(&h, 0);                                 /* PADDING frames */
    uint8_t tagspace[16] = {0};
    dyn_put(&h, tagspace, 16);
    protect(h.p, pn_off, plen, 0, k);
    dyn_put(out, h.p, h.n);
    dyn_free(&h);
}

static void send_dgram(synth *S, sflow *f, int64_t t, const sep *a, const sep *b,
                       const uint8_t *p, size_t n, bool out)
{
    uint8_t fr[MAX_FRAME];
    emit(S, t, fr, pkt_udp(fr, a, b, p, n, S->ipid++), f, out);
}

void quic_session(synth *S, int dev, const sep *c, const sep *s, int64_t t, const char *sni)
{
    srng *r = &S->rng;
    sflow *f = flow_new(S, dev, 17, &c->ip, c->port, &s->ip, s->port, "quic", t);
    flow_name(f, sni, "quic");
    uint8_t dcid[8], cscid[8], sscid[8];
    rng_bytes(r, dcid, 8); rng_bytes(r, cscid, 8); rng_bytes(r, sscid, 8);
    keys ck, sk;
    initial_keys(dcid, 8, false, &ck);
    initial_keys(dcid, 8, true, &sk);

    dyn tp = {0}, fr = {0}, ch = {0}, pkt = {0};
    varint(&tp, 0x01); varint(&tp, 4); varint(&tp, 30000);          /* max_idle_timeout */
    varint(&tp, 0x04); varint(&tp, 4); varint(&tp, 15728640);       /* initial_max_data */
    varint(&tp, 0x08); varint(&tp, 2); varint(&tp, 100);            /* max_streams_bidi */
    varint(&tp, 0x0f); varint(&tp, 8); dyn_put(&tp, cscid, 8);      /* initial_scid */
    tls_client_hello(&ch, r, sni, "h3", false, tp.p, tp.n);
    dyn_u8(&fr, 0x06); varint(&fr, 0); varint(&fr, ch.n); dyn_put(&fr, ch.p, ch.n);
    initial(&pkt, dcid, cscid, &ck, &fr);
    send_dgram(S, f, t, c, s, pkt.p, pkt.n, true);
    t += 18 * MS;

    fr.n = 0; pkt.n = 0; ch.n = 0;
    dyn_u8(&fr, 0x02); varint(&fr, 0); varint(&fr, 0); varint(&fr, 0); varint(&fr, 0);
    tls_server_hello(&ch, r, false);
    dyn_u8(&fr, 0x06); varint(&fr, 0); varint(&fr, ch.n); dyn_put(&fr, ch.p, ch.n);
    initial(&pkt, cscid, sscid, &sk, &fr);
    send_dgram(S, f, t, s, c, pkt.p, pkt.n, false);
    t += 2 * MS;

    /* 1-RTT traffic: a small request up, a few full datagrams down. */
    uint8_t b[1400];
    for (int i = 0; i < 12; i++) {
        bool up = i == 0 || i == 1 || i % 4 == 3;
        size_t n = up ? 40 + rng_below(r, 60) : 1200 + rng_below(r, 50);
        rng_bytes(r, b, n);
        b[0] = (uint8_t)(0x40 | (b[0] & 0x3f));
        memcpy(b + 1, up ? sscid : cscid, 8);
        send_dgram(S, f, t, up ? c : s, up ? s : c, b, n, up);
        t += (up ? 15 : 1) * MS;
    }
    dyn_free(&tp); dyn_free(&fr); dyn_free(&ch); dyn_free(&pkt);
}
