/* rng.c — xoshiro128** (Blackman & Vigna), seeded through splitmix64.
 * The state is a caller-owned array (the model's), never a global. */
#include "nn_internal.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint32_t rotl(uint32_t x, int k)
{
    return (x << k) | (x >> (32 - k));
}

void nn_rng_seed(uint32_t state[4], uint64_t seed)
{
    uint64_t sm = seed;
    uint64_t a = splitmix64(&sm), b = splitmix64(&sm);
    state[0] = (uint32_t)a;
    state[1] = (uint32_t)(a >> 32);
    state[2] = (uint32_t)b;
    state[3] = (uint32_t)(b >> 32);
    if ((state[0] | state[1] | state[2] | state[3]) == 0) /* never all zero */
        state[0] = 1;
}

uint32_t nn_rng_next(uint32_t s[4])
{
    uint32_t result = rotl(s[1] * 5, 7) * 9;
    uint32_t t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
}

float nn_rng_uniform(uint32_t state[4], float bound)
{
    /* 24 random bits -> u in [0, 1) exactly representable in float. */
    double u = (double)(nn_rng_next(state) >> 8) * (1.0 / 16777216.0);
    return (float)((2.0 * u - 1.0) * (double)bound);
}
