/*
 * tlsbuild.h - test helper (header only): builds TLS ClientHello messages
 * byte by byte for test-tls, test-hello and test-quic.
 */
#ifndef IOTAP_TEST_TLSBUILD_H
#define IOTAP_TEST_TLSBUILD_H
#include <stdint.h>
#include <string.h>

typedef struct tb { uint8_t b[20000]; size_t n; } tb;
static inline void tb_u8(tb *t, unsigned v) { t->b[t->n++] = (uint8_t)v; }
static inline void tb_u16(tb *t, unsigned v) { tb_u8(t, v >> 8 & 0xff); tb_u8(t, v & 0xff); }
static inline void tb_u24(tb *t, unsigned v) { tb_u8(t, v >> 16 & 0xff); tb_u16(t, v & 0xffff); }
static inline void tb_put(tb *t, const void *p, size_t n) { memcpy(t->b + t->n, p, n); t->n += n; }
static inline void tb_set16(tb *t, size_t at, size_t v) { t->b[at] = (uint8_t)(v >> 8); t->b[at + 1] = (uint8_t)v; }
static inline void tb_set24(tb *t, size_t at, size_t v) { t->b[at] = (uint8_t)(v >> 16); tb_set16(t, at + 1, v & 0xffff); }

/* A ClientHello handshake message (type 1 + 24-bit length + body) with the
 * given SNI (NULL = no server_name), ALPN list ("h2,http/1.1" style, NULL =
 * none), TLS 1.3 supported_versions when tls13, GREASE values, and `pad`
 * bytes of a padding extension (to make it big). */
static inline void tb_client_hello(tb *t, const char *sni, const char *alpn, int tls13, size_t pad)
{
    tb_u8(t, 1);
    size_t len_at = t->n;
    tb_u24(t, 0);
    size_t body = t->n;
    tb_u16(t, 0x0303);
    for (int i = 0; i < 32; i++) tb_u8(t, (unsigned)i);        /* random */
    tb_u8(t, 32);
    for (int i = 0; i < 32; i++) tb_u8(t, 0xee);               /* session id */
    tb_u16(t, 6); tb_u16(t, 0x2a2a); tb_u16(t, 0x1301); tb_u16(t, 0xc02f);
    tb_u8(t, 1); tb_u8(t, 0);
    size_t ext_at = t->n;
    tb_u16(t, 0);
    tb_u16(t, 0x3a3a); tb_u16(t, 0);                           /* GREASE ext */
    if (sni) {
        size_t l = strlen(sni);
        tb_u16(t, 0); tb_u16(t, (unsigned)(l + 5)); tb_u16(t, (unsigned)(l + 3));
        tb_u8(t, 0); tb_u16(t, (unsigned)l); tb_put(t, sni, l);
    }
    if (alpn) {
        tb_u16(t, 16);
        size_t at = t->n;
        tb_u16(t, 0); tb_u16(t, 0);
        const char *s = alpn;
        while (*s) {
            const char *c = strchr(s, ',');
            size_t l = c ? (size_t)(c - s) : strlen(s);
            tb_u8(t, (unsigned)l); tb_put(t, s, l);
            s += l + (c != NULL);
        }
        tb_set16(t, at, t->n - at - 2);
        tb_set16(t, at + 2, t->n - at - 4);
    }
    if (tls13) {
        tb_u16(t, 43); tb_u16(t, 7); tb_u8(t, 6);
        tb_u16(t, 0x5a5a); tb_u16(t, 0x0304); tb_u16(t, 0x0303);
    }
    if (pad) {
        tb_u16(t, 21); tb_u16(t, (unsigned)pad);
        for (size_t i = 0; i < pad; i++) tb_u8(t, 0);
    }
    tb_set16(t, ext_at, t->n - ext_at - 2);
    tb_set24(t, len_at, t->n - body);
}

/* Wraps handshake bytes hs[0..n) into TLS records of at most `rec` bytes. */
static inline void tb_records(tb *out, const uint8_t *hs, size_t n, size_t rec)
{
    for (size_t off = 0; off < n; off += rec) {
        size_t l = n - off < rec ? n - off : rec;
        tb_u8(out, 22); tb_u16(out, 0x0301); tb_u16(out, (unsigned)l);
        tb_put(out, hs + off, l);
    }
}
#endif
