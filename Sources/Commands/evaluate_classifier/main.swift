import ArgumentParser
import CLI
import Reporting
import Training

/// DTB's `evaluate_classifier --model M --dataset D --checkpoint_dir DIR [--test]`:
/// `<date time>: validation accuracy = 0.993` for the checkpoint in DIR (a run folder or its
/// best/). With `--all`, each split's accuracy in full, its confusion matrix and each class's
/// accuracy, and the matrices as `confusion_<split>.csv` and `.png` in the run folder.
struct EvaluateClassifier: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate_classifier",
        abstract: "Print a classifier checkpoint's validation (or test) accuracy, as DTB does.")

    @OptionGroup var flags: DTBEvaluationFlags<Classifiers>

    func execute() throws(BenchError) {
        let checkpoint = try flags.evaluation.load()
        guard flags.all else {
            let split = flags.evaluation.split
            let accuracy = checkpoint.metric(on: split.images(of: checkpoint.data))
            print(EvaluationLine.text(split: split.rawValue, kind: .classifier, value: accuracy, precision: .dtb))
            return
        }
        // The files are written once every split is evaluated, so that a failure leaves none.
        var files: [(name: String, bytes: [UInt8])] = []
        for split in flags.splits {
            let matrix = checkpoint.confusion(on: split.images(of: checkpoint.data))
            print(
                EvaluationLine.text(split: split.rawValue, kind: .classifier, value: matrix.accuracy, precision: .full))
            print(matrix.report(split: split.rawValue))
            files.append(("confusion_\(split.rawValue).csv", Array(matrix.csv.utf8)))
            files.append(("confusion_\(split.rawValue).png", ConfusionHeatMap(matrix).png))
        }
        for file in files { try AtomicFile.write(file.bytes, to: checkpoint.runDirectory + "/" + file.name) }
    }
}

EvaluateClassifier.main()
