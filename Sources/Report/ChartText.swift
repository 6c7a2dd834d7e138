// Chart text: one size for every label, an estimate of a label's box before a browser lays it out, and a
// placer that puts point and reference labels where they hit no other label, no line and no edge.

/// The size every chart label is set in, in the SVG's own units, and the box a label takes.
enum ChartText {
    /// A 640-unit chart is drawn about 600 px wide in the two-column grid at 1280 px (0.94×): 14 units stay
    /// over 12 px as laid out; at 800 px the grid has one column and charts are drawn at full size.
    static let size = 14.0
    /// DejaVu Sans (what system-ui resolves to on Linux) runs about 0.6 em a character; wider letters and
    /// digits push it up, so 0.64 keeps the estimate on the safe side.
    static let charWidth = 0.64 * size
    static let ascent = 0.95 * size
    static let descent = 0.3 * size

    static func width(_ s: String) -> Double { Double(s.count) * charWidth }

    /// The box of `text` with its baseline at `y`, anchored at `x`.
    static func box(_ text: String, x: Double, y: Double, anchor: Anchor) -> Box {
        let w = width(text)
        let x0 = anchor == .start ? x : anchor == .middle ? x - w / 2 : x - w
        return Box(x0: x0, y0: y - ascent, x1: x0 + w, y1: y + descent)
    }

    /// `text` cut to `maxWidth` with an ellipsis (the full text goes in the element's tooltip).
    static func fitted(_ text: String, maxWidth: Double) -> String {
        let n = Int(maxWidth / charWidth)
        return text.count <= n ? text : String(text.prefix(max(1, n - 1))) + "…"
    }
}

enum Anchor: String { case start, middle, end }

/// An axis-aligned rectangle in chart units.
struct Box: Equatable {
    var x0, y0, x1, y1: Double

    func overlaps(_ o: Box) -> Bool { x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1 }
    func inside(_ o: Box) -> Bool { x0 >= o.x0 && x1 <= o.x1 && y0 >= o.y0 && y1 <= o.y1 }
    func padded(_ d: Double) -> Box { Box(x0: x0 - d, y0: y0 - d, x1: x1 + d, y1: y1 + d) }

    /// Whether the segment a–b passes through the box (Liang–Barsky clipping).
    func hits(_ a: (Double, Double), _ b: (Double, Double)) -> Bool {
        var t0 = 0.0, t1 = 1.0
        let dx = b.0 - a.0, dy = b.1 - a.1
        for (p, q) in [(-dx, a.0 - x0), (dx, x1 - a.0), (-dy, a.1 - y0), (dy, y1 - a.1)] {
            if p == 0 { if q < 0 { return false }; continue }
            let r = q / p
            if p < 0 { if r > t1 { return false }; t0 = max(t0, r) } else { if r < t0 { return false }; t1 = min(t1, r) }
        }
        return true
    }
}

/// Places labels one after another: each goes to the first candidate position whose box stays inside the
/// bounds and hits no label placed before it and no line; failing that, no label; failing that, the first.
struct LabelPlacer {
    struct Spot { var x: Double; var y: Double; var anchor: Anchor }

    var bounds: Box
    /// Boxes already taken (placed labels, tick labels near the plot).
    var taken: [Box] = []
    /// Line segments drawn in the plot (series, reference lines), in chart units.
    var lines: [((Double, Double), (Double, Double))] = []

    init(bounds: Box) { self.bounds = bounds }

    mutating func addPolyline(_ points: [(Double, Double)]) {
        for i in points.indices.dropFirst() { lines.append((points[i - 1], points[i])) }
    }

    mutating func place(_ text: String, _ candidates: [Spot]) -> Spot {
        func box(_ s: Spot) -> Box { ChartText.box(text, x: s.x, y: s.y, anchor: s.anchor) }
        let fits = candidates.filter { box($0).inside(bounds) }
        let free = fits.filter { c in let b = box(c).padded(2); return !taken.contains { $0.overlaps(b) } }
        let clear = free.first { c in let b = box(c).padded(1); return !lines.contains { b.hits($0.0, $0.1) } }
        let spot = clear ?? free.first ?? fits.first ?? candidates[0]
        taken.append(box(spot))
        return spot
    }

    /// Candidates around a point: beside it first, then stepping further up and down on either side.
    static func around(x: Double, y: Double) -> [Spot] {
        var out: [Spot] = []
        let below = y + ChartText.ascent + 4, above = y - ChartText.descent - 6
        for k in 0..<10 {
            let step = Double(k) * (ChartText.ascent + ChartText.descent + 3)
            for (dx, anchor) in [(8.0, Anchor.start), (-8.0, Anchor.end)] {
                out.append(Spot(x: x + dx, y: below + step, anchor: anchor))
                out.append(Spot(x: x + dx, y: above - step, anchor: anchor))
            }
        }
        return out
    }
}
