// Axes of the SVG charts: a range, tick positions with their labels, and a titled label with the unit.
import Foundation

/// How tick values are written.
public enum TickFormat: Sendable, Equatable {
    /// 0.25 → "25%".
    case percent
    /// A fixed number of decimals.
    case decimal(Int)
    /// Whole numbers with thousands separators.
    case integer
    /// At most 3 decimals, trailing zeros dropped (tooltips: 1.141, not 1.1410581460209634).
    case rounded

    func text(_ v: Double) -> String {
        switch self {
        case .percent:
            let p = 100 * v
            return abs(p - p.rounded()) < 1e-9 ? "\(Int(p.rounded()))%" : String(format: "%.1f%%", p)
        case .decimal(let d): return String(format: "%.\(d)f", v)
        case .integer: return ChartAxis.grouped(Int(v.rounded()))
        case .rounded:
            guard v.isFinite else { return "\(v)" }
            if abs(v) >= 1000 { return ChartAxis.grouped(Int(v.rounded())) }
            var t = String(format: "%.3f", v)
            while t.hasSuffix("0") { t.removeLast() }
            if t.hasSuffix(".") { t.removeLast() }
            return t == "-0" ? "0" : t
        }
    }
}

public struct Tick: Sendable, Equatable {
    public var value: Double
    public var label: String
    public init(_ value: Double, _ label: String) { self.value = value; self.label = label }
}

/// One axis: the value range mapped onto the plot, its ticks and its title (name and unit).
public struct ChartAxis: Sendable, Equatable {
    public var title: String
    public var min: Double
    public var max: Double
    public var ticks: [Tick]

    /// Explicit ticks (dates, categories).
    public init(title: String, min: Double, max: Double, ticks: [Tick]) {
        precondition(max > min, "an axis needs max > min")
        self.title = title; self.min = min; self.max = max; self.ticks = ticks
    }

    /// A linear axis over [min, max] with about `count` "nice" ticks (steps of 1, 2 or 5 × 10ᵏ).
    public init(title: String, min: Double, max: Double, format: TickFormat, count: Int = 5) {
        let hi = max > min ? max : min + 1
        let step = ChartAxis.niceStep((hi - min) / Double(Swift.max(1, count)))
        var ticks: [Tick] = []
        var v = (min / step).rounded(.up) * step
        while v <= hi + step * 1e-9 {
            ticks.append(Tick(v, format.text(abs(v) < step * 1e-9 ? 0 : v)))
            v += step
        }
        self.init(title: title, min: min, max: hi, ticks: ticks)
    }

    /// An axis from 0 to a nice value at or above `maxValue`.
    public static func fromZero(title: String, maxValue: Double, format: TickFormat, count: Int = 5) -> ChartAxis {
        let top = maxValue > 0 ? maxValue : 1
        let step = niceStep(top / Double(count))
        return ChartAxis(title: title, min: 0, max: (top / step).rounded(.up) * step, format: format, count: count)
    }

    /// The smallest of 1, 2, 5 × 10ᵏ at or above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = pow(10, floor(log10(raw)))
        for m in [1.0, 2, 5, 10] where m * p >= raw * (1 - 1e-12) { return m * p }
        return 10 * p
    }

    static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// Position of `v` along a pixel span [a, b].
    func scale(_ v: Double, _ a: Double, _ b: Double) -> Double { a + (v - min) / (max - min) * (b - a) }
}
