/*
 * dhcp.c - DHCPv4 parser: RFC 2131 section 2 (BOOTP fixed header, magic
 * cookie 99.130.83.99), RFC 2132 (options 3, 6, 12, 50, 52 overload, 53,
 * 60, 61), RFC 4702 (option 81 client FQDN, wire or ASCII encoding). All
 * reads through lib/cursor.h. See dhcp.h.
 */
#include "proto/dhcp.h"

#include <string.h>

#include "cursor.h"

static void text(char *out, const uint8_t *p, size_t n)
{
    while (n > 0 && p[n - 1] == 0)
        n--;
    if (n >= IOTAP_DHCP_TEXT)
        n = IOTAP_DHCP_TEXT - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
    out[n] = '\0';
}

static void addrs(uint8_t out[][4], size_t *count, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 4 <= n && *count < IOTAP_DHCP_MAX_ADDRS; i += 4)
        memcpy(out[(*count)++], p + i, 4);
}

/* Option 81: flags, rcode1, rcode2, then the name (RFC 4702 2.3). */
static void fqdn(iotap_dhcp *d, const uint8_t *p, size_t n)
{
    iotap_cursor c = cur_make(p, n);
    uint8_t flags = cur_u8(&c);
    cur_skip(&c, 2);
    if (c.err)
        return;
    if (!(flags & 0x04)) {                  /* E bit clear: ASCII (deprecated) */
        text(d->fqdn, cur_ptr(&c), cur_left(&c));
        return;
    }
    char out[IOTAP_DHCP_TEXT];
    size_t o = 0;
    while (cur_has(&c, 1)) {
        uint8_t l = cur_u8(&c);
        if (l == 0)
            break;
        const uint8_t *lab = cur_take(&c, l);
        if (!lab || (l & 0xc0) || o + l + 2 > sizeof out)
            return;                         /* no compression in option 81 */
        if (o)
            out[o++] = '.';
        for (size_t i = 0; i < l; i++)
            out[o++] = lab[i] >= 0x20 && lab[i] < 0x7f ? (char)lab[i] : '?';
    }
    out[o] = '\0';
    memcpy(d->fqdn, out, o + 1);
}

/* Walks one options area. Returns the overload value seen (option 52), or
 * -1 with *err set. */
static int options(iotap_dhcp *d, iotap_cursor c, const char **err)
{
    int overload = 0;
    while (cur_has(&c, 1)) {
        uint8_t code = cur_u8(&c);
        if (code == 0)                      /* Pad */
            continue;
        if (code == 255)                    /* End */
            return overload;
        if (d->noptions >= IOTAP_DHCP_MAX_OPTIONS) {
            *err = "too many DHCP options";
            return -1;
        }
        d->noptions++;
        uint8_t n = cur_u8(&c);
        const uint8_t *v = cur_take(&c, n);
        if (!v) {
            *err = "DHCP option runs past the message";
            return -1;
        }
        switch (code) {
        case 3: addrs(d->routers, &d->nrouters, v, n); break;
        case 6: addrs(d->dns, &d->ndns, v, n); break;
        case 12: text(d->hostname, v, n); break;
        case 50:
            if (n == 4) {
                memcpy(d->requested, v, 4);
                d->has_requested = true;
            }
            break;
        case 52: if (n == 1) overload = v[0]; break;
        case 53: if (n == 1) d->msg_type = v[0]; break;
        case 60: text(d->vendor_class, v, n); break;
        case 61:
            d->client_id_len = n < sizeof d->client_id ? n : sizeof d->client_id;
            memcpy(d->client_id, v, d->client_id_len);
            break;
        case 81: fqdn(d, v, n); break;
        default: break;
        }
    }
    return overload;    /* no End option: tolerated (many stacks omit it) */
}

const char *iotap_dhcp_parse(const uint8_t *p, size_t len, iotap_dhcp *d)
{
    memset(d, 0, sizeof *d);
    iotap_cursor c = cur_make(p, len);
    d->op = cur_u8(&c);
    d->htype = cur_u8(&c);
    d->hlen = cur_u8(&c);
    cur_skip(&c, 1);                        /* hops */
    d->xid = cur_u32be(&c);
    cur_skip(&c, 4);                        /* secs, flags */
    const uint8_t *ci = cur_take(&c, 4), *yi = cur_take(&c, 4);
    const uint8_t *si = cur_take(&c, 4), *gi = cur_take(&c, 4);
    const uint8_t *ch = cur_take(&c, 16);
    iotap_cursor sname = cur_sub(&c, 64), file = cur_sub(&c, 128);
    uint32_t cookie = cur_u32be(&c);
    if (c.err)
        return "message shorter than the BOOTP header";
    memcpy(d->ciaddr, ci, 4);
    memcpy(d->yiaddr, yi, 4);
    memcpy(d->siaddr, si, 4);
    memcpy(d->giaddr, gi, 4);
    if (d->op != 1 && d->op != 2)
        return "BOOTP op is neither request nor reply";
    if (d->htype == 1 && d->hlen == 6) {
        memcpy(d->chaddr, ch, 6);
        d->has_mac = true;
    }
    if (cookie != 0x63825363)
        return "no DHCP magic cookie";
    const char *err = NULL;
    int overload = options(d, c, &err);
    if (overload < 0)
        return err;
    /* RFC 2132 9.3: 1 = file holds options, 2 = sname, 3 = both (file first). */
    if ((overload & 1) && options(d, file, &err) < 0)
        return err;
    if ((overload & 2) && options(d, sname, &err) < 0)
        return err;
    return NULL;
}

const char *iotap_dhcp_type_name(int type)
{
    static const char *const names[] = {NULL, "DISCOVER", "OFFER", "REQUEST", "DECLINE",
                                        "ACK", "NAK", "RELEASE", "INFORM"};
    return type >= 1 && type <= 8 ? names[type] : NULL;
}
