/// The ten digits as 3 x 5 dots, so that pictures drawn without a font library (the confusion
/// heat map) can label their axes, cells and colour scale with numbers.
enum DigitFont {
    static let columns = 3
    static let rows = 5

    /// Each digit's rows, top first; bit 2 is the leftmost dot.
    static let glyphs: [[UInt8]] = [
        [0b111, 0b101, 0b101, 0b101, 0b111],
        [0b010, 0b110, 0b010, 0b010, 0b111],
        [0b111, 0b001, 0b111, 0b100, 0b111],
        [0b111, 0b001, 0b111, 0b001, 0b111],
        [0b101, 0b101, 0b111, 0b001, 0b001],
        [0b111, 0b100, 0b111, 0b001, 0b111],
        [0b111, 0b100, 0b111, 0b101, 0b111],
        [0b111, 0b001, 0b001, 0b001, 0b001],
        [0b111, 0b101, 0b111, 0b101, 0b111],
        [0b111, 0b101, 0b111, 0b001, 0b111],
    ]

    /// Whether digit `digit`'s dot at `column` of `row` is drawn.
    static func isDot(_ digit: Int, row: Int, column: Int) -> Bool {
        glyphs[digit][row] & (1 << (columns - 1 - column)) != 0
    }

    /// The pixels `number` takes across at `scale` pixels a dot, a dot's gap between digits.
    static func width(of number: Int, scale: Int) -> Int {
        ((columns + 1) * String(number).count - 1) * scale
    }

    static func height(scale: Int) -> Int { rows * scale }
}
