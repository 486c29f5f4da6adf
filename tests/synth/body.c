/*
 * body.c - growable byte buffers (dyn) and the deterministic "files" the
 * devices move over HTTP: a real PNG (zlib-compressed IDAT, CRCs) and a
 * baseline JPEG (an 8x8 flat block, padded to the wanted size with COM
 * segments) so that exported objects open as images.
 */
#include "synth.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

void dyn_put(dyn *d, const void *p, size_t n)
{
    if (d->n + n > d->cap) {
        while (d->n + n > d->cap)
            d->cap = d->cap ? d->cap * 2 : 1024;
        d->p = xrealloc(d->p, d->cap);
    }
    if (n)
        memcpy(d->p + d->n, p, n);
    d->n += n;
}

void dyn_u8(dyn *d, unsigned v) { uint8_t b = (uint8_t)v; dyn_put(d, &b, 1); }
void dyn_u16(dyn *d, unsigned v) { dyn_u8(d, v >> 8); dyn_u8(d, v); }
void dyn_u24(dyn *d, unsigned v) { dyn_u8(d, v >> 16); dyn_u16(d, v & 0xffff); }
void dyn_u32(dyn *d, uint32_t v) { dyn_u16(d, v >> 16); dyn_u16(d, v & 0xffff); }
void dyn_free(dyn *d) { free(d->p); memset(d, 0, sizeof *d); }

static void png_chunk(dyn *d, const char *type, const uint8_t *p, size_t n)
{
    dyn_u32(d, (uint32_t)n);
    size_t at = d->n;
    dyn_put(d, type, 4);
    dyn_put(d, p, n);
    dyn_u32(d, (uint32_t)crc32(0, d->p + at, (uInt)(n + 4)));
}

/* An RGB image of noisy gradients (noise keeps it from compressing to nothing). */
void body_png(dyn *d, srng *r, int w, int h)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    dyn_put(d, sig, 8);
    uint8_t ihdr[13] = {0};
    for (int i = 0; i < 4; i++) {
        ihdr[i] = (uint8_t)((unsigned)w >> (24 - 8 * i));
        ihdr[4 + i] = (uint8_t)((unsigned)h >> (24 - 8 * i));
    }
    ihdr[8] = 8; ihdr[9] = 2;
    png_chunk(d, "IHDR", ihdr, sizeof ihdr);
    size_t rawn = (size_t)h * (1 + 3 * (size_t)w);
    uint8_t *raw = xmalloc(rawn), *p = raw;
    for (int y = 0; y < h; y++) {
        *p++ = 0;
        for (int x = 0; x < w; x++) {
            uint8_t n = (uint8_t)rng_below(r, 48);
            *p++ = (uint8_t)(x * 255 / w) ^ n;
            *p++ = (uint8_t)(y * 255 / h) ^ n;
            *p++ = (uint8_t)(128 + n);
        }
    }
    uLongf zn = compressBound((uLong)rawn);
    uint8_t *z = xmalloc(zn);
    if (compress2(z, &zn, raw, (uLong)rawn, 6) != Z_OK)
        iotap_die("zlib compress failed");
    png_chunk(d, "IDAT", z, zn);
    png_chunk(d, "IEND", NULL, 0);
    free(raw);
    free(z);
}

/* A JFIF baseline JPEG of one flat grey 8x8 block; COM segments of random
 * bytes bring it to about `size` bytes (a camera snapshot's weight). */
void body_jpeg(dyn *d, srng *r, size_t size)
{
    static const uint8_t head[] = {
        0xff, 0xd8,                                           /* SOI */
        0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    };
    dyn_put(d, head, sizeof head);
    uint8_t dqt[69] = {0xff, 0xdb, 0x00, 0x43, 0x00};
    for (int i = 0; i < 64; i++)
        dqt[5 + i] = 16;
    dyn_put(d, dqt, sizeof dqt);
    static const uint8_t sof[] = {0xff, 0xc0, 0x00, 0x0b, 8, 0, 8, 0, 8, 1, 1, 0x11, 0};
    dyn_put(d, sof, sizeof sof);
    /* One-symbol Huffman tables: DC category 0 and AC end-of-block, code "0". */
    static const uint8_t dht[] = {
        0xff, 0xc4, 0x00, 0x14, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
        0xff, 0xc4, 0x00, 0x14, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
    };
    dyn_put(d, dht, sizeof dht);
    uint8_t com[4 + 8192];
    while (d->n + 4 + 14 + 4 < size) {
        size_t n = size - d->n - 4 - 14;
        if (n > 8192) n = 8192;
        com[0] = 0xff; com[1] = 0xfe;
        com[2] = (uint8_t)((n + 2) >> 8); com[3] = (uint8_t)(n + 2);
        rng_bytes(r, com + 4, n);
        dyn_put(d, com, 4 + n);
    }
    static const uint8_t sos[] = {0xff, 0xda, 0x00, 0x08, 1, 1, 0x00, 0, 63, 0,
                                  0x3f, 0xff, 0xd9};        /* scan data, EOI */
    dyn_put(d, sos, sizeof sos);
}
