// Population Stability Index (PSI) between a reference ("expected") sample of a feature or score and a
// new ("actual") sample; used to flag drift between training data and scoring data.
import Foundation

/// PSI = Σᵢ (aᵢ − eᵢ) · ln(aᵢ / eᵢ), where eᵢ and aᵢ are the fractions of the expected and actual samples in
/// bin i. Common reading: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 major shift.
public enum PopulationStability {
    /// Fractions below this are raised to it before the logarithm, so an empty bin on one side gives a
    /// large but finite term instead of infinity. (Bins empty on both sides contribute exactly 0.)
    public static let epsilon = 1e-4

    /// PSI with quantile bins taken from `expected`.
    ///
    /// Binning: sort the finite-or-infinite (non-NaN) expected values x₍₀₎ ≤ … ≤ x₍ₘ₋₁₎; the cut points are
    /// x₍⌊j·m/bins⌋₎ for j = 1…bins−1, de-duplicated (heavy ties merge bins, so fewer than `bins` bins may
    /// result). Bin j holds values v with cut_j ≤ v < cut_{j+1}. NaN values (missing) form one extra bin
    /// in both samples. Complexity O(n + m log bins).
    ///
    /// - Throws: `EvaluationError.empty` when either sample is empty, `.invalidArgument` when bins < 1.
    public static func psi(expected: [Double], actual: [Double], bins: Int = 10) throws -> Double {
        guard bins >= 1 else {
            throw EvaluationError.invalidArgument(name: "bins", reason: "must be >= 1, got \(bins)")
        }
        guard !expected.isEmpty, !actual.isEmpty else { throw EvaluationError.empty }
        let sample = expected.filter { !$0.isNaN }
        let cuts = sample.withUnsafeBufferPointer { quantileCuts(of: $0, bins: bins) }
        let e = histogram(expected, cuts: cuts)
        return psi(expectedShares: e.map { $0 / Double(expected.count) }, actualCounts: histogram(actual, cuts: cuts),
                   actualTotal: Double(actual.count))
    }

    /// Σ (a − e) · ln(a / e) over bins, both shares floored at `epsilon`.
    static func psi(expectedShares: [Double], actualCounts: [Double], actualTotal: Double) -> Double {
        var psi = 0.0
        for i in 0..<expectedShares.count {
            let ef = max(expectedShares[i], epsilon)
            let af = max(actualCounts[i] / actualTotal, epsilon)
            psi += (af - ef) * log(af / ef)
        }
        return psi
    }

    /// Cut points x₍⌊j·m/bins⌋₎, j = 1…bins−1, of the non-NaN `values` (m of them) in sorted order, de-duplicated,
    /// and above the minimum. Only those order statistics are found (`values` is neither sorted nor rearranged). A cut at
    /// zero is +0, whichever zero the sample holds there.
    static func quantileCuts(of values: UnsafeBufferPointer<Double>, bins: Int) -> [Double] {
        quantileBins(of: values, bins: bins).cuts
    }

    /// `quantileCuts` with the count of `values` in each value bin (`histogram`'s counts, without its NaN slot),
    /// taken from the selection's counts below each cut instead of a pass that bins every value.
    static func quantileBins(of values: UnsafeBufferPointer<Double>, bins: Int) -> (cuts: [Double], counts: [Double]) {
        guard !values.isEmpty else { return ([], [0]) }
        let m = values.count
        let found = OrderStatistics.values(values, ranks: [0] + (1..<max(bins, 1)).map { $0 * m / bins })
        var cuts: [Double] = [], belowCut: [Int] = []
        for (x, below) in found.dropFirst() {
            let c = x == 0 ? 0 : x
            if cuts.last != c, c > found[0].value { cuts.append(c); belowCut.append(below) }
        }
        var counts: [Double] = []
        var previous = 0
        for below in belowCut + [m] { counts.append(Double(below - previous)); previous = below }
        return (cuts, counts)
    }

    /// Counts per bin; the last slot counts NaNs (see `bin`).
    static func histogram(_ values: [Double], cuts: [Double]) -> [Double] {
        values.withUnsafeBufferPointer { histogram($0, cuts: cuts) }
    }

    /// Counts per bin of `values`, as `histogram(_:cuts:)`; integer counts, converted once at the end.
    static func histogram(_ values: UnsafeBufferPointer<Double>, cuts: [Double]) -> [Double] {
        var counts = [Int](repeating: 0, count: cuts.count + 2)
        cuts.withUnsafeBufferPointer { c in
            counts.withUnsafeMutableBufferPointer { k in
                for v in values { k[bin(of: v, cuts: c)] &+= 1 }
            }
        }
        return counts.map(Double.init)
    }

    /// Bin of `v` against sorted `cuts`: the number of cuts ≤ v, or `cuts.count + 1` for NaN (missing).
    /// Up to 16 cuts (10 bins is the default) a branch-free count, beyond that a binary search.
    @inline(__always)
    static func bin(of v: Double, cuts: UnsafeBufferPointer<Double>) -> Int {
        let count = cuts.count
        if v.isNaN { return count + 1 }
        if count <= 16 {
            var b = 0
            for k in 0..<count { b &+= cuts[k] <= v ? 1 : 0 }
            return b
        }
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cuts[mid] <= v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
