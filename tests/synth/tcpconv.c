/*
 * tcpconv.c - TCP conversations between a device (always the client) and
 * a server on the internet (through the router's MAC) or on the LAN:
 * three-way handshake, data cut into MSS-sized segments (plus any extra
 * boundaries the scenario asks for, e.g. a ClientHello split inside its
 * record header), delayed ACKs, one pair of segments delivered out of
 * order, one segment retransmitted, FIN or RST teardown.
 *
 * Every frame is emitted as part of the conversation's flow (out = from
 * the device), so the truth counts each copy like Wireshark counts frames.
 */
#include "synth.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

#define CWIN 502   /* x128 (window scale 7) */
#define SWIN 501

static void seg(tcpc *tc, bool from_client, uint32_t seq, uint8_t flags,
                const uint8_t *d, size_t n, const uint8_t *opt, size_t optlen)
{
    uint8_t b[MAX_FRAME];
    const sep *src = from_client ? &tc->c : &tc->s, *dst = from_client ? &tc->s : &tc->c;
    uint32_t ack = from_client ? tc->cack : tc->sack;
    size_t len = pkt_tcp(b, src, dst, seq, ack, flags, from_client ? CWIN : SWIN,
                         opt, optlen, d, n, tc->S->ipid++);
    emit(tc->S, tc->t, b, len, tc->f, from_client);
}

void tcp_open(tcpc *tc, synth *S, int dev, const sep *c, const sep *s, int64_t t,
              int64_t rtt, const char *app)
{
    memset(tc, 0, sizeof *tc);
    tc->S = S;
    tc->c = *c;
    tc->s = *s;
    tc->t = t;
    tc->rtt = rtt;
    tc->mss = c->ip.family == 4 ? 1460 : 1440;
    tc->f = flow_new(S, dev, 6, &c->ip, c->port, &s->ip, s->port, app, t);
    uint32_t ci = (uint32_t)rng_next(&S->rng), si = (uint32_t)rng_next(&S->rng);
    uint8_t opt[12] = {2, 4, (uint8_t)(tc->mss >> 8), (uint8_t)tc->mss, 4, 2, 1, 3, 3, 7, 1, 1};
    tc->cack = 0;
    seg(tc, true, ci, TH_SYN, NULL, 0, opt, sizeof opt);
    tc->t += rtt;
    tc->sack = ci + 1;
    seg(tc, false, si, TH_SYN | TH_ACK, NULL, 0, opt, sizeof opt);
    tc->t += 200000;
    tc->cseq = ci + 1;
    tc->sseq = si + 1;
    tc->cack = si + 1;
    seg(tc, true, tc->cseq, TH_ACK, NULL, 0, NULL, 0);
    tc->t += 300000;
}

typedef struct { size_t off, len; } span;

size_t tcp_send(tcpc *tc, bool from_client, const uint8_t *d, size_t n, const segopt *o)
{
    static const segopt none;
    if (!o)
        o = &none;
    int64_t gap = o->gap ? o->gap : 120000;
    size_t cap = n / tc->mss + (size_t)o->nsplit + 2, k = 0, pos = 0;
    span *sp = xmalloc(cap * sizeof *sp);
    while (pos < n) {
        size_t end = pos + tc->mss < n ? pos + tc->mss : n;
        for (int i = 0; i < o->nsplit; i++)
            if (o->split[i] > pos && o->split[i] < end)
                end = o->split[i];
        if (o->partial && end - pos < tc->mss)
            break;
        sp[k++] = (span){pos, end - pos};
        pos = end;
    }
    uint32_t base = from_client ? tc->cseq : tc->sseq;
    bool plain = o->swap == 0 && o->dup == 0;
    size_t acked = 0;
    for (size_t i = 0; i < k; i++) {
        size_t j = i;
        if (o->swap >= 2 && (size_t)o->swap <= k) {
            if (i == (size_t)o->swap - 2) j = i + 1;
            else if (i == (size_t)o->swap - 1) j = i - 1;
        }
        uint8_t fl = TH_ACK | (j == k - 1 && !o->partial ? TH_PSH : 0);
        seg(tc, from_client, base + (uint32_t)sp[j].off, fl, d + sp[j].off, sp[j].len, NULL, 0);
        tc->t += gap;
        if (plain && (i & 1) && i + 1 < k) {
            /* Delayed ACK every second segment. */
            uint32_t upto = base + (uint32_t)(sp[i].off + sp[i].len);
            if (from_client) tc->sack = upto; else tc->cack = upto;
            seg(tc, !from_client, from_client ? tc->sseq : tc->cseq, TH_ACK, NULL, 0, NULL, 0);
            tc->t += gap / 4 + 1000;
            acked = i + 1;
        }
    }
    if (o->dup >= 1 && (size_t)o->dup <= k) {
        tc->t += tc->rtt * 2;
        span s = sp[o->dup - 1];
        seg(tc, from_client, base + (uint32_t)s.off, TH_ACK | TH_PSH, d + s.off, s.len, NULL, 0);
        tc->t += gap;
    }
    size_t sent = pos;
    if (from_client) { tc->cseq = base + (uint32_t)sent; tc->sack = tc->cseq; }
    else { tc->sseq = base + (uint32_t)sent; tc->cack = tc->sseq; }
    if (k && (acked < k || !plain)) {
        tc->t += tc->rtt / 2;
        seg(tc, !from_client, from_client ? tc->sseq : tc->cseq, TH_ACK, NULL, 0, NULL, 0);
    }
    tc->t += tc->rtt / 2 + 1000;
    free(sp);
    return sent;
}

void tcp_wait(tcpc *tc, int64_t dt) { tc->t += dt; }

void tcp_fin(tcpc *tc, bool client_first)
{
    bool a = client_first;
    seg(tc, a, a ? tc->cseq : tc->sseq, TH_FIN | TH_ACK, NULL, 0, NULL, 0);
    if (a) { tc->cseq++; tc->sack = tc->cseq; } else { tc->sseq++; tc->cack = tc->sseq; }
    tc->t += tc->rtt;
    seg(tc, !a, !a ? tc->cseq : tc->sseq, TH_FIN | TH_ACK, NULL, 0, NULL, 0);
    if (!a) { tc->cseq++; tc->sack = tc->cseq; } else { tc->sseq++; tc->cack = tc->sseq; }
    tc->t += 300000;
    seg(tc, a, a ? tc->cseq : tc->sseq, TH_ACK, NULL, 0, NULL, 0);
    tc->t += 1000000;
}

void tcp_rst(tcpc *tc, bool from_client)
{
    seg(tc, from_client, from_client ? tc->cseq : tc->sseq, TH_RST | TH_ACK, NULL, 0, NULL, 0);
    tc->t += 1000000;
}
