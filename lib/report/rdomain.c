/*
 * rdomain.c - iotap-domains: flows grouped per device and name (or per
 * device and remote address when the flow has no name), with the
 * registrable domain (eTLD+1, lib/regdom), the remote addresses, their
 * country and AS (lib/geoip), the protocols seen, counts each way and the
 * bytes of flows that carried cleartext.
 *
 * Rows are capped (max_rows): past the cap a flow whose row does not exist
 * yet is folded into one row per device with domain and address empty, and
 * counted, so memory stays bounded whatever the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/rint.h"
#include "util.h"

static size_t make_key(uint8_t *key, const uint8_t mac[6], int kind, const char *name,
                       const iotap_addr *a)
{
    memcpy(key, mac, 6);
    key[6] = (uint8_t)kind;
    if (kind == 0) {
        size_t n = strlen(name);
        memcpy(key + 7, name, n);
        return 7 + n;
    }
    if (kind == 1) {
        key[7] = a->family;
        memcpy(key + 8, a->a, 16);
        return 24;
    }
    return 7;
}

static void add_row_addr(rdom *v, const iotap_addr *a)
{
    for (uint32_t i = 0; i < v->naddrs; i++)
        if (iotap_addr_eq(&v->addrs[i], a))
            return;
    if (v->naddrs >= R_MAX_ROW_ADDRS) {
        v->addrs_capped = true;
        return;
    }
    v->addrs = xrealloc(v->addrs, (v->naddrs + 1) * sizeof *v->addrs);
    v->addrs[v->naddrs++] = *a;
}

void rdom_flow(iotap_report *r, const iotap_flow *f, const rflow *s, const char *name, int src)
{
    uint8_t key[7 + IOTAP_DNS_NAME_BUFSZ + 32];
    int kind = name ? 0 : 1;
    if (name && strlen(name) >= IOTAP_DNS_NAME_BUFSZ)
        name = NULL, kind = 1, src = RSRC_NONE;
    size_t klen = make_key(key, f->dev_mac, kind, name, &f->remote);
    rdom *v = rmap_get(r->doms, key, klen);
    if (!v && rmap_count(r->doms) >= r->o.max_rows) {
        r->st.rows_folded++;
        kind = 2;
        klen = make_key(key, f->dev_mac, 2, NULL, NULL);
        v = rmap_get(r->doms, key, klen);
        /* A device's fold row may still be made up to twice the cap; past
         * that the flow goes to the one "(other devices)" row (all-zero
         * MAC, kind 3), so the table stays bounded whatever the MACs. */
        if (!v && rmap_count(r->doms) >= 2 * r->o.max_rows) {
            static const uint8_t zero[6];
            kind = 3;
            klen = make_key(key, zero, 3, NULL, NULL);
            v = rmap_get(r->doms, key, klen);
        }
    }
    if (!v) {
        v = rmap_put(r->doms, key, klen, NULL);
        if (kind != 3)
            memcpy(v->mac, f->dev_mac, 6);
        v->kind = (uint8_t)kind;
        v->first_ns = INT64_MAX;
        v->last_ns = INT64_MIN;
        if (kind == 0) {
            v->domain = xstrdup(name);
            rdev *d = rdev_get(r, f->dev_mac);
            if (d)
                d->ndomains++;
        }
        if (kind == 1)
            v->addr = f->remote;
    }
    if (kind < 2 && src > v->src)
        v->src = (uint8_t)src;
    v->flows++;
    for (int i = 0; i < 2; i++) {
        v->pkts[i] += f->pkts[i];
        v->bytes[i] += f->bytes[i];
    }
    if (s->cleartext)
        v->clear += f->bytes[0] + f->bytes[1];
    if (f->first_ns < v->first_ns)
        v->first_ns = f->first_ns;
    if (f->last_ns > v->last_ns)
        v->last_ns = f->last_ns;
    v->protos |= 1u << (s->app == RAPP_DHCP ? RAPP_OTHER : s->app);
    if (kind < 2)
        add_row_addr(v, &f->remote);
}

void rdom_header(iotap_csv *c)
{
    iotap_csv_header(c, (const char *[]){ "mac", "label", "domain", "registrable",
        "name_source", "remote_addrs", "country", "asn", "as_org", "protocols", "flows",
        "packets_out", "packets_in", "bytes_out", "bytes_in", "cleartext_bytes",
        "first_seen", "last_seen", NULL });
}

static int by_row(const void *a, const void *b)
{
    const rdom *x = *(rdom *const *)a, *y = *(rdom *const *)b;
    int c = memcmp(x->mac, y->mac, 6);
    if (c)
        return c;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->kind == 0)
        return strcmp(x->domain, y->domain);
    if (x->kind == 1)
        return iotap_addr_cmp(&x->addr, &y->addr);
    return 0;
}

static int by_addr(const void *a, const void *b)
{
    return iotap_addr_cmp(a, b);
}

/* Appends s to a ';'-list in buf unless it is there already. */
static void add_distinct(char *buf, size_t bufsz, const char *s)
{
    if (!*s)
        return;
    size_t n = strlen(s);
    for (const char *p = buf; *p;) {
        const char *e = strchr(p, ';');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && memcmp(p, s, n) == 0)
            return;
        p += l + (e ? 1 : 0);
    }
    size_t used = strlen(buf);
    if (used + n + 2 > bufsz)
        return;
    if (used)
        buf[used++] = ';';
    memcpy(buf + used, s, n + 1);
}

void rdom_write(iotap_report *r)
{
    size_t n = rmap_count(r->doms), k = 0;
    rdom **list = xmalloc((n ? n : 1) * sizeof *list);
    for (size_t i = 0; i < n; i++) {
        rdom *v = rmap_at(r->doms, i, NULL, NULL);
        if (v->kind == 3 || r_mac_is_device(r, v->mac))
            list[k++] = v;
    }
    qsort(list, k, sizeof *list, by_row);
    char *addrs = xmalloc(R_MAX_ROW_ADDRS * (IOTAP_ADDR_BUFSZ + 1) + 8);
    char countries[256], asns[256], orgs[1024], protos[64], ab[IOTAP_ADDR_BUFSZ], nb[16];
    for (size_t i = 0; i < k; i++) {
        rdom *v = list[i];
        iotap_csv *c = r->csv;
        if (v->kind == 3) {
            iotap_csv_str(c, NULL);
            iotap_csv_str(c, "(other devices)");
        } else {
            iotap_csv_mac(c, v->mac);
            iotap_csv_str(c, r_label(r, v->mac));
        }
        iotap_csv_str(c, v->domain);
        char reg[IOTAP_REGDOM_BUFSZ] = "";
        if (v->domain)
            iotap_regdom_get(r->regdom, v->domain, reg);
        iotap_csv_str(c, reg);
        iotap_csv_str(c, rsrc_names[v->src]);
        if (v->naddrs > 1)
            qsort(v->addrs, v->naddrs, sizeof *v->addrs, by_addr);
        addrs[0] = countries[0] = asns[0] = orgs[0] = 0;
        for (uint32_t j = 0; j < v->naddrs; j++) {
            if (j)
                strcat(addrs, ";");
            strcat(addrs, iotap_addr_format(&v->addrs[j], ab));
            if (iotap_lan_contains(r->lan, &v->addrs[j]) || iotap_addr_is_multicast(&v->addrs[j]))
                continue;
            iotap_geo g;
            iotap_geoip_lookup(r->geo, &v->addrs[j], &g);
            add_distinct(countries, sizeof countries, g.country);
            if (g.asn) {
                snprintf(nb, sizeof nb, "%u", g.asn);
                add_distinct(asns, sizeof asns, nb);
            }
            add_distinct(orgs, sizeof orgs, g.as_org);
        }
        if (v->addrs_capped)
            strcat(addrs, ";...");
        iotap_csv_str(c, addrs);
        iotap_csv_str(c, countries);
        iotap_csv_str(c, asns);
        iotap_csv_display(c, orgs);    /* "Example Cloud, Inc." -> "Example Cloud Inc." */
        protos[0] = 0;
        static const int order[] = { RAPP_TLS, RAPP_QUIC, RAPP_HTTP, RAPP_DNS, RAPP_OTHER };
        for (int j = 0; j < 5; j++)
            if (v->protos & (1u << order[j]))
                add_distinct(protos, sizeof protos, rapp_names[order[j]]);
        iotap_csv_str(c, protos);
        iotap_csv_u64(c, v->flows);
        iotap_csv_u64(c, v->pkts[0]);
        iotap_csv_u64(c, v->pkts[1]);
        iotap_csv_u64(c, v->bytes[0]);
        iotap_csv_u64(c, v->bytes[1]);
        iotap_csv_u64(c, v->clear);
        iotap_csv_time(c, v->first_ns);
        iotap_csv_time(c, v->last_ns);
        iotap_csv_end(c);
    }
    free(addrs);
    free(list);
}
