import Training

/// `confusion_<split>.png`: a confusion matrix as a heat map. Rows are true classes, columns
/// predicted ones, both labelled by class index (the CSV and the printed table name them); each
/// cell is shaded by its share of its row's images (`BluesColourScale`), a row without images in
/// grey, and where cells are large enough (up to 30 classes) they give that share in percent. To
/// the right a colour bar with ticks at 0, 50 and 100 percent is the scale.
public struct ConfusionHeatMap {
    public let matrix: ConfusionMatrix
    /// The side of a cell in pixels: 28 fits a share's three digits at twice the font's size;
    /// more classes get 12 (indices still fit), then whatever keeps the map near 3000 pixels.
    public let cell: Int

    static let margin = 4
    static let barWidth = 14
    static let tick = 3
    /// The colour bar's numbers are always drawn at this scale, so they stay legible.
    static let barScale = 2
    static let background = RGB(255, 255, 255)
    static let ink = RGB(33, 33, 33)
    static let gridLine = RGB(210, 210, 210)
    static let noImages = RGB(189, 189, 189)

    public init(_ matrix: ConfusionMatrix) {
        self.matrix = matrix
        let n = matrix.classes
        cell = n <= 30 ? 28 : n <= 200 ? 12 : max(1, 3000 / n)
    }

    /// Pixels a font dot takes in the cells and on the axes.
    var scale: Int { cell >= 28 ? 2 : 1 }
    var labelled: Bool { cell >= 12 }
    var side: Int { matrix.classes * cell }

    /// The matrix's top left corner, after the row labels and above them the column labels;
    /// at least room for half the colour bar's top number.
    var left: Int {
        labelled ? DigitFont.width(of: max(0, matrix.classes - 1), scale: scale) + 2 * Self.margin : Self.margin
    }
    var top: Int {
        max(labelled ? DigitFont.height(scale: scale) + 2 * Self.margin : Self.margin, barNumberRoom)
    }
    var barNumberRoom: Int { DigitFont.height(scale: Self.barScale) / 2 + Self.margin }
    var barLeft: Int { left + side + 3 * Self.margin }

    public var width: Int {
        barLeft + Self.barWidth + Self.tick + Self.margin + DigitFont.width(of: 100, scale: Self.barScale)
            + Self.margin
    }
    public var height: Int { top + side + barNumberRoom }

    public var png: [UInt8] {
        var canvas = RGBCanvas(width: width, height: height, background: Self.background)
        let n = matrix.classes
        // Cells one pixel in from their top left, so that grid lines part them where they are
        // large enough for a line to spare.
        let inset = labelled ? 1 : 0
        canvas.fill(x: left, y: top, width: side, height: side, Self.gridLine)
        for t in 0..<n {
            for p in 0..<n {
                let share = matrix.rowShare(t, p)
                let colour = share.map(BluesColourScale.colour) ?? Self.noImages
                let (x, y) = (left + p * cell, top + t * cell)
                canvas.fill(x: x + inset, y: y + inset, width: cell - inset, height: cell - inset, colour)
                if let share, cell >= 28 {
                    canvas.draw(
                        Int((share * 100).rounded()), centredAtX: x + cell / 2, y: y + cell / 2, scale: scale,
                        share > 0.5 ? Self.background : Self.ink)
                }
            }
        }
        canvas.frame(x: left, y: top, width: side, height: side, Self.ink)
        if labelled {
            for c in 0..<n {
                let middle = c * cell + cell / 2
                canvas.draw(c, centredAtX: left + middle, y: top / 2, scale: scale, Self.ink)
                canvas.draw(c, centredAtX: left / 2, y: top + middle, scale: scale, Self.ink)
            }
        }
        // The bar's rows run from 100 % at the top to 0 % at the bottom, each row its middle's share.
        for row in 0..<side {
            let share = 1 - (Double(row) + 0.5) / Double(side)
            canvas.fill(x: barLeft, y: top + row, width: Self.barWidth, height: 1, BluesColourScale.colour(share))
        }
        canvas.frame(x: barLeft, y: top, width: Self.barWidth, height: side, Self.ink)
        for percent in [0, 50, 100] {
            let y = top + side - side * percent / 100
            canvas.fill(x: barLeft + Self.barWidth, y: y, width: Self.tick, height: 1, Self.ink)
            let x = barLeft + Self.barWidth + Self.tick + Self.margin
            canvas.draw(
                percent, x: x, y: y - DigitFont.height(scale: Self.barScale) / 2, scale: Self.barScale, Self.ink)
        }
        return canvas.png
    }
}
