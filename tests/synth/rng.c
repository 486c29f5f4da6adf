/*
 * rng.c - the generator's own PRNG (xoshiro256** seeded by splitmix64).
 * Output must be byte-identical for the same seed on every libc and machine,
 * so neither rand() nor the wall clock is ever used.
 */
#include "synth.h"

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rng_seed(srng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rng_next(srng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return res;
}

uint32_t rng_below(srng *r, uint32_t n)
{
    return n ? (uint32_t)((rng_next(r) >> 32) * n >> 32) : 0;
}

void rng_bytes(srng *r, uint8_t *p, size_t n)
{
    while (n >= 8) {
        uint64_t v = rng_next(r);
        for (int i = 0; i < 8; i++)
            p[i] = (uint8_t)(v >> (8 * i));
        p += 8; n -= 8;
    }
    if (n) {
        uint64_t v = rng_next(r);
        for (size_t i = 0; i < n; i++)
            p[i] = (uint8_t)(v >> (8 * i));
    }
}
