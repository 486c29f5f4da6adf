/*
 * dns.c - DNS message parser (RFC 1035 sections 4.1.1-4.1.4, RFC 3596 for
 * AAAA, RFC 4343 for escaping). See dns.h for what is kept. Every read goes
 * through a bounded cursor; compression pointers may only point backwards
 * and are followed at most IOTAP_DNS_MAX_HOPS times.
 */
#include "proto/dns.h"

#include <string.h>

#include "cursor.h"

/* Appends one wire byte to a dotted name, escaping what is not a plain
 * printable label character. Returns false when the name would not fit. */
static bool put_byte(char *out, size_t *n, uint8_t b)
{
    if (b >= 'A' && b <= 'Z')
        b = (uint8_t)(b - 'A' + 'a');
    if (b > 0x20 && b < 0x7f && b != '.' && b != '\\') {
        if (*n + 1 >= IOTAP_DNS_NAME_BUFSZ)
            return false;
        out[(*n)++] = (char)b;
        return true;
    }
    if (*n + 4 >= IOTAP_DNS_NAME_BUFSZ)
        return false;
    out[(*n)++] = '\\';
    out[(*n)++] = (char)('0' + b / 100);
    out[(*n)++] = (char)('0' + b / 10 % 10);
    out[(*n)++] = (char)('0' + b % 10);
    return true;
}

/* Reads a possibly compressed name at c (advancing c past its in-place
 * part) from the message msg[0..len). */
static const char *read_name(const uint8_t *msg, size_t len, iotap_cursor *c, char *out)
{
    size_t n = 0, wire = 0;
    unsigned hops = 0;
    iotap_cursor at = *c;       /* where we read labels now */
    bool jumped = false;
    size_t limit = at.off;      /* a pointer must point before this */
    out[0] = '\0';
    for (;;) {
        size_t label_off = at.off;
        uint8_t l = cur_u8(&at);
        if (at.err)
            return "name runs past the end of the message";
        if ((l & 0xc0) == 0xc0) {
            uint8_t lo = cur_u8(&at);
            if (at.err)
                return "name runs past the end of the message";
            size_t target = (size_t)(l & 0x3f) << 8 | lo;
            if (!jumped) {
                c->off = at.off;
                jumped = true;
            }
            if (++hops > IOTAP_DNS_MAX_HOPS)
                return "too many compression pointers";
            if (target >= label_off || target >= limit)
                return "compression pointer does not point backwards";
            limit = target;
            at = cur_make(msg, len);
            at.off = target;
            continue;
        }
        if (l & 0xc0)
            return "unsupported label type";
        wire += 1u + l;
        if (wire > 255)
            return "name longer than 255 octets";
        if (l == 0)
            break;
        const uint8_t *lab = cur_take(&at, l);
        if (!lab)
            return "label runs past the end of the message";
        if (n > 0) {
            if (n + 1 >= IOTAP_DNS_NAME_BUFSZ)
                return "name too long";
            out[n++] = '.';
        }
        for (size_t i = 0; i < l; i++)
            if (!put_byte(out, &n, lab[i]))
                return "name too long once escaped";
    }
    out[n] = '\0';
    if (!jumped)
        c->off = at.off;
    return NULL;
}

static const char *parse(iotap_cursor *c, const uint8_t *msg, size_t len, iotap_dns_msg *m)
{
    m->id = cur_u16be(c);
    uint16_t fl = cur_u16be(c);
    m->qdcount = cur_u16be(c);
    m->ancount = cur_u16be(c);
    m->nscount = cur_u16be(c);
    m->arcount = cur_u16be(c);
    if (c->err)
        return "message shorter than the DNS header";
    m->qr = fl >> 15;
    m->opcode = fl >> 11 & 0xf;
    m->aa = fl >> 10 & 1;
    m->tc = fl >> 9 & 1;
    m->rd = fl >> 8 & 1;
    m->ra = fl >> 7 & 1;
    m->rcode = fl & 0xf;

    for (unsigned i = 0; i < m->qdcount; i++) {
        char name[IOTAP_DNS_NAME_BUFSZ];
        const char *err = read_name(msg, len, c, name);
        if (err)
            return err;
        uint16_t type = cur_u16be(c), cls = cur_u16be(c);
        if (c->err)
            return "question runs past the end of the message";
        if (m->nq < IOTAP_DNS_MAX_QD) {
            iotap_dns_question *q = &m->q[m->nq++];
            memcpy(q->name, name, sizeof name);
            q->type = type;
            q->cls = cls & 0x7fff;      /* mDNS unicast-response bit */
        } else {
            m->dropped++;
        }
    }
    for (unsigned i = 0; i < m->ancount; i++) {
        char name[IOTAP_DNS_NAME_BUFSZ];
        const char *err = read_name(msg, len, c, name);
        if (err)
            return err;
        uint16_t type = cur_u16be(c), cls = cur_u16be(c);
        uint32_t ttl = cur_u32be(c);
        uint16_t rdlen = cur_u16be(c);
        iotap_cursor rd = cur_sub(c, rdlen);
        if (c->err)
            return "answer runs past the end of the message";
        if (type != IOTAP_DNS_A && type != IOTAP_DNS_AAAA && type != IOTAP_DNS_CNAME) {
            m->other_answers++;
            continue;
        }
        if (m->nan >= IOTAP_DNS_MAX_AN) {
            m->dropped++;
            continue;
        }
        iotap_dns_rr *r = &m->an[m->nan];
        memset(r, 0, sizeof *r);
        memcpy(r->name, name, sizeof name);
        r->type = type;
        r->cls = cls & 0x7fff;          /* mDNS cache-flush bit */
        r->ttl = ttl;
        if (type == IOTAP_DNS_A) {
            if (rdlen != 4)
                return "A record with RDLENGTH other than 4";
            r->addr.family = 4;
            memcpy(r->addr.a, cur_take(&rd, 4), 4);
        } else if (type == IOTAP_DNS_AAAA) {
            if (rdlen != 16)
                return "AAAA record with RDLENGTH other than 16";
            r->addr.family = 6;
            memcpy(r->addr.a, cur_take(&rd, 16), 16);
        } else {
            /* The CNAME target may point anywhere earlier in the message,
             * so read it with a message-wide cursor placed at the RDATA. */
            iotap_cursor t = cur_make(msg, len);
            t.off = (size_t)(rd.p - msg);
            err = read_name(msg, len, &t, r->target);
            if (err)
                return err;
            if (t.off > (size_t)(rd.p - msg) + rdlen)
                return "CNAME target runs past its RDLENGTH";
        }
        m->nan++;
    }
    return NULL;
}

const char *iotap_dns_parse(const uint8_t *p, size_t len, iotap_dns_msg *m)
{
    m->nq = m->nan = 0;
    m->other_answers = m->dropped = 0;
    m->qr = false;
    m->qdcount = m->ancount = m->nscount = m->arcount = 0;
    iotap_cursor c = cur_make(p, len);
    return parse(&c, p, len, m);
}

const char *iotap_dns_parse_tcp(const uint8_t *p, size_t len, iotap_dns_msg *m)
{
    iotap_cursor c = cur_make(p, len);
    uint16_t n = cur_u16be(&c);
    const uint8_t *body = cur_take(&c, n);
    if (!body) {
        iotap_dns_parse(NULL, 0, m);
        return "DNS over TCP message shorter than its length field";
    }
    return iotap_dns_parse(body, n, m);
}

const char *iotap_dns_type_name(uint16_t type)
{
    switch (type) {
    case 1: return "A";
    case 2: return "NS";
    case 5: return "CNAME";
    case 6: return "SOA";
    case 12: return "PTR";
    case 15: return "MX";
    case 16: return "TXT";
    case 28: return "AAAA";
    case 33: return "SRV";
    case 41: return "OPT";
    case 64: return "SVCB";
    case 65: return "HTTPS";
    case 255: return "ANY";
    default: return NULL;
    }
}
