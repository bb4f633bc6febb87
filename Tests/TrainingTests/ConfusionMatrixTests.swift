import DataIO
import Testing

@testable import Reporting
@testable import Training

/// The confusion matrix of `evaluate_classifier --all`: its counts, and its text, CSV and heat map.
@Suite struct ConfusionMatrixTests {
    /// Six images of three classes (the second name needs CSV quoting), and a fourth class none
    /// of them has.
    static let matrix = ConfusionMatrix(
        classNames: ["cat", "dog, big", "bird", "T-shirt/top"], truth: [0, 0, 1, 2, 2, 2, 2],
        predicted: [0, 1, 1, 2, 0, 2, 3])

    @Test func countsFallInTheTrueClassesRowAndThePredictedClassesColumn() {
        let m = Self.matrix
        #expect(m.counts == [[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 2, 1], [0, 0, 0, 0]])
        #expect(m.total == 7 && m.correct == 4 && m.accuracy == 4.0 / 7)
        #expect(m.recall(of: 0) == 0.5 && m.recall(of: 1) == 1 && m.recall(of: 2) == 0.5 && m.recall(of: 3) == nil)
        #expect(m.rowShare(2, 0) == 0.25 && m.support(of: 2) == 4)
        #expect(ConfusionMatrix(classNames: ["a", "b"], truth: [], predicted: []).accuracy.isNaN)
    }

    @Test func theTableIsAlignedUnderTheClassNames() {
        #expect(
            Self.matrix.table == """
                true \\ predicted  cat  dog, big  bird  T-shirt/top
                cat                 1         1     0            0
                dog, big            0         1     0            0
                bird                1         0     2            1
                T-shirt/top         0         0     0            0

                """)
        #expect(
            Self.matrix.recallLines == [
                "recall of cat = 0.5 (1 of 2)", "recall of dog, big = 1.0 (1 of 1)", "recall of bird = 0.5 (2 of 4)",
                "recall of T-shirt/top: no images",
            ])
        let report = Self.matrix.report(split: "test").split(separator: "\n")
        #expect(report.first == "test confusion matrix (rows: true class, columns: predicted class):")
        #expect(report.count == 1 + 5 + 1 + 4 && report[6] == "test accuracy of each class (recall):")
    }

    @Test func theCSVHasAHeaderOfNamesAndTheTrueClassFirst() {
        #expect(
            Self.matrix.csv == """
                true/predicted,cat,"dog, big",bird,T-shirt/top
                cat,1,1,0,0
                "dog, big",0,1,0,0
                bird,1,0,2,1
                T-shirt/top,0,0,0,0

                """)
    }

    @Test func theHeatMapShadesCellsByRowShareBesideItsColourScale() throws {
        let map = ConfusionHeatMap(Self.matrix)
        let picture = try ImageDecoding.decode(map.png, file: "confusion.png")
        // 28-pixel cells; the widest index, 3, is 6 pixels; the bar's numbers 22.
        #expect(map.cell == 28 && map.width == 14 + 4 * 28 + 12 + 14 + 3 + 4 + 22 + 4 && map.height == 18 + 4 * 28 + 9)
        #expect(picture.width == map.width && picture.height == map.height && picture.channels == 3)
        func pixel(_ x: Int, _ y: Int) -> RGB {
            RGB(picture[c: 0, y: y, x: x], picture[c: 1, y: y, x: x], picture[c: 2, y: y, x: x])
        }
        /// A pixel of cell (t, p) clear of its grid line and its number.
        func cell(_ t: Int, _ p: Int) -> RGB { pixel(map.left + p * 28 + 2, map.top + t * 28 + 2) }
        #expect(cell(1, 1) == BluesColourScale.colour(1) && cell(1, 0) == BluesColourScale.colour(0))
        #expect(cell(0, 0) == BluesColourScale.colour(0.5) && cell(2, 3) == BluesColourScale.colour(0.25))
        #expect(cell(3, 3) == ConfusionHeatMap.noImages)
        // Cell (1, 1) says 100 in white: the 1's top dot, 3 pixels in and 9 down, centres the digits.
        #expect(pixel(map.left + 28 + 3 + 2, map.top + 28 + 9) == ConfusionHeatMap.background)
        // The colour bar runs from the darkest blue at the top to near white at the bottom.
        let bar = map.barLeft + 7
        #expect(pixel(bar, map.top) == BluesColourScale.colour(1 - 0.5 / 112))
        #expect(pixel(bar, map.top + 111) == BluesColourScale.colour(0.5 / 112))
    }

    @Test func manyClassesGetSmallerCells() {
        func matrix(_ n: Int) -> ConfusionHeatMap {
            ConfusionHeatMap(ConfusionMatrix(classNames: (0..<n).map(String.init), truth: [0], predicted: [0]))
        }
        #expect(matrix(30).cell == 28 && matrix(31).cell == 12 && matrix(200).cell == 12 && matrix(1000).cell == 3)
        #expect(matrix(100).labelled && !matrix(1000).labelled)
        #expect(matrix(1000).width < 3100 && matrix(1000).height < 3100)
    }

    @Test func theBluesScaleDarkensSteadily() {
        #expect(BluesColourScale.colour(0) == RGB(247, 251, 255) && BluesColourScale.colour(1) == RGB(8, 48, 107))
        #expect(
            BluesColourScale.colour(-1) == BluesColourScale.colour(0)
                && BluesColourScale.colour(.nan) == RGB(247, 251, 255))
        let lightness = (0...20).map { i -> Int in
            let c = BluesColourScale.colour(Double(i) / 20)
            return Int(c.red) + Int(c.green) + Int(c.blue)
        }
        #expect(zip(lightness, lightness.dropFirst()).allSatisfy { $0 > $1 })
    }
}
