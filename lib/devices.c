/*
 * devices.c - the per-MAC device facts table (see devices.h): a chained
 * hash table on the MAC, entries never removed (a home has tens of
 * devices, a large capture a few thousand MACs at most).
 */
#include "devices.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct node {
    struct node *next;
    iotap_device d;
} node;

struct iotap_devices {
    const iotap_oui *oui;
    node **buckets;
    size_t nbuckets, count;
};

static size_t mac_hash(const uint8_t mac[6], size_t nb)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < 6; i++)
        h = (h ^ mac[i]) * 1099511628211ULL;
    return (size_t)(h ^ h >> 31) & (nb - 1);
}

iotap_devices *iotap_devices_new(const iotap_oui *oui)
{
    iotap_devices *t = xcalloc(1, sizeof *t);
    t->oui = oui;
    t->nbuckets = 256;
    t->buckets = xcalloc(t->nbuckets, sizeof *t->buckets);
    return t;
}

void iotap_devices_free(iotap_devices *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nbuckets; i++)
        for (node *n = t->buckets[i], *next; n; n = next) {
            next = n->next;
            free(n->d.hostname);
            free(n->d.vendor_class);
            free(n->d.fqdn);
            free(n);
        }
    free(t->buckets);
    free(t);
}

iotap_device *iotap_devices_find(const iotap_devices *t, const uint8_t mac[6])
{
    for (node *n = t->buckets[mac_hash(mac, t->nbuckets)]; n; n = n->next)
        if (memcmp(n->d.mac, mac, 6) == 0)
            return &n->d;
    return NULL;
}

static void grow(iotap_devices *t)
{
    size_t nb = t->nbuckets * 2;
    node **b = xcalloc(nb, sizeof *b);
    for (size_t i = 0; i < t->nbuckets; i++)
        for (node *n = t->buckets[i], *next; n; n = next) {
            next = n->next;
            size_t k = mac_hash(n->d.mac, nb);
            n->next = b[k];
            b[k] = n;
        }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = nb;
}

iotap_device *iotap_devices_see(iotap_devices *t, const uint8_t mac[6], int64_t ts_ns)
{
    if (iotap_mac_is_group(mac))
        return NULL;
    iotap_device *d = iotap_devices_find(t, mac);
    if (!d) {
        if (t->count >= t->nbuckets)
            grow(t);
        node *n = xcalloc(1, sizeof *n);
        size_t k = mac_hash(mac, t->nbuckets);
        n->next = t->buckets[k];
        t->buckets[k] = n;
        t->count++;
        d = &n->d;
        memcpy(d->mac, mac, 6);
        d->randomized = iotap_mac_is_random(mac);
        d->vendor = t->oui && !d->randomized ? iotap_oui_lookup(t->oui, mac) : NULL;
        d->first_ns = d->last_ns = ts_ns;
    }
    if (ts_ns < d->first_ns)
        d->first_ns = ts_ns;
    if (ts_ns > d->last_ns)
        d->last_ns = ts_ns;
    return d;
}

static bool unicast(const iotap_addr *a)
{
    static const uint8_t zero[16];
    if (a->family == 4)
        return memcmp(a->a, zero, 4) != 0 && a->a[0] < 224 &&
               !(a->a[0] == 255 && a->a[1] == 255 && a->a[2] == 255 && a->a[3] == 255);
    if (a->family == 6)
        return memcmp(a->a, zero, 16) != 0 && a->a[0] != 0xff;
    return false;
}

void iotap_device_add_addr(iotap_device *d, const iotap_addr *a)
{
    if (!d || !unicast(a))
        return;
    for (size_t i = 0; i < d->naddrs; i++)
        if (d->addrs[i].family == a->family && memcmp(d->addrs[i].a, a->a, 16) == 0)
            return;
    if (d->naddrs < IOTAP_DEVICE_MAX_ADDRS) {
        d->addrs[d->naddrs] = *a;
        /* Keep the unused bytes of an IPv4 address zero for comparisons. */
        if (a->family == 4)
            memset(d->addrs[d->naddrs].a + 4, 0, 12);
        d->naddrs++;
    } else {
        d->addrs_dropped++;
    }
}

static void set_text(char **field, const char *v)
{
    if (!v[0] || (*field && strcmp(*field, v) == 0))
        return;
    free(*field);
    *field = xstrdup(v);
}

iotap_device *iotap_devices_dhcp(iotap_devices *t, const iotap_dhcp *m, int64_t ts_ns)
{
    if (m->op != 1 || !m->has_mac)
        return NULL;
    iotap_device *d = iotap_devices_see(t, m->chaddr, ts_ns);
    if (!d)
        return NULL;
    d->dhcp_messages++;
    set_text(&d->hostname, m->hostname);
    set_text(&d->vendor_class, m->vendor_class);
    set_text(&d->fqdn, m->fqdn);
    return d;
}

size_t iotap_devices_count(const iotap_devices *t) { return t->count; }

static int by_mac(const void *x, const void *y)
{
    const iotap_device *a = *(iotap_device *const *)x, *b = *(iotap_device *const *)y;
    return memcmp(a->mac, b->mac, 6);
}

iotap_device **iotap_devices_list(const iotap_devices *t, size_t *n)
{
    iotap_device **v = xmalloc((t->count ? t->count : 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < t->nbuckets; i++)
        for (node *nd = t->buckets[i]; nd; nd = nd->next)
            v[k++] = &nd->d;
    qsort(v, k, sizeof *v, by_mac);
    *n = k;
    return v;
}
