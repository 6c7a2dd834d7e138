// SplitFinder: the regularised second-order gain (LightGBM's formulas) and the scan of one feature's
// histogram for its best threshold, trying the NaN bin on both sides and honouring monotone bounds.
import Foundation

/// Sums of gradient, hessian and row count over a set of rows.
struct NodeStats: Sendable, Equatable {
    var g: Double = 0
    var h: Double = 0
    var count: Double = 0
}

/// The best split found for a leaf.
struct SplitInfo: Sendable {
    var feature: Int = -1
    /// Value bins 0...bin go left.
    var bin: Int = 0
    var defaultLeft: Bool = false
    /// Gain of the split: gain(left) + gain(right) - gain(parent).
    var gain: Double = -Double.infinity
    var left = NodeStats()
    var right = NodeStats()
    var leftOutput: Double = 0
    var rightOutput: Double = 0
    /// A categorical split: the value bins (= category codes) that go left, ascending; nil for a threshold.
    /// NaN and the bucketed rare bins go to the `defaultLeft` side (and are listed here when that is left).
    var leftCodes: [Int]? = nil

    var isValid: Bool { feature >= 0 }

    /// Strictly better, ties broken towards the lower feature index (deterministic).
    func isBetter(than other: SplitInfo) -> Bool {
        if gain > other.gain { return true }
        if gain == other.gain && feature >= 0 && (other.feature < 0 || feature < other.feature) { return true }
        return false
    }
}

/// Gain arithmetic (LightGBM `FeatureHistogram`): with L1 soft-thresholding
/// `T(G) = sign(G)·max(0, |G| − λ1)`, the optimal leaf output is `w* = −T(G)/(H + λ2)` and a leaf with
/// output `w` has gain `−(2·T(G)·w + (H + λ2)·w²)` (= `T(G)²/(H + λ2)` at `w*`).
struct GainModel: Sendable {
    let lambdaL1: Double
    let lambdaL2: Double
    let minDataInLeaf: Double
    let minHessianInLeaf: Double
    let minGain: Double
    /// What one unit of a histogram's fixed-point sums is worth (`GradientQuantiser.unit`).
    var unit: Double = 1

    /// A histogram slot's sum as a Double.
    @inline(__always) func value(_ hist: UnsafePointer<Int64>, _ i: Int) -> Double { Double(hist[i]) * unit }

    @inline(__always) func thresholdL1(_ g: Double) -> Double {
        let a = abs(g) - lambdaL1
        return a > 0 ? (g > 0 ? a : -a) : 0
    }

    /// Optimal output clamped into [lo, hi] (monotone bounds).
    @inline(__always) func output(_ s: NodeStats, lo: Double, hi: Double) -> Double {
        let w = -thresholdL1(s.g) / (s.h + lambdaL2)
        return min(max(w, lo), hi)
    }

    @inline(__always) func gain(_ s: NodeStats, output w: Double) -> Double {
        -(2 * thresholdL1(s.g) * w + (s.h + lambdaL2) * w * w)
    }

    /// Scans one feature's histogram (`hist` points at its first slot) for the best split of a leaf
    /// with totals `total`, output bounds [lo, hi] and monotone direction `mono`.
    /// Thresholds t = 0..<valueBins-1 with NaN sent right then left; when NaN rows exist also
    /// "all values left, NaN right". Without NaN rows the default direction is the side with more rows.
    /// O(bins).
    func bestSplit(feature: Int, hist: UnsafePointer<Int64>, valueBins: Int, total: NodeStats,
                   lo: Double, hi: Double, mono: Int) -> SplitInfo {
        var best = SplitInfo()
        let parentOut = output(total, lo: lo, hi: hi)
        let shift = gain(total, output: parentOut) + minGain
        guard total.h > 0 else { return best }
        // Row counts per side are estimated from hessians, as LightGBM does: count ≈ h · rows / H.
        let countFactor = total.count / total.h
        let nanBase = valueBins * 2
        let nan = NodeStats(g: value(hist, nanBase), h: value(hist, nanBase + 1), count: (value(hist, nanBase + 1) * countFactor).rounded())
        let hasNaN = nan.h > 0
        let unconstrained = mono == 0 && lo == -Double.infinity && hi == Double.infinity
        for pass in 0..<(hasNaN ? 2 : 1) {
            let nanLeft = pass == 1
            var acc = nanLeft ? nan : NodeStats()
            let lastT = (hasNaN && !nanLeft) ? valueBins - 1 : valueBins - 2
            if lastT < 0 { continue }
            for t in 0...lastT {
                acc.g += value(hist, t * 2); acc.h += value(hist, t * 2 + 1)
                acc.count = (acc.h * countFactor).rounded()
                if acc.count < minDataInLeaf || acc.h < minHessianInLeaf { continue }
                let right = NodeStats(g: total.g - acc.g, h: total.h - acc.h, count: total.count - acc.count)
                if right.count < minDataInLeaf { break }
                if right.h < minHessianInLeaf { break }
                var wl: Double, wr: Double, g: Double
                if unconstrained {
                    let tl = thresholdL1(acc.g), tr = thresholdL1(right.g)
                    g = tl * tl / (acc.h + lambdaL2) + tr * tr / (right.h + lambdaL2)
                    wl = -tl / (acc.h + lambdaL2); wr = -tr / (right.h + lambdaL2)
                } else {
                    wl = output(acc, lo: lo, hi: hi); wr = output(right, lo: lo, hi: hi)
                    if (mono > 0 && wl > wr) || (mono < 0 && wl < wr) { continue }
                    g = gain(acc, output: wl) + gain(right, output: wr)
                }
                if g <= shift { continue }
                let splitGain = g - shift + minGain
                if splitGain > best.gain {
                    best.feature = feature; best.bin = t; best.gain = splitGain
                    best.left = acc; best.right = right; best.leftOutput = wl; best.rightOutput = wr
                    best.defaultLeft = hasNaN ? nanLeft : acc.count >= right.count
                }
            }
        }
        return best
    }
}

/// LightGBM's settings for categorical splits, with its defaults (`cat_smooth`, `cat_l2`, `min_data_per_group`,
/// `max_cat_threshold`).
struct CategoricalSplitSettings: Sendable {
    /// Added to each category's hessian sum when ordering categories by gradient over hessian (damps rare ones).
    var smoothing = 10.0
    /// Extra L2 regularisation on both sides of a categorical split.
    var extraL2 = 10.0
    /// A category with fewer rows than this in the leaf is not placed on its own: it joins the missing bucket.
    var minDataPerGroup = 100.0
    /// At most this many categories are put on the side the scan grows.
    var maxThreshold = 32
}

extension GainModel {
    /// The best many-vs-many split of a categorical feature (LightGBM's `FindBestThresholdCategorical`): value
    /// bins are category codes; bins with at least `minDataPerGroup` rows are sorted by g / (h + smoothing) and
    /// every prefix of that order, scanned from both ends (at most `maxThreshold` categories), is tried as the left
    /// side; the NaN bin and the rare bins form one bucket tried on both sides (the learned default side, where
    /// unseen and missing categories go at scoring). Gains use λ2 + `extraL2`. O(bins log bins).
    func bestCategoricalSplit(feature: Int, hist: UnsafePointer<Int64>, valueBins: Int, total: NodeStats,
                              settings: CategoricalSplitSettings) -> SplitInfo {
        var best = SplitInfo()
        guard total.h > 0 else { return best }
        let shift = gain(total, output: output(total, lo: -.infinity, hi: .infinity)) + minGain
        let countFactor = total.count / total.h
        func stats(_ b: Int) -> NodeStats { NodeStats(g: value(hist, b * 2), h: value(hist, b * 2 + 1), count: (value(hist, b * 2 + 1) * countFactor).rounded()) }
        var other = stats(valueBins)   // the NaN bin, then every rare bin
        var otherBins: [Int] = []
        var frequent: [Int] = []
        for b in 0..<valueBins {
            let s = stats(b)
            if s.count >= settings.minDataPerGroup && s.h > 0 { frequent.append(b) } else {
                other.g += s.g; other.h += s.h; other.count += s.count; otherBins.append(b)
            }
        }
        guard !frequent.isEmpty else { return best }
        let key = frequent.map { b in value(hist, b * 2) / (value(hist, b * 2 + 1) + settings.smoothing) }
        let order = frequent.indices.sorted { key[$0] != key[$1] ? key[$0] < key[$1] : frequent[$0] < frequent[$1] }.map { frequent[$0] }
        let l2 = lambdaL2 + settings.extraL2
        let hasOther = other.h > 0
        @inline(__always) func sideGain(_ s: NodeStats) -> (gain: Double, out: Double) {
            let t = thresholdL1(s.g)
            return (t * t / (s.h + l2), -t / (s.h + l2))
        }
        for reversed in [false, true] {
            let seq = reversed ? Array(order.reversed()) : order
            for otherLeft in hasOther ? [false, true] : [false] {
                var acc = otherLeft ? other : NodeStats()
                // The right side must keep at least one element: a frequent category, or the bucket.
                let longest = min(settings.maxThreshold, seq.count - (otherLeft || !hasOther ? 1 : 0))
                if longest < 1 { continue }
                for k in 0..<longest {
                    let s = stats(seq[k])
                    acc.g += s.g; acc.h += s.h; acc.count += s.count
                    let right = NodeStats(g: total.g - acc.g, h: total.h - acc.h, count: total.count - acc.count)
                    if acc.count < minDataInLeaf || acc.h < minHessianInLeaf { continue }
                    if right.count < minDataInLeaf || right.h < minHessianInLeaf { break }
                    let l = sideGain(acc), r = sideGain(right)
                    let g = l.gain + r.gain
                    if g <= shift { continue }
                    let splitGain = g - shift + minGain
                    if splitGain > best.gain {
                        best.feature = feature; best.gain = splitGain; best.bin = 0
                        best.left = acc; best.right = right; best.leftOutput = l.out; best.rightOutput = r.out
                        best.defaultLeft = otherLeft
                        best.leftCodes = (Array(seq[0...k]) + (otherLeft ? otherBins : [])).sorted()
                    }
                }
            }
        }
        return best
    }
}
