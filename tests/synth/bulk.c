/*
 * bulk.c - the volume that --bytes scales: after a day's traffic (from
 * 23:00) the TV downloads and the camera uploads long TLS streams of
 * full-size (1514-byte) frames, written straight to the file so memory
 * stays bounded, until the capture reaches the requested size (or the
 * day's share of 8 MiB, after which main.c starts another day: so a
 * --bytes 20M capture already spans two days).
 */
#include "synth.h"

#include <string.h>

#define DAY_SHARE   (8ULL << 20)
#define STREAM_MAX  (8ULL << 20)

static void stream(synth *S, int dev, const char *sni, saddr ra, int64_t t, bool down,
                   uint64_t bytes)
{
    sdev *d = &S->dev[dev];
    sep c = {d->mac, d->v4, d->next_port++}, s = {S->dev[0].mac, ra, 443};
    if (d->next_port < 49152) d->next_port = 49152;
    tcpc tc;
    tcp_open(&tc, S, dev, &c, &s, t, 20 * MS, "tls");
    flow_name(tc.f, sni, "sni");
    tls_session(&tc, sni, "h2", NULL, 300, 0);
    dyn buf = {0};
    segopt o = {.partial = true, .gap = 40000};
    uint64_t left = bytes;
    while (left) {
        size_t n = left > (1 << 20) ? (1 << 20) : (size_t)left;
        tls_appdata(&buf, &S->rng, n);
        left -= n;
        if (!left) o.partial = false;
        size_t sent = tcp_send(&tc, !down, buf.p, buf.n, &o);
        memmove(buf.p, buf.p + sent, buf.n - sent);
        buf.n -= sent;
    }
    tcp_fin(&tc, true);
    dyn_free(&buf);
}

void bulk_fill(synth *S, uint64_t target)
{
    S->direct = true;
    int64_t t = S->day0 + 23 * 3600 * SEC;
    uint64_t start = S->file_bytes, day = S->file_bytes - S->day_start_bytes;
    for (int i = 0; S->file_bytes < target; i++) {
        uint64_t left = target - S->file_bytes, used = S->file_bytes - start;
        /* Another day only pays when its own traffic fits in what is left;
         * otherwise this day's bulk takes the rest. */
        bool last = left <= (used < DAY_SHARE ? DAY_SHARE - used : 0) + 2 * day;
        if (!last && used >= DAY_SHARE)
            break;
        /* The wire adds ~7.5% to the payload (TLS, TCP/IP, ACKs, pcap headers):
         * aim a little short and let a last small stream close the gap. */
        uint64_t want = left / 100 * 92;
        if (!last && want > DAY_SHARE - used) want = (DAY_SHARE - used) / 100 * 92;
        if (want > STREAM_MAX) want = STREAM_MAX;
        if (want < 4096) want = 4096;
        if (i % 2 == 0)
            stream(S, 2, "ipv4-c012-fra002-ix.1.oca.nflxvideo.net", ip4(198, 51, 100, 40), t,
                   true, want);
        else
            stream(S, 4, "cloud-upload.hik-connect.com", ip4(198, 51, 100, 23), t, false, want);
        t += 90 * SEC;
    }
    S->direct = false;
}
