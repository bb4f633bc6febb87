import Dispatch
import Engine
import Foundation
import Plugins

/// Decodes a list of image files on every core into one N x C x H x W byte array, the layout
/// the idx reader keeps MNIST in, so that an image folder batches as MNIST does. Each image is
/// decoded (PNG or JPEG by its bytes), converted to the dataset's channels and, with a size
/// given, resized as Pillow resizes; without one it must have the dataset's size.
public struct ImageFileDecoder: Sendable {
    /// Channels, height and width of every image of the dataset.
    public let shape: Shape
    public let options: ImageOptions
    /// Where the shape came from when no `--image_size` set it, for the error of a misfit.
    let reference: String

    /// The dataset's shape from the options, else from the header of `firstFile`.
    public init(options: ImageOptions, firstFile: String) throws(FileError) {
        let header = try ImageDecoding.header(FileBytes.read(firstFile), file: firstFile, maxPixels: options.maxPixels)
        let size = options.size ?? ImageSize(width: header.width, height: header.height)
        shape = Shape(options.channels ?? header.channels, size.height, size.width)
        self.options = options
        reference = firstFile
    }

    /// Images brought to `shape` (a trained model's input); `reference` names where that shape
    /// comes from in the error of an image that does not fit it.
    public init(shape: Shape, options: ImageOptions, reference: String) {
        self.shape = shape
        self.options = options
        self.reference = reference
    }

    /// The images of `paths`, decoded in parallel; an error names the first failing file in the
    /// list's order, whichever thread met it first.
    public func decode(_ paths: [String]) throws(FileError) -> [UInt8] {
        let size = shape.count, count = paths.count
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
        let failures = FirstFailure<FileError>()
        let pixels = [UInt8](unsafeUninitializedCapacity: size * count) { buffer, initialized in
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var resizes: [ImageSize: PillowResize] = [:]
                for i in stride(from: worker, to: count, by: workers) where !failures.precedes(i) {
                    let slot = UnsafeMutableBufferPointer(rebasing: buffer[(i * size)..<((i + 1) * size)])
                    do throws(FileError) {
                        try decode(paths[i], into: slot, resizes: &resizes)
                    } catch {
                        failures.record(error, at: i)
                    }
                }
            }
            initialized = size * count
        }
        if let error = failures.first { throw error }
        return pixels
    }

    private func decode(
        _ path: String, into slot: UnsafeMutableBufferPointer<UInt8>, resizes: inout [ImageSize: PillowResize]
    ) throws(FileError) {
        let image = try ImageDecoding.decode(
            FileBytes.read(path), file: path, channels: shape.channels, maxPixels: options.maxPixels)
        if image.width == shape.width && image.height == shape.height {
            _ = slot.initialize(from: image.pixels)
            return
        }
        guard options.size != nil else {
            throw .malformed(
                path,
                "is \(image.width)x\(image.height), but \(reference) is \(shape.width)x\(shape.height); "
                    + "pass --image_size to resize every image")
        }
        let key = ImageSize(width: image.width, height: image.height)
        if resizes[key] == nil {
            resizes[key] = PillowResize(
                fromWidth: image.width, height: image.height, toWidth: shape.width, height: shape.height)
        }
        resizes[key]!.resize(image, into: slot)
    }
}
