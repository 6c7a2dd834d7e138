// Line chart: several series on linear axes, reference lines and labelled points, as one inline SVG.

/// One line: points in data coordinates, drawn with a style that reads in black and white.
public struct LineSeries: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]
    public var style: SeriesStyle
    /// Marker every `markerEvery` points (0 = about 8 markers along the line, always including the ends).
    public var markerEvery: Int

    public init(name: String, points: [(x: Double, y: Double)], style: SeriesStyle, markerEvery: Int = 0) {
        self.name = name; self.points = points; self.style = style; self.markerEvery = markerEvery
    }
}

/// A straight reference line across the plot (a base rate, an alarm line, a top-k% cut).
public struct ReferenceLine: Sendable {
    public enum Orientation: Sendable { case horizontal, vertical }
    public var orientation: Orientation
    public var value: Double
    public var label: String
    public init(_ orientation: Orientation, at value: Double, label: String) {
        self.orientation = orientation; self.value = value; self.label = label
    }
}

/// A text label next to a point in data coordinates.
public struct PointNote: Sendable {
    public var x: Double, y: Double
    public var text: String
    public init(x: Double, y: Double, text: String) { self.x = x; self.y = y; self.text = text }
}

public struct LineChart: Sendable {
    public var x: ChartAxis
    public var y: ChartAxis
    public var series: [LineSeries]
    public var references: [ReferenceLine]
    public var notes: [PointNote]
    public var width: Double
    public var height: Double
    /// At most this many points of a series are drawn (evenly thinned, ends kept): a 100,000-row ROC curve
    /// stays a few kilobytes.
    public static let maxPoints = 400

    public init(x: ChartAxis, y: ChartAxis, series: [LineSeries], references: [ReferenceLine] = [],
                notes: [PointNote] = [], width: Double = 640, height: Double = 400) {
        self.x = x; self.y = y; self.series = series; self.references = references; self.notes = notes
        self.width = width; self.height = height
    }

    public func svg(id: String, title: String) -> String {
        let legendHeight = ChartFrame.legendHeight(series.map(\.name), width: width)
        let f = ChartFrame(width: width, height: height + legendHeight, left: 64, right: 24, top: 14, bottom: 50 + legendHeight)
        func px(_ v: Double) -> Double { x.scale(min(max(v, x.min), x.max), f.plotLeft, f.plotRight) }
        func py(_ v: Double) -> Double { y.scale(min(max(v, y.min), y.max), f.plotBottom, f.plotTop) }
        var s = f.open(id: id, title: title, kind: "line") + f.axes(x: x, y: y)
        for r in references {
            let label = HTMLText.escape(r.label)
            switch r.orientation {
            case .horizontal:
                let yy = HTMLText.coord(py(r.value))
                s += "<line class=\"reference\" x1=\"\(HTMLText.coord(f.plotLeft))\" y1=\"\(yy)\" x2=\"\(HTMLText.coord(f.plotRight))\" y2=\"\(yy)\"/>"
                s += "<text class=\"reference-label\" x=\"\(HTMLText.coord(f.plotRight - 4))\" y=\"\(HTMLText.coord(py(r.value) - 5))\" text-anchor=\"end\">\(label)</text>"
            case .vertical:
                let xx = HTMLText.coord(px(r.value))
                s += "<line class=\"reference\" x1=\"\(xx)\" y1=\"\(HTMLText.coord(f.plotTop))\" x2=\"\(xx)\" y2=\"\(HTMLText.coord(f.plotBottom))\"/>"
                if !r.label.isEmpty { s += "<text class=\"reference-label\" transform=\"translate(\(HTMLText.coord(px(r.value) + 4)) \(HTMLText.coord(f.plotTop + 4))) rotate(90)\">\(label)</text>" }
            }
        }
        for line in series where !line.points.isEmpty {
            let pts = LineChart.thinned(line.points)
            var d = ""
            for (i, p) in pts.enumerated() { d += (i == 0 ? "M" : "L") + HTMLText.coord(px(p.x)) + " " + HTMLText.coord(py(p.y)) }
            s += "<path class=\"series\" d=\"\(d)\" \(ChartFrame.strokeAttributes(line.style))><title>\(HTMLText.escape(line.name))</title></path>"
            let every = line.markerEvery > 0 ? line.markerEvery : max(1, (pts.count - 1) / 8)
            for (i, p) in pts.enumerated() where i % every == 0 || i == pts.count - 1 {
                s += ChartFrame.marker(line.style.marker, x: px(p.x), y: py(p.y), style: line.style)
            }
        }
        for n in notes {
            s += "<text class=\"note\" x=\"\(HTMLText.coord(px(n.x) + 6))\" y=\"\(HTMLText.coord(py(n.y) + 14))\">\(HTMLText.escape(n.text))</text>"
        }
        s += f.legend(series.map { line in
            (line.name, { (x0: Double, y0: Double) -> String in
                "<line x1=\"\(HTMLText.coord(x0))\" y1=\"\(HTMLText.coord(y0))\" x2=\"\(HTMLText.coord(x0 + 32))\" y2=\"\(HTMLText.coord(y0))\" \(ChartFrame.strokeAttributes(line.style))/>"
                    + ChartFrame.marker(line.style.marker, x: x0 + 16, y: y0, style: line.style)
            })
        }, at: height)
        return s + "</svg>"
    }

    /// Evenly spaced points (first and last kept) when a series is longer than `maxPoints`.
    static func thinned(_ p: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        guard p.count > maxPoints else { return p }
        return (0..<maxPoints).map { p[$0 * (p.count - 1) / (maxPoints - 1)] }
    }
}
