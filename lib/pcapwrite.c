/*
 * pcapwrite.c - classic pcap output (see pcapwrite.h).
 *
 * Headers are built in host byte order, as libpcap's own pcap_dump does, so
 * that a little-endian microsecond input copied through iotap-cat comes out
 * byte for byte the same. Time is carried as ns inside iotap; a microsecond
 * file truncates toward the earlier microsecond (floor, also for times before
 * 1970) so that ts_ns taken from a microsecond file round-trips exactly.
 */
#include "pcapwrite.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAP_MAGIC_NSEC 0xa1b23c4du

struct iotap_pcapw {
    FILE *out;
    bool nsec;
    bool failed;    /* a write already failed; later writes fail at once */
};

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

void iotap_pcap_global_header(uint8_t buf[24], int linktype, uint32_t snaplen, bool nsec)
{
    put32(buf, nsec ? PCAP_MAGIC_NSEC : PCAP_MAGIC_USEC);
    put16(buf + 4, 2);          /* version 2.4 */
    put16(buf + 6, 4);
    put32(buf + 8, 0);          /* thiszone: stamps are UTC */
    put32(buf + 12, 0);         /* sigfigs */
    put32(buf + 16, snaplen);
    put32(buf + 20, (uint32_t)linktype);
}

void iotap_pcap_record_header(uint8_t buf[16], int64_t ts_ns, uint32_t caplen, uint32_t len, bool nsec)
{
    int64_t sec = ts_ns / IOTAP_NS_PER_SEC, frac = ts_ns % IOTAP_NS_PER_SEC;
    if (frac < 0) {
        frac += IOTAP_NS_PER_SEC;
        sec--;
    }
    /* The classic format holds an unsigned 32-bit second count. */
    put32(buf, (uint32_t)sec);
    put32(buf + 4, (uint32_t)(nsec ? frac : frac / 1000));
    put32(buf + 8, caplen);
    put32(buf + 12, len);
}

iotap_pcapw *iotap_pcapw_new(FILE *out, int linktype, uint32_t snaplen, bool nsec)
{
    iotap_pcapw *w = xcalloc(1, sizeof *w);
    w->out = out;
    w->nsec = nsec;
    uint8_t hdr[24];
    iotap_pcap_global_header(hdr, linktype, snaplen, nsec);
    if (fwrite(hdr, 1, sizeof hdr, out) != sizeof hdr)
        w->failed = true;
    return w;
}

int iotap_pcapw_write(iotap_pcapw *w, int64_t ts_ns, uint32_t caplen, uint32_t len,
                      const uint8_t *data)
{
    if (w->failed || ferror(w->out)) {
        w->failed = true;
        if (!errno)
            errno = EIO;
        return -1;
    }
    uint8_t hdr[16];
    iotap_pcap_record_header(hdr, ts_ns, caplen, len, w->nsec);
    if (fwrite(hdr, 1, sizeof hdr, w->out) != sizeof hdr ||
        (caplen && fwrite(data, 1, caplen, w->out) != caplen)) {
        w->failed = true;
        return -1;
    }
    return 0;
}

int iotap_pcapw_free(iotap_pcapw *w)
{
    if (!w)
        return 0;
    int rc = 0;
    if (fflush(w->out) != 0 || ferror(w->out) || w->failed)
        rc = -1;
    free(w);
    return rc;
}
