/*
 * home.c - the synthetic home and one simulated day of its traffic.
 *
 * The router is a Raspberry Pi (192.168.1.1, 2001:db8:1::1) and six
 * devices sit behind it, each MAC prefix a real IEEE assignment (checked
 * against /usr/share/ieee-data/oui.csv; owners named below). Internet
 * hosts use the documentation ranges (192.0.2/24, 198.51.100/24,
 * 203.0.113/24, 2001:db8:f00d::/48) so nothing real is implied.
 *
 * Each session runs on its own clock (an offset into the day); pcapout.c
 * sorts the day's frames before writing. Every DNS-named case in the
 * naming rule has a session here (see README.md for the list).
 */
#include "synth.h"

#include <string.h>

enum { ROUTER, ECHO, TV, PLUG, CAM, PHONE, LAPTOP };

#define H (3600 * SEC)
#define M (60 * SEC)

static void dev(synth *S, const uint8_t mac[6], const char *owner, const char *host,
                const char *vclass, saddr v4, const char *v6)
{
    sdev *d = &S->dev[S->ndev++];
    memcpy(d->mac, mac, 6);
    d->owner = owner;
    d->hostname = host;
    d->vclass = vclass;
    d->v4 = v4;
    if (v6) d->v6 = ip6_parse(v6);
    d->next_port = (uint16_t)(49152 + rng_below(&S->rng, 8000));
}

void home_setup(synth *S)
{
    /* dc:a6:32 Raspberry Pi Trading Ltd */
    dev(S, (const uint8_t[]){0xdc, 0xa6, 0x32, 0x1a, 0x2b, 0x3c}, "Raspberry Pi Trading Ltd",
        "iotap-gw", "", ip4(192, 168, 1, 1), "2001:db8:1::1");
    S->dev[ROUTER].is_router = true;
    /* 68:db:f5 Amazon Technologies Inc. - the voice assistant */
    dev(S, (const uint8_t[]){0x68, 0xdb, 0xf5, 0x4e, 0x7a, 0x11}, "Amazon Technologies Inc.",
        "amazon-4e7a11", "udhcp 1.29.3", ip4(192, 168, 1, 20), NULL);
    /* d0:d0:03 Samsung Electronics Co.,LTD - the TV */
    dev(S, (const uint8_t[]){0xd0, 0xd0, 0x03, 0x5c, 0x88, 0x02}, "Samsung Electronics Co.,LTD",
        "Samsung-QN65", "udhcp 1.30.1", ip4(192, 168, 1, 21), NULL);
    /* 60:3a:7c TP-LINK TECHNOLOGIES CO.,LTD. - the smart plug */
    dev(S, (const uint8_t[]){0x60, 0x3a, 0x7c, 0x91, 0x03, 0x4d}, "TP-LINK TECHNOLOGIES CO.,LTD.",
        "HS110", "udhcp 1.19.4", ip4(192, 168, 1, 22), NULL);
    /* 44:47:cc Hangzhou Hikvision Digital Technology Co.,Ltd. - the camera */
    dev(S, (const uint8_t[]){0x44, 0x47, 0xcc, 0x2e, 0x61, 0xf0},
        "Hangzhou Hikvision Digital Technology Co.,Ltd.", "DS-2CD2143G2", "udhcp 1.20.2",
        ip4(192, 168, 1, 23), NULL);
    /* 6a:... locally administered: the phone's per-network random MAC, no owner */
    dev(S, (const uint8_t[]){0x6a, 0x3f, 0x91, 0xc2, 0x5e, 0x07}, "", "Pixel-8",
        "android-dhcp-14", ip4(192, 168, 1, 24), NULL);
    /* ac:ed:5c Intel Corporate - the laptop, with a SLAAC (EUI-64) address */
    dev(S, (const uint8_t[]){0xac, 0xed, 0x5c, 0x72, 0x19, 0xa4}, "Intel Corporate",
        "DESKTOP-7QK2M4L", "MSFT 5.0", ip4(192, 168, 1, 25), "2001:db8:1::aeed:5cff:fe72:19a4");
}

static uint16_t eph(synth *S, int d)
{
    uint16_t p = S->dev[d].next_port++;
    if (S->dev[d].next_port < 49152) S->dev[d].next_port = 49152;
    return p;
}

static sep local(synth *S, int d, uint16_t port) { return (sep){S->dev[d].mac, S->dev[d].v4, port}; }
static sep remote(synth *S, saddr a, uint16_t port) { return (sep){S->dev[ROUTER].mac, a, port}; }

/* A TCP conversation from device d to a remote host (through the router). */
static void open_to(synth *S, tcpc *tc, int d, saddr ra, uint16_t rp, int64_t t, const char *app)
{
    sep c = local(S, d, eph(S, d)), s = remote(S, ra, rp);
    if (ra.family == 6)
        c.ip = S->dev[d].v6;
    tcp_open(tc, S, d, &c, &s, t, 25 * MS, app);
}

static void tls_to(synth *S, int d, saddr ra, int64_t t, const char *sni, const segopt *cho,
                   size_t up, size_t down)
{
    tcpc tc;
    open_to(S, &tc, d, ra, 443, t, "tls");
    if (sni) flow_name(tc.f, sni, "sni");
    tls_session(&tc, sni, "h2,http/1.1", cho, up, down);
    tcp_fin(&tc, true);
}

/* MQTT 3.1.1 CONNECT/CONNACK + a PUBLISH: carries no host name. */
static void mqtt_to(synth *S, int d, saddr ra, int64_t t, const char *client_id)
{
    tcpc tc;
    open_to(S, &tc, d, ra, 1883, t, "other");
    dyn m = {0};
    size_t n = strlen(client_id);
    dyn_u8(&m, 0x10); dyn_u8(&m, (unsigned)(12 + n));
    dyn_u16(&m, 4); dyn_put(&m, "MQTT", 4); dyn_u8(&m, 4); dyn_u8(&m, 0x02); dyn_u16(&m, 60);
    dyn_u16(&m, (unsigned)n); dyn_put(&m, client_id, n);
    tcp_send(&tc, true, m.p, m.n, NULL);
    static const uint8_t connack[] = {0x20, 2, 0, 0};
    tcp_send(&tc, false, connack, 4, NULL);
    m.n = 0;
    static const char topic[] = "dev/state", msg[] = "{\"relay_state\":1,\"power_mw\":4210}";
    dyn_u8(&m, 0x30); dyn_u8(&m, (unsigned)(2 + strlen(topic) + strlen(msg)));
    dyn_u16(&m, (unsigned)strlen(topic)); dyn_put(&m, topic, strlen(topic));
    dyn_put(&m, msg, strlen(msg));
    tcp_send(&tc, true, m.p, m.n, NULL);
    static const uint8_t disc[] = {0xe0, 0};
    tcp_send(&tc, true, disc, 2, NULL);
    tcp_fin(&tc, true);
    dyn_free(&m);
}

/* An opaque binary protocol on some port: no name anywhere in it. */
static void opaque_to(synth *S, int d, sep *dst, int64_t t, bool rst)
{
    tcpc tc;
    sep c = local(S, d, eph(S, d));
    tcp_open(&tc, S, d, &c, dst, t, dst->ip.a[0] == 192 ? 2 * MS : 30 * MS, "other");
    uint8_t b[600];
    for (int i = 0; i < 3; i++) {
        size_t n = 40 + rng_below(&S->rng, 500);
        rng_bytes(&S->rng, b, n);
        tcp_send(&tc, i != 1, b, n, NULL);
    }
    if (rst) tcp_rst(&tc, true);
    else tcp_fin(&tc, false);
}

static void udp_send(synth *S, sflow *f, int64_t t, const sep *a, const sep *b,
                     const void *p, size_t n, bool out)
{
    uint8_t fr[MAX_FRAME];
    emit(S, t, fr, pkt_udp(fr, a, b, p, n, S->ipid++), f, out);
}

static void router_advert(synth *S, int64_t t)
{
    sdev *r = &S->dev[ROUTER];
    uint8_t ra[64] = {134, 0, 0, 0, 64, 0, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0};
    size_t n = 16;
    ra[n++] = 1; ra[n++] = 1; memcpy(ra + n, r->mac, 6); n += 6;       /* source LL */
    uint8_t mtu[8] = {5, 1, 0, 0, 0, 0, 0x05, 0xdc};
    memcpy(ra + n, mtu, 8); n += 8;
    uint8_t pi[32] = {3, 4, 64, 0xc0, 0, 1, 0x51, 0x80, 0, 0, 0x38, 0x40, 0, 0, 0, 0};
    saddr pfx = ip6_parse("2001:db8:1::");
    memcpy(pi + 16, pfx.a, 16);
    memcpy(ra + n, pi, 32); n += 32;
    saddr ll = ip6_parse("fe80::dea6:32ff:fe1a:2b3c"), all = ip6_parse("ff02::1");
    static const uint8_t mc[6] = {0x33, 0x33, 0, 0, 0, 1};
    uint8_t b[MAX_FRAME];
    emit(S, t, b, pkt_icmp6(b, r->mac, mc, &ll, &all, ra, n), NULL, false);
}

static void ping(synth *S, int d, saddr dst, uint8_t *dmac, int64_t t)
{
    sep a = local(S, d, 0), b = {dmac, dst, 0};
    sflow *f = flow_new(S, d, 1, &a.ip, 0, &dst, 0, "other", t);
    uint8_t pl[56], fr[MAX_FRAME];
    uint16_t id = (uint16_t)rng_next(&S->rng);
    for (int i = 0; i < 56; i++) pl[i] = (uint8_t)(0x10 + i);
    for (int i = 1; i <= 3; i++) {
        emit(S, t, fr, pkt_icmp4(fr, &a, &b, 8, id, (uint16_t)i, pl, 56, S->ipid++), f, true);
        emit(S, t + 700000, fr, pkt_icmp4(fr, &b, &a, 0, id, (uint16_t)i, pl, 56, S->ipid++), f, false);
        t += SEC;
    }
}

static void http_session(synth *S, int d, saddr ra, uint16_t port, int64_t t, const char *host,
                         const hreq *reqs, int n)
{
    tcpc tc;
    open_to(S, &tc, d, ra, port, t, "http");
    char name[256];
    snprintf(name, sizeof name, "%s", host);
    char *colon = strchr(name, ':');
    if (colon) *colon = 0;
    flow_name(tc.f, name, "http");
    for (int i = 0; i < n; i++) {
        http_exchange(&tc, &reqs[i]);
        tcp_wait(&tc, 400 * MS);
    }
    tcp_fin(&tc, true);
}

static void echo_day(synth *S, int64_t t0)
{
    srng *r = &S->rng;
    /* name -> cname1 -> cname2 -> A; the ClientHello split in two segments. */
    dnsans alexa = {{"api-amazonalexa.aws.a2z.com", "d3p8zr0ffa9t17.cloudfront.net"}, 2,
                    {ip4(203, 0, 113, 10)}, 1};
    int64_t t = dns_query(S, ECHO, t0 + 10 * M, "api.amazonalexa.com", false, &alexa, false);
    segopt split = {.split = {100}, .nsplit = 1};
    tls_to(S, ECHO, alexa.addr[0], t, "api.amazonalexa.com", &split, 900, 4200);
    /* Several A records; connect to the second. */
    dnsans metrics = {{0}, 0, {ip4(203, 0, 113, 11), ip4(203, 0, 113, 12), ip4(203, 0, 113, 13)}, 3};
    t = dns_query(S, ECHO, t0 + 2 * H, "device-metrics-us.amazon.com", false, &metrics, false);
    tls_to(S, ECHO, metrics.addr[1], t, "device-metrics-us.amazon.com", NULL, 2600, 300);
    /* Chunked response with a trailer. */
    dnsans dcape = {{0}, 0, {ip4(203, 0, 113, 14)}, 1};
    t = dns_query(S, ECHO, t0 + 5 * H, "dcape-na.amazon.com", false, &dcape, false);
    dyn js = {0};
    char tmp[128];
    dyn_put(&js, "{\"status\":\"ok\",\"schedule\":[", 27);
    for (int i = 0; i < 40; i++) {
        int n = snprintf(tmp, sizeof tmp, "%s{\"slot\":%d,\"volume\":%u}", i ? "," : "", i,
                         rng_below(r, 100));
        dyn_put(&js, tmp, (size_t)n);
    }
    dyn_put(&js, "]}", 2);
    hreq q = {.method = "GET", .uri = "/v1/schedule?device=4e7a11", .host = "dcape-na.amazon.com",
              .status = 200, .reason = "OK", .rbody = js.p, .rbody_len = js.n,
              .rtype = "application/json", .chunked = true};
    http_session(S, ECHO, dcape.addr[0], 80, t, "dcape-na.amazon.com", &q, 1);
    dyn_free(&js);
}

static void tv_day(synth *S, int64_t t0)
{
    srng *r = &S->rng;
    /* Keep-alive: PNG (reordered + retransmitted segments), gzip JSON, HEAD, 304. */
    dnsans otn = {{0}, 0, {ip4(198, 51, 100, 30)}, 1};
    int64_t t = dns_query(S, TV, t0 + 7 * H, "www.samsungotn.net", false, &otn, false);
    dyn png = {0}, js = {0};
    body_png(&png, r, 96 + (int)rng_below(r, 32), 64);
    dyn_put(&js, "{\"channels\":[", 13);
    for (int i = 0; i < 60; i++) {
        char tmp[96];
        int n = snprintf(tmp, sizeof tmp, "%s{\"id\":%d,\"name\":\"Channel %d\",\"hd\":true}",
                         i ? "," : "", i + 1, i + 1);
        dyn_put(&js, tmp, (size_t)n);
    }
    dyn_put(&js, "]}", 2);
    segopt messy = {.swap = 3, .dup = 2};
    hreq reqs[4] = {
        {.method = "GET", .uri = "/img/banner.png", .host = "www.samsungotn.net", .status = 200,
         .reason = "OK", .rbody = png.p, .rbody_len = png.n, .rtype = "image/png",
         .resp_opt = &messy},
        {.method = "GET", .uri = "/api/v2/channels.json", .host = "www.samsungotn.net",
         .extra_hdrs = "Accept-Encoding: gzip\r\n", .status = 200, .reason = "OK",
         .rbody = js.p, .rbody_len = js.n, .rtype = "application/json", .gzip = true},
        {.method = "HEAD", .uri = "/firmware/latest.bin", .host = "www.samsungotn.net",
         .status = 200, .reason = "OK", .rbody_len = 1048576,
         .rtype = "application/octet-stream", .no_body = true},
        {.method = "GET", .uri = "/img/banner.png", .host = "www.samsungotn.net",
         .extra_hdrs = "If-None-Match: \"5f3e-1a2b\"\r\n", .status = 304,
         .reason = "Not Modified", .rtype = "image/png", .no_body = true},
    };
    http_session(S, TV, otn.addr[0], 80, t, "www.samsungotn.net", reqs, 4);
    dyn_free(&png);
    dyn_free(&js);
    /* Streaming: a bulk TLS download of full-size frames. */
    dnsans nflx = {{0}, 0, {ip4(198, 51, 100, 40)}, 1};
    t = dns_query(S, TV, t0 + 20 * H, "ipv4-c012-fra002-ix.1.oca.nflxvideo.net", false, &nflx, false);
    tls_to(S, TV, nflx.addr[0], t, "ipv4-c012-fra002-ix.1.oca.nflxvideo.net", NULL, 600,
           1500000);
    /* dns-other-device: the phone looked up 203.0.113.77 (api.spotify.com) at 06:00. */
    sep spot = remote(S, ip4(203, 0, 113, 77), 4070);
    opaque_to(S, TV, &spot, t0 + 21 * H, false);
    /* No name at all: a STUN-like UDP exchange with a bare address. */
    sep a = local(S, TV, eph(S, TV)), b = remote(S, ip4(203, 0, 113, 250), 3478);
    sflow *f = flow_new(S, TV, 17, &a.ip, a.port, &b.ip, b.port, "other", t0 + 21 * H + 30 * M);
    uint8_t pl[120];
    for (int i = 0; i < 4; i++) {
        rng_bytes(r, pl, sizeof pl);
        udp_send(S, f, t0 + 21 * H + 30 * M + i * 80 * MS, &a, &b, pl, 20 + 20 * (size_t)i, true);
        udp_send(S, f, t0 + 21 * H + 30 * M + i * 80 * MS + 30 * MS, &b, &a, pl, 32, false);
    }
    /* mDNS announcement to the multicast group (flow of the TV, all out). */
    static const uint8_t mdns_mac[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
    sep ma = local(S, TV, 5353), mb = {mdns_mac, ip4(224, 0, 0, 251), 5353};
    f = flow_new(S, TV, 17, &ma.ip, 5353, &mb.ip, 5353, "other", t0 + 30 * M);
    dyn m = {0};
    dyn_u16(&m, 0); dyn_u16(&m, 0x8400); dyn_u16(&m, 0); dyn_u16(&m, 1); dyn_u16(&m, 0); dyn_u16(&m, 0);
    static const char nm[] = "\x0cSamsung-QN65\x0b_googlecast\x04_tcp\x05local";
    dyn_put(&m, nm, sizeof nm);   /* includes the terminating root label */
    dyn_u16(&m, 16); dyn_u16(&m, 0x8001); dyn_u32(&m, 4500); dyn_u16(&m, 12);
    dyn_u8(&m, 11); dyn_put(&m, "md=QN65Q80C", 11);
    udp_send(S, f, t0 + 30 * M, &ma, &mb, m.p, m.n, true);
    dyn_free(&m);
}

static void plug_day(synth *S, int64_t t0)
{
    /* Time-aware naming: first connection before any answer (unnamed), then after. */
    sep kasa = remote(S, ip4(198, 51, 100, 60), 9999);
    opaque_to(S, PLUG, &kasa, t0 + 1 * H, true);
    dnsans ra = {{0}, 0, {ip4(198, 51, 100, 60)}, 1};
    int64_t t = dns_query(S, PLUG, t0 + 1 * H + 5 * M, "use1-api.tplinkra.com", false, &ra, false);
    opaque_to(S, PLUG, &kasa, t + M, false);
    /* Shared CDN address: this name and the camera's lead to 198.51.100.50. */
    dnsans cf = {{"n-devs.tplinkcloud.com.cdn.cloudflare.net"}, 1, {ip4(198, 51, 100, 50)}, 1};
    t = dns_query(S, PLUG, t0 + 3 * H, "n-devs.tplinkcloud.com", false, &cf, false);
    mqtt_to(S, PLUG, cf.addr[0], t + 2 * SEC, "hs110-603a7c91034d");
    /* JSON telemetry POST. */
    dnsans tel = {{0}, 0, {ip4(198, 51, 100, 51)}, 1};
    t = dns_query(S, PLUG, t0 + 12 * H, "iot-telemetry.tplinkcloud.com", false, &tel, false);
    char body[256], resp[] = "{\"error_code\":0,\"next_report_s\":300}";
    /* One draw per statement: argument evaluation order is unspecified. */
    unsigned mv = 229000 + rng_below(&S->rng, 4000);
    unsigned ma = 18 + rng_below(&S->rng, 20);
    unsigned mw = 4000 + rng_below(&S->rng, 500);
    int n = snprintf(body, sizeof body,
                     "{\"deviceId\":\"8006E1A2B3\",\"emeter\":{\"voltage_mv\":%u,\"current_ma\":%u,"
                     "\"power_mw\":%u,\"total_wh\":%u}}", mv, ma, mw, 1200 + (unsigned)S->day);
    hreq q = {.method = "POST", .uri = "/v1/telemetry", .host = "iot-telemetry.tplinkcloud.com",
              .body = (const uint8_t *)body, .body_len = (size_t)n,
              .body_type = "application/json", .status = 200, .reason = "OK",
              .rbody = (const uint8_t *)resp, .rbody_len = strlen(resp),
              .rtype = "application/json"};
    http_session(S, PLUG, tel.addr[0], 80, t, "iot-telemetry.tplinkcloud.com", &q, 1);
}

static void cam_day(synth *S, int64_t t0)
{
    srng *r = &S->rng;
    /* Shared CDN, the camera's side: a different name, the same address. */
    dnsans mq = {{0}, 0, {ip4(198, 51, 100, 50)}, 1};
    int64_t t = dns_query(S, CAM, t0 + 3 * H + 20 * M, "mqtt.hik-connect.com", false, &mq, false);
    mqtt_to(S, CAM, mq.addr[0], t + SEC, "DS-2CD2143G2-4447cc2e61f0");
    /* TLS without SNI, named by the camera's own DNS question. */
    dnsans devh = {{0}, 0, {ip4(198, 51, 100, 20)}, 1};
    t = dns_query(S, CAM, t0 + 4 * H, "dev.hik-connect.com", false, &devh, false);
    tls_to(S, CAM, devh.addr[0], t, NULL, NULL, 700, 1400);
    /* One flow kept alive for over three hours: a record each way every 60 s. */
    dnsans al = {{0}, 0, {ip4(198, 51, 100, 21)}, 1};
    t = dns_query(S, CAM, t0 + 9 * H, "alarm.hik-connect.com", false, &al, false);
    tcpc tc;
    open_to(S, &tc, CAM, al.addr[0], 443, t, "tls");
    flow_name(tc.f, "alarm.hik-connect.com", "sni");
    tls_session(&tc, "alarm.hik-connect.com", "http/1.1", NULL, 200, 120);
    dyn d = {0};
    for (int i = 0; i < 190; i++) {
        tc.t = t + (int64_t)(i + 1) * M;
        d.n = 0;
        tls_appdata(&d, r, 20);
        tcp_send(&tc, true, d.p, d.n, NULL);
        d.n = 0;
        tls_appdata(&d, r, 20);
        tcp_send(&tc, false, d.p, d.n, NULL);
    }
    tcp_fin(&tc, false);
    dyn_free(&d);
    /* JPEG upload (request body) over HTTP on port 8080. */
    dnsans up = {{0}, 0, {ip4(198, 51, 100, 22)}, 1};
    t = dns_query(S, CAM, t0 + 14 * H, "upload.hik-connect.com", false, &up, false);
    dyn jpg = {0};
    body_jpeg(&jpg, r, 30000 + rng_below(r, 20000));
    static const char ok[] = "{\"code\":\"200\",\"msg\":\"stored\"}";
    segopt reord = {.swap = 5, .dup = 9};
    hreq q = {.method = "POST", .uri = "/api/v1/snapshot?ch=1", .host = "upload.hik-connect.com:8080",
              .body = jpg.p, .body_len = jpg.n, .body_type = "image/jpeg", .status = 200,
              .reason = "OK", .rbody = (const uint8_t *)ok, .rbody_len = strlen(ok),
              .rtype = "application/json", .req_opt = &reord};
    http_session(S, CAM, up.addr[0], 8080, t, "upload.hik-connect.com:8080", &q, 1);
    dyn_free(&jpg);
    /* Bulk upload; the ClientHello split inside the TLS record header. */
    dnsans cu = {{0}, 0, {ip4(198, 51, 100, 23)}, 1};
    t = dns_query(S, CAM, t0 + 16 * H, "cloud-upload.hik-connect.com", false, &cu, false);
    segopt hsplit = {.split = {3}, .nsplit = 1};
    tls_to(S, CAM, cu.addr[0], t, "cloud-upload.hik-connect.com", &hsplit, 400000, 800);
    /* The router refreshes its ARP entry for the camera. */
    uint8_t b[MAX_FRAME];
    static const uint8_t zero[6] = {0};
    sdev *rt = &S->dev[ROUTER], *c = &S->dev[CAM];
    emit(S, t0 + 15 * H, b, pkt_arp(b, rt->mac, MAC_BCAST, 1, rt->mac, &rt->v4, zero, &c->v4),
         NULL, false);
    emit(S, t0 + 15 * H + MS, b, pkt_arp(b, c->mac, rt->mac, 2, c->mac, &c->v4, rt->mac, &rt->v4),
         NULL, false);
}

static void phone_day(synth *S, int64_t t0)
{
    dnsans sp = {{0}, 0, {ip4(203, 0, 113, 77)}, 1};
    int64_t t = dns_query(S, PHONE, t0 + 6 * H, "api.spotify.com", false, &sp, false);
    tls_to(S, PHONE, sp.addr[0], t, "api.spotify.com", NULL, 1200, 9000);
    /* QUIC v1 with a decryptable Initial. */
    dnsans yt = {{"youtube-ui.l.google.com"}, 1, {ip4(203, 0, 113, 90)}, 1};
    t = dns_query(S, PHONE, t0 + 19 * H, "www.youtube.com", false, &yt, false);
    sep c = local(S, PHONE, eph(S, PHONE)), s = remote(S, yt.addr[0], 443);
    quic_session(S, PHONE, &c, &s, t, "www.youtube.com");
    /* Casting: SSDP search (multicast), the TV's unicast answer, then TCP 8009. */
    static const uint8_t ssdp_mac[6] = {0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa};
    int64_t ts = t0 + 19 * H + 30 * M;
    sep pa = local(S, PHONE, eph(S, PHONE)), mc = {ssdp_mac, ip4(239, 255, 255, 250), 1900};
    sflow *f = flow_new(S, PHONE, 17, &pa.ip, pa.port, &mc.ip, 1900, "other", ts);
    static const char msearch[] = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
        "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: urn:dial-multiscreen-org:service:dial:1\r\n\r\n";
    udp_send(S, f, ts, &pa, &mc, msearch, strlen(msearch), true);
    sep tv = local(S, TV, 1900);
    f = flow_new(S, TV, 17, &tv.ip, 1900, &pa.ip, pa.port, "other", ts + 200 * MS);
    static const char resp[] = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\n"
        "LOCATION: http://192.168.1.21:8008/ssdp/device-desc.xml\r\n"
        "ST: urn:dial-multiscreen-org:service:dial:1\r\n\r\n";
    udp_send(S, f, ts + 200 * MS, &tv, &pa, resp, strlen(resp), true);
    sep cast = local(S, TV, 8009);
    opaque_to(S, PHONE, &cast, ts + SEC, false);
}

static void laptop_day(synth *S, int64_t t0)
{
    int64_t t = dns_query(S, LAPTOP, t0 + 8 * H, "wpad.lan", false, NULL, true);
    dnsans w4 = {{0}, 0, {ip4(198, 51, 100, 70)}, 1};
    dnsans w6 = {{0}, 0, {ip6_parse("2001:db8:f00d::10")}, 1};
    t = dns_query(S, LAPTOP, t + 5 * SEC, "en.wikipedia.org", false, &w4, false);
    t = dns_query(S, LAPTOP, t, "en.wikipedia.org", true, &w6, false);
    /* TLS over IPv6 from the SLAAC address. */
    tls_to(S, LAPTOP, w6.addr[0], t, "en.wikipedia.org", NULL, 800, 60000);
    ping(S, LAPTOP, S->dev[ROUTER].v4, S->dev[ROUTER].mac, t0 + 8 * H + 30 * M);
}

void home_day(synth *S)
{
    int64_t t0 = S->day0;
    router_advert(S, t0 + 500 * MS);
    for (int d = ECHO; d <= LAPTOP; d++)
        dhcp_exchange(S, d, t0 + 5 * SEC + (d - 1) * 11 * SEC + (int64_t)rng_below(&S->rng, 900) * MS);
    router_advert(S, t0 + 12 * H);
    echo_day(S, t0);
    tv_day(S, t0);
    plug_day(S, t0);
    cam_day(S, t0);
    phone_day(S, t0);
    laptop_day(S, t0);
}
