/* wasm_exports.c — the only file that knows about Emscripten.
 *
 * The nn_* API is exported by name (-sEXPORTED_FUNCTIONS in build.sh); this
 * file adds what only JavaScript needs: 16-byte aligned heap buffers for data
 * sets and batches, so typed-array views and SIMD loads line up. */
#include <emscripten.h>
#include <stdlib.h>

EMSCRIPTEN_KEEPALIVE void *nn_wasm_alloc(int bytes)
{
    if (bytes < 1)
        return 0;
    return aligned_alloc(16, ((size_t)bytes + 15) & ~(size_t)15);
}

EMSCRIPTEN_KEEPALIVE void nn_wasm_free(void *p)
{
    free(p);
}
