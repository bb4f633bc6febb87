#!/usr/bin/env bash
# The test suite on the Haswell path: a release build for AVX2 and FMA (BENCH_TARGET_CPU=haswell,
# what a machine without AVX-512 builds), run on this machine, in its own build folder. Release
# builds drop the engine's bounds checks and take the vector paths the debug build does not
# compile for; `-enable-testing` lets the tests reach the engine's internals as they do in debug.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_TARGET_CPU=haswell
# The C kernels choose their instructions by cpuid at run time: take the AVX2 ones too.
export BENCH_CPU_FEATURES=avx2
# ReliabilityTests' random kills need a run slow enough to be killed mid-way: a debug build's.
swift test -c release --scratch-path .build-haswell -Xswiftc -enable-testing \
    --skip 'ReliabilityTests/killedAtRandomMomentsAndResumedEndsLikeOneRun' "$@"
# The engine must really be the Haswell build: AVX2 in its kernels, no 512-bit register anywhere (the
# C kernels' AVX-512 functions live in CKernels, chosen at run time, and are not checked here).
# grep -c reads objdump's output to the end: grep -q would stop at the first match, and objdump's
# SIGPIPE would then fail the pipeline under pipefail.
engine=$(cd .build-haswell/release/Engine.build && pwd -P)
if objdump -d "$engine"/*.o | grep -c '%zmm' >/dev/null; then
    echo "haswell_path: $engine holds 512-bit registers" >&2
    exit 1
fi
objdump -d "$engine"/ChannelVectorConvolution.swift.o | grep -c '%ymm' >/dev/null \
    || { echo "haswell_path: $engine has no AVX2 code" >&2; exit 1; }
echo "haswell_path: PASS (the engine in AVX2, no zmm)"
