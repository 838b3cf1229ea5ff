/* params.c — reading and writing parameters, model shape queries, and the
 * uint8 gather used for MNIST batches. */
#include <math.h>
#include <string.h>
#include "model.h"

/* Pointer to a parameter, or NULL when the index is out of range. row
 * indexes a block's first dimension, col the rest flattened (a bias: 0). */
static float *param_ptr(nn_model *m, int layer, int which, int row, int col)
{
    if (layer < 0 || layer >= m->n_layers)
        return 0;
    const nn_layer *L = &m->layer[layer];
    if (which < 0 || which >= L->n_blocks)
        return 0;
    int64_t rows = L->block[which].dims[0], cols = L->block_len[which] / rows;
    if (row < 0 || row >= rows || col < 0 || col >= cols)
        return 0;
    return L->p[which] + (size_t)(row * cols + col);
}

int nn_set_param(nn_model *m, int layer, int which, int row, int col, float value)
{
    if (!m)
        return NN_ERR_NULL;
    float *p = param_ptr(m, layer, which, row, col);
    if (!p)
        return m->status = NN_ERR_INDEX;
    if (!isfinite(value))
        return m->status = NN_ERR_NONFINITE;
    *p = value;
    nn_layer *L = &m->layer[layer];
    nn_layer_sync(L); /* keep derived state (dense: W^T) in step */
    return m->status = NN_OK;
}

float nn_get_param(nn_model *m, int layer, int which, int row, int col)
{
    if (!m)
        return NAN;
    float *p = param_ptr(m, layer, which, row, col);
    if (!p)
        return m->status = NN_ERR_INDEX, NAN;
    m->status = NN_OK;
    return *p;
}

int nn_param_count(const nn_model *m)
{
    return m ? m->param_count : NN_ERR_NULL;
}

const float *nn_params(const nn_model *m)
{
    return m ? m->params : 0;
}

const float *nn_grads(const nn_model *m)
{
    return m ? m->grads : 0;
}

int nn_load_params(nn_model *m, const float *src, int count)
{
    if (!m)
        return NN_ERR_NULL;
    if (!src)
        return m->status = NN_ERR_NULL;
    if (count != m->param_count)
        return m->status = NN_ERR_INDEX;
    if (!nn_all_finite(src, (size_t)count))
        return m->status = NN_ERR_NONFINITE;
    memmove(m->params, src, (size_t)count * sizeof(float));
    m->grads_ready = 0; /* gradients and kept activations were of the old parameters */
    m->train_rows = 0;
    nn_model_sync(m);
    return m->status = NN_OK;
}

int nn_n_layers(const nn_model *m)
{
    return m ? m->n_layers : NN_ERR_NULL;
}

int nn_layer_size(const nn_model *m, int i)
{
    if (!m)
        return NN_ERR_NULL;
    if (i < 0 || i > m->n_layers)
        return NN_ERR_INDEX;
    return i == 0 ? m->in_size : m->layer[i - 1].out_size;
}

int nn_layer_shape(const nn_model *m, int i, int32_t *out)
{
    if (!m || !out)
        return NN_ERR_NULL;
    if (i < 0 || i > m->n_layers)
        return NN_ERR_INDEX;
    nn_shape s = i == 0 ? m->in_shape : m->layer[i - 1].out;
    out[0] = s.c;
    out[1] = s.h;
    out[2] = s.w;
    return NN_OK;
}

int nn_layer_desc(const nn_model *m, int l, int32_t *out)
{
    if (!m || !out)
        return NN_ERR_NULL;
    if (l < 0 || l >= m->n_layers)
        return NN_ERR_INDEX;
    memcpy(out, m->layer[l].desc, sizeof m->layer[l].desc);
    return NN_OK;
}

int nn_param_blocks(const nn_model *m)
{
    if (!m)
        return NN_ERR_NULL;
    int n = 0;
    for (int l = 0; l < m->n_layers; l++)
        n += m->layer[l].n_blocks;
    return n;
}

int nn_param_block(const nn_model *m, int i, int32_t *out)
{
    if (!m || !out)
        return NN_ERR_NULL;
    if (i < 0)
        return NN_ERR_INDEX;
    for (int l = 0; l < m->n_layers; l++) {
        const nn_layer *L = &m->layer[l];
        if (i >= L->n_blocks) {
            i -= L->n_blocks;
            continue;
        }
        int64_t offset = L->param_offset;
        for (int b = 0; b < i; b++)
            offset += L->block_len[b];
        const nn_block_spec *spec = &L->block[i];
        int32_t v[NN_BLOCK_INTS] = {l, i, (int32_t)offset, spec->ndims,
                                    spec->dims[0], spec->dims[1], spec->dims[2], spec->dims[3]};
        memcpy(out, v, sizeof v);
        return NN_OK;
    }
    return NN_ERR_INDEX;
}

int nn_max_batch(const nn_model *m)
{
    return m ? m->max_batch : NN_ERR_NULL;
}

int nn_gather_u8(float *dst, const uint8_t *src, int src_rows, const int32_t *idx,
                 int n, int row_len, float scale)
{
    if (!dst || !src)
        return NN_ERR_NULL;
    if (n < 1 || src_rows < 1 || row_len < 1)
        return NN_ERR_SIZE;
    if ((int64_t)src_rows * row_len > (int64_t)(PTRDIFF_MAX / 4) ||
        (int64_t)n * row_len > (int64_t)(PTRDIFF_MAX / 4))
        return NN_ERR_TOO_LARGE;
    if (!isfinite(scale))
        return NN_ERR_NONFINITE;
    if (!idx && n > src_rows)
        return NN_ERR_INDEX;
    if (idx)
        for (int i = 0; i < n; i++)
            if (idx[i] < 0 || idx[i] >= src_rows)
                return NN_ERR_INDEX;
    for (int i = 0; i < n; i++) {
        const uint8_t *row = src + (size_t)(idx ? idx[i] : i) * (size_t)row_len;
        float *out = dst + (size_t)i * (size_t)row_len;
        for (int j = 0; j < row_len; j++)
            out[j] = (float)row[j] * scale;
    }
    return NN_OK;
}
