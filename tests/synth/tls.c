/*
 * tls.c - TLS 1.3 as a browser or device SDK puts it on the wire (RFC 8446):
 * a ClientHello with the usual extensions (server_name when a name is
 * given, ALPN, supported_versions, key_share, ...), a ServerHello, a
 * ChangeCipherSpec, then application-data records of random bytes (their
 * content is encrypted in real life, so noise is the honest stand-in).
 * The same ClientHello body goes into QUIC's CRYPTO frame.
 */
#include "synth.h"

#include <string.h>

static void ext(dyn *d, unsigned type, const dyn *body)
{
    dyn_u16(d, type);
    dyn_u16(d, (unsigned)body->n);
    dyn_put(d, body->p, body->n);
}

void tls_client_hello(dyn *d, srng *r, const char *sni, const char *alpn, bool record,
                      const uint8_t *quic_tp, size_t quic_tp_len)
{
    static const uint16_t suites[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
                                      0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    static const uint16_t sigalgs[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
    uint8_t rnd[32];
    dyn e = {0}, x = {0};
    if (sni) {
        size_t n = strlen(sni);
        dyn_u16(&x, (unsigned)(n + 3)); dyn_u8(&x, 0); dyn_u16(&x, (unsigned)n); dyn_put(&x, sni, n);
        ext(&e, 0x0000, &x); x.n = 0;
    }
    ext(&e, 0x0017, &x);                                        /* extended_master_secret */
    if (record) { dyn_u8(&x, 0); ext(&e, 0xff01, &x); x.n = 0; } /* renegotiation_info */
    dyn_u16(&x, 6); dyn_u16(&x, 0x001d); dyn_u16(&x, 0x0017); dyn_u16(&x, 0x0018);
    ext(&e, 0x000a, &x); x.n = 0;
    if (record) { dyn_u8(&x, 1); dyn_u8(&x, 0); ext(&e, 0x000b, &x); x.n = 0; }
    if (alpn) {
        dyn l = {0};
        for (const char *p = alpn; *p;) {
            const char *c = strchr(p, ',');
            size_t n = c ? (size_t)(c - p) : strlen(p);
            dyn_u8(&l, (unsigned)n); dyn_put(&l, p, n);
            p += n + (c ? 1 : 0);
        }
        dyn_u16(&x, (unsigned)l.n); dyn_put(&x, l.p, l.n); dyn_free(&l);
        ext(&e, 0x0010, &x); x.n = 0;
    }
    dyn_u8(&x, 1); dyn_u16(&x, 0); dyn_u16(&x, 0); ext(&e, 0x0005, &x); x.n = 0;
    dyn_u16(&x, sizeof sigalgs);
    for (size_t i = 0; i < sizeof sigalgs / 2; i++) dyn_u16(&x, sigalgs[i]);
    ext(&e, 0x000d, &x); x.n = 0;
    rng_bytes(r, rnd, 32);
    dyn_u16(&x, 36); dyn_u16(&x, 0x001d); dyn_u16(&x, 32); dyn_put(&x, rnd, 32);
    ext(&e, 0x0033, &x); x.n = 0;
    dyn_u8(&x, 1); dyn_u8(&x, 1); ext(&e, 0x002d, &x); x.n = 0;
    if (record) { dyn_u8(&x, 4); dyn_u16(&x, 0x0304); dyn_u16(&x, 0x0303); }
    else { dyn_u8(&x, 2); dyn_u16(&x, 0x0304); }
    ext(&e, 0x002b, &x); x.n = 0;
    if (quic_tp) { dyn_put(&x, quic_tp, quic_tp_len); ext(&e, 0x0039, &x); x.n = 0; }

    dyn h = {0};
    dyn_u16(&h, 0x0303);
    rng_bytes(r, rnd, 32); dyn_put(&h, rnd, 32);
    if (record) { rng_bytes(r, rnd, 32); dyn_u8(&h, 32); dyn_put(&h, rnd, 32); }
    else dyn_u8(&h, 0);                                         /* QUIC: no session id */
    dyn_u16(&h, sizeof suites);
    for (size_t i = 0; i < sizeof suites / 2; i++) dyn_u16(&h, suites[i]);
    dyn_u8(&h, 1); dyn_u8(&h, 0);
    dyn_u16(&h, (unsigned)e.n); dyn_put(&h, e.p, e.n);
    if (record) { dyn_u8(d, 0x16); dyn_u16(d, 0x0301); dyn_u16(d, (unsigned)(h.n + 4)); }
    dyn_u8(d, 1); dyn_u24(d, (unsigned)h.n); dyn_put(d, h.p, h.n);
    dyn_free(&h); dyn_free(&e); dyn_free(&x);
}

void tls_server_hello(dyn *d, srng *r, bool record)
{
    uint8_t rnd[32];
    dyn h = {0};
    dyn_u16(&h, 0x0303);
    rng_bytes(r, rnd, 32); dyn_put(&h, rnd, 32);
    if (record) { rng_bytes(r, rnd, 32); dyn_u8(&h, 32); dyn_put(&h, rnd, 32); }
    else dyn_u8(&h, 0);
    dyn_u16(&h, 0x1301); dyn_u8(&h, 0);
    dyn_u16(&h, 46);
    dyn_u16(&h, 0x002b); dyn_u16(&h, 2); dyn_u16(&h, 0x0304);
    rng_bytes(r, rnd, 32);
    dyn_u16(&h, 0x0033); dyn_u16(&h, 36); dyn_u16(&h, 0x001d); dyn_u16(&h, 32); dyn_put(&h, rnd, 32);
    if (record) { dyn_u8(d, 0x16); dyn_u16(d, 0x0303); dyn_u16(d, (unsigned)(h.n + 4)); }
    dyn_u8(d, 2); dyn_u24(d, (unsigned)h.n); dyn_put(d, h.p, h.n);
    dyn_free(&h);
}

void tls_appdata(dyn *d, srng *r, size_t plain)
{
    uint8_t buf[16384 + 17];
    while (plain) {
        size_t n = plain > 16384 ? 16384 : plain;
        dyn_u8(d, 0x17); dyn_u16(d, 0x0303); dyn_u16(d, (unsigned)(n + 17));
        rng_bytes(r, buf, n + 17);
        dyn_put(d, buf, n + 17);
        plain -= n;
    }
}

static void ccs(dyn *d) { dyn_u8(d, 0x14); dyn_u16(d, 0x0303); dyn_u16(d, 1); dyn_u8(d, 1); }

void tls_session(tcpc *tc, const char *sni, const char *alpn, const segopt *cho,
                 size_t up, size_t down)
{
    srng *r = &tc->S->rng;
    dyn d = {0};
    tls_client_hello(&d, r, sni, alpn, true, NULL, 0);
    tcp_send(tc, true, d.p, d.n, cho);
    d.n = 0;
    tls_server_hello(&d, r, true);
    ccs(&d);
    tls_appdata(&d, r, 2400 + rng_below(r, 1800));   /* EncryptedExtensions..Finished */
    tcp_send(tc, false, d.p, d.n, NULL);
    d.n = 0;
    ccs(&d);
    tls_appdata(&d, r, 53);                           /* client Finished */
    if (up) tls_appdata(&d, r, up);
    tcp_send(tc, true, d.p, d.n, NULL);
    d.n = 0;
    if (down) {
        tls_appdata(&d, r, down);
        tcp_send(tc, false, d.p, d.n, NULL);
    }
    dyn_free(&d);
}
