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
    public var width: Double

    public init(categories: [String], series: [BarSeries], valueAxis: ChartAxis, categoryTitle: String,
                orientation: Orientation = .horizontal, valueFormat: TickFormat? = nil, width: Double = 640) {
        precondition(series.allSatisfy { $0.values.count == categories.count }, "one value per category and series")
        self.categories = categories; self.series = series; self.valueAxis = valueAxis
        self.categoryTitle = categoryTitle; self.orientation = orientation; self.valueFormat = valueFormat; self.width = width
    }

    public func svg(id: String, title: String) -> String {
        let names = series.count > 1 ? series.map(\.name) : []
        let legendHeight = ChartFrame.legendHeight(names, width: width)
        let k = Double(max(1, series.count))
        var s: String
        let f: ChartFrame
        switch orientation {
        case .horizontal:
            let band = 8 + 14 * k
            let longest = Double(categories.map(\.count).max() ?? 4)
            let left = min(max(80, 7 * longest + 16), width * 0.45)
            f = ChartFrame(width: width, height: 24 + band * Double(categories.count) + 50 + legendHeight,
                           left: left, right: 64, top: 14, bottom: 50 + legendHeight)
            s = f.open(id: id, title: title, kind: "bar") + f.axes(x: valueAxis, y: nil)
            for (c, name) in categories.enumerated() {
                let top = f.plotTop + 6 + band * Double(c)
                s += "<text class=\"tick\" x=\"\(HTMLText.coord(f.plotLeft - 6))\" y=\"\(HTMLText.coord(top + band / 2 - 3))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(HTMLText.escape(name))</text>"
                for (j, ser) in series.enumerated() {
                    let v = ser.values[c]
                    let x0 = valueAxis.scale(max(valueAxis.min, 0), f.plotLeft, f.plotRight)
                    let x1 = valueAxis.scale(min(max(v, valueAxis.min), valueAxis.max), f.plotLeft, f.plotRight)
                    let y = top + 14 * Double(j)
                    s += rect(x: min(x0, x1), y: y, w: max(abs(x1 - x0), 0.5), h: 12, fill: j, label: "\(ser.name) \(name): \(v)")
                    if let fmt = valueFormat {
                        s += "<text class=\"value\" x=\"\(HTMLText.coord(max(x0, x1) + 4))\" y=\"\(HTMLText.coord(y + 6))\" dominant-baseline=\"middle\">\(HTMLText.escape(fmt.text(v)))</text>"
                    }
                }
            }
            s += "<text class=\"axis-title\" x=\"12\" y=\"\(HTMLText.coord(f.plotTop - 2))\">\(HTMLText.escape(categoryTitle))</text>"
        case .vertical:
            f = ChartFrame(width: width, height: 300 + legendHeight, left: 64, right: 24, top: 20, bottom: 50 + legendHeight)
            s = f.open(id: id, title: title, kind: "bar") + f.axes(x: nil, y: valueAxis)
            let band = (f.plotRight - f.plotLeft) / Double(max(1, categories.count))
            let barWidth = min(40, (band - 8) / k)
            for (c, name) in categories.enumerated() {
                let center = f.plotLeft + band * (Double(c) + 0.5)
                s += "<text class=\"tick\" x=\"\(HTMLText.coord(center))\" y=\"\(HTMLText.coord(f.plotBottom + 18))\" text-anchor=\"middle\">\(HTMLText.escape(name))</text>"
                for (j, ser) in series.enumerated() {
                    let v = ser.values[c]
                    let y0 = valueAxis.scale(max(valueAxis.min, 0), f.plotBottom, f.plotTop)
                    let y1 = valueAxis.scale(min(max(v, valueAxis.min), valueAxis.max), f.plotBottom, f.plotTop)
                    let x = center - barWidth * k / 2 + barWidth * Double(j)
                    s += rect(x: x, y: min(y0, y1), w: barWidth - 2, h: max(abs(y1 - y0), 0.5), fill: j, label: "\(ser.name) \(name): \(v)")
                    if let fmt = valueFormat {
                        s += "<text class=\"value\" x=\"\(HTMLText.coord(x + (barWidth - 2) / 2))\" y=\"\(HTMLText.coord(min(y0, y1) - 4))\" text-anchor=\"middle\">\(HTMLText.escape(fmt.text(v)))</text>"
                    }
                }
            }
            s += "<text class=\"axis-title\" x=\"\(HTMLText.coord((f.plotLeft + f.plotRight) / 2))\" y=\"\(HTMLText.coord(f.plotBottom + 38))\" text-anchor=\"middle\">\(HTMLText.escape(categoryTitle))</text>"
        }
        s += f.legend(names.enumerated().map { j, name in
            (name, { (x0: Double, y0: Double) -> String in self.rect(x: x0 + 8, y: y0 - 6, w: 16, h: 12, fill: j, label: name) })
        }, at: f.height - legendHeight)
        return s + "</svg>"
    }

    func rect(x: Double, y: Double, w: Double, h: Double, fill j: Int, label: String) -> String {
        let fill = SeriesStyle.barFills[j % SeriesStyle.barFills.count]
        return "<rect class=\"bar\" x=\"\(HTMLText.coord(x))\" y=\"\(HTMLText.coord(y))\" width=\"\(HTMLText.coord(w))\" height=\"\(HTMLText.coord(h))\" fill=\"\(fill)\" stroke=\"#1a1a1a\" stroke-width=\"1\"><title>\(HTMLText.escape(label))</title></rect>"
    }
}
