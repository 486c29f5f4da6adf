/*
 * dns.h - DNS messages (RFC 1035, AAAA from RFC 3596) as far as naming
 * needs them: the header, the questions, and the answer section's A, AAAA
 * and CNAME records. Other record types in the answer section are counted
 * and skipped; the authority and additional sections are not read.
 *
 * Names come out lower-case (DNS 0x20 randomization is undone), dotted,
 * without the trailing dot ("" for the root). A byte outside printable
 * ASCII, or a '.' or '\' inside a label, is written as \DDD (RFC 4343
 * style) so a name never carries control characters into a CSV file.
 *
 * Hostile input: compression pointers are followed at most
 * IOTAP_DNS_MAX_HOPS times and only backwards (a loop cannot run forever),
 * names longer than 255 octets on the wire are rejected, label types 01 and
 * 10 (RFC 6891 extended labels) are rejected, and at most IOTAP_DNS_MAX_QD
 * questions and IOTAP_DNS_MAX_AN answers are kept. A malformed message gives
 * a static error string; everything parsed before the damage stays in *m.
 *
 *   iotap_dns_msg *m = xmalloc(sizeof *m);      // ~38 KiB; reuse it
 *   const char *err = iotap_dns_parse(udp_payload, len, m);
 *   if (err) iotap_warn("%s: DNS: %s (packet %llu)", file, err, n);
 *   if (m->qr) ... m->q[0].name, m->an[i] ...
 */
#ifndef IOTAP_PROTO_DNS_H
#define IOTAP_PROTO_DNS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "addr.h"

#define IOTAP_DNS_NAME_BUFSZ 256   /* escaped names longer than 255 are rejected */
#define IOTAP_DNS_MAX_QD 4
#define IOTAP_DNS_MAX_AN 64
#define IOTAP_DNS_MAX_HOPS 64      /* compression pointers followed per name */

#define IOTAP_DNS_A     1
#define IOTAP_DNS_CNAME 5
#define IOTAP_DNS_AAAA  28

typedef struct iotap_dns_question {
    char name[IOTAP_DNS_NAME_BUFSZ];
    uint16_t type, cls;
} iotap_dns_question;

typedef struct iotap_dns_rr {
    char name[IOTAP_DNS_NAME_BUFSZ];    /* owner name */
    uint16_t type, cls;                 /* cls without the mDNS cache-flush bit */
    uint32_t ttl;
    iotap_addr addr;                    /* A, AAAA */
    char target[IOTAP_DNS_NAME_BUFSZ];  /* CNAME */
} iotap_dns_rr;

typedef struct iotap_dns_msg {
    uint16_t id;
    bool qr;                    /* response */
    uint8_t opcode, rcode;
    bool aa, tc, rd, ra;
    uint16_t qdcount, ancount, nscount, arcount;  /* as the header says */
    size_t nq;                  /* questions kept (<= IOTAP_DNS_MAX_QD) */
    iotap_dns_question q[IOTAP_DNS_MAX_QD];
    size_t nan;                 /* A/AAAA/CNAME answers kept */
    iotap_dns_rr an[IOTAP_DNS_MAX_AN];
    uint32_t other_answers;     /* answers of other types, skipped */
    uint32_t dropped;           /* questions/answers beyond the caps */
} iotap_dns_msg;

/* Parses one DNS message (a UDP payload). Returns NULL, or a static string
 * saying what was malformed; *m always holds what was parsed before. */
const char *iotap_dns_parse(const uint8_t *p, size_t len, iotap_dns_msg *m);

/* DNS over TCP (RFC 1035 4.2.2): one message behind a 2-byte length. The
 * caller gives the bytes starting at the length field. */
const char *iotap_dns_parse_tcp(const uint8_t *p, size_t len, iotap_dns_msg *m);

/* "A", "AAAA", "CNAME", "HTTPS", ... or NULL for a type without a name here. */
const char *iotap_dns_type_name(uint16_t type);
#endif
