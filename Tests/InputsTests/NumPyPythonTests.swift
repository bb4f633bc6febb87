import Foundation
import Plugins
import TestSupport
import Testing

@testable import DataIO
@testable import Inputs

/// NumPy itself writes the arrays (scripts/write_numpy_arrays.sh installs it from PyPI into a
/// virtual environment), with a manifest of the values NumPy reads back from each; the bench's
/// readers must find the same values in every dtype, byte order, memory order, archive and
/// dataset layout, and its writer must write what `np.save` writes, byte for byte.
@Suite struct NumPyPythonTests {
    static let python = RepositoryScript.pythonInstalled

    struct Entry: Decodable {
        enum Values: Equatable {
            case integers([Int64])
            case floats([Float])
        }

        let name: String
        let dtype: String
        let shape: [Int]
        let values: Values

        enum CodingKeys: String, CodingKey { case name, dtype, shape, values }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            dtype = try c.decode(String.self, forKey: .dtype)
            shape = try c.decode([Int].self, forKey: .shape)
            // Integers decode exactly (int64 and uint64 values beyond a double's 53 bits included).
            values =
                dtype.hasPrefix("float")
                ? .floats(try c.decode([Double].self, forKey: .values).map(Float.init))
                : .integers(try c.decode([Int64].self, forKey: .values))
        }
    }

    struct Archive: Decodable {
        let name: String
        let arrays: [Entry]
    }

    struct Dataset: Decodable {
        let name: String
        let train: Entry
        let validation: Entry
        let test: Entry
    }

    struct Manifest: Decodable {
        let arrays: [Entry]
        let archives: [Archive]
        let datasets: [Dataset]
        let writer: [Entry]
    }

    func check(_ array: NpyArray, _ entry: Entry) {
        #expect(array.shape == entry.shape, "\(entry.name)")
        #expect(array.dtype.description == entry.dtype, "\(entry.name)")
        switch entry.values {
        case .integers(let values): #expect(array.integers() == values, "\(entry.name)")
        case .floats(let values): #expect(array.floats() == values, "\(entry.name)")
        }
    }

    func check(_ set: ImageSet, _ entry: Entry, _ name: String) {
        #expect([set.count, set.shape.channels, set.shape.height, set.shape.width] == entry.shape, "\(name)")
        switch (set.pixels, entry.values) {
        case (.bytes(let bytes), .integers(let values)): #expect(bytes.map(Int64.init) == values, "\(name)")
        case (.intensities(let floats), .floats(let values)): #expect(Array(floats) == values, "\(name)")
        default: Issue.record("\(name): \(entry.dtype) read as the other kind of pixels")
        }
    }

    @Test(.enabled(if: python, "python3 is not installed"), .timeLimit(.minutes(10)))
    func readsWhatNumPyWritesAndWritesWhatItWrites() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        let (status, output) = try RepositoryScript.run("write_numpy_arrays.sh", [files.directory])
        try #require(status == 0, "\(output)")
        let manifest = try JSONDecoder().decode(
            Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: files.path("manifest.json"))))
        #expect(manifest.arrays.count == 24 && manifest.archives.count == 2 && manifest.datasets.count == 2)

        for entry in manifest.arrays { check(try NpyReader.read(files.path(entry.name)), entry) }
        for archive in manifest.archives {
            let reader = try NpzReader(files.path(archive.name))
            for entry in archive.arrays { check(try #require(try reader.array(entry.name)), entry) }
        }
        for dataset in manifest.datasets {
            let data = try NumPy.load(DatasetOptions(directory: files.path(dataset.name)))
            check(data.train, dataset.train, "\(dataset.name) train")
            check(data.validation, dataset.validation, "\(dataset.name) validation")
            check(data.test, dataset.test, "\(dataset.name) test")
        }
        for entry in manifest.writer {
            let written: [UInt8]
            switch entry.values {
            case .integers(let values) where entry.dtype == "uint8":
                written = NpyWriter.encode(values.map { UInt8($0) }, shape: entry.shape)
            case .integers(let values): written = NpyWriter.encode(values, shape: entry.shape)
            case .floats(let values): written = NpyWriter.encode(values, shape: entry.shape)
            }
            #expect(try FileBytes.read(files.path(entry.name)) == written, "\(entry.name)")
        }
    }
}
