#!/usr/bin/env bash
# Replays every saved fuzzing input (Fuzz/corpus/TARGET: the seeds, and the inputs the fuzzers
# found that reach new code, merged with libFuzzer's -merge=1 into it) through its
# harness, built in release as the commands are: the parsers keep their bounds and overflow checks
# there, so an input that once crashed a parser would trap here. Usage: scripts/replay_fuzz_corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product fuzz >/dev/null
fuzz=$(swift build -c release --show-bin-path)/fuzz
for corpus in Fuzz/corpus/*/; do
    target=$(basename "$corpus")
    count=$(find "$corpus" -type f | wc -l)
    find "$corpus" -type f -print0 | BENCH_FUZZ_TARGET=$target xargs -0 "$fuzz" >/dev/null
    echo "replay_fuzz_corpus: $target: $count inputs, no crash"
done
