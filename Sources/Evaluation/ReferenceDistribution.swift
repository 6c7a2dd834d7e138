// What the training population looked like, kept in the model so a nightly run can say how far tonight's
// users have moved (PSI per feature) and place each score against a fixed population (percentiles that
// do not depend on which users, or which partition of them, a run happens to score).
import Dispatch
import Foundation
import TenureCore

/// One feature's training histogram: quantile cut points and the share of rows in each bin, plus missing.
public struct FeatureHistogram: Codable, Sendable, Equatable {
    public var name: String
    /// Bin j holds values v with cuts[j-1] ≤ v < cuts[j] (bin 0: below cuts[0]; last value bin: ≥ last cut).
    public var cuts: [Double]
    /// cuts.count + 1 value bins, then the missing (NaN) share; sums to 1.
    public var shares: [Double]

    /// Histogram of `values` with up to `bins` quantile bins, cut exactly as `PopulationStability.psi` cuts.
    public init(name: String, values: [Double], bins: Int = 10) {
        let sample = values.filter { !$0.isNaN }
        self = sample.withUnsafeBufferPointer {
            FeatureHistogram(name: name, sample: $0, missing: values.count - $0.count, bins: bins)
        }
    }

    /// The same histogram from a column's non-NaN values, in any order, and its count of NaNs.
    init(name: String, sample: UnsafeBufferPointer<Double>, missing: Int, bins: Int = 10) {
        self.name = name
        let bins = PopulationStability.quantileBins(of: sample, bins: bins)
        cuts = bins.cuts
        let counts = bins.counts + [Double(missing)]
        let n = Double(max(1, sample.count + missing))
        shares = counts.map { $0 / n }
    }

    /// PSI of `actual` against this histogram (same bins, the same ε floor as `PopulationStability.psi`).
    public func psi(actual: [Double]) throws -> Double {
        guard !actual.isEmpty else { throw EvaluationError.empty }
        let counts = PopulationStability.histogram(actual, cuts: cuts)
        return PopulationStability.psi(expectedShares: shares, actualCounts: counts, actualTotal: Double(actual.count))
    }
}

/// The training rows' feature histograms and score quantiles.
public struct ReferenceDistribution: Codable, Sendable, Equatable {
    /// Rows the reference was taken from.
    public var rows: Int
    public var features: [FeatureHistogram]
    /// Sorted probabilities at evenly spaced ranks (0, 1/(k-1), …, 1) of the training rows' predictions.
    public var scoreQuantiles: [Double]

    /// - Parameters: row-major `x` (`rows` × `names.count`) and the model's probabilities for those rows.
    ///   Cost: one selection of the cut points per column, O(cols · rows · log bins), the columns spread over `threads` workers (each
    ///   column's histogram is its own, so the result does not depend on `threads`).
    public init(names: [String], x: [Double], rows: Int, probabilities: [Double], quantiles: Int = 1001,
                threads: Int = 1) {
        self.rows = rows
        let width = names.count
        var histograms = [FeatureHistogram?](repeating: nil, count: width)
        x.withUnsafeBufferPointer { v in
            histograms.withUnsafeMutableBufferPointer { out in
                let out = out
                ColumnGather.nonMissing(x: v, width: width, rowCount: rows, rows: nil, threads: threads) { j, sample, missing in
                    out[j] = FeatureHistogram(name: names[j], sample: sample, missing: missing)
                }
            }
        }
        features = histograms.map { $0! }
        let sorted = probabilities.filter { !$0.isNaN }.sorted()
        if sorted.isEmpty {
            scoreQuantiles = []
        } else {
            let k = min(quantiles, sorted.count)
            scoreQuantiles = (0..<k).map { i in sorted[k == 1 ? 0 : i * (sorted.count - 1) / (k - 1)] }
        }
    }

    /// PSI of every reference feature against the rows of a row-major table (`rows` × `width`), reading
    /// feature j from column `columns[j]` (nil: not in the table, PSI NaN): `DriftCounts` over the one table.
    public func psi(x: [Double], rows: Int, width: Int, columns: [Int?], threads: Int) -> [Double] {
        var counts = DriftCounts(self, columns: columns)
        counts.add(x: x, rows: rows, width: width, threads: threads)
        return counts.psi()
    }

    /// Percent (0–100, one decimal) of the reference population scored at or below `probability`.
    public func percentile(of probability: Double) -> Double {
        guard !scoreQuantiles.isEmpty else { return .nan }
        var lo = 0, hi = scoreQuantiles.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if scoreQuantiles[mid] <= probability { lo = mid + 1 } else { hi = mid }
        }
        return (Double(lo) / Double(scoreQuantiles.count) * 1000).rounded() / 10
    }
}

/// Per feature, how many rows fell in each of a reference's bins, added up over any number of row chunks: PSI
/// needs only these integer counts, so a night scored a chunk of users at a time gets the PSI of its whole table
/// exactly (`ReferenceDistribution.psi(x:…)` is one chunk). Each chunk is read once, in memory order, in parallel
/// over row blocks with private counts (a column gather per feature read it once per feature, one cache line per
/// value). O(rows · features · cuts).
public struct DriftCounts: Sendable {
    public let reference: ReferenceDistribution
    let columns: [Int?]
    /// Per feature: its table column (−1: absent), cut count, first bin slot, first cut. Bins: value bins, then missing.
    let plan: [Int]
    let cutsFlat: [Double]
    let slots: Int
    public private(set) var rows = 0
    var counts: [Int]

    public init(_ reference: ReferenceDistribution, columns: [Int?]) {
        precondition(columns.count == reference.features.count)
        var plan = [Int](), cutsFlat = [Double](), slotCount = 0
        for (j, f) in reference.features.enumerated() {
            plan += [columns[j] ?? -1, f.cuts.count, slotCount, cutsFlat.count]
            slotCount += f.cuts.count + 2
            cutsFlat += f.cuts
        }
        self.reference = reference; self.columns = columns
        self.plan = plan; self.cutsFlat = cutsFlat; slots = slotCount
        counts = [Int](repeating: 0, count: slotCount)
    }

    /// Adds the rows of a row-major chunk (`rows` × `width`).
    public mutating func add(x: [Double], rows: Int, width: Int, threads: Int) {
        precondition(x.count >= rows * width)
        guard rows > 0 else { return }
        let slots = slots, featureCount = reference.features.count
        let chunks = max(1, min(rows / 8192, 4 * max(1, threads)))
        var local = [Int](repeating: 0, count: chunks * slots)
        local.withUnsafeMutableBufferPointer { cb in
            x.withUnsafeBufferPointer { xb in
                cutsFlat.withUnsafeBufferPointer { cf in
                    plan.withUnsafeBufferPointer { pb in
                        let view = PSIPass(counts: cb.baseAddress!, x: xb.baseAddress!, cuts: cf, plan: pb.baseAddress!)
                        parallelChunks(rows, chunks: chunks) { c, range in
                            let local = view.counts + c * slots
                            for r in range {
                                let row = view.x + r * width
                                for j in 0..<featureCount {
                                    let p = view.plan + 4 * j
                                    let col = p[0], m = p[1]
                                    guard col >= 0 else { continue }
                                    let cuts = UnsafeBufferPointer(rebasing: view.cuts[p[3]..<(p[3] + m)])
                                    let bin = PopulationStability.bin(of: row[col], cuts: cuts)
                                    local[p[2] + bin] &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        for c in 0..<chunks { for b in 0..<slots { counts[b] &+= local[c * slots + b] } }
        self.rows += rows
    }

    /// PSI per reference feature of every row added (NaN for a feature not in the table, and for all when no row was added).
    public func psi() -> [Double] {
        let features = reference.features
        guard rows > 0 else { return [Double](repeating: .nan, count: features.count) }
        return features.indices.map { j in
            guard columns[j] != nil else { return .nan }
            let n = features[j].cuts.count + 2
            let binCounts = (0..<n).map { b in Double(counts[plan[4 * j + 2] + b]) }
            return PopulationStability.psi(expectedShares: features[j].shares, actualCounts: binCounts, actualTotal: Double(rows))
        }
    }
}

/// Validation scores kept in the model as counts per probability bin and label: enough to redraw the ROC,
/// precision-recall and gains curves (to the bin width) without the rows. 1000 bins of width 0.001.
public struct ScoreHistogram: Codable, Sendable, Equatable {
    public var bins: Int
    /// Rows with label 1 / label 0 whose probability falls in bin i = ⌊p · bins⌋ (p = 1 in the last bin).
    public var positives: [Int]
    public var negatives: [Int]

    public init(probabilities: [Double], labels: [Double], bins: Int = 1000) {
        self.bins = bins
        positives = [Int](repeating: 0, count: bins)
        negatives = [Int](repeating: 0, count: bins)
        for (p, y) in zip(probabilities, labels) where !p.isNaN {
            let b = min(bins - 1, max(0, Int(p * Double(bins))))
            if y > 0.5 { positives[b] += 1 } else { negatives[b] += 1 }
        }
    }

    /// One (probability, label) pair per counted row, each at its bin's midpoint: rows to draw curves from.
    public func expandedRows() -> (probabilities: [Double], labels: [Double]) {
        var p: [Double] = [], y: [Double] = []
        for b in 0..<bins {
            let mid = (Double(b) + 0.5) / Double(bins)
            p.append(contentsOf: repeatElement(mid, count: positives[b] + negatives[b]))
            y.append(contentsOf: repeatElement(1, count: positives[b]))
            y.append(contentsOf: repeatElement(0, count: negatives[b]))
        }
        return (p, y)
    }
}

/// Raw pointers for `ReferenceDistribution.psi(x:…)`'s workers: each writes only its own chunk of counts.
private struct PSIPass: @unchecked Sendable {
    let counts: UnsafeMutablePointer<Int>
    let x: UnsafePointer<Double>
    let cuts: UnsafeBufferPointer<Double>
    let plan: UnsafePointer<Int>
}
