import Foundation
import TestSupport
import Testing

@testable import DataIO

/// The resize against hand-worked cases, then against Pillow itself: scripts/
/// pillow_resize_reference.sh installs Pillow from PyPI into .build/python-venv and resizes the
/// same noisy images, whose every wrong weight would show.
@Suite struct PillowResizeTests {
    static func grey(_ width: Int, _ height: Int, _ pixels: [UInt8]) -> DecodedImage {
        DecodedImage(width: width, height: height, channels: 1, planes: pixels)
    }

    static func resize(_ image: DecodedImage, _ width: Int, _ height: Int) -> DecodedImage {
        PillowResize(fromWidth: image.width, height: image.height, toWidth: width, height: height).resize(image)
    }

    /// BOX halving averages pairs; 3 to 2 takes Pillow's footprints (output 0 covers inputs 0
    /// and 1 fully, output 1 only input 2, by Pillow's rounding of the footprint's ends).
    @Test func boxWhenShrinking() {
        #expect(Self.resize(Self.grey(4, 1, [0, 10, 20, 31]), 2, 1).pixels == [5, 26])
        #expect(Self.resize(Self.grey(1, 4, [0, 10, 20, 31]), 1, 2).pixels == [5, 26])
        #expect(Self.resize(Self.grey(3, 1, [0, 10, 20]), 2, 1).pixels == [5, 20])
    }

    /// BILINEAR doubling: the outer samples repeat the edges, the inner ones are 1/4 and 3/4 of
    /// the way.
    @Test func bilinearWhenGrowing() {
        #expect(Self.resize(Self.grey(2, 1, [0, 100]), 4, 1).pixels == [0, 25, 75, 100])
        #expect(Self.resize(Self.grey(1, 2, [0, 100]), 1, 4).pixels == [0, 25, 75, 100])
    }

    @Test func aConstantImageStaysConstant() {
        for (from, to) in [((28, 28), (19, 19)), ((7, 5), (28, 31)), ((100, 3), (28, 9)), ((5, 40), (12, 6))] {
            let image = DecodedImage(
                width: from.0, height: from.1, channels: 3,
                planes: [UInt8](repeating: 200, count: from.0 * from.1) + [UInt8](repeating: 0, count: from.0 * from.1)
                    + [UInt8](repeating: 255, count: from.0 * from.1))
            let out = Self.resize(image, to.0, to.1)
            let area = to.0 * to.1
            #expect(
                out.pixels == [UInt8](repeating: 200, count: area) + [UInt8](repeating: 0, count: area)
                    + [UInt8](repeating: 255, count: area), "\(from) to \(to)")
        }
        let image = Self.grey(3, 2, [1, 2, 3, 4, 5, 6])
        #expect(Self.resize(image, 3, 2) == image)
    }

    /// Noise over a gradient, with hard edges: any wrong weight or rounding shows.
    static func noisy(width: Int, height: Int, channels: Int, seed: Int) -> DecodedImage {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        var pixels: [UInt8] = []
        for c in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let noise = Int(state >> 58)  // 0-63
                    let edge = (x / 3 + y / 4 + c) % 2 == 0 ? 0 : 128
                    pixels.append(UInt8(min(255, edge + noise + (x + y) * 64 / (width + height))))
                }
            }
        }
        return DecodedImage(width: width, height: height, channels: channels, planes: pixels)
    }

    static let python = RepositoryScript.pythonInstalled

    @Test(.enabled(if: python, "python3 is not installed"), .timeLimit(.minutes(10)))
    func matchesPillow() throws {
        let sizes = [
            ((28, 28), (19, 19)), ((32, 32), (28, 28)), ((100, 100), (28, 28)), ((28, 28), (32, 32)),
            ((7, 7), (28, 28)), ((28, 20), (19, 31)), ((40, 30), (40, 17)), ((13, 30), (29, 30)),
        ]
        let files = DatasetFiles()
        defer { files.remove() }
        var manifest: [[String: Any]] = []
        var expected: [String: DecodedImage] = [:]
        for (i, (from, to)) in sizes.enumerated() {
            for channels in [1, 3] {
                let name = "case\(i)_\(channels)"
                let image = Self.noisy(width: from.0, height: from.1, channels: channels, seed: i * 3 + channels)
                files.write(name + ".raw", image.interleaved)
                expected[name] = Self.resize(image, to.0, to.1)
                manifest.append([
                    "input": name + ".raw", "mode": channels == 1 ? "L" : "RGB", "width": from.0, "height": from.1,
                    "out_width": to.0, "out_height": to.1, "output": name + ".pillow.raw",
                ])
            }
        }
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: files.path("cases.json")))

        let (status, output) = try RepositoryScript.run("pillow_resize_reference.sh", [files.path("cases.json")])
        try #require(status == 0, "\(output)")
        let pillow = try #require(
            output.split(separator: "\n").last { $0.hasSuffix("resized \(manifest.count) images") }, "\(output)")

        var largest = 0
        for (name, ours) in expected.sorted(by: { $0.key < $1.key }) {
            let theirs = try [UInt8](Data(contentsOf: URL(fileURLWithPath: files.path(name + ".pillow.raw"))))
            try #require(theirs.count == ours.pixels.count, "\(name): \(theirs.count) bytes from Pillow")
            let difference = zip(ours.interleaved, theirs).map { abs(Int($0) - Int($1)) }.max() ?? 0
            #expect(difference <= 1, "\(name): \(difference) grey levels from Pillow")
            largest = max(largest, difference)
        }
        print(
            "PillowResizeTests: \(expected.count) resizes, largest difference from \(pillow.prefix { $0 != ":" }): "
                + "\(largest) grey levels")
    }
}
