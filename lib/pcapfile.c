/*
 * pcapfile.c - classic pcap record parser over an iotap_instream (see
 * pcapfile.h). The per-packet path is: make the record header available,
 * check its lengths, make header + caplen bytes available, hand out a
 * pointer. Everything read from the file is checked before it is used as a
 * length.
 */
#include "pcapfile.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#define MAGIC_USEC  0xa1b2c3d4u
#define MAGIC_NSEC  0xa1b23c4du
#define MAGIC_MOD   0xa1b2cd34u   /* Alexey Kuznetzov's patched tcpdump */

static uint32_t rd32(const uint8_t *p, bool swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(const uint8_t *p, bool swap)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return swap ? __builtin_bswap16(v) : v;
}

static bool magic_kind(uint32_t m, bool *nsec, unsigned *rechdr)
{
    switch (m) {
    case MAGIC_USEC: *nsec = false; *rechdr = 16; return true;
    case MAGIC_NSEC: *nsec = true; *rechdr = 16; return true;
    case MAGIC_MOD: *nsec = false; *rechdr = 24; return true;
    default: return false;
    }
}

bool iotap_pcapfile_magic(const uint8_t m[4])
{
    bool ns;
    unsigned rh;
    return magic_kind(rd32(m, false), &ns, &rh) || magic_kind(rd32(m, true), &ns, &rh);
}

int iotap_pcapfile_open(iotap_pcapfile *pf, iotap_instream *in, char *err, size_t errlen)
{
    memset(pf, 0, sizeof *pf);
    pf->in = in;
    const uint8_t *h;
    size_t have = iotap_instream_fill(in, 24, &h);
    if (have < 24) {
        if (iotap_instream_error(in))
            snprintf(err, errlen, "%s (in the pcap file header)", iotap_instream_error(in));
        else
            snprintf(err, errlen, "truncated pcap file header (%zu of 24 bytes)", have);
        return -1;
    }
    if (magic_kind(rd32(h, false), &pf->nsec, &pf->rechdr))
        pf->swap = false;
    else if (magic_kind(rd32(h, true), &pf->nsec, &pf->rechdr))
        pf->swap = true;
    else {
        snprintf(err, errlen, "not a pcap file (magic %02x%02x%02x%02x)", h[0], h[1], h[2], h[3]);
        return -1;
    }
    pf->ver_major = rd16(h + 4, pf->swap);
    pf->ver_minor = rd16(h + 6, pf->swap);
    if (!(pf->ver_major == 2 || (pf->ver_major == 543 && pf->ver_minor == 0))) {
        snprintf(err, errlen, "unsupported pcap version %u.%u", pf->ver_major, pf->ver_minor);
        return -1;
    }
    pf->snaplen = rd32(h + 16, pf->swap);
    /* The upper bits carry FCS information, not the link type. */
    pf->linktype = (int)(rd32(h + 20, pf->swap) & 0x03FFFFFFu);
    uint32_t s = pf->snaplen < IOTAP_PCAP_HARD_MAX_CAPLEN ? pf->snaplen : IOTAP_PCAP_HARD_MAX_CAPLEN;
    pf->maxcap = s > IOTAP_PCAP_MAX_CAPLEN ? s : IOTAP_PCAP_MAX_CAPLEN;
    iotap_instream_skip(in, 24);
    return 0;
}

int iotap_pcapfile_next(iotap_pcapfile *pf, iotap_packet *p, char *err, size_t errlen)
{
    const uint8_t *h;
again:;
    uint64_t at = iotap_instream_offset(pf->in);
    size_t have = iotap_instream_fill(pf->in, pf->rechdr, &h);
    const char *serr = iotap_instream_error(pf->in);
    if (have < pf->rechdr) {
        if (serr)
            snprintf(err, errlen, "%s (after packet %llu)", serr, (unsigned long long)pf->npkts);
        else if (have == 0)
            return 0;
        else
            snprintf(err, errlen, "%zu bytes of garbage at end (byte %llu, after packet %llu)", have,
                     (unsigned long long)at, (unsigned long long)pf->npkts);
        return -1;
    }
    if (iotap_pcapfile_magic(h)) {
        /* Another file header: captures concatenated into one stream
         * (`cat a.pcap b.pcap | ...`). Carry on with its format. */
        uint64_t n = pf->npkts;
        char why[256];
        if (iotap_pcapfile_open(pf, pf->in, why, sizeof why) != 0) {
            snprintf(err, errlen, "bad pcap header at byte %llu (after packet %llu): %s",
                     (unsigned long long)at, (unsigned long long)n, why);
            pf->npkts = n;
            return -1;
        }
        pf->npkts = n;
        goto again;
    }
    uint32_t sec = rd32(h, pf->swap), frac = rd32(h + 4, pf->swap);
    uint32_t caplen = rd32(h + 8, pf->swap), len = rd32(h + 12, pf->swap);
    /* Before version 2.3 (and in DG/UX's 543.0) caplen and len were in the
     * other order; libpcap swaps them back when they are out of order. */
    if ((pf->ver_major == 2 && pf->ver_minor < 3) || pf->ver_major == 543) {
        if (caplen > len) {
            uint32_t t = caplen;
            caplen = len;
            len = t;
        }
    }
    if (caplen > pf->maxcap) {
        snprintf(err, errlen, "bad record length %u at byte %llu (packet %llu)", caplen,
                 (unsigned long long)at, (unsigned long long)pf->npkts + 1);
        return -1;
    }
    size_t need = pf->rechdr + (size_t)caplen;
    if (need > have) {
        have = iotap_instream_fill(pf->in, need, &h);
        if (have < need) {
            serr = iotap_instream_error(pf->in);
            if (serr)
                snprintf(err, errlen, "%s (after packet %llu)", serr, (unsigned long long)pf->npkts);
            else
                snprintf(err, errlen, "%zu bytes of truncated record at end (byte %llu, packet %llu "
                         "needs %zu)", have, (unsigned long long)at,
                         (unsigned long long)pf->npkts + 1, need);
            return -1;
        }
    }
    p->ts_ns = (int64_t)sec * IOTAP_NS_PER_SEC + (int64_t)frac * (pf->nsec ? 1 : 1000);
    p->caplen = caplen;
    p->len = len;
    p->linktype = pf->linktype;
    p->snaplen = pf->snaplen;
    p->data = h + pf->rechdr;
    p->offset = at;
    iotap_instream_skip(pf->in, need);
    pf->npkts++;
    return 1;
}
