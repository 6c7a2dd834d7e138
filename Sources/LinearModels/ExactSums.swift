// Exact, order-free sums for the logistic fit. Every term becomes an integer on a power-of-two scale chosen from a
// bound every rank shares, and the integers are added in 128 bits, so a sum is the same whatever the row order,
// the thread, block or partition count, or the number of ranks that added it up.
import TenureCore

enum ExactSum {
    /// The power of two 2^e with bound·2^e < 2^bits (1 for a zero or non-finite bound).
    static func scale(bound: Double, bits: Int) -> Double {
        guard bound > 0, bound.isFinite else { return 1 }
        let e = min(1000, max(-1000, bits - Int(bound.exponent) - 1))
        return Double(sign: .plus, exponent: e, significand: 1)
    }

    /// A scaled term as an integer (truncated toward zero). A term beyond ±2^62 (only a non-finite iterate makes
    /// one) is clamped and NaN counts 0, so the sum stays defined and the solver's finiteness checks see it.
    @inline(__always) static func integer(_ x: Double) -> Int64 {
        if x.magnitude < 0x1p62 { return Int64(x) }
        return x.isNaN ? 0 : (x > 0 ? Int64(1) << 62 : -(Int64(1) << 62))
    }

    /// Bits of the terms `nearestInteger` rounds exactly: scales for them are chosen with `scale(bound:bits:)`.
    static let nearestBits = 51

    /// 1.5·2^52: any double of magnitude under 2^51 added to it lands in [2^52, 2^53), where the spacing is 1,
    /// so the sum's low bits hold that double rounded to the nearest integer (ties to even).
    private static let roundingShift = 0x1.8p52

    /// `x` (|x| < 2^51) rounded to the nearest integer, ties to even, with an add and an integer subtract instead
    /// of a conversion and its range checks (SSE2 has no rounding instruction; `rounded()` is a libm call).
    @inline(__always) static func nearestInteger(_ x: Double) -> Int64 {
        Int64(bitPattern: (x + roundingShift).bitPattern) &- Int64(bitPattern: roundingShift.bitPattern)
    }

    /// `x` (|x| < 2^51) rounded to the nearest integral double, ties to even: the split of the exact Hessian.
    @inline(__always) static func nearest(_ x: Double) -> Double {
        (x + roundingShift) - roundingShift
    }

    /// `nearestInteger(x)` for any term: the same integer below 2^51, a clamp to ±2^62 beyond, NaN counting 0, so
    /// a sum that met a non-finite term stays defined and the solvers' finiteness checks see it.
    @inline(__always) static func term(_ x: Double) -> Int64 {
        if x.magnitude < 0x1p51 { return nearestInteger(x) }
        return x.isNaN ? 0 : (x > 0 ? Int64(1) << 62 : -(Int64(1) << 62))
    }

    /// Element-wise sums over every rank (the input itself in one process).
    static func overRanks(_ values: [Int128], _ collective: Collective) -> [Int128] {
        guard collective.isDistributed else { return values }
        return collective.sum(values.map { v -> FixedPoint.Sum in var s = FixedPoint.Sum(); s.value = v; return s }).map(\.value)
    }

    /// Each column's values from every rank, in rank order (this rank's alone in one process).
    static func pooled(_ columns: [[Double]], _ collective: Collective) -> [[Double]] {
        guard collective.isDistributed else { return columns }
        var flat = columns.map { Double($0.count) }
        for c in columns { flat += c }
        var out = [[Double]](repeating: [], count: columns.count)
        for part in collective.allGather(flat.withUnsafeBytes { Array($0) }) {
            part.withUnsafeBytes { raw in
                func at(_ i: Int) -> Double { raw.loadUnaligned(fromByteOffset: 8 * i, as: Double.self) }
                var next = columns.count
                for j in 0..<columns.count {
                    let n = Int(at(j))
                    out[j].reserveCapacity(out[j].count + n)
                    for i in next..<(next + n) { out[j].append(at(i)) }
                    next += n
                }
            }
        }
        return out
    }
}
