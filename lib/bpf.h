/*
 * bpf.h - BPF filter expressions (pcap-filter(7)) for the analyzers.
 */
#ifndef IOTAP_BPF_H
#define IOTAP_BPF_H

#include <stddef.h>

/* libpcap's API takes DLT_ values; pcap files hold LINKTYPE_ values. They
 * are equal except for a few historical ones (raw IP, ATM RFC 1483). */
int iotap_linktype_to_dlt(int linktype);
/* The other way: what libpcap's pcap_datalink() says -> the LINKTYPE_ value
 * a pcap file holds (so pcapng raw IP is written back as 101, not 12). */
int iotap_dlt_to_linktype(int dlt);

/* Checks EXPR before any packet (and so the input's link type) is known:
 * 0 if it compiles for at least one link type a capture of a home is likely
 * to have (Ethernet, Linux cooked v1/v2, raw IP, 802.11 radiotap, BSD
 * loopback), else -1 with libpcap's message for Ethernet in ERR. A filter
 * that passes may still not apply to a given input's link type; the caller
 * compiles it again for that. */
int iotap_bpf_check(const char *expr, char *err, size_t errlen);

#endif
