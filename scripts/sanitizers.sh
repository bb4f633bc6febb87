#!/usr/bin/env bash
# The test suite under AddressSanitizer, then the multithreaded kernels and the training loop
# under ThreadSanitizer (OpenBLAS's frames suppressed: .tsan-suppressions). Each sanitizer
# builds in a scratch folder of its own, so the normal build stays as it is.
#   scripts/sanitizers.sh [address|thread|all]
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
# Named, not looked up on PATH: commands that tests run with a PATH of stand-ins alone must
# still symbolize their reports, which the leak suppressions match by function name.
symbolizer=$(dirname "$(command -v swift)")/llvm-symbolizer
[[ -x $symbolizer ]] && export ASAN_SYMBOLIZER_PATH=$symbolizer
if [[ $which == address || $which == all ]]; then
    # The Python checks (TensorBoard, onnxruntime) and the subprocess fault tests need the normal
    # build's tools, and training on real Fashion-MNIST images takes minutes instrumented; the
    # rest runs instrumented.
    LSAN_OPTIONS="suppressions=$(pwd)/.lsan-suppressions print_suppressions=0" \
        swift test --scratch-path .build-asan --sanitize=address \
        --skip "PythonReaderTests|ReliabilityTests|ONNXExportTests|aFashionMNIST"
fi
if [[ $which == thread || $which == all ]]; then
    TSAN_OPTIONS="suppressions=$(pwd)/.tsan-suppressions halt_on_error=1" \
        swift test --scratch-path .build-tsan --sanitize=thread \
        --filter "ConvolutionTests|LayerGradientTests|GraphTests|TrainingTests|CommandTests" \
        --skip "ReliabilityTests|PythonReaderTests|ONNXExportTests|aFashionMNIST"
fi
