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
# A pattern that matches the named suites (Module.Suite or Suite) and nothing that merely contains a name.
suites() {
    local IFS='|'
    echo "(^|\\.)($*)/"
}
parsing="CommandTests/(usageErrorsNameTheFlag|helpOffersOnlyTheCommandsModels)"
if [[ $which == address || $which == all ]]; then
    # Everything that runs in process: the kernels, layers and parsers, and the training loop. Left
    # out: the Python checks (TensorBoard, onnxruntime) and subprocess tests, which need the normal
    # build's tools, and the suites that train whole models through the commands, which take many
    # minutes instrumented and repeat code paths the in-process suites already run, and the command
    # tests that only parse flags.
    LSAN_OPTIONS="suppressions=$(pwd)/.lsan-suppressions print_suppressions=0" \
        swift test --scratch-path .build-asan --sanitize=address --skip "$(suites \
            PythonReaderTests ReliabilityTests ONNXExportTests DTBReadmeTests SweepCommandTests \
            EvaluateCommandsTests TrainingControlTests FineTuningTests PredictTests ExportDatasetTests \
            FeatureExtractionTests NumPyRunTests Cifar100RunTests)|aFashionMNIST|$parsing"
fi
if [[ $which == thread || $which == all ]]; then
    # The code that runs on more than one thread: the kernels' and layers' thread pool, the graph's
    # plans, and the training loop (three command tests: a run, its resumption, a classifier).
    loop="CommandTests/(trainingLeavesDTBsRunFolder|resumingContinuesTheStepsAndEndsWhereOneRunWould"
    loop+="|aClassifierTrainsAndReportsAccuracy)"
    TSAN_OPTIONS="suppressions=$(pwd)/.tsan-suppressions halt_on_error=1" \
        swift test --scratch-path .build-tsan --sanitize=thread --filter "$(suites \
            ConvolutionTests PooledConvolutionTests LayerGradientTests GraphTests EngineTests.TrainingTests \
            TrainingStepTests DataParallelTests)|$loop" --skip "aFashionMNIST"
fi
