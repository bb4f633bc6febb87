import Foundation

/// A small line plot written as SVG text: axes with their ranges, one polyline per series, a
/// legend. Enough to compare curves without any plotting library.
public struct SVGPlot {
    public var title: String
    public var xLabel: String
    public var series: [(name: String, colour: String, points: [(Double, Double)])]

    public init(title: String, xLabel: String, series: [(name: String, colour: String, points: [(Double, Double)])]) {
        self.title = title
        self.xLabel = xLabel
        self.series = series
    }

    public static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf",
    ]

    public var svg: String {
        let (w, h, left, right, top, bottom) = (720.0, 420.0, 70.0, 20.0, 40.0, 50.0)
        let all = series.flatMap(\.points).filter { $0.0.isFinite && $0.1.isFinite }
        let xs = all.map(\.0), ys = all.map(\.1)
        let (x0, x1) = (xs.min() ?? 0, max(xs.max() ?? 1, (xs.min() ?? 0) + 1))
        var (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
        if y1 - y0 < 1e-12 { y1 = y0 + 1 }
        let pad = (y1 - y0) * 0.05
        y0 -= pad; y1 += pad
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (w - left - right) }
        func py(_ y: Double) -> Double { h - bottom - (y - y0) / (y1 - y0) * (h - top - bottom) }
        var out =
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(w))" height="\#(Int(h))" "#
            + #"font-family="sans-serif" font-size="12">"# + "\n"
        out += #"<rect width="100%" height="100%" fill="white"/>"# + "\n"
        out += #"<text x="\#(w / 2)" y="20" text-anchor="middle" font-size="14">\#(escape(title))</text>"# + "\n"
        out +=
            #"<line x1="\#(left)" y1="\#(h - bottom)" x2="\#(w - right)" y2="\#(h - bottom)" stroke="black"/>"# + "\n"
        out += #"<line x1="\#(left)" y1="\#(top)" x2="\#(left)" y2="\#(h - bottom)" stroke="black"/>"# + "\n"
        for i in 0...4 {
            let yv = y0 + (y1 - y0) * Double(i) / 4, xv = x0 + (x1 - x0) * Double(i) / 4
            out +=
                #"<text x="\#(left - 5)" y="\#(py(yv) + 4)" text-anchor="end">\#(String(format: "%.4g", yv))</text>"#
                + "\n"
            out +=
                #"<text x="\#(px(xv))" y="\#(h - bottom + 16)" text-anchor="middle">"#
                + #"\#(String(format: "%.4g", xv))</text>"# + "\n"
        }
        out += #"<text x="\#(w / 2)" y="\#(h - 10)" text-anchor="middle">\#(escape(xLabel))</text>"# + "\n"
        for (i, s) in series.enumerated() {
            let points = s.points.filter { $0.0.isFinite && $0.1.isFinite }
                .map { String(format: "%.1f,%.1f", px($0.0), py($0.1)) }.joined(separator: " ")
            out += #"<polyline fill="none" stroke="\#(s.colour)" stroke-width="2" points="\#(points)"/>"# + "\n"
            out +=
                #"<text x="\#(left + 10)" y="\#(top + 14 + 16 * Double(i))" fill="\#(s.colour)">"#
                + #"\#(escape(s.name))</text>"# + "\n"
        }
        return out + "</svg>\n"
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
