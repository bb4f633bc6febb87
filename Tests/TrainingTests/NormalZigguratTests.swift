import Foundation
import Testing

@testable import Training

/// The ziggurat's numbers are standard normal: their distribution function against Φ over the
/// body, the wedges and the tail, and number i is the same whatever the count drawn.
@Suite struct NormalZigguratTests {
    static let count = 1_000_000
    static let numbers: [Float] = {
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer {
            NormalZiggurat.add(
                to: $0.baseAddress!, count: count, scale: 1, low: -.infinity, high: .infinity, key: 0x5EED)
        }
        return values
    }()

    @Test func theDistributionFunctionIsPhis() {
        let sorted = Self.numbers.sorted()
        for z in [-4.0, -3.5, -3, -2.5, -2, -1.5, -1, -0.5, 0, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4] {
            var (low, high) = (0, sorted.count)
            while low < high {
                let middle = (low + high) / 2
                if Double(sorted[middle]) < z { low = middle + 1 } else { high = middle }
            }
            let below = Double(low) / Double(Self.count)
            let phi = 0.5 * erfc(-z / 2.0.squareRoot())
            // Four standard errors of an empirical distribution function at this point.
            let tolerance = 4 * (phi * (1 - phi) / Double(Self.count)).squareRoot() + 1e-6
            #expect(abs(below - phi) < tolerance, "F(\(z)) = \(below), Φ = \(phi)")
        }
    }

    @Test func theMomentsAreZeroAndOne() {
        let n = Double(Self.count)
        let mean = Self.numbers.reduce(0.0) { $0 + Double($1) } / n
        let variance = Self.numbers.reduce(0.0) { $0 + Double($1) * Double($1) } / n - mean * mean
        let fourth = Self.numbers.reduce(0.0) { $0 + pow(Double($1) - mean, 4) } / n / (variance * variance)
        #expect(abs(mean) < 0.005 && abs(variance - 1) < 0.005, "mean \(mean), variance \(variance)")
        #expect(abs(fourth - 3) < 0.03, "kurtosis \(fourth)")
    }

    @Test func theTailBeyondRHasItsShare() {
        let tail = Self.numbers.filter { Double(abs($0)) > NormalZiggurat.r }.count
        let expected = erfc(NormalZiggurat.r / 2.0.squareRoot()) * Double(Self.count)
        #expect(abs(Double(tail) - expected) < 4 * expected.squareRoot(), "\(tail) beyond r, \(expected) expected")
        #expect(Self.numbers.contains { $0 > 4 } && Self.numbers.contains { $0 < -4 })
    }

    @Test func numberIDependsOnTheKeyAndIAlone() {
        var few = [Float](repeating: 0, count: 1000)
        few.withUnsafeMutableBufferPointer {
            NormalZiggurat.add(
                to: $0.baseAddress!, count: 1000, scale: 1, low: -.infinity, high: .infinity, key: 0x5EED)
        }
        #expect(few == Array(Self.numbers[0..<1000]))
    }
}
