/*
 * rdev.c - per-MAC facts for iotap-devices: Layer-2 frame and byte counts
 * exactly as `tshark -z endpoints,eth` counts them (out = frames this MAC
 * sent, in = frames sent to it; group addresses are not devices), first
 * and last frame, the LAN addresses it sent from, and the DHCP host name
 * (option 12) and vendor class (option 60) it announced (lib/proto/dhcp).
 *
 * Every unicast MAC is counted while reading; whether it is a router is
 * decided when the rows are written, so a router learned late in the
 * capture still leaves every device's counts exact.
 */
#include <stdlib.h>
#include <string.h>
#include "proto/dhcp.h"
#include "report/rint.h"
#include "util.h"

rdev *rdev_get(iotap_report *r, const uint8_t mac[6])
{
    rdev *v = rmap_get(r->devs, mac, 6);
    if (v)
        return v;
    if (rmap_count(r->devs) >= r->o.max_macs)
        return NULL;    /* the callers that count frames say what was lost */
    v = rmap_put(r->devs, mac, 6, NULL);
    memcpy(v->mac, mac, 6);
    v->first_ns = INT64_MAX;
    v->last_ns = INT64_MIN;
    return v;
}

/* The few MACs of the current conversation (a device and its gateway
 * take turns as sender and receiver) are found without hashing. */
static rdev *lookup(iotap_report *r, const uint8_t mac[6])
{
    for (int i = 0; i < R_DEV_CACHE; i++) {
        rdev *v = r->dev_cache[i];
        if (v && memcmp(v->mac, mac, 6) == 0) {
            if (i) {
                memmove(&r->dev_cache[1], &r->dev_cache[0], (size_t)i * sizeof(rdev *));
                r->dev_cache[0] = v;
            }
            return v;
        }
    }
    rdev *v = rdev_get(r, mac);
    if (v) {
        memmove(&r->dev_cache[1], &r->dev_cache[0], (R_DEV_CACHE - 1) * sizeof(rdev *));
        r->dev_cache[0] = v;
    }
    return v;
}

static rdev *count(iotap_report *r, const uint8_t mac[6], int dir, const iotap_packet *p)
{
    rdev *v = lookup(r, mac);
    if (!v)
        return NULL;
    v->pkts[dir]++;
    v->bytes[dir] += p->len;
    if (p->ts_ns < v->first_ns)
        v->first_ns = p->ts_ns;
    if (p->ts_ns > v->last_ns)
        v->last_ns = p->ts_ns;
    return v;
}

static bool known(const iotap_addr *list, unsigned n, const iotap_addr *a)
{
    for (unsigned i = 0; i < n; i++)
        if (iotap_addr_eq(&list[i], a))
            return true;
    return false;
}

/* The LAN addresses a device sends from (its own; not 0.0.0.0 before DHCP). */
static void learn_addr(iotap_report *r, rdev *v, const iotap_decoded *d)
{
    const iotap_addr *a = &d->src;
    if (a->family == 4 ? known(v->v4, v->n4, a) : known(v->v6, v->n6, a))
        return;
    if (iotap_addr_is_multicast(a) || !iotap_lan_contains(r->lan, a))
        return;
    if (a->family == 4 && (a->a[0] == 0 || a->a[0] == 127))
        return;
    if (a->family == 4 && v->n4 < R_MAX_ADDRS)
        v->v4[v->n4++] = *a;
    else if (a->family == 6 && v->n6 < R_MAX_ADDRS)
        v->v6[v->n6++] = *a;
}

void rdev_frame(iotap_report *r, const iotap_decoded *d)
{
    /* Past the MAC cap a frame is left out of packets_out (its sender
     * is not counted: macs_dropped) or packets_in (its receiver:
     * macs_dropped_in); each frame is counted once in each. */
    if (!iotap_mac_is_group(d->src_mac)) {
        rdev *v = count(r, d->src_mac, IOTAP_OUT, d->pkt);
        if (!v)
            r->st.macs_dropped++;
        else if (d->ip_ver && r->o.kind == IOTAP_REPORT_DEVICES)
            learn_addr(r, v, d);
    }
    if (!iotap_mac_is_group(d->dst_mac) && !count(r, d->dst_mac, IOTAP_IN, d->pkt))
        r->st.macs_dropped_in++;
}

static void set_str(char **dst, const char *v)
{
    if (!*v || (*dst && strcmp(*dst, v) == 0))
        return;
    free(*dst);
    *dst = xstrdup(v);
}

/* A client's BOOTREQUEST (lib/proto/dhcp): the host name and vendor class
 * it announces, for the MAC in chaddr (the frame's source when chaddr is
 * not Ethernet). What was parsed before damage still counts. */
void rdev_dhcp(iotap_report *r, const iotap_decoded *d)
{
    if (r->o.kind != IOTAP_REPORT_DEVICES)
        return;
    iotap_dhcp m;
    iotap_dhcp_parse(d->payload, d->payload_caplen, &m);
    if (m.op != 1 || (!m.hostname[0] && !m.vendor_class[0]))
        return;
    const uint8_t *mac = m.has_mac ? m.chaddr : (d->has_mac ? d->src_mac : NULL);
    if (!mac || iotap_mac_is_group(mac))
        return;
    rdev *dev = rdev_get(r, mac);
    if (!dev)
        return;
    set_str(&dev->hostname, m.hostname);
    set_str(&dev->vendor_class, m.vendor_class);
}

void rdev_header(iotap_csv *c)
{
    iotap_csv_header(c, (const char *[]){ "mac", "vendor", "label", "hostname", "vendor_class",
        "ipv4", "ipv6", "first_seen", "last_seen", "packets_out", "packets_in", "bytes_out",
        "bytes_in", "flows", "domains", "randomized", NULL });
}

static int by_mac(const void *a, const void *b)
{
    return memcmp((*(rdev *const *)a)->mac, (*(rdev *const *)b)->mac, 6);
}

static void write_addrs(iotap_csv *c, const iotap_addr *list, unsigned n, bool v6)
{
    char buf[R_MAX_ADDRS * IOTAP_ADDR_BUFSZ + R_MAX_ADDRS] = "", ab[IOTAP_ADDR_BUFSZ];
    iotap_addr sorted[R_MAX_ADDRS];
    unsigned k = 0;
    bool global = false;
    for (unsigned i = 0; i < n; i++)
        if (!(v6 && list[i].a[0] == 0xfe && (list[i].a[1] & 0xc0) == 0x80))
            global = true;
    /* Link-local IPv6 only when the device has no other address. */
    for (unsigned i = 0; i < n; i++)
        if (!(v6 && global && list[i].a[0] == 0xfe && (list[i].a[1] & 0xc0) == 0x80))
            sorted[k++] = list[i];
    for (unsigned i = 1; i < k; i++)
        for (unsigned j = i; j > 0 && iotap_addr_cmp(&sorted[j - 1], &sorted[j]) > 0; j--) {
            iotap_addr t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    for (unsigned i = 0; i < k; i++) {
        if (i)
            strcat(buf, ";");
        strcat(buf, iotap_addr_format(&sorted[i], ab));
    }
    iotap_csv_str(c, buf);
}

void rdev_write(iotap_report *r)
{
    size_t n = rmap_count(r->devs), k = 0;
    rdev **list = xmalloc((n ? n : 1) * sizeof *list);
    for (size_t i = 0; i < n; i++) {
        rdev *v = rmap_at(r->devs, i, NULL, NULL);
        if (!r_mac_is_device(r, v->mac) || v->first_ns == INT64_MAX)
            continue;
        if (r->cli->has_device && memcmp(v->mac, r->cli->device_mac, 6) != 0)
            continue;
        list[k++] = v;
    }
    qsort(list, k, sizeof *list, by_mac);
    for (size_t i = 0; i < k; i++) {
        rdev *v = list[i];
        iotap_csv *c = r->csv;
        iotap_csv_mac(c, v->mac);
        iotap_csv_display(c, iotap_mac_is_random(v->mac) ? NULL : iotap_oui_lookup(r->oui, v->mac));
        iotap_csv_str(c, r_label(r, v->mac));
        iotap_csv_str(c, v->hostname);
        iotap_csv_str(c, v->vendor_class);
        write_addrs(c, v->v4, v->n4, false);
        write_addrs(c, v->v6, v->n6, true);
        iotap_csv_time(c, v->first_ns);
        iotap_csv_time(c, v->last_ns);
        iotap_csv_u64(c, v->pkts[0]);
        iotap_csv_u64(c, v->pkts[1]);
        iotap_csv_u64(c, v->bytes[0]);
        iotap_csv_u64(c, v->bytes[1]);
        iotap_csv_u64(c, v->flows);
        iotap_csv_u64(c, v->ndomains);
        iotap_csv_str(c, iotap_mac_is_random(v->mac) ? "yes" : "no");
        iotap_csv_end(c);
    }
    free(list);
}
