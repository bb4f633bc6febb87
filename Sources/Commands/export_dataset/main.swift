import ArgumentParser
import CLI
import DataIO
import Foundation
import Training

/// `export_dataset --dataset D [--data_dir DIR] --format png|jpg|npy [--image_size S] [--channels C]
/// --output OUT`: any dataset the bench reads, written as an image folder (torchvision's layout, with
/// `validation/` and `classes.txt`) or a NumPy folder (with `validation_*`), on the very split the
/// bench trains it on.
struct ExportDataset: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "export_dataset",
        abstract: "Write a dataset as an image folder (PNG or JPEG files) or as NumPy arrays.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case png, jpg, npy
    }

    @OptionGroup var data: DataFlags

    @Option(name: .customLong("format"), help: "png or jpg (an image folder), or npy (NumPy arrays).")
    var format: Format

    @Option(name: .customLong("output"), help: "The folder to create; it must not exist yet.")
    var output: String

    @Option(name: .customLong("quality"), help: "JPEG quality, 1-100.")
    var quality = 95

    func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality: \(quality) must be 1-100") }
        guard !output.isEmpty else { throw ValidationError("--output: an empty path") }
    }

    func execute() throws(BenchError) {
        guard !FileManager.default.fileExists(atPath: output) else {
            throw .usage("--output: \(output) exists already; export_dataset writes a new folder")
        }
        let started = Date()
        let splits = try data.load()
        let target = DatasetExport.Target(
            size: data.image.size.map { ($0.width, $0.height) }, channels: data.image.channels)
        // Everything goes to a temporary folder renamed at the end: a failed export leaves nothing.
        let staging = output + ".partial-\(getpid())"
        do throws(BenchError) {
            switch format {
            case .png: try DatasetExport.imageFolder(splits, target: target, to: staging, encoding: .png)
            case .jpg: try DatasetExport.imageFolder(splits, target: target, to: staging, encoding: .jpeg(quality))
            case .npy: try DatasetExport.numPy(splits, target: target, to: staging)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        guard rename(staging, output) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: staging)
            throw .cannotWrite(output, why)
        }
        print(
            String(
                format: "%@: %d training, %d validation, %d test images as %@ in %@ (%.1f s)", splits.name,
                splits.train.count, splits.validation.count, splits.test.count, format.rawValue, output,
                Date().timeIntervalSince(started)))
    }
}

ExportDataset.main()
