/*
 * test-proto-corpus.c - robustness: every packet of every capture in the
 * corpus (crafted and malformed ones included) goes through every parser
 * of the traffic reports (DNS, DHCP, TLS, HTTP head, QUIC, the per-flow
 * hello and QUIC collectors, the name cache and naming). Nothing may crash,
 * hang or leak (run it under ASan+UBSan); the counts printed show the
 * parsers really saw traffic.
 */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "decode.h"
#include "hello.h"
#include "names.h"
#include "naming.h"
#include "proto/dhcp.h"
#include "proto/dns.h"
#include "proto/quic.h"
#include "proto/tls.h"
#include "test.h"
#include "util.h"

#define NSLOT 4096

typedef struct slot {
    bool used, done;
    uint8_t proto;
    iotap_addr src, dst;
    uint16_t sport, dport;
    iotap_hello *h;
    iotap_quic *q;
} slot;

static slot slots[NSLOT];
static unsigned long n_dns, n_dns_bad, n_dhcp, n_tls, n_quic, n_named, n_pkts;

static slot *find(const iotap_decoded *d)
{
    uint64_t h = 1469598103934665603ULL;
    const uint8_t *parts[4] = {d->src.a, d->dst.a, (const uint8_t *)&d->sport, (const uint8_t *)&d->dport};
    size_t lens[4] = {16, 16, 2, 2};
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < lens[k]; i++)
            h = (h ^ parts[k][i]) * 1099511628211ULL;
    slot *s = &slots[(h ^ d->proto) % NSLOT];
    if (s->used && (s->proto != d->proto || s->sport != d->sport || s->dport != d->dport ||
                    memcmp(&s->src, &d->src, sizeof d->src) || memcmp(&s->dst, &d->dst, sizeof d->dst))) {
        iotap_hello_free(s->h);     /* collision: the old flow is dropped */
        iotap_quic_free(s->q);
        memset(s, 0, sizeof *s);
    }
    if (!s->used) {
        s->used = true;
        s->proto = d->proto;
        s->src = d->src;
        s->dst = d->dst;
        s->sport = d->sport;
        s->dport = d->dport;
    }
    return s;
}

static void clear_slots(void)
{
    for (size_t i = 0; i < NSLOT; i++) {
        iotap_hello_free(slots[i].h);
        iotap_quic_free(slots[i].q);
        memset(&slots[i], 0, sizeof slots[i]);
    }
}

static iotap_dns_msg msg;

static void one_file(const char *path, iotap_names *names)
{
    const char *in[1] = { path };
    iotap_reader *r = iotap_reader_open(in, 1);
    iotap_packet p;
    while (iotap_reader_next(r, &p)) {
        iotap_decoded d;
        n_pkts++;
        if (iotap_decode(&p, &d) != 0 || !d.has_l4 || (d.frag && !d.frag_first))
            continue;
        const uint8_t *pl = d.payload;
        size_t len = d.payload_caplen;
        const char *err = NULL;
        if (d.proto == 17) {
            if (d.sport == 53 || d.dport == 53 || d.sport == 5353 || d.dport == 5353) {
                err = iotap_dns_parse(pl, len, &msg);
                n_dns++;
                n_dns_bad += err != NULL;
                iotap_names_add_dns(names, d.has_mac ? d.dst_mac : NULL, p.ts_ns, &msg);
            }
            if (d.sport == 67 || d.dport == 67) {
                iotap_dhcp dh;
                n_dhcp += iotap_dhcp_parse(pl, len, &dh) == NULL;
            }
            slot *s = find(&d);
            if (!s->done && !s->q && iotap_quic_is_initial(pl, len))
                s->q = iotap_quic_new();
            if (s->q && !s->done && iotap_quic_datagram(s->q, pl, len, &err) == IOTAP_QUIC_DONE) {
                s->done = true;
                n_quic += iotap_quic_hello(s->q)->sni[0] != 0;
                iotap_quic_free(s->q);
                s->q = NULL;
            }
        } else if (d.proto == 6) {
            iotap_tls_hello th;
            iotap_tls_client_stream(pl, len, &th, &err);
            iotap_dns_parse_tcp(pl, len, &msg);
            slot *s = find(&d);
            if (s->done)
                continue;
            if (!s->h)
                s->h = iotap_hello_new(0);
            iotap_hello_info info;
            if (iotap_hello_segment(s->h, d.tcp_flags, d.tcp_seq, pl, len, &info) == IOTAP_HELLO_DONE) {
                s->done = true;
                n_tls += info.kind == IOTAP_HELLO_TLS && info.tls.sni[0];
                iotap_flow_hints hints = { info.tls.sni, NULL, info.http_host };
                char name[IOTAP_NAMING_BUFSZ];
                n_named += iotap_naming_choose(names, d.has_mac ? d.src_mac : NULL, &d.dst, p.ts_ns,
                                               &hints, name) != IOTAP_NAME_NONE;
                iotap_hello_free(s->h);
                s->h = NULL;
            }
        }
    }
    iotap_reader_close(r);
    clear_slots();
}

int main(void)
{
    iotap_set_progname("test-proto-corpus");
    const char *corpus = test_corpus();
    if (!corpus) {
        printf("no corpus (../shared/corpus)\n");
        return 77;
    }
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "find '%s' -type f \\( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' "
             "-o -name '*.pcap.gz' -o -name '*.pcap.zst' \\) | sort", corpus);
    FILE *f = popen(cmd, "r");
    CHECK(f != NULL);
    if (!f)
        return TEST_DONE();
    iotap_names *names = iotap_names_new(16);       /* small: exercise eviction */
    char line[2048];
    unsigned files = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        one_file(line, names);
        files++;
    }
    pclose(f);
    iotap_names_stats st;
    iotap_names_get_stats(names, &st);
    iotap_names_free(names);
    fprintf(stderr, "%u files, %lu packets; DNS %lu (%lu malformed), DHCP %lu, TLS SNI %lu, "
            "QUIC SNI %lu, named TCP flows %lu; names %llu answers, %llu evicted\n",
            files, n_pkts, n_dns, n_dns_bad, n_dhcp, n_tls, n_quic, n_named,
            (unsigned long long)st.answers, (unsigned long long)st.evicted);
    CHECK(files > 500);
    CHECK(n_dns > 100 && n_dhcp > 50 && n_tls >= 9 && n_quic >= 10);
    CHECK(st.evicted > 0);
    return TEST_DONE();
}
