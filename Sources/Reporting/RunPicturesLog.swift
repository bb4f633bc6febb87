import DataIO
import Engine
import Foundation
import Plugins
import Training

/// Each epoch's pictures of the run (`RunPictures`) as PNGs in the run folder and images in
/// TensorBoard, and `loss.svg` from the epochs recorded so far.
public final class RunPicturesLog: TrainingObserver {
    private let tensorBoard: TensorBoardLog
    private var run: RunStart?

    /// The pictures go to `tensorBoard` as images too.
    public init(tensorBoard: TensorBoardLog) {
        self.tensorBoard = tensorBoard
    }

    public func runStarted(_ run: RunStart) throws(BenchError) {
        self.run = run
    }

    public func epochEnded(_ epoch: EpochResult) throws(BenchError) {
        guard let run else { return }
        let folder = run.folder
        let pictures = RunPictures.draw(
            run.network, kind: run.kind, range: run.range, images: run.validation,
            noise: run.configuration.inputNoise, seed: run.configuration.seed)
        for picture in pictures {
            let png = picture.grid.png
            try AtomicFile.write(png, to: "\(folder.path)/\(picture.name).png")
            try tensorBoard.image(
                picture.name, png: png, width: picture.grid.width, height: picture.grid.height,
                channels: picture.grid.channels, step: epoch.step)
        }
        let text = (try? String(contentsOfFile: folder.epochsCSV, encoding: .utf8)) ?? ""
        let rows = text.split(separator: "\n").dropFirst()
        let epochs = rows.compactMap { row -> (epoch: Int, train: Double, validation: Double)? in
            let f = row.split(separator: ",")
            guard f.count >= 3, let e = Int(f[0]), let t = Double(f[1]), let v = Double(f[2]) else { return nil }
            return (e, t, v)
        }
        try AtomicFile.write(
            RunPictures.lossPlot(epochs: epochs, metric: run.metricName),
            to: folder.path + "/loss.svg")
    }
}
