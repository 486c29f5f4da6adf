/*
 * addr.c - IPv4/IPv6 addresses as one value type, network prefixes, and the
 * LAN set (see addr.h).
 *
 * The LAN set is asked about on every new flow and by analyzers per packet,
 * so it is kept as two small arrays of pre-masked prefixes (one per family)
 * scanned linearly: a home has a handful of networks, and learned prefixes
 * are deduplicated and capped so a hostile capture cannot grow the scan.
 */
#include "addr.h"
#include "util.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* More networks than any home has; Router Advertisements beyond it are
 * ignored rather than letting a capture grow the per-packet scan. */
#define LAN_MAX_NETS 256

char *iotap_addr_format(const iotap_addr *a, char *buf)
{
    buf[0] = '\0';
    if (a->family == 4)
        inet_ntop(AF_INET, a->a, buf, IOTAP_ADDR_BUFSZ);
    else if (a->family == 6)
        inet_ntop(AF_INET6, a->a, buf, IOTAP_ADDR_BUFSZ);
    return buf;
}

int iotap_addr_parse(const char *s, iotap_addr *a)
{
    memset(a, 0, sizeof *a);
    if (!s)
        return -1;
    if (inet_pton(AF_INET, s, a->a) == 1) {
        a->family = 4;
        return 0;
    }
    if (inet_pton(AF_INET6, s, a->a) == 1) {
        a->family = 6;
        return 0;
    }
    memset(a, 0, sizeof *a);
    return -1;
}

void iotap_addr_set4(iotap_addr *a, const uint8_t b[4])
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    memcpy(a->a, b, 4);
}

void iotap_addr_set6(iotap_addr *a, const uint8_t b[16])
{
    a->family = 6;
    memcpy(a->a, b, 16);
}

/* Bytes of a->a that hold the address; the rest is ignored so that a value
 * built by hand with stale bytes still compares correctly. */
static inline size_t addr_len(const iotap_addr *a)
{
    return a->family == 4 ? 4 : a->family == 6 ? 16 : 0;
}

int iotap_addr_cmp(const iotap_addr *x, const iotap_addr *y)
{
    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    return memcmp(x->a, y->a, addr_len(x));
}

bool iotap_addr_eq(const iotap_addr *x, const iotap_addr *y)
{
    return x->family == y->family && memcmp(x->a, y->a, addr_len(x)) == 0;
}

static inline uint64_t mix64(uint64_t x)
{
    /* murmur3 finalizer */
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

uint64_t iotap_addr_hash(const iotap_addr *a)
{
    uint8_t b[16] = { 0 };
    memcpy(b, a->a, addr_len(a));
    uint64_t w0, w1;
    memcpy(&w0, b, 8);
    memcpy(&w1, b + 8, 8);
    return mix64(mix64(w0 ^ a->family) ^ w1);
}

bool iotap_addr_is_multicast(const iotap_addr *a)
{
    static const uint8_t zero[16];
    if (a->family == 4) {
        if ((a->a[0] & 0xf0) == 0xe0)
            return true;                        /* 224.0.0.0/4 */
        if (a->a[0] == 255 && a->a[1] == 255 && a->a[2] == 255 && a->a[3] == 255)
            return true;
        return memcmp(a->a, zero, 4) == 0;      /* 0.0.0.0 */
    }
    if (a->family == 6)
        return a->a[0] == 0xff || memcmp(a->a, zero, 16) == 0;
    return false;
}

/* Clears every bit of a->a after the first `prefix` bits. */
static void mask_bits(uint8_t *b, unsigned nbytes, unsigned prefix)
{
    for (unsigned i = 0; i < nbytes; i++) {
        unsigned bit = i * 8;
        if (bit >= prefix)
            b[i] = 0;
        else if (prefix - bit < 8)
            b[i] &= (uint8_t)(0xff << (8 - (prefix - bit)));
    }
}

int iotap_net_parse(const char *s, iotap_net *n)
{
    memset(n, 0, sizeof *n);
    if (!s)
        return -1;
    char buf[IOTAP_ADDR_BUFSZ + 8];
    size_t len = strlen(s);
    if (len >= sizeof buf)
        return -1;
    memcpy(buf, s, len + 1);
    char *slash = strchr(buf, '/');
    long prefix = -1;
    if (slash) {
        *slash = '\0';
        char *end;
        const char *p = slash + 1;
        if (*p < '0' || *p > '9')
            return -1;
        prefix = strtol(p, &end, 10);
        if (*end != '\0')
            return -1;
    }
    if (iotap_addr_parse(buf, &n->addr) != 0)
        return -1;
    long max = n->addr.family == 4 ? 32 : 128;
    if (prefix < 0)
        prefix = max;
    if (prefix > max)
        return -1;
    n->prefix = (uint8_t)prefix;
    mask_bits(n->addr.a, n->addr.family == 4 ? 4 : 16, n->prefix);
    return 0;
}

bool iotap_net_contains(const iotap_net *n, const iotap_addr *a)
{
    if (n->addr.family != a->family)
        return false;
    unsigned full = n->prefix / 8, rest = n->prefix % 8;
    if (memcmp(n->addr.a, a->a, full) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t m = (uint8_t)(0xff << (8 - rest));
    return (n->addr.a[full] & m) == (a->a[full] & m);
}

/* Prefixes pre-masked as integers so that membership is a mask and compare. */
typedef struct net4 { uint32_t net, mask; } net4;
typedef struct net6 { uint64_t net[2], mask[2]; } net6;

struct iotap_lan {
    net4 v4[LAN_MAX_NETS];
    net6 v6[LAN_MAX_NETS];
    unsigned n4, n6;
};

static const char *const default_lan[] = {
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
    "127.0.0.0/8", "0.0.0.0/8", "255.255.255.255/32",
    "224.0.0.0/4",          /* multicast stays on the LAN */
    "::1/128", "::/128", "fe80::/10", "fc00::/7", "ff00::/8",
};

iotap_lan *iotap_lan_new(void)
{
    iotap_lan *l = xcalloc(1, sizeof *l);
    for (size_t i = 0; i < sizeof default_lan / sizeof default_lan[0]; i++) {
        iotap_net n;
        if (iotap_net_parse(default_lan[i], &n) == 0)
            iotap_lan_add(l, &n);
    }
    return l;
}

static uint64_t load_be64(const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return v;
}

static uint64_t mask64(unsigned bits)   /* top `bits` bits set, bits 0..64 */
{
    return bits == 0 ? 0 : bits >= 64 ? ~0ULL : ~0ULL << (64 - bits);
}

void iotap_lan_add(iotap_lan *l, const iotap_net *n)
{
    if (n->addr.family == 4) {
        unsigned p = n->prefix > 32 ? 32 : n->prefix;
        net4 e;
        e.mask = p == 0 ? 0 : ~0U << (32 - p);
        e.net = ((uint32_t)n->addr.a[0] << 24 | (uint32_t)n->addr.a[1] << 16 |
                 (uint32_t)n->addr.a[2] << 8 | n->addr.a[3]) & e.mask;
        for (unsigned i = 0; i < l->n4; i++)
            if (l->v4[i].net == e.net && l->v4[i].mask == e.mask)
                return;
        if (l->n4 < LAN_MAX_NETS)
            l->v4[l->n4++] = e;
    } else if (n->addr.family == 6) {
        unsigned p = n->prefix > 128 ? 128 : n->prefix;
        net6 e;
        e.mask[0] = mask64(p > 64 ? 64 : p);
        e.mask[1] = mask64(p > 64 ? p - 64 : 0);
        e.net[0] = load_be64(n->addr.a) & e.mask[0];
        e.net[1] = load_be64(n->addr.a + 8) & e.mask[1];
        for (unsigned i = 0; i < l->n6; i++)
            if (memcmp(&l->v6[i], &e, sizeof e) == 0)
                return;
        if (l->n6 < LAN_MAX_NETS)
            l->v6[l->n6++] = e;
    }
}

bool iotap_lan_contains(const iotap_lan *l, const iotap_addr *a)
{
    if (a->family == 4) {
        uint32_t v = (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 |
                     (uint32_t)a->a[2] << 8 | a->a[3];
        for (unsigned i = 0; i < l->n4; i++)
            if ((v & l->v4[i].mask) == l->v4[i].net)
                return true;
    } else if (a->family == 6) {
        uint64_t hi = load_be64(a->a), lo = load_be64(a->a + 8);
        for (unsigned i = 0; i < l->n6; i++)
            if ((hi & l->v6[i].mask[0]) == l->v6[i].net[0] &&
                (lo & l->v6[i].mask[1]) == l->v6[i].net[1])
                return true;
    }
    return false;
}

void iotap_lan_free(iotap_lan *l)
{
    free(l);
}
