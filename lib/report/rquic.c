/*
 * rquic.c - see rquic.h: adapts lib/proto/quic (RFC 9001 Initial
 * decryption, CRYPTO reassembly, ClientHello) to the reports' flow state.
 */
#include "report/rquic.h"
#include <stdio.h>
#include <stdlib.h>
#include "proto/quic.h"

bool rquic_is_initial(const uint8_t *p, size_t len)
{
    return iotap_quic_is_initial(p, len);
}

int rquic_packet(void **state, const uint8_t *p, size_t len, char *sni, size_t snisz)
{
    if (snisz)
        sni[0] = 0;
    if (!*state)
        *state = iotap_quic_new();
    if (iotap_quic_datagram(*state, p, len, NULL) != IOTAP_QUIC_DONE)
        return RQUIC_MORE;
    const iotap_tls_hello *h = iotap_quic_hello(*state);
    if (snisz)
        snprintf(sni, snisz, "%s", h->sni);
    return RQUIC_DONE;
}

void rquic_free(void **state)
{
    iotap_quic_free(*state);
    *state = NULL;
}
