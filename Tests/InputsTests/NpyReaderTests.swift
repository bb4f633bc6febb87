import Plugins
import TestSupport
import Testing

@testable import DataIO

@Suite struct NpyReaderTests {
    typealias F = NumPyFiles

    func read(_ bytes: [UInt8]) throws(FileError) -> NpyArray { try NpyReader.parse(bytes, path: "a.npy") }

    /// Every integer type in both byte orders: values that use every byte, negatives for signed.
    @Test(arguments: ["u1", "i1", "u2", "i2", "u4", "i4", "u8", "i8"], [false, true])
    func integerTypesInBothByteOrders(code: String, bigEndian: Bool) throws {
        let size = Int(code.dropFirst())!
        let signed = code.hasPrefix("i")
        let top = size == 8 ? Int64.max : Int64(1) << (8 * size - (signed ? 1 : 0)) - 1
        let values: [Int64] = [0, 1, top, top / 2 + 1, signed ? -1 : top - 1, signed ? -top - 1 : top / 3]
        let descr = (size == 1 ? "|" : bigEndian ? ">" : "<") + code
        let array = try read(
            F.npy(descr: descr, shape: "(2, 3)", data: F.integers(values, size: size, bigEndian: bigEndian)))
        #expect(array.shape == [2, 3])
        #expect(array.dtype == NpyDType(kind: signed ? .signed : .unsigned, size: size))
        #expect(array.integers() == values)
        #expect(array.floats() == nil)
    }

    @Test(arguments: [false, true])
    func floatTypesInBothByteOrders(bigEndian: Bool) throws {
        let values: [Float] = [0, 1, 0.5, 1 / 3, -2.25e-20, .greatestFiniteMagnitude]
        let f4 = try read(
            F.npy(descr: bigEndian ? ">f4" : "<f4", shape: "(6,)", data: F.floats(values, bigEndian: bigEndian)))
        #expect(f4.floats() == values && f4.dtype == .float32 && f4.integers() == nil)
        let doubles: [Double] = [0, 1, 0.1, 1.0 / 3, 1e-300, -7]
        let f8 = try read(
            F.npy(descr: bigEndian ? ">f8" : "<f8", shape: "(2, 3)", data: F.doubles(doubles, bigEndian: bigEndian)))
        #expect(f8.floats() == doubles.map(Float.init), "float64 is rounded to the nearest float32")
    }

    @Test func versionsTwoAndThreeHaveFourByteLengths() throws {
        for version: UInt8 in [2, 3] {
            let array = try read(
                F.npy(
                    header: "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", data: [1, 2, 3, 4],
                    version: version))
            #expect(array.shape == [2, 2] && Array(array.bytes) == [1, 2, 3, 4], "version \(version)")
        }
    }

    /// The header is a Python literal: any key order, either quote, no trailing comma, a
    /// trailing comma in the shape, Python 2's `L` suffix.
    @Test func headerLiteralVariants() throws {
        for header in [
            "{'shape': (2, 2), 'fortran_order': False, 'descr': '|u1'}",
            "{\"descr\": \"|u1\", \"fortran_order\": False, \"shape\": (2,2,)}",
            "{'descr': '|u1', 'fortran_order': False, 'shape': (2L, 2L), }",
        ] {
            let array = try read(F.npy(header: header, data: [1, 2, 3, 4]))
            #expect(array.shape == [2, 2], "\(header)")
        }
        let scalar = try read(F.npy(descr: "<i8", shape: "()", data: F.integers([42], size: 8)))
        #expect(scalar.shape == [] && scalar.integers() == [42])
    }

    /// Fortran order is converted: element (i, j, k) of the C-order result is the one NumPy
    /// would index, whatever order the file stored.
    @Test func fortranOrderIsTransposedToCOrder() throws {
        let (a, b, c) = (2, 3, 4)
        // Fortran storage: the first index varies fastest.
        var stored = [UInt8](repeating: 0, count: a * b * c)
        for i in 0..<a {
            for j in 0..<b { for k in 0..<c { stored[i + a * (j + b * k)] = UInt8(100 * i + 10 * j + k) } }
        }
        let array = try read(F.npy(descr: "|u1", shape: "(2, 3, 4)", data: stored, fortran: true))
        var expected: [UInt8] = []
        for i in 0..<a { for j in 0..<b { for k in 0..<c { expected.append(UInt8(100 * i + 10 * j + k)) } } }
        #expect(Array(array.bytes) == expected)
        let big = try read(
            F.npy(
                descr: ">i2", shape: "(2, 2)", data: F.integers([1, 3, 2, 4], size: 2, bigEndian: true), fortran: true))
        #expect(big.integers() == [1, 2, 3, 4], "big-endian and Fortran order together")
    }

    func failure(_ bytes: [UInt8]) -> FileError? {
        do {
            _ = try read(bytes)
            return nil
        } catch { return error }
    }

    @Test func refusedTypesSayWhy() throws {
        let cases: [(String, String)] = [
            ("<c8", "is complex"), ("|O", "pickled Python objects"), ("<U5", "holds strings"), ("|S3", "holds strings"),
            ("|b1", "not one the bench reads"), ("<f2", "not one the bench reads"),
            ("<M8[s]", "not one the bench reads"),
            ("|V8", "structured record"), ("|i4", "no byte order"),
        ]
        for (descr, why) in cases {
            let e = try #require(
                failure(F.npy(descr: descr, shape: "(1,)", data: [UInt8](repeating: 0, count: 16))), "\(descr)")
            #expect(e.kind == .malformed && e.file == "a.npy" && e.reason.contains(why), "\(descr): \(e)")
        }
        let structured = try #require(
            failure(
                F.npy(
                    header: "{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }",
                    data: [UInt8](repeating: 0, count: 8))))
        #expect(structured.reason.contains("structured record"), "\(structured)")
    }

    @Test func aHeaderThatLiesAboutItsLength() throws {
        let valid = F.npy(descr: "|u1", shape: "(4,)", data: [1, 2, 3, 4])
        // Longer than the file.
        let long = try #require(
            failure(
                F.npy(
                    header: "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", data: [1, 2, 3, 4],
                    lengthAdjustment: 5000)))
        #expect(long.reason.hasPrefix("truncated: the header length says"), "\(long)")
        // Shorter, into the padding: the padding's bytes are taken for data.
        let padding = try #require(
            failure(
                F.npy(
                    header: "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", data: [1, 2, 3, 4],
                    lengthAdjustment: -40)))
        #expect(padding.reason == "too long: the header ((4,) uint8) claims 4 bytes of data, the file has 44")
        // Shorter, into the dictionary.
        let short = try #require(
            failure(
                F.npy(
                    header: "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", data: [1, 2, 3, 4],
                    lengthAdjustment: -80)))
        #expect(short.reason.hasPrefix("the header is not a valid dictionary"), "\(short)")
        // Longer but within the file: the data's first bytes are read as header text.
        let into = try #require(
            failure(
                F.npy(
                    header: "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", data: [1, 2, 3, 4],
                    lengthAdjustment: 2)))
        #expect(into.reason.contains("text after the dictionary"), "\(into)")
        #expect(try read(valid).count == 4)
    }

    @Test func dataLengthMustMatchTheShape() throws {
        let truncated = try #require(
            failure(F.npy(descr: "<i4", shape: "(3, 2)", data: [UInt8](repeating: 0, count: 23))))
        #expect(
            truncated.reason == "truncated: the header ((3, 2) int32) claims 24 bytes of data, the file has 23",
            "\(truncated)")
        let long = try #require(failure(F.npy(descr: "<i4", shape: "(3, 2)", data: [UInt8](repeating: 0, count: 25))))
        #expect(long.reason.hasPrefix("too long"), "\(long)")
        let huge = try #require(failure(F.npy(descr: "<f8", shape: "(4294967296, 4294967296)", data: [])))
        #expect(huge.reason == "the array (4294967296, 4294967296) float64 is too large", "\(huge)")
    }

    @Test func malformedFilesAndHeaders() throws {
        let cases: [([UInt8], String)] = [
            (Array("PK\u{3}\u{4}not npy".utf8), "not an .npy file"),
            ([0x93] + Array("NUMPY".utf8) + [4, 0, 0, 0], ".npy format version 4.0"),
            ([0x93] + Array("NUMPY".utf8) + [1, 0, 5], "truncated: 9 bytes"),
            (F.npy(header: "{'descr': '|u1', 'shape': (1,), }", data: [0]), "the header's keys are"),
            (
                F.npy(header: "{'descr': '|u1', 'fortran_order': False, 'shape': (1,), 'extra': 1, }", data: [0]),
                "the header's keys are"
            ),
            (
                F.npy(header: "{'descr': '|u1', 'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", data: [0]),
                "repeated"
            ),
            (
                F.npy(header: "{'descr': '|u1', 'fortran_order': 0, 'shape': (1,), }", data: [0]),
                "'fortran_order' is not"
            ),
            (
                F.npy(header: "{'descr': '|u1', 'fortran_order': False, 'shape': (-1,), }", data: [0]),
                "other than sizes"
            ),
            (
                F.npy(header: "{'descr': '|u1', 'fortran_order': False, 'shape': 1, }", data: [0]),
                "'shape' is not a tuple"
            ),
            (F.npy(header: "{'descr': '|u1', 'fortran_order': False, 'shape': (1,), } x", data: [0]), "text after"),
            (
                F.npy(
                    header: "{'descr': '|u1', 'fortran_order': False, 'shape': (99999999999999999999,), }", data: [0]),
                "integer too large"
            ),
            (
                F.npy(
                    header: "{'descr': '|u1', 'fortran_order': False, 'shape': ((((((((((1,),),),),),),),),),), }",
                    data: [0]), "nesting too deep"
            ),
            (
                F.npy(header: "{'descr': '|u1, 'fortran_order': False, 'shape': (1,), }", data: [0]),
                "not a valid dictionary"
            ),
        ]
        for (bytes, why) in cases {
            let e = try #require(failure(bytes), "\(why)")
            #expect(e.kind == .malformed && e.file == "a.npy" && e.reason.contains(why), "\(why): \(e)")
            #expect(e.exitCode == 65)
        }
    }

    @Test func aMissingFileIsMissing() {
        #expect(throws: FileError.missing("/nonexistent/a.npy", "no such file")) {
            try NpyReader.read("/nonexistent/a.npy")
        }
    }
}
