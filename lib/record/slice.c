/*
 * slice.c - encrypted-payload slicing for iotap-record (slice_encrypted: N).
 *
 * A camera streaming over TLS fills an SD card with bytes nobody can read.
 * Once a flow is seen to be encrypted past its handshake, each further
 * packet keeps its headers and at most N payload bytes (caplen shrinks,
 * orig_len stays, so byte counts stay exact). Everything else is kept whole.
 *
 *   TCP: a TLS ClientHello or ServerHello record (type 22, version 3.x,
 *        handshake type 1 or 2) marks the flow as TLS; after that a segment
 *        starting with an application_data record header (type 23, sane
 *        length) starts slicing: from then on its segments are sliced,
 *        except ones starting with a handshake (22), alert (21) or
 *        change_cipher_spec (20) record. Without a hello seen (another
 *        protocol whose bytes happen to start 17 03 03, or a connection
 *        older than the recorder) nothing is sliced.
 *   UDP: a QUIC long-header packet of a known version marks the flow and is
 *        kept (Initial/Handshake/0-RTT); later short-header packets of that
 *        flow are sliced. DNS, DHCP, NTP, mDNS, SSDP, NetBIOS, LLMNR ports
 *        are never touched.
 *
 * Per-flow state lives in a fixed table (SLICE_SLOTS, 8-way probing, least
 * recently used slot evicted), so memory is bounded whatever the traffic.
 * Packet bytes are read only through the bounded cursor.
 */
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "recint.h"
#include "util.h"

#define SLICE_SLOTS 4096u
#define SLICE_PROBE 8u

enum { ST_TLS = 1, ST_QUIC = 2, ST_TLS_HELLO = 3 };

typedef struct slot {
    uint8_t key[37];    /* proto, then the lower endpoint, then the other */
    uint8_t keylen;
    uint8_t state;
    uint64_t used;
} slot;

struct iotap_slicer {
    uint32_t keep;
    uint64_t clock;
    slot *slots;
};

iotap_slicer *iotap_slicer_new(uint32_t keep)
{
    iotap_slicer *s = xcalloc(1, sizeof *s);
    s->keep = keep;
    s->slots = xcalloc(SLICE_SLOTS, sizeof *s->slots);
    return s;
}

void iotap_slicer_free(iotap_slicer *s)
{
    if (!s)
        return;
    free(s->slots);
    free(s);
}

static uint32_t fnv(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* Finds (or with create, makes) the slot of a flow key. */
static slot *lookup(iotap_slicer *s, const uint8_t *key, size_t len, bool create)
{
    uint32_t h = fnv(key, len);
    slot *victim = NULL;
    for (uint32_t i = 0; i < SLICE_PROBE; i++) {
        slot *e = &s->slots[(h + i) & (SLICE_SLOTS - 1)];
        if (e->keylen == len && memcmp(e->key, key, len) == 0) {
            e->used = ++s->clock;
            return e;
        }
        if (!victim || e->used < victim->used)
            victim = e;
    }
    if (!create)
        return NULL;
    memset(victim, 0, sizeof *victim);
    memcpy(victim->key, key, len);
    victim->keylen = (uint8_t)len;
    victim->used = ++s->clock;
    return victim;
}

/* Key = proto | (addrA,portA) | (addrB,portB) with A <= B, so both
 * directions share one slot. */
static size_t make_key(uint8_t key[37], uint8_t proto, const uint8_t *src, const uint8_t *dst,
                       size_t alen, uint16_t sport, uint16_t dport)
{
    uint8_t a[18], b[18];
    memcpy(a, src, alen);
    a[alen] = (uint8_t)(sport >> 8);
    a[alen + 1] = (uint8_t)sport;
    memcpy(b, dst, alen);
    b[alen] = (uint8_t)(dport >> 8);
    b[alen + 1] = (uint8_t)dport;
    size_t el = alen + 2;
    bool swap = memcmp(a, b, el) > 0;
    key[0] = proto;
    memcpy(key + 1, swap ? b : a, el);
    memcpy(key + 1 + el, swap ? a : b, el);
    return 1 + 2 * el;
}

static bool never_slice_port(uint16_t p)
{
    switch (p) {
    case 53: case 67: case 68: case 123: case 137: case 138: case 1900: case 5353: case 5355:
        return true;
    default:
        return false;
    }
}

static bool quic_version_known(uint32_t v)
{
    return v == 0x00000001u || v == 0x6b3343cfu || (v & 0xffffff00u) == 0xff000000u;
}

uint32_t iotap_slicer_caplen(iotap_slicer *s, int linktype, const uint8_t *data, uint32_t caplen)
{
    iotap_cursor c = cur_make(data, caplen);
    uint16_t ethertype = 0;
    switch (linktype) {
    case 1:     /* Ethernet, up to two VLAN tags */
        cur_skip(&c, 12);
        ethertype = cur_u16be(&c);
        for (int i = 0; i < 2 && (ethertype == 0x8100 || ethertype == 0x88a8); i++) {
            cur_skip(&c, 2);
            ethertype = cur_u16be(&c);
        }
        break;
    case 113:   /* Linux cooked v1 */
        cur_skip(&c, 14);
        ethertype = cur_u16be(&c);
        break;
    case 276:   /* Linux cooked v2 */
        ethertype = cur_u16be(&c);
        cur_skip(&c, 18);
        break;
    case 101: case 228: case 229: {   /* raw IP: version from the first nibble */
        uint8_t v = c.len ? data[0] >> 4 : 0;
        ethertype = v == 4 ? 0x0800 : v == 6 ? 0x86dd : 0;
        break;
    }
    default:
        return caplen;
    }
    if (c.err)
        return caplen;
    uint8_t proto;
    const uint8_t *src, *dst;
    size_t alen;
    if (ethertype == 0x0800) {
        size_t start = c.off;
        uint8_t vihl = cur_u8(&c);
        cur_skip(&c, 5);
        uint16_t frag = cur_u16be(&c);
        cur_skip(&c, 1);
        proto = cur_u8(&c);
        cur_skip(&c, 2);
        src = cur_take(&c, 4);
        dst = cur_take(&c, 4);
        size_t ihl = (size_t)(vihl & 0x0f) * 4;
        if (c.err || (vihl >> 4) != 4 || ihl < 20 || (frag & 0x3fff))
            return caplen;      /* fragments are kept whole */
        c.off = start;
        if (!cur_skip(&c, ihl))
            return caplen;
        alen = 4;
    } else if (ethertype == 0x86dd) {
        uint8_t v = cur_u8(&c);
        cur_skip(&c, 5);
        proto = cur_u8(&c);
        cur_skip(&c, 1);
        src = cur_take(&c, 16);
        dst = cur_take(&c, 16);
        if (c.err || (v >> 4) != 6)
            return caplen;
        alen = 16;
    } else {
        return caplen;
    }
    if (proto != 6 && proto != 17)
        return caplen;
    size_t l4 = c.off;
    uint16_t sport = cur_u16be(&c), dport = cur_u16be(&c);
    size_t payload;
    if (proto == 6) {
        cur_skip(&c, 8);
        uint8_t doff = cur_u8(&c) >> 4;
        payload = l4 + (size_t)doff * 4;
        if (c.err || doff < 5)
            return caplen;
    } else {
        payload = l4 + 8;
        if (c.err || never_slice_port(sport) || never_slice_port(dport))
            return caplen;
    }
    if (payload >= caplen)
        return caplen;          /* no payload captured */
    uint8_t key[37];
    size_t klen = make_key(key, proto, src, dst, alen, sport, dport);
    iotap_cursor p = cur_make(data + payload, caplen - payload);
    bool cut = false;
    if (proto == 6) {
        uint8_t type = cur_u8(&p), major = cur_u8(&p), minor = cur_u8(&p);
        uint16_t rlen = cur_u16be(&p);
        uint8_t hs_type = cur_u8(&p);   /* handshake message type, if any */
        bool record = rlen && rlen <= 18432 && type >= 20 && type <= 23 && major == 3 && minor <= 4;
        if (record && type == 22 && !p.err && (hs_type == 1 || hs_type == 2)) {
            /* ClientHello / ServerHello: this flow speaks TLS. */
            slot *e = lookup(s, key, klen, true);
            if (e->state != ST_TLS)
                e->state = ST_TLS_HELLO;
        } else if (record && type == 23) {
            /* Application data only counts after a hello on this flow: a
             * plain protocol whose payload happens to start 17 03 0x stays
             * whole. */
            slot *e = lookup(s, key, klen, false);
            if (e && (e->state == ST_TLS_HELLO || e->state == ST_TLS)) {
                e->state = ST_TLS;
                cut = true;
            }
        } else if (!record) {
            slot *e = lookup(s, key, klen, false);
            cut = e && e->state == ST_TLS;
        }
        /* Handshake, alert, change_cipher_spec records: kept whole. */
    } else {
        uint8_t b0 = cur_u8(&p);
        uint32_t version = cur_u32be(&p);
        if (!p.err && (b0 & 0xc0) == 0xc0 && quic_version_known(version)) {
            lookup(s, key, klen, true)->state = ST_QUIC;
        } else if ((b0 & 0xc0) == 0x40) {
            slot *e = lookup(s, key, klen, false);
            cut = e && e->state == ST_QUIC;
        }
    }
    if (!cut || caplen - payload <= s->keep)
        return caplen;
    return (uint32_t)(payload + s->keep);
}
