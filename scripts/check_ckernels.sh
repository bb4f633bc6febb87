#!/usr/bin/env bash
# Builds the CKernels C target (Sources/CKernels) with plain clang, no SwiftPM and no -mavx512 flags,
# and checks it with Tests/CKernelsCheck/check_ckernels.c: bfloat16 rounding against its definition
# on edge cases, the vector and scalar paths equal bit for bit, bench_bf16_gemm_packed against the
# reference on tails, transposes, alpha and beta, bench_small_sgemm against its reference on edge
# sizes, BENCH_CPU_FEATURES hiding AVX-512, and vdpbf16ps in the binary. Without avx512_bf16 the
# vdpbf16ps run-time checks are skipped and the rest still runs.
# With --bench it instead times the kernels against OpenBLAS sgemm on one core (needs libopenblas-dev).
# With BIN_DIR (a release build's bin folder) it also finds vdpbf16ps in the package's own binary, in
# the GEMM that --precision bf16 calls.
# `--bench --small nn|tn|nt M N K ...` times bench_small_sgemm against OpenBLAS on those layouts.
# Usage: check_ckernels.sh [BIN_DIR] | --bench [M N K ...] | --bench --small LAYOUT M N K ...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
if [[ -z ${CC:-} ]]; then
    if [[ -x /opt/swift/usr/bin/clang ]]; then CC=/opt/swift/usr/bin/clang; else CC=clang; fi
fi
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
sources=("$root"/Sources/CKernels/*.c)
include=(-I "$root/Sources/CKernels/include")

if [[ ${1:-} == --bench ]]; then
    shift
    # -O3 as Package.swift builds the target.
    "$CC" -O3 -Wall -Wextra "${include[@]}" "${sources[@]}" "$root/Tests/CKernelsCheck/bench_ckernels.c" \
        -lopenblas -lm -o "$build/bench_ckernels"
    echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}"
    "$build/bench_ckernels" "$@"
    exit 0
fi

"$CC" -O2 -Wall -Wextra -Werror "${include[@]}" "${sources[@]}" "$root/Tests/CKernelsCheck/check_ckernels.c" \
    -lm -o "$build/check_ckernels"
check=$build/check_ckernels

features=$("$check" features)
echo "processor: $features"

# Under BENCH_CPU_FEATURES the library must report the hidden features as absent.
expect_features() {
    local setting=$1 pattern=$2 got
    got=$(BENCH_CPU_FEATURES=$setting "$check" features)
    if [[ $got != *"$pattern"* ]]; then
        echo "FAIL: with BENCH_CPU_FEATURES=$setting: $got (expected $pattern)" >&2
        exit 1
    fi
    echo "ok   BENCH_CPU_FEATURES=$setting: $got"
}
expect_features avx2 "avx512f=0 avx512_bf16=0 bf16_available=0"
expect_features baseline "avx2_fma=0 avx512f=0 avx512_bf16=0 bf16_available=0"

echo "== scalar paths (BENCH_CPU_FEATURES=baseline): rounding, packing, portable GEMM loop"
BENCH_CPU_FEATURES=baseline "$check"

if [[ $features == *"avx512f=1"* ]]; then
    scalar=$(BENCH_CPU_FEATURES=baseline "$check" digest)
    vector=$("$check" digest)
    if [[ $scalar != "$vector" ]]; then
        echo "FAIL: AVX-512 conversion and packing differ from the scalar ones ($vector vs $scalar)" >&2
        exit 1
    fi
    echo "ok   AVX-512 conversion and packing equal the scalar ones bit for bit (digest $vector)"
else
    echo "SKIP: no AVX-512 here, so no vector conversion or packing to compare with the scalar ones"
fi

if [[ $features == *"avx512_bf16=1"* ]]; then
    echo "== vdpbf16ps paths"
    "$check"
else
    echo "SKIP: this processor (or its OS) lacks avx512_bf16: the vdpbf16ps run-time checks did not run"
fi

if [[ $(uname -m) == x86_64 ]]; then
    # The kernel is compiled in whatever the processor, through its target attribute.
    objdump -d --no-show-raw-insn "$check" >"$build/check_ckernels.s"
    count=$(grep -c vdpbf16ps "$build/check_ckernels.s" || true)
    if [[ $count -eq 0 ]]; then
        echo "FAIL: objdump finds no vdpbf16ps in the test binary" >&2
        exit 1
    fi
    echo "ok   objdump finds $count vdpbf16ps instructions in the test binary, e.g.:"
    grep -m 3 vdpbf16ps "$build/check_ckernels.s"

    # The portable fallbacks: the sources also compile for a processor without x86 code (objects
    # only; Debian's x86-64 glibc headers stand in for an AArch64 sysroot, with the one file they
    # miss stubbed).
    if [[ -d /usr/include/x86_64-linux-gnu ]]; then
        mkdir -p "$build/aarch64/gnu"
        touch "$build/aarch64/gnu/stubs-32.h"
        for source in "${sources[@]}"; do
            "$CC" --target=aarch64-linux-gnu -O2 -Wall -Wextra -Werror -c "${include[@]}" -I "$build/aarch64" \
                -I /usr/include/x86_64-linux-gnu -I /usr/include "$source" -o "$build/aarch64/$(basename "$source").o"
        done
        echo "ok   the sources compile for aarch64 (portable fallbacks)"
    fi
fi
if [[ -n ${1:-} && $(uname -m) == x86_64 ]]; then
    binary="$1/train_classifier"
    [[ -x $binary ]] || { echo "FAIL: no $binary (build with swift build -c release)" >&2; exit 1; }
    # The function that holds each vdpbf16ps: they must lie in the bf16 GEMM's microkernel.
    functions=$(objdump -d --no-show-raw-insn "$binary" \
        | awk '/^[0-9a-f]+ <.*>:$/ {f = $2} /vdpbf16ps/ {print f}' | sort | uniq -c)
    [[ -n $functions ]] || { echo "FAIL: objdump finds no vdpbf16ps in $binary" >&2; exit 1; }
    echo "ok   $binary holds vdpbf16ps (count, function):"
    echo "$functions"
fi
echo "all CKernels checks passed"
