/*
 * rquic.h - the QUIC hook of the reports: is a UDP payload a QUIC v1
 * client Initial, and what SNI does its ClientHello carry. The RFC 9001
 * decryption itself belongs to lib/proto/quic; this file adapts it (and
 * says "no name" while that parser is not there).
 */
#ifndef IOTAP_REPORT_RQUIC_H
#define IOTAP_REPORT_RQUIC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { RQUIC_MORE = 0, RQUIC_DONE = 1, RQUIC_FAIL = -1 };
/* Long header, fixed bit, packet type Initial, version 1. */
bool rquic_is_initial(const uint8_t *p, size_t len);
/* Feeds one client datagram; *state is the caller's (NULL at first).
 * RQUIC_DONE with sni ("" when none), RQUIC_MORE, or RQUIC_FAIL. */
int rquic_packet(void **state, const uint8_t *p, size_t len, char *sni, size_t snisz);
void rquic_free(void **state);
#endif
