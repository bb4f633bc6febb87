import ArgumentParser
import CLI
import Engine
import Foundation
import Models
import Plugins
import Reporting
import Training

/// `bench [--model M] [--batch_size 128] [--threads 2]`: training examples/sec of each model on
/// random inputs after warm-up, median and spread of several repetitions, GFLOP/s, peak memory.
struct Bench: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training (or evaluation) steps of the models on random inputs.")

    @Option(
        name: .customLong("model"), help: "One model (default: SingleLayerCAE, LasagneCAE, StandardCNN, ModifiedCNN).")
    var model: ModelChoice<AllModels>?

    @Option(name: .customLong("batch_size")) var batchSize = 128
    @Option(name: .customLong("warmup"), help: "Untimed steps first.") var warmup = 5
    @Option(name: .customLong("steps"), help: "Timed steps per repetition.") var steps = 20
    @Option(name: .customLong("repetitions")) var repetitions = 5
    @Option(name: .customLong("side"), help: "Image side (28 for MNIST's, 32 for CIFAR-10's).") var side = 28
    @Option(name: .customLong("channels")) var channels = 1
    @Flag(name: .customLong("eval"), help: "Time evaluation (forward) steps instead of training.")
    var evaluation = false
    @Flag(name: .customLong("layers"), help: "Also show the time of each layer's forward and backward.")
    var layers = false
    @Flag(name: .customLong("gemm"), help: "Also measure OpenBLAS's SGEMM rate on these threads.") var gemm = false
    @Flag(
        name: .customLong("peak"),
        help: "Also measure the vector units' ceiling (independent FMAs); --layers then shows each layer's share.")
    var peak = false
    @Flag(
        name: .customLong("scaling"),
        help: "Time --threads threads against one instead, alternating repetitions in one process.") var scaling = false
    @Flag(
        name: .customLong("allocations"),
        help: "Also count the heap allocations of a repetition's steps, on every thread (0 expected).")
    var allocations = false
    @Flag(name: .customLong("json"), help: "One JSON object per model, for scripts.") var json = false
    @Flag(
        name: .customLong("no_fusion"),
        help: "Run every layer on its own (no fused operators), to see what fusion gains.")
    var noFusion = false
    @Option(
        name: .customLong("trainable_scopes"),
        help: "Train only the parameters whose names start with these prefixes (comma list), as fine-tuning does.",
        transform: { try ParameterScopes($0) })
    var trainableScopes: ParameterScopes?
    @OptionGroup var tuning: AutotuneFlags
    @OptionGroup var arithmetic: PrecisionFlags
    @OptionGroup var common: CommonFlags

    func validate() throws {
        for (flag, value) in [
            ("--batch_size", batchSize), ("--steps", steps), ("--repetitions", repetitions),
            ("--side", side), ("--channels", channels),
        ] where value < 1 {
            throw ValidationError("\(flag): \(value) must be at least 1")
        }
        guard warmup >= 0 else { throw ValidationError("--warmup: \(warmup) must be at least 0") }
    }

    func execute() throws(BenchError) {
        let chosen: [any ModelPlugin.Type] =
            model.map { [$0.plugin] }
            ?? [SingleLayerCAE.self, LasagneCAE.self, StandardCNN.self, ModifiedCNN.self]
        let threads = common.threads
        if gemm {
            let rate = Benchmark.gemmGFLOPS(threads: threads)
            print(
                json
                    ? #"{"gemm_gflops": \#(rate), "threads": \#(threads)}"#
                    : String(format: "OpenBLAS SGEMM: %.1f GFLOP/s on %d threads", rate, threads))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let ceiling = peak ? ArithmeticCeiling.measure(threads: threads) : nil
        if let ceiling {
            if json {
                print(String(decoding: try! encoder.encode(ceiling), as: UTF8.self))
            } else {
                let rate = { (value: Double?) in
                    value.map { String(format: "%.1f GFLOP/s", $0) } ?? "not on this processor"
                }
                print(
                    "Ceiling on \(threads) threads: 512-bit FMAs \(rate(ceiling.avx512)), 256-bit FMAs "
                        + "\(rate(ceiling.avx2)), vdpbf16ps \(rate(ceiling.bf16))")
            }
        }
        let console = Console(quiet: json)
        for m in chosen where scaling {
            let autotuning = Autotuning(tuning.chosen, warn: console.warning)
            let s = try Benchmark.scaling(
                m, input: Shape(channels, side, side), batch: batchSize, threads: threads, warmup: warmup,
                steps: steps, repetitions: repetitions, evaluation: evaluation,
                options: autotuning.options(fusion: !noFusion, precision: arithmetic.precision),
                trainable: trainableScopes)
            _ = autotuning.finish(warn: console.warning)
            if json {
                print(String(decoding: try! encoder.encode(s), as: UTF8.self))
                continue
            }
            print(
                String(
                    format: "%-15@ %d threads / 1: %.2fx (pairs %.2f-%.2f; %.0f vs %.0f examples/sec)", m.name,
                    s.threads, s.medianRatio, s.ratios.min()!, s.ratios.max()!, s.medianThreads, s.medianOneThread))
        }
        let counter = allocations ? try InterposedAllocations() : nil
        for m in chosen where !scaling {
            let autotuning = Autotuning(tuning.chosen, warn: console.warning)
            var r = try Benchmark.run(
                m, input: Shape(channels, side, side), batch: batchSize, threads: threads, warmup: warmup,
                steps: steps, repetitions: repetitions, evaluation: evaluation, layers: layers,
                options: autotuning.options(fusion: !noFusion, precision: arithmetic.precision),
                trainable: trainableScopes, allocations: counter)
            let tuned = autotuning.finish(warn: console.warning)
            if layers { r.algorithms = autotuning.tuner?.choices }
            if json {
                print(String(decoding: try! encoder.encode(r), as: UTF8.self))
                continue
            }
            let sorted = r.examplesPerSecond.sorted()
            print(
                String(
                    format: "%-15@ %@ batch %d, %d threads: %8.0f examples/sec (min %.0f, max %.0f), "
                        + "%.1f GFLOP/s, %.1f MFLOP/image, peak RSS %.0f MB",
                    m.name, r.precision == "float32" ? r.mode : r.mode + " " + r.precision, r.batch, r.threads,
                    r.medianExamplesPerSecond, sorted.first!, sorted.last!,
                    r.medianGFLOPS, r.flopsPerImage / 1e6, r.peakResidentMB))
            for l in r.layers ?? [] {
                // String(format:)'s %@ takes no width on Linux: pad in Swift.
                let name = l.name.padding(toLength: max(18, l.name.count), withPad: " ", startingAt: 0)
                print(
                    "    " + name
                        + String(
                            format: " forward %8.3f ms%@   backward %8.3f ms%@", l.forwardMilliseconds,
                            Self.rate(l.forwardGFLOPS, ceiling), l.backwardMilliseconds,
                            Self.rate(l.backwardGFLOPS, ceiling)))
            }
            if let perStep = r.allocationsPerStep {
                print(String(format: "    heap allocations per step: %g", perStep))
            }
            if let tuned, layers { print("    " + tuned) }
            for choice in r.algorithms ?? [] { print("    " + Self.describe(choice)) }
        }
    }
}

extension Bench {
    /// ` (212.0 GFLOP/s, 49 % of the ceiling)`, or nothing for a step without multiply-adds.
    static func rate(_ gflops: Double?, _ ceiling: ArithmeticCeiling?) -> String {
        guard let gflops else { return String(repeating: " ", count: 32) }
        guard let peak = ceiling?.float32 else { return String(format: " (%6.1f GFLOP/s)", gflops) + "               " }
        return String(format: " (%6.1f GFLOP/s, %3.0f %% of peak)", gflops, 100 * gflops / peak)
    }

    /// `conv2  training weightGradient ...: channelVectors (timed: channelVectors 1.20 ms, im2col 2.31 ms)`.
    static func describe(_ choice: AlgorithmTuner.Choice) -> String {
        let times = choice.candidates.map { "\($0.algorithm) " + String(format: "%.2f ms", $0.seconds * 1000) }
        let how = times.isEmpty ? choice.source.rawValue : "timed: " + times.joined(separator: ", ")
        return "\(choice.layer): \(choice.key): \(choice.algorithm) (\(how))"
    }
}

Bench.main()
