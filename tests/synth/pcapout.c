/*
 * pcapout.c - where every synthetic frame goes. emit() accounts the frame
 * to the truth (the devices by source/destination MAC, exactly as
 * `tshark -z endpoints,eth` counts, and the flow the scenario says it
 * belongs to) and then either buffers it or writes it straight out.
 *
 * A simulated day's sessions are generated one after another, each with
 * its own clock, so their frames interleave in time: they are kept in a
 * buffer (a few MB) and sorted by (time, emission order) before being
 * written. The bulk streams that --bytes scales are written directly, in
 * a time window after the day's other traffic, so memory stays bounded.
 *
 * The file is classic pcap: little-endian, microsecond stamps, snaplen
 * 262144, linktype 1 (Ethernet).
 */
#include "synth.h"

#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void wr(synth *S, const void *p, size_t n)
{
    if (fwrite(p, 1, n, S->pcap) != n)
        iotap_die("write failed: %s", strerror(errno));
    S->file_bytes += n;
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void out_open(synth *S, const char *path)
{
    S->pcap = fopen(path, "wb");
    if (!S->pcap)
        iotap_die("%s: %s", path, strerror(errno));
    setvbuf(S->pcap, NULL, _IOFBF, 1 << 20);
    uint8_t h[24];
    le32(h, 0xa1b2c3d4);
    h[4] = 2; h[5] = 0; h[6] = 4; h[7] = 0;
    le32(h + 8, 0); le32(h + 12, 0);
    le32(h + 16, 262144); le32(h + 20, 1);
    wr(S, h, sizeof h);
}

static void write_frame(synth *S, int64_t ts, const uint8_t *d, size_t n)
{
    uint8_t h[16];
    le32(h, (uint32_t)(ts / SEC));
    le32(h + 4, (uint32_t)(ts % SEC / 1000));
    le32(h + 8, (uint32_t)n);
    le32(h + 12, (uint32_t)n);
    wr(S, h, 16);
    wr(S, d, n);
}

static void count_mac(synth *S, const uint8_t *mac, size_t n, bool src)
{
    for (int i = 0; i < S->ndev; i++) {
        sdev *d = &S->dev[i];
        if (memcmp(d->mac, mac, 6) == 0) {
            if (src) { d->pk_out++; d->by_out += n; }
            else { d->pk_in++; d->by_in += n; }
            return;
        }
    }
}

void emit(synth *S, int64_t ts, const uint8_t *frame, size_t len, sflow *f, bool out)
{
    /* Microsecond stamps: the truth must use the time the file holds. */
    ts -= ts % 1000;
    S->packets++;
    S->bytes += len;
    if (S->packets == 1 || ts < S->first_ts)
        S->first_ts = ts;
    if (S->packets == 1 || ts > S->last_ts)
        S->last_ts = ts;
    count_mac(S, frame + 6, len, true);
    count_mac(S, frame, len, false);
    if (f) {
        if (out) { f->pk_out++; f->by_out += len; }
        else { f->pk_in++; f->by_in += len; }
    } else {
        S->other_packets++;
        S->other_bytes += len;
    }
    if (S->direct) {
        write_frame(S, ts, frame, len);
        return;
    }
    if (S->nrec == S->caprec) {
        S->caprec = S->caprec ? S->caprec * 2 : 4096;
        S->rec = xrealloc(S->rec, S->caprec * sizeof *S->rec);
    }
    if (S->nbuf + len > S->capbuf) {
        while (S->nbuf + len > S->capbuf)
            S->capbuf = S->capbuf ? S->capbuf * 2 : (1 << 20);
        S->buf = xrealloc(S->buf, S->capbuf);
    }
    memcpy(S->buf + S->nbuf, frame, len);
    S->rec[S->nrec++] = (frec){ts, S->seq++, (uint32_t)S->nbuf, (uint32_t)len};
    S->nbuf += len;
}

static int cmp_rec(const void *a, const void *b)
{
    const frec *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void out_flush_day(synth *S)
{
    qsort(S->rec, S->nrec, sizeof *S->rec, cmp_rec);
    for (size_t i = 0; i < S->nrec; i++)
        write_frame(S, S->rec[i].ts, S->buf + S->rec[i].off, S->rec[i].len);
    S->nrec = 0;
    S->nbuf = 0;
}

void out_close(synth *S)
{
    out_flush_day(S);
    if (fclose(S->pcap) != 0)
        iotap_die("closing the capture: %s", strerror(errno));
    S->pcap = NULL;
    free(S->rec);
    free(S->buf);
}
