// Series styles that stay apart in black and white (dash pattern + marker shape, colour only as a bonus),
// and the plot frame shared by every chart: axes, grid, ticks, axis titles and legend.

/// Marker shapes drawn at data points.
public enum MarkerShape: Sendable, CaseIterable { case circle, square, triangle, diamond, cross }

/// The look of one line series; `SeriesStyle.cycle(i)` gives the i-th of a fixed, B/W-safe sequence.
public struct SeriesStyle: Sendable, Equatable {
    public var stroke: String
    /// SVG stroke-dasharray; nil = solid.
    public var dash: String?
    public var marker: MarkerShape
    public var width: Double

    public init(stroke: String, dash: String?, marker: MarkerShape, width: Double = 2) {
        self.stroke = stroke; self.dash = dash; self.marker = marker; self.width = width
    }

    static let sequence: [SeriesStyle] = [
        SeriesStyle(stroke: "#1f3b73", dash: nil, marker: .circle),
        SeriesStyle(stroke: "#b34a00", dash: "8 4", marker: .square),
        SeriesStyle(stroke: "#2e6b30", dash: "2 3", marker: .triangle),
        SeriesStyle(stroke: "#6a2c8f", dash: "10 3 2 3", marker: .diamond),
        SeriesStyle(stroke: "#000000", dash: "5 2 1 2 1 2", marker: .cross),
        SeriesStyle(stroke: "#7a5c00", dash: "14 4", marker: .circle),
    ]
    public static func cycle(_ i: Int) -> SeriesStyle { sequence[i % sequence.count] }
    /// A thin grey dashed line for baselines (chance, base rate, perfect calibration).
    public static let reference = SeriesStyle(stroke: "#6b6b6b", dash: "4 4", marker: .cross, width: 1.25)
    /// Bar fills that read as dark, white-with-outline and light grey in black and white.
    static let barFills = ["#1f3b73", "#ffffff", "#9db4d8", "#4d4d4d"]
}

/// Pixel layout of a chart: the SVG size and the plot rectangle inside it.
struct ChartFrame {
    var width: Double
    var height: Double
    var left: Double, right: Double, top: Double, bottom: Double
    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// `<svg>` opening tag: a viewBox so it scales down to any width, a title for screen readers.
    func open(id: String, title: String, kind: String) -> String {
        let w = Int(width.rounded(.up)), h = Int(height.rounded(.up))
        return "<svg class=\"chart\" data-chart=\"\(HTMLText.escape(id))\" data-kind=\"\(kind)\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" style=\"max-width:\(w)px\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\"><title>\(HTMLText.escape(title))</title>"
    }

    /// The left margin a y axis needs: its rotated title, then its widest tick label.
    static func leftMargin(for y: ChartAxis?) -> Double {
        guard let y else { return 24 }
        return titleBand + 8 + (y.ticks.map { ChartText.width($0.label) }.max() ?? 0) + 8
    }

    /// Width of the rotated y-axis title at the left edge.
    static let titleBand = 6 + ChartText.ascent + ChartText.descent

    /// Baseline that centres a label on `y`.
    static func centredBaseline(_ y: Double) -> Double { y + (ChartText.ascent - ChartText.descent) / 2 - 1 }

    /// Horizontal grid lines at the y ticks, y tick labels, the axis lines and both axis titles. X tick labels
    /// that would run into the previous one are left out (the tick mark stays); none runs off the edge.
    func axes(x: ChartAxis?, y: ChartAxis?, xTickLabels: Bool = true) -> String {
        var s = "<g class=\"axes\">"
        if let y {
            for t in y.ticks {
                let py = y.scale(t.value, plotBottom, plotTop)
                s += "<line class=\"grid\" x1=\"\(HTMLText.coord(plotLeft))\" y1=\"\(HTMLText.coord(py))\" x2=\"\(HTMLText.coord(plotRight))\" y2=\"\(HTMLText.coord(py))\"/>"
                s += "<text class=\"tick\" x=\"\(HTMLText.coord(plotLeft - 8))\" y=\"\(HTMLText.coord(ChartFrame.centredBaseline(py)))\" text-anchor=\"end\">\(HTMLText.escape(t.label))</text>"
            }
            let title = ChartText.fitted(y.title, maxWidth: plotBottom - plotTop)
            s += "<text class=\"axis-title\" transform=\"translate(\(HTMLText.coord(6 + ChartText.ascent)) \(HTMLText.coord((plotTop + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTMLText.escape(title))\(title == y.title ? "" : "<title>\(HTMLText.escape(y.title))</title>")</text>"
        }
        if let x {
            var lastRight = -Double.infinity
            for t in x.ticks {
                let px = x.scale(t.value, plotLeft, plotRight)
                s += "<line class=\"tick-mark\" x1=\"\(HTMLText.coord(px))\" y1=\"\(HTMLText.coord(plotBottom))\" x2=\"\(HTMLText.coord(px))\" y2=\"\(HTMLText.coord(plotBottom + 5))\"/>"
                guard xTickLabels else { continue }
                let w = ChartText.width(t.label)
                let anchor: Anchor = px + w / 2 > width - 2 ? .end : px - w / 2 < 2 ? .start : .middle
                let box = ChartText.box(t.label, x: px, y: plotBottom + 20, anchor: anchor)
                guard box.x0 > lastRight + 6 else { continue }
                lastRight = box.x1
                s += "<text class=\"tick\" x=\"\(HTMLText.coord(px))\" y=\"\(HTMLText.coord(plotBottom + 20))\" text-anchor=\"\(anchor.rawValue)\">\(HTMLText.escape(t.label))</text>"
            }
            let title = ChartText.fitted(x.title, maxWidth: width - 8)
            let cx = min(max((plotLeft + plotRight) / 2, ChartText.width(title) / 2 + 4), width - ChartText.width(title) / 2 - 4)
            s += "<text class=\"axis-title\" x=\"\(HTMLText.coord(cx))\" y=\"\(HTMLText.coord(plotBottom + 42))\" text-anchor=\"middle\">\(HTMLText.escape(title))</text>"
        }
        s += "<path class=\"axis\" d=\"M\(HTMLText.coord(plotLeft)) \(HTMLText.coord(plotTop))V\(HTMLText.coord(plotBottom))H\(HTMLText.coord(plotRight))\"/>"
        return s + "</g>"
    }

    /// Space under the plot for x tick labels and the x-axis title.
    static let xAxisBand = 52.0
    static let legendRowHeight = ChartText.ascent + ChartText.descent + 6

    /// A legend in rows under the x-axis title; each entry a short line sample with its marker, or a swatch.
    static func legendHeight(_ names: [String], width: Double, left: Double) -> Double {
        names.isEmpty ? 0 : legendRowHeight * Double(legendRows(names, width: width, left: left).count) + 6
    }

    static func legendEntryWidth(_ name: String) -> Double { 40 + ChartText.width(name) + 18 }

    static func legendRows(_ names: [String], width: Double, left: Double) -> [[Int]] {
        var rows: [[Int]] = [[]], used = 0.0
        for (i, n) in names.enumerated() {
            let w = legendEntryWidth(n)
            if left + used + w > width - 4 && !rows[rows.count - 1].isEmpty { rows.append([]); used = 0 }
            rows[rows.count - 1].append(i); used += w
        }
        return rows
    }

    /// Legend entries start at the plot's left edge, or further left when a name would not fit otherwise.
    func legendLeft(_ names: [String]) -> Double {
        let widest = names.map(ChartFrame.legendEntryWidth).max() ?? 0
        return max(4, min(plotLeft, width - 4 - widest))
    }

    func legend(_ entries: [(name: String, sample: (Double, Double) -> String)], at y0: Double) -> String {
        guard !entries.isEmpty else { return "" }
        var s = "<g class=\"legend\">"
        let left = legendLeft(entries.map(\.name))
        for (r, row) in ChartFrame.legendRows(entries.map(\.name), width: width, left: left).enumerated() {
            var x = left
            let baseline = y0 + ChartFrame.legendRowHeight * Double(r) + 3 + ChartText.ascent
            let y = baseline - (ChartText.ascent - ChartText.descent) / 2 + 1
            for i in row {
                let name = ChartText.fitted(entries[i].name, maxWidth: width - 4 - x - 40)
                s += entries[i].sample(x, y)
                s += "<text class=\"legend-text\" x=\"\(HTMLText.coord(x + 40))\" y=\"\(HTMLText.coord(baseline))\">\(HTMLText.escape(name))</text>"
                x += ChartFrame.legendEntryWidth(entries[i].name)
            }
        }
        return s + "</g>"
    }

    static func marker(_ shape: MarkerShape, x: Double, y: Double, style: SeriesStyle, size: Double = 4) -> String {
        let cx = HTMLText.coord(x), cy = HTMLText.coord(y)
        let paint = "fill=\"#ffffff\" stroke=\"\(style.stroke)\" stroke-width=\"1.5\""
        switch shape {
        case .circle: return "<circle class=\"marker\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(HTMLText.coord(size))\" \(paint)/>"
        case .square: return "<rect class=\"marker\" x=\"\(HTMLText.coord(x - size))\" y=\"\(HTMLText.coord(y - size))\" width=\"\(HTMLText.coord(2 * size))\" height=\"\(HTMLText.coord(2 * size))\" \(paint)/>"
        case .triangle:
            return "<path class=\"marker\" d=\"M\(cx) \(HTMLText.coord(y - size * 1.2))L\(HTMLText.coord(x + size * 1.1)) \(HTMLText.coord(y + size * 0.8))L\(HTMLText.coord(x - size * 1.1)) \(HTMLText.coord(y + size * 0.8))Z\" \(paint)/>"
        case .diamond:
            return "<path class=\"marker\" d=\"M\(cx) \(HTMLText.coord(y - size * 1.3))L\(HTMLText.coord(x + size * 1.3)) \(cy)L\(cx) \(HTMLText.coord(y + size * 1.3))L\(HTMLText.coord(x - size * 1.3)) \(cy)Z\" \(paint)/>"
        case .cross:
            return "<path class=\"marker\" d=\"M\(HTMLText.coord(x - size)) \(HTMLText.coord(y - size))L\(HTMLText.coord(x + size)) \(HTMLText.coord(y + size))M\(HTMLText.coord(x - size)) \(HTMLText.coord(y + size))L\(HTMLText.coord(x + size)) \(HTMLText.coord(y - size))\" fill=\"none\" stroke=\"\(style.stroke)\" stroke-width=\"1.5\"/>"
        }
    }

    static func strokeAttributes(_ style: SeriesStyle) -> String {
        "fill=\"none\" stroke=\"\(style.stroke)\" stroke-width=\"\(style.width)\"" + (style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")
    }
}
