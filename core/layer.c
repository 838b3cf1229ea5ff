/* layer.c — the table of layer kinds: a descriptor's kind value -> its
 * nn_layer_kind. Adding a kind is one file and one line here. */
#include <stddef.h>
#include "layer.h"

const nn_layer_kind *nn_layer_kind_of(int kind)
{
    static const nn_layer_kind *const kinds[] = {
        [NN_LAYER_DENSE] = &nn_layer_dense,
        [NN_LAYER_CONV2D] = &nn_layer_conv2d,
        [NN_LAYER_MAXPOOL] = &nn_layer_maxpool,
        [NN_LAYER_FLATTEN] = &nn_layer_flatten,
        [NN_LAYER_RNN] = &nn_layer_rnn,
        [NN_LAYER_LSTM] = &nn_layer_lstm,
    };
    if (kind < 0 || kind >= (int)(sizeof kinds / sizeof kinds[0]))
        return NULL;
    return kinds[kind];
}
