/*
 * bpf.c - BPF filter expressions: start-up validation and link types.
 */
#include "bpf.h"

#include <pcap/pcap.h>
#include <stdio.h>

#include "capture.h"

int iotap_linktype_to_dlt(int linktype)
{
    switch (linktype) {
    case IOTAP_LINK_RAW: return DLT_RAW;
    case 100: return DLT_ATM_RFC1483;
    default: return linktype;
    }
}

int iotap_dlt_to_linktype(int dlt)
{
    /* DLT_RAW is 12 on Linux and most BSDs, 14 on OpenBSD; libpcap hands
     * pcapng's LINKTYPE_RAW (101) back as DLT_RAW. */
    switch (dlt) {
    case 12: case 14: return IOTAP_LINK_RAW;
    case DLT_ATM_RFC1483: return 100;
    default: return dlt;
    }
}

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

int iotap_bpf_check(const char *expr, char *err, size_t errlen)
{
    static const int dlts[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
                               DLT_IEEE802_11_RADIO, DLT_NULL};
    if (errlen)
        err[0] = '\0';
    for (size_t i = 0; i < sizeof dlts / sizeof dlts[0]; i++) {
        pcap_t *dead = pcap_open_dead(dlts[i], 262144);
        if (!dead)
            continue;
        struct bpf_program prog;
        int rc = pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN);
        if (rc == 0) {
            pcap_freecode(&prog);
            pcap_close(dead);
            return 0;
        }
        if (i == 0 && errlen)
            snprintf(err, errlen, "%s", pcap_geterr(dead));
        pcap_close(dead);
    }
    if (errlen && !err[0])
        snprintf(err, errlen, "cannot compile the expression");
    return -1;
}
