/*
 * rquic.c - see rquic.h. Until lib/proto/quic is available this only
 * recognises the Initial (RFC 9000 section 17.2.2) and reports no name, so
 * QUIC flows fall back to DNS naming.
 */
#include "report/rquic.h"
#include <stdlib.h>
#include "cursor.h"

bool rquic_is_initial(const uint8_t *p, size_t len)
{
    iotap_cursor c = cur_make(p, len);
    uint8_t b = cur_u8(&c);
    uint32_t v = cur_u32be(&c);
    return !c.err && (b & 0xf0) == 0xc0 && v == 1;
}

int rquic_packet(void **state, const uint8_t *p, size_t len, char *sni, size_t snisz)
{
    (void)state;
    (void)p;
    (void)len;
    if (snisz)
        sni[0] = 0;
    return RQUIC_FAIL;
}

void rquic_free(void **state)
{
    free(*state);
    *state = NULL;
}
