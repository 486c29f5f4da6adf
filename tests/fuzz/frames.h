/*
 * frames.h - the frame sequence that fuzz-decode, fuzz-session and
 * fuzz-report turn their input into:
 *   [link selector u8][time step u8][length u16 BE][bytes] ...
 * The selector's low nibble picks the link type from the target's list and
 * its high nibble adds to the wire length; the time step moves the clock
 * by 0-127 ms-ish units (high bit: seconds). Each frame's bytes are copied
 * into a buffer of exactly their length, so a read past caplen is caught.
 *
 *   fz_frames fr = fz_frames_make(&in, links, nlinks);
 *   iotap_packet p;
 *   while (fz_next_frame(&fr, &p)) { ... }     // frees the last copy at the end
 */
#ifndef IOTAP_FUZZ_FRAMES_H
#define IOTAP_FUZZ_FRAMES_H
#include <stdbool.h>
#include "fuzz.h"
#include "capture.h"
#include "util.h"

typedef struct fz_frames {
    fz *in;
    const int *links;
    size_t nlinks;
    int64_t ts;
    uint64_t num;
    uint8_t *copy;      /* the current frame's bytes (p.data), or NULL */
} fz_frames;

static inline fz_frames fz_frames_make(fz *in, const int *links, size_t nlinks)
{
    fz_frames fr = { in, links, nlinks, 1700000000 * IOTAP_NS_PER_SEC, 0, NULL };
    return fr;
}

/* The next frame as a packet, or false at the end of the input. */
static inline bool fz_next_frame(fz_frames *fr, iotap_packet *p)
{
    free(fr->copy);
    fr->copy = NULL;
    if (fz_left(fr->in) < 4)
        return false;
    uint8_t sel = fz_u8(fr->in), step = fz_u8(fr->in);
    size_t want = fz_u16(fr->in), got;
    const uint8_t *bytes = fz_bytes(fr->in, want, &got);
    fr->copy = malloc(got ? got : 1);
    if (!fr->copy)
        abort();
    if (got)
        memcpy(fr->copy, bytes, got);
    fr->ts += (int64_t)(step & 0x7f) * (step & 0x80 ? IOTAP_NS_PER_SEC : 1000);
    memset(p, 0, sizeof *p);
    p->ts_ns = fr->ts;
    p->caplen = (uint32_t)got;
    p->len = (uint32_t)got + (sel >> 4);
    p->linktype = fr->links[(sel & 0x0f) % fr->nlinks];
    p->snaplen = 262144;
    p->data = got ? fr->copy : NULL;
    p->num = ++fr->num;
    p->input = "fuzz";
    p->input_num = fr->num;
    return true;
}
#endif
