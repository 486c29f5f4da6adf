/*
 * slice.c - encrypted-payload slicing (placeholder: keeps every packet whole
 * until the TLS/QUIC tracker lands).
 */
#include <stdlib.h>

#include "recint.h"
#include "util.h"

struct iotap_slicer {
    uint32_t keep;
};

iotap_slicer *iotap_slicer_new(uint32_t keep)
{
    iotap_slicer *s = xcalloc(1, sizeof *s);
    s->keep = keep;
    return s;
}

uint32_t iotap_slicer_caplen(iotap_slicer *s, int linktype, const uint8_t *data, uint32_t caplen)
{
    (void)s;
    (void)linktype;
    (void)data;
    return caplen;
}

void iotap_slicer_free(iotap_slicer *s)
{
    free(s);
}
