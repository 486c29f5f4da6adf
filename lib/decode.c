/*
 * decode.c - finds one packet's link, network and transport layers without
 * copying (see decode.h).
 *
 * One bounded cursor runs over the captured bytes; nothing is read any other
 * way. Two lengths are tracked separately: what was captured (the cursor)
 * and what the frame had on the wire (`wire`, from orig_len). The IP header's
 * length is believed when it fits the wire length, so Ethernet padding never
 * counts as payload and a snapped packet still reports the payload it had.
 *
 *   RFC 894 / IEEE 802.3   Ethernet II and 802.3 length frames (LLC/SNAP)
 *   IEEE 802.1Q / 802.1ad  VLAN tags, QinQ (0x8100, 0x88a8, 0x9100)
 *   RFC 3032               MPLS label stacks (IP below the bottom label)
 *   RFC 2516               PPPoE session frames
 *   pcap-linktype(7)       NULL/LOOP, SLL, SLL2, RAW, IPV4, IPV6, NFLOG,
 *                          PPP (RFC 1661/1662), Cisco HDLC
 *   RFC 791 / RFC 8200     IPv4 (options, fragments), IPv6 (extension headers)
 *   RFC 9293 / 768 / 792 / 4443  TCP, UDP, ICMP, ICMPv6
 *
 * What `payload` is: TCP/UDP data; for ICMP/ICMPv6 the whole message from
 * its type byte (sport/dport hold type/code); for other IP protocols and
 * non-first fragments the IP payload; for ARP and other non-IP frames the
 * rest of the frame after the EtherType (padding included: there is no
 * length to trim it by). SLL/SLL2 record only the sender's address, so
 * dst_mac stays zero there (all ones for packets Linux saw as broadcast).
 * Link types beyond decode.h's list: 9/50 (PPP), 12/14 (raw IP on BSDs),
 * 104 (Cisco HDLC), 108 (OpenBSD loopback), 239 (NFLOG).
 */
#include "decode.h"
#include "cursor.h"

#include <string.h>

#define LINK_PPP       9
#define LINK_PPP_HDLC  50
#define LINK_C_HDLC    104     /* Cisco HDLC */
#define LINK_LOOP      108     /* OpenBSD loopback: AF in network order */
#define LINK_NFLOG     239
#define LINK_RAW_BSD1  12      /* DLT_RAW on most BSDs */
#define LINK_RAW_BSD2  14      /* DLT_RAW on OpenBSD */
#define LINK_ARCNET_BSD   7     /* ARCnet, BSD header: src dst type ... */
#define LINK_ARCNET_LINUX 129   /* ARCnet, Linux header: src dst offset[2] type ... */

#define MAX_TAGS       8       /* VLAN/MPLS/PPPoE encapsulations walked */
#define MAX_EXT_HDRS   16      /* IPv6 extension headers walked */
#define MAX_NFLOG_TLVS 64

/* Where payload points when nothing of it was captured: a valid address,
 * so that memcpy(dst, payload, 0) is well defined. */
static const uint8_t empty[1];

static inline const uint8_t *here(const iotap_cursor *c)
{
    return c->p && c->off <= c->len ? c->p + c->off : empty;
}

/* Payload of n bytes (as the headers say) starting at the cursor. */
static void set_payload(iotap_decoded *d, const iotap_cursor *c, uint32_t n)
{
    size_t left = cur_left(c);
    d->payload = here(c);
    d->payload_len = n;
    d->payload_caplen = left < n ? (uint32_t)left : n;
}

/* ---- transport ---------------------------------------------------------- */

static void l4_tcp(iotap_decoded *d, iotap_cursor *c, uint32_t l4len)
{
    if (l4len < 20) {
        d->error = "TCP segment shorter than a TCP header";
        return;
    }
    if (!cur_has(c, 20)) {
        d->truncated = true;
        return;
    }
    uint16_t sport = cur_u16be(c), dport = cur_u16be(c);
    uint32_t seq = cur_u32be(c), ack = cur_u32be(c);
    uint8_t off = cur_u8(c), flags = cur_u8(c);
    uint16_t win = cur_u16be(c);
    cur_skip(c, 4);                     /* checksum, urgent pointer */
    uint32_t hlen = (uint32_t)(off >> 4) * 4;
    if (hlen < 20) {
        d->error = "TCP data offset < 5";
        return;
    }
    if (hlen > l4len) {
        d->error = "TCP data offset beyond the segment";
        return;
    }
    d->has_l4 = true;
    d->sport = sport;
    d->dport = dport;
    d->tcp_seq = seq;
    d->tcp_ack = ack;
    d->tcp_flags = flags;
    d->tcp_win = win;
    if (!cur_skip(c, hlen - 20)) {      /* options cut by the snap length */
        d->truncated = true;
        d->payload = empty;
        d->payload_len = l4len - hlen;
        d->payload_caplen = 0;
        return;
    }
    set_payload(d, c, l4len - hlen);
}

static void l4_udp(iotap_decoded *d, iotap_cursor *c, uint32_t l4len)
{
    if (l4len < 8) {
        d->error = "UDP datagram shorter than a UDP header";
        return;
    }
    if (!cur_has(c, 8)) {
        d->truncated = true;
        return;
    }
    d->sport = cur_u16be(c);
    d->dport = cur_u16be(c);
    uint16_t ulen = cur_u16be(c);
    cur_skip(c, 2);
    d->has_l4 = true;
    uint32_t n = l4len - 8;
    if (ulen >= 8 && ulen <= l4len)
        n = ulen - 8U;                  /* trailing bytes inside IP are not data */
    else if (ulen != 0)                 /* 0: IPv6 jumbogram (RFC 2675) */
        d->error = "UDP length disagrees with the IP length";
    set_payload(d, c, n);
}

static void l4_icmp(iotap_decoded *d, iotap_cursor *c, uint32_t l4len)
{
    /* The payload of ICMP is the whole message, type byte first. */
    if (l4len < 4) {
        d->error = "ICMP message shorter than its header";
        return;
    }
    if (!cur_has(c, 4)) {
        d->truncated = true;
        return;
    }
    const uint8_t *h = cur_ptr(c);
    d->has_l4 = true;
    d->sport = h[0];
    d->dport = h[1];
    set_payload(d, c, l4len);
}

static void l4(iotap_decoded *d, iotap_cursor *c, uint8_t proto, uint32_t l4len)
{
    d->proto = proto;
    switch (proto) {
    case 6:  l4_tcp(d, c, l4len); break;
    case 17: l4_udp(d, c, l4len); break;
    case 1:
    case 58: l4_icmp(d, c, l4len); break;
    default: set_payload(d, c, l4len); break;
    }
}

/* ---- network ------------------------------------------------------------ */

/* wire: bytes the frame had on the wire from the cursor position on. */
static void ipv4(iotap_decoded *d, iotap_cursor *c, uint64_t wire)
{
    if (!cur_has(c, 20)) {
        d->truncated = true;
        return;
    }
    uint8_t vihl = cur_u8(c);
    if (vihl >> 4 != 4) {
        d->error = "IPv4 header with version other than 4";
        return;
    }
    cur_skip(c, 1);
    uint32_t tot = cur_u16be(c);
    uint16_t id = cur_u16be(c), fo = cur_u16be(c);
    uint8_t ttl = cur_u8(c), proto = cur_u8(c);
    cur_skip(c, 2);
    const uint8_t *src = cur_take(c, 4), *dst = cur_take(c, 4);
    d->ip_ver = 4;
    iotap_addr_set4(&d->src, src);
    iotap_addr_set4(&d->dst, dst);
    d->ttl = ttl;
    d->proto = proto;
    d->ip_id = id;
    uint32_t ihl = (vihl & 0x0fU) * 4;
    if (ihl < 20) {
        d->error = "IPv4 header length < 20";
        return;
    }
    if (tot == 0 && wire >= ihl) {
        /* TSO/GSO seen at the sender, or BIG TCP (> 64 KiB): the kernel
         * leaves the length 0 and the frame is the only honest length. */
        tot = (uint32_t)(wire > UINT32_MAX ? UINT32_MAX : wire);
    } else if (tot < ihl) {
        d->error = "IPv4 total length < header length";
        return;
    } else if (tot > wire) {
        d->error = "IPv4 total length beyond the end of the frame";
        if (wire < ihl)
            return;
        tot = (uint32_t)wire;
    }
    if (!cur_skip(c, ihl - 20)) {       /* options */
        d->truncated = true;
        return;
    }
    uint16_t off = fo & 0x1fff;
    d->frag = (fo & 0x2000) || off;
    d->frag_first = d->frag && off == 0;
    if (off) {                          /* no L4 header in this piece */
        set_payload(d, c, tot - ihl);
        return;
    }
    l4(d, c, proto, tot - ihl);
}

static void ipv6(iotap_decoded *d, iotap_cursor *c, uint64_t wire)
{
    if (!cur_has(c, 40)) {
        d->truncated = true;
        return;
    }
    uint32_t vtf = cur_u32be(c);
    if (vtf >> 28 != 6) {
        d->error = "IPv6 header with version other than 6";
        return;
    }
    uint32_t plen = cur_u16be(c);
    uint8_t nh = cur_u8(c), hlim = cur_u8(c);
    const uint8_t *src = cur_take(c, 16), *dst = cur_take(c, 16);
    d->ip_ver = 6;
    iotap_addr_set6(&d->src, src);
    iotap_addr_set6(&d->dst, dst);
    d->ttl = hlim;
    d->proto = nh;
    uint64_t room = wire >= 40 ? wire - 40 : 0;
    if (plen == 0 && nh != 59) {
        /* Jumbogram (RFC 2675) or a TSO/GSO frame seen at the sender: the
         * frame itself is the only honest length. */
        plen = (uint32_t)(room > UINT32_MAX ? UINT32_MAX : room);
    } else if (plen > room) {
        d->error = "IPv6 payload length beyond the end of the frame";
        plen = (uint32_t)room;
    }
    for (int n = 0;; n++) {
        uint32_t hlen;
        switch (nh) {
        case 0:   /* hop-by-hop */
        case 43:  /* routing */
        case 60:  /* destination options */
        case 135: /* mobility */
        case 139: /* HIP */
        case 140: /* shim6 */
            hlen = 0;
            break;
        case 44:  /* fragment */
            hlen = 8;
            break;
        case 51:  /* AH: length in 4-octet units, minus 2 */
            hlen = 0;
            break;
        default:
            l4(d, c, nh, plen);
            return;
        }
        if (n >= MAX_EXT_HDRS) {
            d->error = "too many IPv6 extension headers";
            return;
        }
        if (!cur_has(c, 2)) {
            d->truncated = true;
            return;
        }
        const uint8_t *h = cur_ptr(c);
        if (nh == 51)
            hlen = ((uint32_t)h[1] + 2) * 4;
        else if (nh != 44)
            hlen = ((uint32_t)h[1] + 1) * 8;
        if (hlen > plen) {
            d->error = "IPv6 extension header beyond the payload length";
            return;
        }
        if (!cur_has(c, hlen)) {
            d->truncated = true;
            return;
        }
        uint8_t next = h[0];
        if (nh == 44) {
            uint16_t fo = (uint16_t)(h[2] << 8 | h[3]);
            uint16_t off = fo >> 3;
            /* An atomic fragment (offset 0, no M flag: RFC 6946) is a
             * whole packet and is decoded as one. */
            if (off || (fo & 1)) {
                d->frag = true;
                d->frag_first = off == 0;
                d->ip_id = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 |
                           (uint32_t)h[6] << 8 | h[7];
            }
            if (off) {
                cur_skip(c, hlen);
                d->proto = next;
                set_payload(d, c, plen - hlen);
                return;
            }
        }
        cur_skip(c, hlen);
        plen -= hlen;
        nh = next;
        d->proto = nh;
    }
}

/* ---- link --------------------------------------------------------------- */

static void ip_by_version(iotap_decoded *d, iotap_cursor *c, uint64_t wire)
{
    if (!cur_has(c, 1)) {
        d->truncated = true;
        return;
    }
    switch (cur_ptr(c)[0] >> 4) {
    case 4: d->ethertype = 0x0800; ipv4(d, c, wire); break;
    case 6: d->ethertype = 0x86dd; ipv6(d, c, wire); break;
    default: d->error = "not an IP packet"; break;
    }
}

/* Bytes on the wire from the cursor on. */
static uint64_t wire_left(const iotap_decoded *d, const iotap_cursor *c)
{
    uint64_t total = d->pkt->len > d->pkt->caplen ? d->pkt->len : d->pkt->caplen;
    return total > c->off ? total - c->off : 0;
}

/* Everything after an EtherType: tags, then ARP/IPv4/IPv6 or other. */
static void ethertype(iotap_decoded *d, iotap_cursor *c, uint16_t type)
{
    for (int n = 0; n < MAX_TAGS; n++) {
        d->ethertype = type;
        switch (type) {
        case 0x8100:    /* 802.1Q */
        case 0x88a8:    /* 802.1ad */
        case 0x9100:    /* old QinQ */
        case 0x9200: {
            if (!cur_has(c, 4)) {
                d->truncated = true;
                return;
            }
            uint16_t tci = cur_u16be(c);
            type = cur_u16be(c);
            if (d->nvlan < 2)
                d->vlan[d->nvlan++] = tci & 0x0fff;
            continue;
        }
        case 0x8847:    /* MPLS unicast, multicast */
        case 0x8848:
            for (int k = 0;; k++) {
                if (!cur_has(c, 4)) {
                    d->truncated = true;
                    return;
                }
                uint32_t label = cur_u32be(c);
                if (label & 0x100)      /* bottom of stack */
                    break;
                if (k >= MAX_TAGS) {
                    d->error = "MPLS label stack too deep";
                    return;
                }
            }
            ip_by_version(d, c, wire_left(d, c));
            return;
        case 0x8864: {  /* PPPoE session */
            if (!cur_has(c, 8)) {
                d->truncated = true;
                return;
            }
            cur_skip(c, 6);
            uint16_t ppp = cur_u16be(c);
            if (ppp == 0x0021)
                type = 0x0800;
            else if (ppp == 0x0057)
                type = 0x86dd;
            else
                return;
            continue;
        }
        case 0x0806:
            d->is_arp = true;
            set_payload(d, c, (uint32_t)cur_left(c));
            return;
        case 0x0800:
            ipv4(d, c, wire_left(d, c));
            return;
        case 0x86dd:
            ipv6(d, c, wire_left(d, c));
            return;
        default:
            set_payload(d, c, (uint32_t)cur_left(c));
            return;
        }
    }
    d->error = "too many encapsulation headers";
}

static void ethernet(iotap_decoded *d, iotap_cursor *c)
{
    if (!cur_has(c, 14)) {
        d->truncated = true;
        return;
    }
    memcpy(d->dst_mac, cur_take(c, 6), 6);
    memcpy(d->src_mac, cur_take(c, 6), 6);
    d->has_mac = true;
    uint16_t type = cur_u16be(c);
    if (type <= 1500) {
        /* 802.3 length field; only LLC/SNAP with an EtherType carries IP. */
        const uint8_t *s = cur_has(c, 8) ? cur_ptr(c) : NULL;
        if (s && s[0] == 0xaa && s[1] == 0xaa && s[2] == 0x03 &&
            s[3] == 0 && s[4] == 0 && s[5] == 0) {
            cur_skip(c, 6);
            ethertype(d, c, cur_u16be(c));
        } else {
            set_payload(d, c, (uint32_t)cur_left(c));
        }
        return;
    }
    ethertype(d, c, type);
}

/* Linux cooked v1: type(2) hatype(2) halen(2) addr(8) protocol(2). The
 * address is the sender's; the destination MAC is not recorded. */
static void sll(iotap_decoded *d, iotap_cursor *c)
{
    if (!cur_has(c, 16)) {
        d->truncated = true;
        return;
    }
    uint16_t pkttype = cur_u16be(c), hatype = cur_u16be(c), halen = cur_u16be(c);
    const uint8_t *a = cur_take(c, 8);
    uint16_t proto = cur_u16be(c);
    if (halen == 6) {
        memcpy(d->src_mac, a, 6);
        if (pkttype == 1)               /* LINUX_SLL_BROADCAST */
            memset(d->dst_mac, 0xff, 6);
        d->has_mac = true;
    }
    if (hatype == 824)                  /* ARPHRD_NETLINK: not a network frame */
        return;
    ethertype(d, c, proto);
}

/* Linux cooked v2: protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1)
 * halen(1) addr(8). */
static void sll2(iotap_decoded *d, iotap_cursor *c)
{
    if (!cur_has(c, 20)) {
        d->truncated = true;
        return;
    }
    uint16_t proto = cur_u16be(c);
    cur_skip(c, 6);
    uint16_t hatype = cur_u16be(c);
    uint8_t pkttype = cur_u8(c), halen = cur_u8(c);
    const uint8_t *a = cur_take(c, 8);
    if (halen == 6) {
        memcpy(d->src_mac, a, 6);
        if (pkttype == 1)
            memset(d->dst_mac, 0xff, 6);
        d->has_mac = true;
    }
    if (hatype == 824)
        return;
    ethertype(d, c, proto);
}

/* BSD loopback: a 4-byte address family in the capturing host's byte order
 * (NULL) or network order (LOOP); small values tell which. */
static void null_loop(iotap_decoded *d, iotap_cursor *c)
{
    if (!cur_has(c, 4)) {
        d->truncated = true;
        return;
    }
    const uint8_t *b = cur_take(c, 4);
    uint32_t af = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
    if (af > 0xffff)
        af = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    switch (af) {
    case 2:                             /* AF_INET everywhere */
        d->ethertype = 0x0800;
        ipv4(d, c, wire_left(d, c));
        break;
    case 10: case 23: case 24: case 28: case 30:  /* AF_INET6: Linux, Windows, BSDs, Darwin */
        d->ethertype = 0x86dd;
        ipv6(d, c, wire_left(d, c));
        break;
    default:
        set_payload(d, c, (uint32_t)cur_left(c));
        break;
    }
}

/* ARCnet (RFC 1051, RFC 1201; the layout of tcpdump's print-arcnet.c).
 * Addresses are one byte (no MAC: flows have no device MAC). After the
 * source, destination and (Linux only) a 2-byte offset comes the protocol
 * type; the RFC 1051 types (240 IP, 241 ARP) and diagnostics (0x80) are
 * followed by the datagram, the RFC 1201 ones by a split flag and a 2-byte
 * sequence id (BSD: flag 0xff is an exception packet with 4 more bytes).
 * A continuation fragment (even, non-zero flag) carries no header; a
 * first fragment (odd flag) is decoded as far as it goes. */
static void arcnet(iotap_decoded *d, iotap_cursor *c, bool linux_hdr)
{
    size_t pre = linux_hdr ? 4 : 2;
    if (!cur_has(c, pre + 1)) {
        d->truncated = true;
        return;
    }
    cur_skip(c, pre);
    uint8_t type = cur_u8(c);
    if (type != 240 && type != 241 && type != 0x80) {
        if (!cur_has(c, 3)) {
            d->truncated = true;
            return;
        }
        uint8_t flag = cur_u8(c);
        cur_skip(c, 2);
        if (!linux_hdr && flag == 0xff) {
            if (!cur_has(c, 4)) {
                d->truncated = true;
                return;
            }
            cur_skip(c, 1);     /* the real flag and sequence id follow */
            flag = cur_u8(c);
            cur_skip(c, 2);
        }
        if (flag != 0 && (flag & 1) == 0) {
            set_payload(d, c, (uint32_t)cur_left(c));
            return;
        }
    }
    switch (type) {
    case 240:       /* IP, RFC 1051 */
    case 212:       /* IP, RFC 1201 */
        d->ethertype = 0x0800;
        ipv4(d, c, wire_left(d, c));
        break;
    case 0xc4:      /* IPv6 */
        d->ethertype = 0x86dd;
        ipv6(d, c, wire_left(d, c));
        break;
    case 241:       /* ARP, RFC 1051 */
    case 213:       /* ARP, RFC 1201 */
        ethertype(d, c, 0x0806);
        break;
    default:
        set_payload(d, c, (uint32_t)cur_left(c));
        break;
    }
}

/* PPP (RFC 1661/1662): optional address/control ff 03, then a protocol
 * number of one byte (compressed, odd) or two. */
static void ppp(iotap_decoded *d, iotap_cursor *c)
{
    if (cur_has(c, 2) && cur_ptr(c)[0] == 0xff && cur_ptr(c)[1] == 0x03)
        cur_skip(c, 2);
    if (!cur_has(c, 1)) {
        d->truncated = true;
        return;
    }
    uint16_t proto;
    if (cur_ptr(c)[0] & 1) {
        proto = cur_u8(c);
    } else {
        if (!cur_has(c, 2)) {
            d->truncated = true;
            return;
        }
        proto = cur_u16be(c);
    }
    switch (proto) {
    case 0x0021:
        d->ethertype = 0x0800;
        ipv4(d, c, wire_left(d, c));
        break;
    case 0x0057:
        d->ethertype = 0x86dd;
        ipv6(d, c, wire_left(d, c));
        break;
    default:
        set_payload(d, c, (uint32_t)cur_left(c));
        break;
    }
}

/* Cisco HDLC: address(1) control(1) EtherType(2). */
static void c_hdlc(iotap_decoded *d, iotap_cursor *c)
{
    if (!cur_has(c, 4)) {
        d->truncated = true;
        return;
    }
    cur_skip(c, 2);
    ethertype(d, c, cur_u16be(c));
}

/* NFLOG: family(1) version(1) resource id(2), then TLVs whose length and
 * type are in the capturing host's byte order; type 9 holds the packet. */
static void nflog(iotap_decoded *d, iotap_cursor *c)
{
    if (!cur_has(c, 4)) {
        d->truncated = true;
        return;
    }
    uint8_t family = cur_u8(c);
    cur_skip(c, 3);
    for (int n = 0; n < MAX_NFLOG_TLVS; n++) {
        if (!cur_has(c, 4)) {
            if (cur_left(c))
                d->truncated = true;
            return;
        }
        const uint8_t *h = cur_ptr(c);
        uint16_t len = (uint16_t)(h[1] << 8 | h[0]), type = (uint16_t)(h[3] << 8 | h[2]);
        if (type > 0xff) {              /* big-endian host */
            len = (uint16_t)(h[0] << 8 | h[1]);
            type = (uint16_t)(h[2] << 8 | h[3]);
        }
        if (len < 4) {
            d->error = "NFLOG TLV length < 4";
            return;
        }
        if ((type & 0x7fff) == 9) {     /* NFULA_PAYLOAD */
            cur_skip(c, 4);
            size_t vlen = len - 4U;
            size_t have = cur_left(c) < vlen ? cur_left(c) : vlen;
            iotap_cursor sub = cur_make(here(c), have);
            if (family == 2)
                ipv4(d, &sub, vlen);
            else if (family == 10)
                ipv6(d, &sub, vlen);
            else
                ip_by_version(d, &sub, vlen);
            return;
        }
        size_t step = ((size_t)len + 3) & ~(size_t)3;
        if (!cur_skip(c, step)) {
            d->truncated = true;
            return;
        }
    }
}

bool iotap_linktype_supported(int linktype)
{
    switch (linktype) {
    case IOTAP_LINK_NULL:
    case IOTAP_LINK_ETHERNET:
    case IOTAP_LINK_RAW:
    case LINK_RAW_BSD1:
    case LINK_RAW_BSD2:
    case LINK_LOOP:
    case IOTAP_LINK_LINUX_SLL:
    case IOTAP_LINK_IPV4:
    case IOTAP_LINK_IPV6:
    case LINK_NFLOG:
    case IOTAP_LINK_LINUX_SLL2:
    case LINK_PPP:
    case LINK_PPP_HDLC:
    case LINK_C_HDLC:
    case LINK_ARCNET_BSD:
    case LINK_ARCNET_LINUX:
        return true;
    default:
        return false;
    }
}

int iotap_decode(const iotap_packet *pkt, iotap_decoded *d)
{
    memset(d, 0, sizeof *d);
    d->pkt = pkt;
    d->payload = empty;
    iotap_cursor c = cur_make(pkt->data, pkt->caplen);
    switch (pkt->linktype) {
    case IOTAP_LINK_ETHERNET:
        ethernet(d, &c);
        break;
    case IOTAP_LINK_LINUX_SLL:
        sll(d, &c);
        break;
    case IOTAP_LINK_LINUX_SLL2:
        sll2(d, &c);
        break;
    case IOTAP_LINK_RAW:
    case LINK_RAW_BSD1:
    case LINK_RAW_BSD2:
        ip_by_version(d, &c, wire_left(d, &c));
        break;
    case IOTAP_LINK_IPV4:
        d->ethertype = 0x0800;
        ipv4(d, &c, wire_left(d, &c));
        break;
    case IOTAP_LINK_IPV6:
        d->ethertype = 0x86dd;
        ipv6(d, &c, wire_left(d, &c));
        break;
    case IOTAP_LINK_NULL:
    case LINK_LOOP:
        null_loop(d, &c);
        break;
    case LINK_NFLOG:
        nflog(d, &c);
        break;
    case LINK_PPP:
    case LINK_PPP_HDLC:
        ppp(d, &c);
        break;
    case LINK_C_HDLC:
        c_hdlc(d, &c);
        break;
    case LINK_ARCNET_BSD:
    case LINK_ARCNET_LINUX:
        arcnet(d, &c, pkt->linktype == LINK_ARCNET_LINUX);
        break;
    default:
        return -1;
    }
    return 0;
}
