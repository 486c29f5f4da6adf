/*
 * bench-read - the capture-reading benchmark behind `make bench`: reads the
 * inputs through the capture reader, decodes every packet and (with -f)
 * feeds the flow table, then prints one line of counts and throughput.
 * It measures exactly the work every analyzer does before its own.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "decode.h"
#include "flow.h"
#include "util.h"

static uint64_t closed_flows;
static void on_close(iotap_flow *f, void *ctx)
{
    (void)f;
    (void)ctx;
    closed_flows++;
}

int main(int argc, char **argv)
{
    iotap_set_progname(argv[0]);
    int with_flows = 0, first = 1;
    if (argc > 1 && strcmp(argv[1], "-f") == 0) {
        with_flows = 1;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: bench-read [-f] input...\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    iotap_reader *r = iotap_reader_open((const char *const *)argv + first, (size_t)(argc - first));
    iotap_lan *lan = iotap_lan_new();
    iotap_flow_config fc;
    iotap_flow_config_default(&fc);
    iotap_flow_table *ft = with_flows ? iotap_flows_new(&fc, lan, on_close, NULL) : NULL;
    iotap_packet p;
    iotap_decoded d;
    uint64_t pkts = 0, bytes = 0, ip = 0;
    while (iotap_reader_next(r, &p)) {
        pkts++;
        bytes += p.caplen;
        if (iotap_decode(&p, &d) == 0 && d.ip_ver)
            ip++;
        if (ft) {
            int dir;
            iotap_flows_packet(ft, &d, &dir);
        }
    }
    if (ft) {
        iotap_flows_finish(ft);
        iotap_flows_free(ft);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("packets=%llu ip=%llu captured_bytes=%llu flows=%llu seconds=%.3f MB/s=%.1f\n",
           (unsigned long long)pkts, (unsigned long long)ip, (unsigned long long)bytes,
           (unsigned long long)closed_flows, s, s > 0 ? (double)bytes / 1e6 / s : 0.0);
    unsigned damaged = iotap_reader_damaged(r);
    iotap_reader_close(r);
    iotap_lan_free(lan);
    return damaged ? 1 : 0;
}
