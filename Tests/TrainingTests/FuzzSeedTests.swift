import DataIO
import Engine
import Foundation
import Models
import Plugins
import Testing

@testable import Inputs
@testable import Training

/// The fuzzers' seed inputs (written by Fuzz/make_seeds.py, as Python writes these formats) are
/// valid files, so fuzzing starts deep inside each parser; and the bench reads a safetensors
/// checkpoint that it did not write itself.
@Suite struct FuzzSeedTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus").path

    func bytes(_ name: String) throws -> [UInt8] { try FileBytes.read(Self.corpus + "/" + name) }

    @Test func seedsParse() throws {
        let images = try IdxReader.parse(bytes("idx/images.idx.gz"), path: "seed", rank: 3)
        #expect(images.dimensions == [2, 3, 3] && Array(images.bytes) == (0..<18).map(UInt8.init))
        #expect(try IdxReader.parse(bytes("idx/labels.idx"), path: "seed", rank: 1).bytes.elementsEqual([3, 7]))
        let npy = try NpyReader.parse(bytes("npy/images_u1.npy"), path: "seed")
        #expect(npy.shape == [2, 3, 3] && Array(npy.bytes) == (0..<18).map(UInt8.init))
        #expect(try NpyReader.parse(bytes("npy/labels_be_i4.npy"), path: "seed").integers() == [3, 7])
        let fortran = try NpyReader.parse(bytes("npy/images_f4_fortran_nhwc.npy"), path: "seed")
        // Element (0, 0, 0, 1) sits at Fortran offset 8.
        #expect(fortran.shape == [2, 2, 2, 3] && fortran.floats()?[1] == Float(8.0 / 23))
        #expect(try NpyReader.parse(bytes("npy/labels_u2_v2.npy"), path: "seed").integers() == [0, 1, 2])
        #expect(try NpyReader.parse(bytes("npy/images_f8_v3.npy"), path: "seed").floats() == [0, 0.25, 0.5, 1])
        for name in ["stored", "deflated"] {
            let archive = try NpzReader(bytes: bytes("npz/\(name).npz"), path: "seed")
            #expect(try archive.array("train_labels")?.integers() == [1, 0], "\(name)")
        }
        let cifar = try Cifar10.parseBatch(bytes("cifar/two_records.bin"), path: "seed")
        #expect(cifar.labels == [3, 9])
        let cifar100 = try bytes("cifar100/two_records.bin")
        #expect(try Cifar100.parseBatch(cifar100, path: "seed", labelMode: .fine).labels == [17, 99])
        #expect(try Cifar100.parseBatch(cifar100, path: "seed", labelMode: .coarse).labels == [3, 19])
        for i in 0..<6 {
            let json = String(decoding: try bytes("optimizer_args/args\(i).json"), as: UTF8.self)
            #expect(OptimizerSpec.names.contains { (try? OptimizerSpec(name: $0, json: json)) != nil }, "\(json)")
        }
    }

    /// The image seeds (PNGs that Python builds byte by byte, JPEGs that Pillow writes) decode to
    /// their sizes and channels; the interlaced one, unfiltered, to the very pixels it holds.
    @Test func imageSeedsDecode() throws {
        let sizes = [
            "png/grey1.png": [16, 4, 1], "png/grey16.png": [4, 4, 1], "png/palette4_trns.png": [6, 3, 3],
            "png/grey_alpha16.png": [3, 2, 1], "png/rgba8.png": [4, 3, 3], "png/rgb8_interlaced.png": [9, 9, 3],
            "jpeg/grey.jpg": [24, 16, 1], "jpeg/rgb420.jpg": [24, 16, 3], "jpeg/rgb444_progressive.jpg": [24, 16, 3],
        ]
        for (name, size) in sizes {
            let image = try ImageDecoding.decode(bytes(name), file: name)
            #expect([image.width, image.height, image.channels] == size, "\(name)")
        }
        let interlaced = try ImageDecoding.decode(bytes("png/rgb8_interlaced.png"), file: "seed")
        // Sample c of pixel (x, y) is (29 x + 7 y + c) mod 256.
        let written = (0..<9 * 9 * 3).map { (i: Int) -> UInt8 in
            let x = i / 3 % 9, y = i / 27, c = i % 3
            return UInt8((x * 29 + y * 7 + c) % 256)
        }
        #expect(interlaced.interleaved == written)
        #expect(throws: FileError.malformed("seed", "CMYK JPEG: not supported (convert it to RGB)")) {
            try ImageDecoding.decode(bytes("jpeg/cmyk.jpg"), file: "seed")
        }
    }

    @Test func aPythonWrittenCheckpointLoads() throws {
        let network = try SingleLayerCAE.build(input: Shape(1, 8, 8), classes: 10)
        network.plan(capacity: 1, threads: 1)
        let optimizer = Optimizer(Adam(), learningRate: 0.001, parameters: network.parameters)
        let state = try Checkpoint.decode(
            bytes("checkpoint/single_layer_cae.safetensors"), path: "seed", into: network,
            optimizer: optimizer)
        #expect(state.step == 3 && optimizer.step == 3 && state.bestMetric == 0.5)
        #expect(network.parameters[0].values[1] == 0.01)
    }
}
