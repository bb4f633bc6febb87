import CZlib
import Foundation

/// Writes dataset files in the exact formats the readers take, into a fresh temporary folder.
public struct DatasetFiles {
    public let directory: String

    public init() {
        directory = NSTemporaryDirectory() + "bench-inputs-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: directory) }

    public func path(_ name: String) -> String { directory + "/" + name }

    public func write(_ name: String, _ bytes: [UInt8]) {
        FileManager.default.createFile(atPath: path(name), contents: Data(bytes))
    }

    public static func bigEndian(_ v: Int) -> [UInt8] {
        [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]
    }

    public static func idx(dimensions: [Int], payload: [UInt8]) -> [UInt8] {
        [0, 0, 8, UInt8(dimensions.count)] + dimensions.flatMap(bigEndian) + payload
    }

    /// A gzip member of `bytes` (zlib's deflate with the gzip wrapper).
    public static func gzip(_ bytes: [UInt8]) -> [UInt8] { deflated(bytes, windowBits: 16 + MAX_WBITS) }

    /// `bytes` through zlib's deflate, level 6; `windowBits` picks the wrapper as zlib's
    /// `deflateInit2` does (16 + 15: gzip, -15: none, as ZIP members hold it).
    public static func deflated(_ bytes: [UInt8], windowBits: Int32) -> [UInt8] {
        var stream = z_stream()
        precondition(
            deflateInit2_(
                &stream, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        var input = bytes
        let written = input.withUnsafeMutableBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                stream.next_in = i.baseAddress
                stream.avail_in = UInt32(i.count)
                stream.next_out = o.baseAddress
                stream.avail_out = UInt32(o.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return o.count - Int(stream.avail_out)
            }
        }
        return Array(out[..<written])
    }

    /// Deterministic test images: pixel k of image i is (i * 7 + k * 3) mod 256.
    public static func pixels(count: Int, size: Int) -> [UInt8] {
        (0..<count * size).map { UInt8(($0 / size * 7 + $0 % size * 3) % 256) }
    }

    /// MNIST's four files with `train` and `test` images of rows x cols, gzipped or raw.
    public func writeIdxDataset(train: Int, test: Int, rows: Int = 5, cols: Int = 4, gzip: Bool) {
        let suffix = gzip ? ".gz" : ""
        for (prefix, n) in [("train", train), ("t10k", test)] {
            let images = Self.idx(dimensions: [n, rows, cols], payload: Self.pixels(count: n, size: rows * cols))
            let labels = Self.idx(dimensions: [n], payload: (0..<n).map { UInt8($0 % 10) })
            write("\(prefix)-images-idx3-ubyte" + suffix, gzip ? Self.gzip(images) : images)
            write("\(prefix)-labels-idx1-ubyte" + suffix, gzip ? Self.gzip(labels) : labels)
        }
    }

    /// CIFAR-10's six batch files with `perBatch` records each; global record g (batch by
    /// batch, the test batch last) has label g mod 10 and the pixels `pixels` gives image g.
    public func writeCifar(perBatch: Int, meta: Bool = true) {
        let names = (1...5).map { "data_batch_\($0).bin" } + ["test_batch.bin"]
        let images = Self.pixels(count: perBatch * 6, size: 3072)
        for (b, name) in names.enumerated() {
            var bytes: [UInt8] = []
            for r in 0..<perBatch {
                let g = b * perBatch + r
                bytes.append(UInt8(g % 10))
                bytes += images[g * 3072..<(g + 1) * 3072]
            }
            write(name, bytes)
        }
        if meta {
            write(
                "batches.meta.txt",
                Array("airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n".utf8))
        }
    }

    /// CIFAR-100's `train.bin` and `test.bin`; global record g (the test records last) has coarse
    /// label g mod 20, fine label 99 - g mod 100 (never the coarse one) and the pixels `pixels`
    /// gives image g. With `names`, the name files call the classes `fine<i>` and `coarse<i>`.
    public func writeCifar100(train: Int, test: Int, names: Bool = true) {
        let images = Self.pixels(count: train + test, size: 3072)
        for (name, records) in [("train.bin", 0..<train), ("test.bin", train..<(train + test))] {
            var bytes: [UInt8] = []
            for g in records {
                bytes += [UInt8(g % 20), UInt8(99 - g % 100)]
                bytes += images[g * 3072..<(g + 1) * 3072]
            }
            write(name, bytes)
        }
        if names {
            for (mode, classes) in [("fine", 100), ("coarse", 20)] {
                write("\(mode)_label_names.txt", Array((0..<classes).map { "\(mode)\($0)\n" }.joined().utf8))
            }
        }
    }
}
