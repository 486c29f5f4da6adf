/*
 * rtimeline.c - iotap-timeline: packets and bytes each way per device (or
 * per device and domain) in fixed time buckets. Per device the counts are
 * the Layer-2 counts of iotap-devices, split by frame time, so a device's
 * buckets add up to its devices row. Per domain they come from the flows:
 * each flow keeps its own bucket counts while it is open (its name may be
 * known only later, from the ClientHello) and adds them to its
 * device+domain rows when it closes, or earlier whenever it holds
 * R_MAX_FLOW_BUCKETS of them (then its name is settled: see spill()).
 * Buckets without traffic have no row.
 */
#include <stdlib.h>
#include <string.h>
#include "report/rint.h"
#include "util.h"

static int64_t bucket_of(const iotap_report *r, int64_t ts)
{
    int64_t b = ts / r->o.bucket_ns;
    if (ts % r->o.bucket_ns < 0)
        b--;
    return b;
}

static size_t make_key(uint8_t *key, const uint8_t mac[6], int kind, const char *name,
                       const iotap_addr *a, int64_t bucket)
{
    size_t n = 0;
    memcpy(key, &bucket, 8);
    memcpy(key + 8, mac, 6);
    key[14] = (uint8_t)kind;
    n = 15;
    if (kind == 1) {
        size_t l = strlen(name);
        memcpy(key + n, name, l);
        n += l;
    } else if (kind == 2) {
        key[n++] = a->family;
        memcpy(key + n, a->a, 16);
        n += 16;
    }
    return n;
}

static rtl *row(iotap_report *r, const uint8_t mac[6], int kind, const char *name,
                const iotap_addr *a, int64_t bucket)
{
    uint8_t key[15 + IOTAP_DNS_NAME_BUFSZ + 32];
    size_t klen = make_key(key, mac, kind, name, a, bucket);
    rtl *v = rmap_get(r->tl, key, klen);
    if (v)
        return v;
    /* Past the cap: the device's fold row for the bucket (domain and
     * address empty; per device without --by-domain, the device's row
     * itself), made while the table holds under twice the cap, as in
     * rdomain.c; past that the bucket's one "(other devices)" row
     * (all-zero MAC, kind 4), so every frame stays counted and the table
     * stays bounded whatever the number of MACs. */
    if (rmap_count(r->tl) >= r->o.max_rows) {
        r->st.rows_folded++;
        if (kind != 0) {
            kind = 3;
            klen = make_key(key, mac, 3, NULL, NULL, bucket);
            if ((v = rmap_get(r->tl, key, klen)))
                return v;
        }
        if (rmap_count(r->tl) >= 2 * r->o.max_rows) {
            static const uint8_t zero[6];
            mac = zero;
            kind = 4;
            klen = make_key(key, mac, 4, NULL, NULL, bucket);
            if ((v = rmap_get(r->tl, key, klen)))
                return v;
        }
    }
    v = rmap_put(r->tl, key, klen, NULL);
    memcpy(v->mac, mac, 6);
    v->kind = (uint8_t)kind;
    v->bucket = bucket;
    if (kind == 1)
        v->domain = xstrdup(name);
    if (kind == 2)
        v->addr = *a;
    return v;
}

static void frame_side(iotap_report *r, int dir, const uint8_t mac[6], const iotap_packet *p)
{
    int64_t b = bucket_of(r, p->ts_ns);
    rtl *v = r->last_tl[dir];
    if (!v || v->bucket != b || memcmp(v->mac, mac, 6) != 0) {
        v = row(r, mac, 0, NULL, NULL, b);
        if (!v)
            return;
        r->last_tl[dir] = v;
    }
    v->pkts[dir]++;
    v->bytes[dir] += p->len;
}

void rtl_frame(iotap_report *r, const iotap_decoded *d)
{
    if (!iotap_mac_is_group(d->src_mac))
        frame_side(r, IOTAP_OUT, d->src_mac, d->pkt);
    if (!iotap_mac_is_group(d->dst_mac))
        frame_side(r, IOTAP_IN, d->dst_mac, d->pkt);
}

/* Adds the flow's held buckets to its device+domain rows and empties them. */
static void add_to_rows(iotap_report *r, const iotap_flow *f, rflow *s, const char *name)
{
    if (name && strlen(name) >= IOTAP_DNS_NAME_BUFSZ)
        name = NULL;
    for (uint32_t i = 0; i < s->ntl; i++) {
        rtl *v = row(r, f->dev_mac, name ? 1 : 2, name, &f->remote, s->tl[i].bucket);
        if (!v)
            continue;
        for (int k = 0; k < 2; k++) {
            v->pkts[k] += s->tl[i].pkts[k];
            v->bytes[k] += s->tl[i].bytes[k];
        }
    }
    s->ntl = 0;
}

/* A flow holding R_MAX_FLOW_BUCKETS buckets (a long flow, small buckets):
 * its name is settled now (a flow still being inspected is decided with
 * what was seen, as at its close) and the buckets go to its rows, so every
 * count keeps its own bucket however long the flow lives. */
static void spill(iotap_report *r, const iotap_flow *f, rflow *s)
{
    rflow_decide(f, s);
    int src;
    const char *name = rflow_name(s, &src);
    bool attributed;
    if (rflow_wanted(r, f, &attributed) && attributed)
        add_to_rows(r, f, s, name);
    else
        s->ntl = 0;     /* rflow_close() would drop them too */
}

void rtl_flow_packet(iotap_report *r, const iotap_flow *f, rflow *s, int dir,
                     const iotap_decoded *d)
{
    int64_t b = bucket_of(r, d->pkt->ts_ns);
    rflow_bucket *e = NULL;
    /* Time can step back a little (reordered capture): look a few back. */
    for (uint32_t i = s->ntl, k = 0; i > 0 && k < 4; i--, k++)
        if (s->tl[i - 1].bucket == b) {
            e = &s->tl[i - 1];
            break;
        }
    if (!e) {
        if (s->ntl >= R_MAX_FLOW_BUCKETS)
            spill(r, f, s);
        if (s->ntl == s->atl) {
            s->atl = s->atl ? s->atl * 2 : 2;
            s->tl = xrealloc(s->tl, s->atl * sizeof *s->tl);
        }
        e = &s->tl[s->ntl++];
        memset(e, 0, sizeof *e);
        e->bucket = b;
    }
    e->pkts[dir]++;
    e->bytes[dir] += d->pkt->len;
}

void rtl_flow_close(iotap_report *r, const iotap_flow *f, rflow *s, const char *name)
{
    add_to_rows(r, f, s, name);
}

void rtl_header(iotap_report *r, iotap_csv *c)
{
    if (r->o.by_domain)
        iotap_csv_header(c, (const char *[]){ "bucket", "mac", "label", "domain", "remote_addr",
            "packets_out", "packets_in", "bytes_out", "bytes_in", NULL });
    else
        iotap_csv_header(c, (const char *[]){ "bucket", "mac", "label", "packets_out",
            "packets_in", "bytes_out", "bytes_in", NULL });
}

static int by_row(const void *a, const void *b)
{
    const rtl *x = *(rtl *const *)a, *y = *(rtl *const *)b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    int c = memcmp(x->mac, y->mac, 6);
    if (c)
        return c;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->kind == 1)
        return strcmp(x->domain, y->domain);
    if (x->kind == 2)
        return iotap_addr_cmp(&x->addr, &y->addr);
    return 0;
}

void rtl_write(iotap_report *r)
{
    size_t n = rmap_count(r->tl), k = 0;
    rtl **list = xmalloc((n ? n : 1) * sizeof *list);
    for (size_t i = 0; i < n; i++) {
        rtl *v = rmap_at(r->tl, i, NULL, NULL);
        if (v->kind != 4 && !r_mac_is_device(r, v->mac))
            continue;
        if (r->cli->has_device && memcmp(v->mac, r->cli->device_mac, 6) != 0)
            continue;
        list[k++] = v;
    }
    qsort(list, k, sizeof *list, by_row);
    for (size_t i = 0; i < k; i++) {
        rtl *v = list[i];
        iotap_csv *c = r->csv;
        iotap_csv_time(c, v->bucket * r->o.bucket_ns);
        if (v->kind == 4) {
            iotap_csv_str(c, NULL);
            iotap_csv_str(c, "(other devices)");
        } else {
            iotap_csv_mac(c, v->mac);
            iotap_csv_str(c, r_label(r, v->mac));
        }
        if (r->o.by_domain) {
            iotap_csv_str(c, v->domain);
            if (v->kind == 2)
                iotap_csv_addr(c, &v->addr);
            else
                iotap_csv_str(c, NULL);
        }
        iotap_csv_u64(c, v->pkts[0]);
        iotap_csv_u64(c, v->pkts[1]);
        iotap_csv_u64(c, v->bytes[0]);
        iotap_csv_u64(c, v->bytes[1]);
        iotap_csv_end(c);
    }
    free(list);
}
