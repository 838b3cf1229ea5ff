/* vec4.h — four floats as one GCC/Clang generic vector (SSE natively,
 * v128 in WASM), with unaligned loads and stores through memcpy (which the
 * compilers turn into one vector move). Shared by the kernels that write
 * their inner loops by hand. */
#ifndef NN_VEC4_H
#define NN_VEC4_H

#include <string.h>

typedef float v4 __attribute__((vector_size(16)));

static inline v4 ld4(const float *p)
{
    v4 v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void st4(float *p, v4 v)
{
    memcpy(p, &v, sizeof v);
}

#endif /* NN_VEC4_H */
