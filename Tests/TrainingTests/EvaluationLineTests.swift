import Foundation
import Testing

@testable import Training

/// DTB's evaluation line: Python's `str(datetime.now())`, then `<split> <metric> = <value>`
/// with Python's `{:.3f}` or, for `--all`, `str(float)`.
@Suite struct EvaluationLineTests {
    static let time = PythonDateTime(
        year: 2017, month: 1, day: 12, hour: 15, minute: 41, second: 12, microsecond: 123_456)

    @Test func theDateTimeIsPythonsWithMicrosecondsUnlessTheyAreZero() {
        #expect(Self.time.description == "2017-01-12 15:41:12.123456")
        let whole = PythonDateTime(year: 2017, month: 1, day: 12, hour: 15, minute: 41, second: 12, microsecond: 0)
        #expect(whole.description == "2017-01-12 15:41:12")
        let early = PythonDateTime(year: 987, month: 12, day: 3, hour: 0, minute: 0, second: 0, microsecond: 5)
        #expect(early.description == "0987-12-03 00:00:00.000005")
    }

    /// `now()` is the local wall clock that `Timestamp` (the results lines' seconds) reads.
    @Test func nowIsTheLocalClock() throws {
        let before = Timestamp.now()
        let now = PythonDateTime.now().description
        let after = Timestamp.now()
        #expect([before, after].contains(String(now.prefix(19))), "\(before) \(now) \(after)")
        #expect(now.count == 19 || now.count == 26, "\(now)")
    }

    @Test(arguments: [
        // Python: '{:.3f}'.format(v), rounding the double's exact value, ties to even.
        (0.9925, "0.993"), (0.0065, "0.006"), (0.0005, "0.001"), (0.0625, "0.062"), (0.1875, "0.188"),
        (1.0, "1.000"), (Double.nan, "nan"), (Double.infinity, "inf"),
    ])
    func dtbsLineHasThreeDecimals(_ value: Double, _ number: String) {
        #expect(
            EvaluationLine.text(split: "validation", kind: .classifier, value: value, precision: .dtb, at: Self.time)
                == "2017-01-12 15:41:12.123456: validation accuracy = \(number)")
    }

    @Test func allPrintsTheValueInFullAndAutoencodersAnError() {
        #expect(
            EvaluationLine.text(split: "train", kind: .autoencoder, value: 0.1 + 0.2, precision: .full, at: Self.time)
                == "2017-01-12 15:41:12.123456: train error = 0.30000000000000004")
        #expect(
            EvaluationLine.text(split: "test", kind: .classifier, value: 1, precision: .full, at: Self.time)
                == "2017-01-12 15:41:12.123456: test accuracy = 1.0")
        #expect(
            EvaluationLine.text(split: "test", kind: .autoencoder, value: 6.25e-05, precision: .dtb, at: Self.time)
                == "2017-01-12 15:41:12.123456: test error = 0.000")
    }
}
