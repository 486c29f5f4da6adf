/*
 * dhcp.c - a device joining the home (RFC 2131/2132): DISCOVER and REQUEST
 * broadcast from 0.0.0.0:68 with option 12 (host name) and 60 (vendor
 * class), OFFER and ACK from the router unicast to the device's MAC and
 * offered address (options 1, 3, 6, 51, 54), then the device's ARP for the
 * gateway and the router's reply.
 *
 * The truth has two flows per exchange: the broadcast one (0.0.0.0:68 ->
 * 255.255.255.255:67, all out) and the unicast one (yiaddr:68 <->
 * 192.168.1.1:67, all in), both under the device's MAC.
 */
#include "synth.h"

#include <string.h>

static void opt(dyn *d, int code, const void *p, size_t n)
{
    dyn_u8(d, (unsigned)code);
    dyn_u8(d, (unsigned)n);
    dyn_put(d, p, n);
}

static void bootp(dyn *d, int op, uint32_t xid, const saddr *yi, const sdev *dev)
{
    uint8_t z[202] = {0};
    dyn_u8(d, (unsigned)op); dyn_u8(d, 1); dyn_u8(d, 6); dyn_u8(d, 0);
    dyn_u32(d, xid);
    dyn_u16(d, op == 1 ? 3 : 0); dyn_u16(d, 0);
    dyn_put(d, z, 4);                               /* ciaddr */
    dyn_put(d, yi ? yi->a : z, 4);                  /* yiaddr */
    dyn_put(d, z, 8);                               /* siaddr, giaddr */
    dyn_put(d, dev->mac, 6);
    dyn_put(d, z, 10 + 64 + 128);                   /* chaddr pad, sname, file */
    dyn_u32(d, 0x63825363);
}

static void client_opts(dyn *d, int type, const sdev *dev, const sdev *rt)
{
    uint8_t t = (uint8_t)type, cid[7] = {1};
    memcpy(cid + 1, dev->mac, 6);
    static const uint8_t prl[] = {1, 3, 6, 12, 15, 28, 42, 51, 58, 59};
    opt(d, 53, &t, 1);
    opt(d, 61, cid, 7);
    if (type == 3) {
        opt(d, 50, dev->v4.a, 4);
        opt(d, 54, rt->v4.a, 4);
    }
    opt(d, 12, dev->hostname, strlen(dev->hostname));
    opt(d, 60, dev->vclass, strlen(dev->vclass));
    opt(d, 55, prl, sizeof prl);
    dyn_u8(d, 255);
    while (d->n < 300)
        dyn_u8(d, 0);
}

static void server_opts(dyn *d, int type, const sdev *rt)
{
    uint8_t t = (uint8_t)type;
    static const uint8_t mask[4] = {255, 255, 255, 0}, bc[4] = {192, 168, 1, 255};
    static const uint8_t lease[4] = {0, 1, 0x51, 0x80}, t1[4] = {0, 0, 0xa8, 0xc0},
                         t2[4] = {0, 1, 0x27, 0x50};
    opt(d, 53, &t, 1);
    opt(d, 54, rt->v4.a, 4);
    opt(d, 51, lease, 4);
    opt(d, 58, t1, 4);
    opt(d, 59, t2, 4);
    opt(d, 1, mask, 4);
    opt(d, 28, bc, 4);
    opt(d, 3, rt->v4.a, 4);
    opt(d, 6, rt->v4.a, 4);
    opt(d, 15, "lan", 3);
    dyn_u8(d, 255);
    while (d->n < 300)
        dyn_u8(d, 0);
}

void dhcp_exchange(synth *S, int di, int64_t t)
{
    sdev *dev = &S->dev[di], *rt = &S->dev[0];
    uint8_t b[MAX_FRAME];
    uint32_t xid = (uint32_t)rng_next(&S->rng);
    sep cl0 = {dev->mac, ip4(0, 0, 0, 0), 68}, bc = {MAC_BCAST, ip4(255, 255, 255, 255), 67};
    sep cl = {dev->mac, dev->v4, 68}, sv = {rt->mac, rt->v4, 67};
    sflow *fb = flow_new(S, di, 17, &cl0.ip, 68, &bc.ip, 67, "dhcp", t);
    sflow *fu = flow_new(S, di, 17, &cl.ip, 68, &sv.ip, 67, "dhcp", t + 2 * MS);
    for (int step = 0; step < 4; step++) {
        dyn d = {0};
        bool client = step % 2 == 0;
        int type = (int[]){1, 2, 3, 5}[step];
        bootp(&d, client ? 1 : 2, xid, client ? NULL : &dev->v4, dev);
        if (client) client_opts(&d, type, dev, rt);
        else server_opts(&d, type, rt);
        size_t n = client ? pkt_udp(b, &cl0, &bc, d.p, d.n, 0)
                          : pkt_udp(b, &sv, &cl, d.p, d.n, S->ipid++);
        emit(S, t, b, n, client ? fb : fu, client);
        dyn_free(&d);
        t += client ? 2 * MS : 40 * MS;
    }
    /* The new client looks for its gateway. */
    static const uint8_t zero[6] = {0};
    size_t n = pkt_arp(b, dev->mac, MAC_BCAST, 1, dev->mac, &dev->v4, zero, &rt->v4);
    emit(S, t, b, n, NULL, false);
    n = pkt_arp(b, rt->mac, dev->mac, 2, rt->mac, &rt->v4, dev->mac, &dev->v4);
    emit(S, t + 300000, b, n, NULL, false);
}
