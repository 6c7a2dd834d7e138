// Bar chart: categories with one or more series of values, horizontal (long names) or vertical, inline SVG.

public struct BarSeries: Sendable {
    public var name: String
    public var values: [Double]
    public init(name: String, values: [Double]) { self.name = name; self.values = values }
}

public struct BarChart: Sendable {
    public enum Orientation: Sendable { case horizontal, vertical }
    public var categories: [String]
    public var series: [BarSeries]
    /// The value axis (x for horizontal bars, y for vertical ones).
    public var valueAxis: ChartAxis
    /// Title of the category axis.
    public var categoryTitle: String
    public var orientation: Orientation
    /// How each bar's value is printed at its end (nil: not printed).
    public var valueFormat: TickFormat?
    /// Dashed lines across the bars at these values of the value axis (a threshold); their meaning goes in
    /// the axis title, so they carry no label of their own.
    public var marks: [Double]
    public var width: Double

    public init(categories: [String], series: [BarSeries], valueAxis: ChartAxis, categoryTitle: String,
                orientation: Orientation = .horizontal, valueFormat: TickFormat? = nil, marks: [Double] = [], width: Double = 640) {
        precondition(series.allSatisfy { $0.values.count == categories.count }, "one value per category and series")
        self.categories = categories; self.series = series; self.valueAxis = valueAxis
        self.categoryTitle = categoryTitle; self.orientation = orientation; self.valueFormat = valueFormat
        self.marks = marks; self.width = width
    }

    public func svg(id: String, title: String) -> String {
        let names = series.count > 1 ? series.map(\.name) : []
        let k = Double(max(1, series.count))
        let tooltip = valueFormat ?? .rounded
        var s: String
        let f: ChartFrame
        switch orientation {
        case .horizontal:
            let step = ChartText.ascent + ChartText.descent + 2, band = 8 + step * k
            let longest = categories.map(ChartText.width).max() ?? 40
            let left = min(max(80, longest + 16), width * 0.45)
            let legendHeight = ChartFrame.legendHeight(names, width: width, left: left)
            let top = 10 + ChartText.ascent + ChartText.descent
            f = ChartFrame(width: width, height: top + 10 + band * Double(categories.count) + ChartFrame.xAxisBand + legendHeight,
                           left: left, right: 64, top: top, bottom: ChartFrame.xAxisBand + legendHeight)
            s = f.open(id: id, title: title, kind: "bar") + f.axes(x: valueAxis, y: nil)
            for (c, name) in categories.enumerated() {
                let top = f.plotTop + 6 + band * Double(c)
                let shown = ChartText.fitted(name, maxWidth: left - 12)
                s += "<text class=\"tick\" x=\"\(HTMLText.coord(f.plotLeft - 6))\" y=\"\(HTMLText.coord(ChartFrame.centredBaseline(top + band / 2 - 4)))\" text-anchor=\"end\">\(HTMLText.escape(shown))\(shown == name ? "" : "<title>\(HTMLText.escape(name))</title>")</text>"
                for (j, ser) in series.enumerated() {
                    let v = ser.values[c]
                    let x0 = valueAxis.scale(max(valueAxis.min, 0), f.plotLeft, f.plotRight)
                    let x1 = valueAxis.scale(min(max(v, valueAxis.min), valueAxis.max), f.plotLeft, f.plotRight)
                    let y = top + step * Double(j)
                    s += rect(x: min(x0, x1), y: y, w: max(abs(x1 - x0), 0.5), h: step - 4, fill: j, label: "\(ser.name) \(name): \(tooltip.text(v))")
                    if let fmt = valueFormat {
                        s += "<text class=\"value\" x=\"\(HTMLText.coord(max(x0, x1) + 4))\" y=\"\(HTMLText.coord(ChartFrame.centredBaseline(y + (step - 4) / 2)))\">\(HTMLText.escape(fmt.text(v)))</text>"
                    }
                }
            }
            for m in marks {
                let x = HTMLText.coord(valueAxis.scale(m, f.plotLeft, f.plotRight))
                s += "<line class=\"reference\" x1=\"\(x)\" y1=\"\(HTMLText.coord(f.plotTop))\" x2=\"\(x)\" y2=\"\(HTMLText.coord(f.plotBottom))\"/>"
            }
            s += "<text class=\"axis-title\" x=\"4\" y=\"\(HTMLText.coord(4 + ChartText.ascent))\">\(HTMLText.escape(categoryTitle))</text>"
        case .vertical:
            let left = ChartFrame.leftMargin(for: valueAxis)
            let legendHeight = ChartFrame.legendHeight(names, width: width, left: left)
            f = ChartFrame(width: width, height: 300 + legendHeight, left: left, right: 24, top: 10 + ChartText.ascent + ChartText.descent,
                           bottom: ChartFrame.xAxisBand + legendHeight)
            s = f.open(id: id, title: title, kind: "bar") + f.axes(x: nil, y: valueAxis)
            let band = (f.plotRight - f.plotLeft) / Double(max(1, categories.count))
            let barWidth = min(48, (band - 8) / k)
            for (c, name) in categories.enumerated() {
                let center = f.plotLeft + band * (Double(c) + 0.5)
                s += "<text class=\"tick\" x=\"\(HTMLText.coord(center))\" y=\"\(HTMLText.coord(f.plotBottom + 20))\" text-anchor=\"middle\">\(HTMLText.escape(ChartText.fitted(name, maxWidth: band - 6)))</text>"
                for (j, ser) in series.enumerated() {
                    let v = ser.values[c]
                    let y0 = valueAxis.scale(max(valueAxis.min, 0), f.plotBottom, f.plotTop)
                    let y1 = valueAxis.scale(min(max(v, valueAxis.min), valueAxis.max), f.plotBottom, f.plotTop)
                    let x = center - barWidth * k / 2 + barWidth * Double(j)
                    s += rect(x: x, y: min(y0, y1), w: barWidth - 2, h: max(abs(y1 - y0), 0.5), fill: j, label: "\(ser.name) \(name): \(tooltip.text(v))")
                    if let fmt = valueFormat {
                        s += "<text class=\"value\" x=\"\(HTMLText.coord(x + (barWidth - 2) / 2))\" y=\"\(HTMLText.coord(min(y0, y1) - 4 - ChartText.descent))\" text-anchor=\"middle\">\(HTMLText.escape(fmt.text(v)))</text>"
                    }
                }
            }
            for m in marks {
                let y = HTMLText.coord(valueAxis.scale(m, f.plotBottom, f.plotTop))
                s += "<line class=\"reference\" x1=\"\(HTMLText.coord(f.plotLeft))\" y1=\"\(y)\" x2=\"\(HTMLText.coord(f.plotRight))\" y2=\"\(y)\"/>"
            }
            let title = ChartText.fitted(categoryTitle, maxWidth: width - 8)
            s += "<text class=\"axis-title\" x=\"\(HTMLText.coord((f.plotLeft + f.plotRight) / 2))\" y=\"\(HTMLText.coord(f.plotBottom + 42))\" text-anchor=\"middle\">\(HTMLText.escape(title))</text>"
        }
        s += f.legend(names.enumerated().map { j, name in
            (name, { (x0: Double, y0: Double) -> String in self.rect(x: x0 + 8, y: y0 - 6, w: 16, h: 12, fill: j, label: name) })
        }, at: f.plotBottom + ChartFrame.xAxisBand)
        return s + "</svg>"
    }

    func rect(x: Double, y: Double, w: Double, h: Double, fill j: Int, label: String) -> String {
        let fill = SeriesStyle.barFills[j % SeriesStyle.barFills.count]
        return "<rect class=\"bar\" x=\"\(HTMLText.coord(x))\" y=\"\(HTMLText.coord(y))\" width=\"\(HTMLText.coord(w))\" height=\"\(HTMLText.coord(h))\" fill=\"\(fill)\" stroke=\"#1a1a1a\" stroke-width=\"1\"><title>\(HTMLText.escape(label))</title></rect>"
    }
}
