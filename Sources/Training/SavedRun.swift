import DataIO
import Foundation
import Plugins

/// What a run folder tells the commands that read it back (evaluate, visualize): the image
/// flags it trained with and its classes, so that its images are shaped and labelled as they
/// were in training. Folders written before these were saved simply lack them.
public struct SavedRun {
    public let configuration: RunConfiguration?
    public let classNames: [String]?
    /// The run folder, also when the checkpoint folder named was its `best/`.
    public let runDirectory: String

    /// The file a run lists its classes in, in label order, one a line.
    public static let classesFile = "classes.txt"

    /// `path` is a run folder or its `best/` folder.
    public init(checkpointDirectory path: String) throws(BenchError) {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let folder = url.lastPathComponent == "best" ? url.deletingLastPathComponent().path : url.path
        runDirectory = folder
        do {
            let flags = folder + "/flags.json"
            configuration = FileBytes.exists(flags) ? try FlagsFile.read(flags).flags : nil
            let classes = folder + "/" + Self.classesFile
            classNames = FileBytes.exists(classes) ? try ImageFolderLayout.readClassList(classes) : nil
        } catch {
            throw .file(error)
        }
    }

    /// The image options these flags give, the run's own where they leave a value out.
    public var imageOptions: ImageOptions? {
        configuration.map { ImageOptions(size: $0.imageSize, channels: $0.channels) }
    }
}
