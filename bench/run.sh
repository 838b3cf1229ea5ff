#!/usr/bin/env bash
# bench/run.sh — the project's benchmark (npm run bench / bash build.sh bench).
# MNIST MLP 784-128-10, one epoch with SGD and Adam: native C, the WASM module in Node, and the
# peer TensorFlow.js + tfjs-backend-wasm, with ratios; then the playground engine (WASM in Node)
# and the browser benchmarks if present; then the CNN section (issue 11): the three CNN presets'
# training throughput natively, in WASM under Node and in a browser worker against TensorFlow.js
# and single-thread PyTorch (bench/cnn-report.mjs), and the MNIST lab's CNN targets in headless
# Chromium (bench/cnn-browser.mjs). Then the recurrent section (issue 13): the character-level
# LSTM's training throughput natively, in WASM under Node and in a browser worker against
# TensorFlow.js in a browser worker and single-thread PyTorch, interleaved round by round, and
# the names task's validation loss against PyTorch's (bench/rnn-bench.mjs). Then the GAN section
# (issue 14 §5): the 2-D GAN at GAN Lab's default sizes, iterations per second of our engine
# (GanPair) in a browser worker and in Node against TensorFlow.js (wasm, cpu, webgl) in the
# same page and single-thread PyTorch, from the same weights, batches and noise (bench/gan-bench.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f build/node/nn.cjs ] || bash build.sh wasm
mkdir -p build/bench
core_sources=$(ls core/*.c | grep -v wasm_exports.c)
# -ffp-contract=off: no fused multiply-adds, the same arithmetic as the WASM build.
gcc -std=c11 -Wall -Wextra -Werror -O3 -march=native -ffp-contract=off \
    -o build/bench/bench_mnist bench/bench_mnist.c $core_sources -lm
node bench/report.mjs build/bench/bench_mnist

for extra in bench/playground-engine.mjs bench/playground-browser.mjs bench/mnist-browser.mjs; do
    if [ -f "$extra" ]; then
        echo
        node "$extra"
    fi
done

echo
echo '== CNN =='
cnn_native=()
if [ -f bench/bench_cnn.c ]; then
    gcc -std=c11 -Wall -Wextra -Werror -O3 -march=native -ffp-contract=off \
        -o build/bench/bench_cnn bench/bench_cnn.c $core_sources -lm
    cnn_native=(build/bench/bench_cnn)
fi
node bench/cnn-report.mjs "${cnn_native[@]}"
echo
node bench/cnn-browser.mjs --only lab

echo
echo '== RNN =='
gcc -std=c11 -Wall -Wextra -Werror -O3 -march=native -ffp-contract=off \
    -o build/bench/bench_rnn bench/bench_rnn.c $core_sources -lm
node bench/rnn-bench.mjs --native build/bench/bench_rnn

echo
echo '== GAN =='
node bench/gan-bench.mjs
