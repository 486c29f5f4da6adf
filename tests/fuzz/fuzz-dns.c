/*
 * fuzz-dns.c - the DNS message parser (lib/proto/dns.c), over UDP and TCP
 * framing. Names that come out must be short, printable and lower-case,
 * as dns.h promises (they go into CSV files).
 */
#include "fuzz.h"
#include "proto/dns.h"

static void check_name(const char *s)
{
    size_t n = strnlen(s, IOTAP_DNS_NAME_BUFSZ);
    if (n >= IOTAP_DNS_NAME_BUFSZ)
        abort();
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x21 || s[i] > 0x7e || (s[i] >= 'A' && s[i] <= 'Z'))
            abort();
}

static void check(const iotap_dns_msg *m)
{
    if (m->nq > IOTAP_DNS_MAX_QD || m->nan > IOTAP_DNS_MAX_AN)
        abort();
    for (size_t i = 0; i < m->nq; i++)
        check_name(m->q[i].name);
    for (size_t i = 0; i < m->nan; i++) {
        check_name(m->an[i].name);
        if (m->an[i].type == IOTAP_DNS_CNAME)
            check_name(m->an[i].target);
        (void)iotap_dns_type_name(m->an[i].type);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static iotap_dns_msg m;
    (void)iotap_dns_parse(data, size, &m);
    check(&m);
    (void)iotap_dns_parse_tcp(data, size, &m);
    check(&m);
    return 0;
}
