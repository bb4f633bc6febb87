#!/usr/bin/env bash
# Fuzzes one parser with libFuzzer and AddressSanitizer for a set time:
#   scripts/fuzz.sh idx|cifar|cifar100|npy|npz|checkpoint|optimizer_args|png|jpeg [SECONDS=600] [extra libFuzzer flags]
# The build goes to .build-fuzz; the growing corpus to .build-fuzz/corpus/TARGET (seeded from
# Fuzz/corpus/TARGET); crashing inputs to .build-fuzz/artifacts/. Copy a crash into
# Tests/Fixtures/fuzz/TARGET/ to keep it as a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz.sh idx|cifar|cifar100|npy|npz|checkpoint|optimizer_args|png|jpeg [SECONDS]}
seconds=${2:-600}
shift $(( $# > 2 ? 2 : $# ))
swift build -c release --scratch-path .build-fuzz --product fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >/dev/null
corpus=.build-fuzz/corpus/$target
mkdir -p "$corpus" .build-fuzz/artifacts
cp -n Fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
BENCH_FUZZ_TARGET=$target .build-fuzz/release/fuzz "$corpus" -max_total_time="$seconds" -print_final_stats=1 \
    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix=.build-fuzz/artifacts/"$target"- "$@"
