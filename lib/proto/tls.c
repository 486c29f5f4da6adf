/*
 * tls.c - TLS ClientHello parser (RFC 8446 4.1.2 and 5.1; RFC 6066 section 3
 * server_name; RFC 7301 ALPN; RFC 8446 4.2.1 supported_versions; RFC 6101
 * appendix E.1 / RFC 5246 appendix E.2 for the SSLv2-compatible hello).
 * See tls.h. All reads through lib/cursor.h; the record layer is undone
 * into a bounded local buffer.
 */
#include "proto/tls.h"

#include <string.h>

#include "cursor.h"

#define EXT_SERVER_NAME 0
#define EXT_ALPN 16
#define EXT_SUPPORTED_VERSIONS 43
#define EXT_ECH 0xfe0d

static bool is_grease(uint16_t v) { return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff); }

static void parse_sni(iotap_cursor e, iotap_tls_hello *h)
{
    iotap_cursor list = cur_sub(&e, cur_u16be(&e));
    while (cur_has(&list, 3)) {
        uint8_t type = cur_u8(&list);
        uint16_t n = cur_u16be(&list);
        const uint8_t *name = cur_take(&list, n);
        if (!name || type != 0)
            continue;
        if (n == 0 || n >= IOTAP_TLS_NAME_BUFSZ) {
            h->sni_invalid = true;
            return;
        }
        for (size_t i = 0; i < n; i++)
            if (name[i] <= 0x20 || name[i] >= 0x7f) {
                h->sni_invalid = true;
                return;
            }
        for (size_t i = 0; i < n; i++)
            h->sni[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
        h->sni[n] = '\0';
        return;                 /* one host_name per type (RFC 6066) */
    }
    if (list.err || e.err)
        h->sni_invalid = true;
}

static void parse_alpn(iotap_cursor e, iotap_tls_hello *h)
{
    iotap_cursor list = cur_sub(&e, cur_u16be(&e));
    size_t n = strlen(h->alpn);
    while (cur_has(&list, 1)) {
        uint8_t l = cur_u8(&list);
        const uint8_t *p = cur_take(&list, l);
        if (!p || l == 0)
            break;
        bool ok = true;
        for (size_t i = 0; i < l; i++)
            ok &= p[i] > 0x20 && p[i] < 0x7f && p[i] != ',';
        if (!ok || n + l + 2 > IOTAP_TLS_ALPN_BUFSZ)
            continue;
        if (n)
            h->alpn[n++] = ',';
        memcpy(h->alpn + n, p, l);
        n += l;
        h->alpn[n] = '\0';
    }
}

static void parse_versions(iotap_cursor e, iotap_tls_hello *h)
{
    uint8_t n = cur_u8(&e);
    iotap_cursor list = cur_sub(&e, n);
    uint16_t best = 0;
    while (cur_has(&list, 2)) {
        uint16_t v = cur_u16be(&list);
        if (!is_grease(v) && v > best && v <= 0x0304)
            best = v;
    }
    if (best)
        h->version = best;
}

int iotap_tls_client_hello(const uint8_t *body, size_t len, iotap_tls_hello *h, const char **err)
{
    iotap_cursor c = cur_make(body, len);
    h->legacy_version = cur_u16be(&c);
    h->version = h->legacy_version;
    cur_skip(&c, 32);                           /* random */
    cur_skip(&c, cur_u8(&c));                   /* legacy_session_id */
    cur_skip(&c, cur_u16be(&c));                /* cipher_suites */
    cur_skip(&c, cur_u8(&c));                   /* compression_methods */
    if (c.err) {
        *err = "ClientHello shorter than its fixed fields";
        return IOTAP_TLS_BAD;
    }
    if ((h->legacy_version >> 8) != 3) {
        *err = "ClientHello version is not 3.x";
        return IOTAP_TLS_BAD;
    }
    if (cur_left(&c) == 0)
        return IOTAP_TLS_DONE;                  /* no extensions (TLS 1.0 style) */
    iotap_cursor exts = cur_sub(&c, cur_u16be(&c));
    if (c.err) {
        *err = "ClientHello extensions run past the message";
        return IOTAP_TLS_BAD;
    }
    /* At most 65535/4 extensions fit; the cursor bounds the loop. */
    while (cur_has(&exts, 4)) {
        uint16_t type = cur_u16be(&exts);
        iotap_cursor e = cur_sub(&exts, cur_u16be(&exts));
        if (exts.err) {
            *err = "ClientHello extension runs past the extensions";
            return IOTAP_TLS_BAD;
        }
        h->nextensions++;
        if (type == EXT_SERVER_NAME && !h->sni[0])
            parse_sni(e, h);
        else if (type == EXT_ALPN)
            parse_alpn(e, h);
        else if (type == EXT_SUPPORTED_VERSIONS)
            parse_versions(e, h);
        else if (type == EXT_ECH)
            h->has_ech = true;
    }
    if (cur_left(&exts) != 0) {
        *err = "ClientHello extensions end in the middle of one";
        return IOTAP_TLS_BAD;
    }
    return IOTAP_TLS_DONE;
}

static void hello_reset(iotap_tls_hello *h)
{
    memset(h, 0, sizeof *h);
}

int iotap_tls_handshake_stream(const uint8_t *p, size_t len, iotap_tls_hello *h, const char **err)
{
    static const char *dummy;
    if (!err)
        err = &dummy;
    *err = NULL;
    uint16_t rv = h->record_version;
    hello_reset(h);
    h->record_version = rv;
    iotap_cursor c = cur_make(p, len);
    if (len == 0)
        return IOTAP_TLS_MORE;
    if (p[0] != 1)
        return IOTAP_TLS_NOT;
    cur_skip(&c, 1);
    uint32_t n = cur_u24be(&c);
    if (c.err)
        return IOTAP_TLS_MORE;
    if (n > IOTAP_TLS_MAX_HELLO) {
        *err = "ClientHello longer than 16 KiB";
        return IOTAP_TLS_BAD;
    }
    const uint8_t *body = cur_take(&c, n);
    if (!body)
        return IOTAP_TLS_MORE;
    return iotap_tls_client_hello(body, n, h, err);
}

/* SSLv2 CLIENT-HELLO with a 2-byte header (RFC 6101 E.1 / RFC 5246 E.2). */
static int sslv2(const uint8_t *p, size_t len, iotap_tls_hello *h)
{
    iotap_cursor c = cur_make(p, len);
    uint16_t reclen = cur_u16be(&c) & 0x7fff;
    uint8_t type = cur_u8(&c);
    uint16_t ver = cur_u16be(&c);
    if (c.err)
        return IOTAP_TLS_MORE;
    if (type != 1 || reclen < 9 || (ver != 0x0002 && (ver >> 8) != 3))
        return IOTAP_TLS_NOT;
    hello_reset(h);
    h->sslv2 = true;
    h->legacy_version = h->version = ver;
    return IOTAP_TLS_DONE;
}

int iotap_tls_client_stream(const uint8_t *p, size_t len, iotap_tls_hello *h, const char **err)
{
    static const char *dummy;
    if (!err)
        err = &dummy;
    *err = NULL;
    if (len == 0)
        return IOTAP_TLS_MORE;
    if (p[0] & 0x80)
        return sslv2(p, len, h);
    if (p[0] != 22)
        return IOTAP_TLS_NOT;
    /* Undo the record layer into a bounded buffer: just enough handshake
     * bytes for the first message. */
    uint8_t buf[4 + IOTAP_TLS_MAX_HELLO];
    size_t have = 0, need = 4;
    uint16_t first_version = 0;
    iotap_cursor c = cur_make(p, len);
    while (have < need) {
        if (!cur_has(&c, 5))
            return IOTAP_TLS_MORE;
        uint8_t type = cur_u8(&c);
        uint16_t ver = cur_u16be(&c);
        uint16_t rlen = cur_u16be(&c);
        if (type != 22 || (ver >> 8) != 3 || ver > 0x0304) {
            if (first_version == 0)
                return IOTAP_TLS_NOT;
            *err = "ClientHello interrupted by a non-handshake record";
            return IOTAP_TLS_BAD;
        }
        if (rlen == 0 || rlen > 16384 + 2048) {
            *err = "TLS record length out of range";
            return IOTAP_TLS_BAD;
        }
        if (!first_version)
            first_version = ver;
        size_t avail = cur_left(&c) < rlen ? cur_left(&c) : rlen;
        const uint8_t *rp = cur_take(&c, avail);
        size_t used = 0;
        while (used < avail && have < need) {
            size_t take = avail - used < need - have ? avail - used : need - have;
            memcpy(buf + have, rp + used, take);
            have += take;
            used += take;
            if (need == 4 && have == 4) {
                if (buf[0] != 1) {
                    *err = "first handshake message is not a ClientHello";
                    return IOTAP_TLS_BAD;
                }
                uint32_t n = (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
                if (n > IOTAP_TLS_MAX_HELLO) {
                    *err = "ClientHello longer than 16 KiB";
                    return IOTAP_TLS_BAD;
                }
                need = 4 + n;
            }
        }
        if (have < need && avail < rlen)
            return IOTAP_TLS_MORE;     /* the record is not all here yet */
    }
    int r = iotap_tls_handshake_stream(buf, have, h, err);
    h->record_version = first_version;
    return r;
}

const char *iotap_tls_version_name(uint16_t v)
{
    switch (v) {
    case 0x0002: return "SSLv2";
    case 0x0300: return "SSLv3";
    case 0x0301: return "TLSv1";
    case 0x0302: return "TLSv1.1";
    case 0x0303: return "TLSv1.2";
    case 0x0304: return "TLSv1.3";
    default: return NULL;
    }
}
