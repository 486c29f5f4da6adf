/*
 * zeek_tcp.h - Zeek's TCP endpoint states and conn_state (conn.log's
 * conn_state column: S0, S1, SF, REJ, RSTO, RSTOS0, SH, OTH ...) for one
 * connection, fed its packets' flags in order. The flow table keeps one per
 * TCP flow (flow.c).
 *
 * Directions are the flow's (0 and 1); orig is the direction of Zeek's
 * originator: the sender of the first packet, or its receiver when that
 * packet is a SYN-ACK.
 */
#ifndef IOTAP_ZEEK_TCP_H
#define IOTAP_ZEEK_TCP_H
#include <stdint.h>

typedef struct iotap_zeek_tcp {
    uint8_t ep[2], ep_prev[2];  /* endpoint state by direction */
    uint8_t hist;               /* history bits for RSTOS0 */
} iotap_zeek_tcp;               /* all zero: a connection not seen yet */

/* The connection's first packet had TCP flags fl (before any update). */
void iotap_zeek_tcp_first(iotap_zeek_tcp *z, uint8_t fl);
/* A packet with flags fl and len payload bytes went in direction dir. */
void iotap_zeek_tcp_update(iotap_zeek_tcp *z, int dir, int orig, uint8_t fl, uint32_t len);
/* Zeek's conn_state; payload: payload bytes sent by direction. */
const char *iotap_zeek_tcp_conn_state(const iotap_zeek_tcp *z, int orig,
                                      const uint64_t payload[2]);

#endif
