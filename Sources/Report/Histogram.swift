// Histogram: counts (or shares) over equal or unequal numeric bins, several series side by side per bin.

public struct Histogram: Sendable {
    /// Bin edges, ascending; bin i covers [edges[i], edges[i+1]).
    public var edges: [Double]
    /// One value per bin and series.
    public var series: [BarSeries]
    public var x: ChartAxis
    public var y: ChartAxis
    /// How a bin's value is written in its tooltip.
    public var valueFormat: TickFormat
    public var width: Double
    public var height: Double

    public init(edges: [Double], series: [BarSeries], x: ChartAxis, y: ChartAxis, valueFormat: TickFormat = .rounded,
                width: Double = 640, height: Double = 320) {
        precondition(edges.count >= 2 && series.allSatisfy { $0.values.count == edges.count - 1 }, "one value per bin")
        self.edges = edges; self.series = series; self.x = x; self.y = y; self.valueFormat = valueFormat
        self.width = width; self.height = height
    }

    public func svg(id: String, title: String) -> String {
        let names = series.count > 1 ? series.map(\.name) : []
        let left = ChartFrame.leftMargin(for: y)
        let legendHeight = ChartFrame.legendHeight(names, width: width, left: left)
        let f = ChartFrame(width: width, height: height + legendHeight, left: left, right: 24, top: 16,
                           bottom: ChartFrame.xAxisBand + legendHeight)
        var s = f.open(id: id, title: title, kind: "histogram") + f.axes(x: x, y: y)
        let k = Double(max(1, series.count))
        let bars = BarChart(categories: [], series: [], valueAxis: y, categoryTitle: "")
        for b in 0..<(edges.count - 1) {
            let x0 = x.scale(edges[b], f.plotLeft, f.plotRight), x1 = x.scale(edges[b + 1], f.plotLeft, f.plotRight)
            let w = (x1 - x0 - 2) / k
            for (j, ser) in series.enumerated() {
                let v = ser.values[b]
                guard v > 0 else { continue }
                let top = y.scale(min(v, y.max), f.plotBottom, f.plotTop)
                s += bars.rect(x: x0 + 1 + w * Double(j), y: top, w: max(w, 0.5), h: f.plotBottom - top, fill: j,
                               label: "\(ser.name) [\(TickFormat.rounded.text(edges[b])), \(TickFormat.rounded.text(edges[b + 1]))): \(valueFormat.text(v))")
            }
        }
        s += f.legend(names.enumerated().map { j, name in
            (name, { (x0: Double, y0: Double) -> String in bars.rect(x: x0 + 8, y: y0 - 6, w: 16, h: 12, fill: j, label: name) })
        }, at: height)
        return s + "</svg>"
    }
}
