/*
 * rquic.h - the QUIC hook of the reports: is a UDP payload a QUIC client
 * Initial (v1 or v2), and what SNI does its ClientHello carry. The RFC
 * 9001 decryption itself is lib/proto/quic; this adapts it to a void*
 * slot in the flow state.
 */
#ifndef IOTAP_REPORT_RQUIC_H
#define IOTAP_REPORT_RQUIC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { RQUIC_MORE = 0, RQUIC_DONE = 1, RQUIC_FAIL = -1 };
/* Long header, packet type Initial, a known version. */
bool rquic_is_initial(const uint8_t *p, size_t len);
/* Feeds one client datagram; *state is the caller's (NULL at first).
 * RQUIC_DONE with sni ("" when none), RQUIC_MORE, or RQUIC_FAIL. */
int rquic_packet(void **state, const uint8_t *p, size_t len, char *sni, size_t snisz);
void rquic_free(void **state);
#endif
