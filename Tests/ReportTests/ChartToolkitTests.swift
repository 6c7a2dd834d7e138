// The SVG toolkit: nice ticks, escaped text, one path per series, thinning, one rect per bar.
import Testing
@testable import Report

func count(_ needle: String, in s: String) -> Int { s.components(separatedBy: needle).count - 1 }

@Suite struct AxisTicks {
    @Test func niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(ChartAxis.niceStep(0.2) == 0.2)
        #expect(ChartAxis.niceStep(0.23) == 0.5)
        #expect(ChartAxis.niceStep(7) == 10)
        #expect(abs(ChartAxis.niceStep(0.013) - 0.02) < 1e-15)
    }

    @Test func percentAxisHasTicksAtTwentyPercent() {
        let a = ChartAxis(title: "t", min: 0, max: 1, format: .percent)
        #expect(a.ticks.map(\.label) == ["0%", "20%", "40%", "60%", "80%", "100%"])
        let z = ChartAxis.fromZero(title: "users", maxValue: 715, format: .integer)
        #expect(z.max == 800 && z.ticks.last?.label == "800")
        #expect(ChartAxis.grouped(1234567) == "1,234,567")
    }
}

@Suite struct ChartMarkup {
    let unit = ChartAxis(title: "share <of> \"users\"", min: 0, max: 1, format: .percent)

    @Test func lineChartDrawsEachSeriesWithItsDashAndEscapesText() {
        let chart = LineChart(x: unit, y: unit, series: [
            LineSeries(name: "a & b", points: [(0, 0), (0.5, 0.7), (1, 1)], style: .cycle(0)),
            LineSeries(name: "<script>", points: [(0, 0), (1, 1)], style: .cycle(1)),
        ], references: [ReferenceLine(.horizontal, at: 0.18, label: "alarm 18%")])
        let svg = chart.svg(id: "t", title: "T")
        #expect(count("class=\"series\"", in: svg) == 2)
        #expect(svg.contains("stroke-dasharray=\"8 4\""))           // series 2 is dashed, series 1 solid
        #expect(svg.contains("a &amp; b") && svg.contains("&lt;script&gt;") && !svg.contains("<script>"))
        #expect(svg.contains("share &lt;of&gt; &quot;users&quot;"))
        #expect(svg.contains("class=\"reference\"") && svg.contains("alarm 18%"))
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>") && svg.contains("viewBox=\"0 0 640 "))
    }

    @Test func longSeriesAreThinnedKeepingTheEnds() {
        let pts = (0..<10_000).map { (x: Double($0) / 9999, y: Double($0) / 9999) }
        let thin = LineChart.thinned(pts)
        #expect(thin.count == LineChart.maxPoints && thin.first!.x == 0 && thin.last!.x == 1)
    }

    @Test func barChartHasOneRectPerValuePlusLegendSwatches() {
        let chart = BarChart(categories: ["high", "medium", "low"],
                             series: [BarSeries(name: "a", values: [3, 2, 1]), BarSeries(name: "b", values: [1, 2, 3])],
                             valueAxis: .fromZero(title: "users", maxValue: 3, format: .integer), categoryTitle: "tier",
                             valueFormat: .integer)
        let svg = chart.svg(id: "b", title: "B")
        #expect(count("class=\"bar\"", in: svg) == 6 + 2)
        #expect(svg.contains(">medium</text>"))
        let vertical = BarChart(categories: ["x"], series: [BarSeries(name: "s", values: [2])],
                                valueAxis: .fromZero(title: "v", maxValue: 2, format: .decimal(1)), categoryTitle: "c",
                                orientation: .vertical)
        #expect(count("class=\"bar\"", in: vertical.svg(id: "v", title: "V")) == 1)
    }

    @Test func histogramSkipsEmptyBins() {
        let h = Histogram(edges: [0, 0.5, 1], series: [BarSeries(name: "a", values: [0.2, 0]), BarSeries(name: "b", values: [0.1, 0.3])],
                          x: unit, y: unit)
        #expect(count("class=\"bar\"", in: h.svg(id: "h", title: "H")) == 3 + 2)
    }
}
