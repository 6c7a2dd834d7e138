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
        let left = ChartFrame.leftMargin(for: y)
        let legendHeight = ChartFrame.legendHeight(series.map(\.name), width: width, left: left)
        // Room on the right for half of the last x tick label (a date), so it is centred under its tick.
        let right = max(24, (x.ticks.last.map { ChartText.width($0.label) / 2 } ?? 0) + 4)
        let f = ChartFrame(width: width, height: height + legendHeight, left: left, right: right, top: 16,
                           bottom: ChartFrame.xAxisBand + legendHeight)
        func px(_ v: Double) -> Double { x.scale(min(max(v, x.min), x.max), f.plotLeft, f.plotRight) }
        func py(_ v: Double) -> Double { y.scale(min(max(v, y.min), y.max), f.plotBottom, f.plotTop) }
        var s = f.open(id: id, title: title, kind: "line") + f.axes(x: x, y: y)
        // Labels go where no other label, series or reference line is, inside the plot.
        var placer = LabelPlacer(bounds: Box(x0: f.plotLeft + 2, y0: f.plotTop, x1: f.plotRight - 2, y1: f.plotBottom - 2))
        for r in references {
            switch r.orientation {
            case .horizontal:
                let yy = HTMLText.coord(py(r.value))
                s += "<line class=\"reference\" x1=\"\(HTMLText.coord(f.plotLeft))\" y1=\"\(yy)\" x2=\"\(HTMLText.coord(f.plotRight))\" y2=\"\(yy)\"/>"
                placer.addPolyline([(f.plotLeft, py(r.value)), (f.plotRight, py(r.value))])
            case .vertical:
                let xx = HTMLText.coord(px(r.value))
                s += "<line class=\"reference\" x1=\"\(xx)\" y1=\"\(HTMLText.coord(f.plotTop))\" x2=\"\(xx)\" y2=\"\(HTMLText.coord(f.plotBottom))\"/>"
                placer.addPolyline([(px(r.value), f.plotTop), (px(r.value), f.plotBottom)])
            }
        }
        for line in series where !line.points.isEmpty {
            let pts = LineChart.thinned(line.points)
            var d = ""
            for (i, p) in pts.enumerated() { d += (i == 0 ? "M" : "L") + HTMLText.coord(px(p.x)) + " " + HTMLText.coord(py(p.y)) }
            s += "<path class=\"series\" d=\"\(d)\" \(ChartFrame.strokeAttributes(line.style))><title>\(HTMLText.escape(line.name))</title></path>"
            placer.addPolyline(pts.map { (px($0.x), py($0.y)) })
            let every = line.markerEvery > 0 ? line.markerEvery : max(1, (pts.count - 1) / 8)
            for (i, p) in pts.enumerated() where i % every == 0 || i == pts.count - 1 {
                s += ChartFrame.marker(line.style.marker, x: px(p.x), y: py(p.y), style: line.style)
            }
        }
        for n in notes {
            let (x0, y0) = (px(n.x), py(n.y))
            let spot = placer.place(n.text, LabelPlacer.around(x: x0, y: y0))
            let box = ChartText.box(n.text, x: spot.x, y: spot.y, anchor: spot.anchor)
            // A label pushed away from its point keeps a thin line back to it.
            let nx = min(max(x0, box.x0), box.x1), ny = min(max(y0, box.y0), box.y1)
            if abs(nx - x0) + abs(ny - y0) > 14 {
                s += "<line class=\"leader\" x1=\"\(HTMLText.coord(x0))\" y1=\"\(HTMLText.coord(y0))\" x2=\"\(HTMLText.coord(nx))\" y2=\"\(HTMLText.coord(ny))\"/>"
            }
            s += "<circle class=\"note-point\" cx=\"\(HTMLText.coord(x0))\" cy=\"\(HTMLText.coord(y0))\" r=\"2.5\"/>"
            s += text("note", n.text, spot)
        }
        for r in references where !r.label.isEmpty {
            switch r.orientation {
            case .horizontal:
                let yy = py(r.value)
                let above = yy - ChartText.descent - 4, below = yy + ChartText.ascent + 4
                let spots = [LabelPlacer.Spot(x: f.plotRight - 6, y: above, anchor: .end), .init(x: f.plotRight - 6, y: below, anchor: .end),
                             .init(x: f.plotLeft + 8, y: above, anchor: .start), .init(x: f.plotLeft + 8, y: below, anchor: .start),
                             .init(x: (f.plotLeft + f.plotRight) / 2, y: above, anchor: .middle), .init(x: (f.plotLeft + f.plotRight) / 2, y: below, anchor: .middle)]
                s += text("reference-label", r.label, placer.place(r.label, spots))
            case .vertical:
                s += "<text class=\"reference-label\" transform=\"translate(\(HTMLText.coord(px(r.value) + 4)) \(HTMLText.coord(f.plotTop + 4))) rotate(90)\">\(HTMLText.escape(r.label))</text>"
            }
        }
        s += f.legend(series.map { line in
            (line.name, { (x0: Double, y0: Double) -> String in
                "<line x1=\"\(HTMLText.coord(x0))\" y1=\"\(HTMLText.coord(y0))\" x2=\"\(HTMLText.coord(x0 + 32))\" y2=\"\(HTMLText.coord(y0))\" \(ChartFrame.strokeAttributes(line.style))/>"
                    + ChartFrame.marker(line.style.marker, x: x0 + 16, y: y0, style: line.style)
            })
        }, at: height)
        return s + "</svg>"
    }

    func text(_ cls: String, _ t: String, _ spot: LabelPlacer.Spot) -> String {
        "<text class=\"\(cls)\" x=\"\(HTMLText.coord(spot.x))\" y=\"\(HTMLText.coord(spot.y))\" text-anchor=\"\(spot.anchor.rawValue)\">\(HTMLText.escape(t))</text>"
    }

    /// Evenly spaced points (first and last kept) when a series is longer than `maxPoints`.
    static func thinned(_ p: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        guard p.count > maxPoints else { return p }
        return (0..<maxPoints).map { p[$0 * (p.count - 1) / (maxPoints - 1)] }
    }
}
