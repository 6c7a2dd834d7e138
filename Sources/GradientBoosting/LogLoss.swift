// LogLoss: the binary log-loss objective — gradients/hessians of the raw score, the initial score,
// and the (weighted) mean loss used for logging and early stopping.
import Foundation
import Dispatch
import TenureCore

/// Binary cross-entropy on raw scores s with p = 1/(1+e^{−s}):
/// loss = −w·(y·log p + (1−y)·log(1−p)), gradient = w·(p − y), hessian = w·p·(1 − p),
/// with w additionally multiplied by `scalePosWeight` for positive rows (LightGBM's scale_pos_weight).
enum LogLoss {
    @inline(__always) static func sigmoid(_ s: Double) -> Double { 1 / (1 + exp(-s)) }

    /// Log-odds of the weighted base rate Σw·y/Σw, clamped to [1e-15, 1−1e-15] (LightGBM's BoostFromScore).
    /// The sums are exact (fixed point) and taken over every rank of `collective`.
    static func initScore(y: [Double], weights: [Double]?, collective: Collective) -> Double {
        var sy = FixedPoint.Sum(), sw = FixedPoint.Sum()
        for i in 0..<y.count {
            let w = weights?[i] ?? 1
            sy.add(w * y[i]); sw.add(w)
        }
        let total = collective.sum([sy, sw])
        guard total[1].double > 0 else { return 0 }
        let p = min(max(total[0].double / total[1].double, 1e-15), 1 - 1e-15)
        return log(p / (1 - p))
    }

    /// Numerically stable −log σ(±s): log(1 + e^{−m}) for margin m.
    @inline(__always) static func pointLoss(score s: Double, label y: Double) -> Double {
        let m = y > 0.5 ? s : -s
        return m > 0 ? log1p(exp(-m)) : -m + log1p(exp(m))
    }

    /// Fills fixed-point gradients and hessians (`quantiser`) for all rows and returns the exact sums of
    /// w·loss and w at `scores` (weights without scalePosWeight): loss = log(1 + e^{−s}) for y = 1 and
    /// s + log(1 + e^{−s}) for y = 0. Every row's loss is quantised before it is added, so the sums do not
    /// depend on the row order, the chunks or the ranks that hold the rows. Parallel over `threads` chunks.
    static func gradients(scores: UnsafePointer<Double>, y: UnsafePointer<Double>, weights: UnsafePointer<Double>?,
                          scalePosWeight: Double, n: Int, quantiser: GradientQuantiser, grad: UnsafeMutablePointer<Int64>,
                          hess: UnsafeMutablePointer<Int64>, threads: Int) -> (loss: FixedPoint.Sum, weight: FixedPoint.Sum) {
        let chunks = n < 8192 ? 1 : threads
        var partial = [FixedPoint.Sum](repeating: FixedPoint.Sum(), count: 2 * chunks)
        let scale = quantiser.scale
        partial.withUnsafeMutableBufferPointer { part in
            let pp = part.baseAddress!
            parallelFor(chunks) { c in
                let lo = n * c / chunks, hi = n * (c + 1) / chunks
                var sl = FixedPoint.Sum(), sw = FixedPoint.Sum()
                for i in lo..<hi {
                    let s = scores[i]
                    let e = exp(-s)
                    let f = 1 + e
                    let p = 1 / f
                    let yi = y[i]
                    let positive = yi > 0.5
                    let w0 = weights?[i] ?? 1
                    // log(1 + e), not log1p: glibc's log is ~3x faster and the absolute error per row
                    // is below 1.2e-16, irrelevant for a mean loss.
                    let l1p = log(f)
                    let loss = e.isFinite ? (positive ? l1p : s + l1p) : (positive ? -s : 0)
                    sl.add(w0 * loss)
                    sw.add(w0)
                    let w = positive ? w0 * scalePosWeight : w0
                    grad[i] = Int64(w * (p - yi) * scale)
                    hess[i] = Int64(w * p * (1 - p) * scale)
                }
                pp[2 * c] = sl; pp[2 * c + 1] = sw
            }
        }
        var sl = FixedPoint.Sum(), sw = FixedPoint.Sum()
        for c in 0..<chunks { sl.add(partial[2 * c]); sw.add(partial[2 * c + 1]) }
        return (sl, sw)
    }

    /// Exact sums of w·loss and w (weights without scalePosWeight), as `gradients` returns them.
    static func lossSums(scores: UnsafePointer<Double>, y: UnsafePointer<Double>, weights: UnsafePointer<Double>?,
                         n: Int, threads: Int) -> (loss: FixedPoint.Sum, weight: FixedPoint.Sum) {
        let chunks = n < 8192 ? 1 : threads
        var partial = [FixedPoint.Sum](repeating: FixedPoint.Sum(), count: 2 * chunks)
        partial.withUnsafeMutableBufferPointer { part in
            let pp = part.baseAddress!
            parallelFor(chunks) { c in
                let lo = n * c / chunks, hi = n * (c + 1) / chunks
                var sl = FixedPoint.Sum(), sw = FixedPoint.Sum()
                for i in lo..<hi {
                    let w = weights?[i] ?? 1
                    sl.add(w * pointLoss(score: scores[i], label: y[i])); sw.add(w)
                }
                pp[2 * c] = sl; pp[2 * c + 1] = sw
            }
        }
        var sl = FixedPoint.Sum(), sw = FixedPoint.Sum()
        for c in 0..<chunks { sl.add(partial[2 * c]); sw.add(partial[2 * c + 1]) }
        return (sl, sw)
    }

    /// The weighted mean Σw·loss/Σw of per-rank sums, summed over the ranks.
    static func mean(_ sums: (loss: FixedPoint.Sum, weight: FixedPoint.Sum), collective: Collective) -> Double {
        let total = collective.sum([sums.loss, sums.weight])
        return total[1].double > 0 ? total[0].double / total[1].double : 0
    }
}

/// Gradients and hessians as integers: g·scale truncated to Int64, with `scale` a power of two chosen so the sum
/// of every row's |g| (and h ≤ g/4) fits in 62 bits. With 10^6 rows of weight 1 the resolution is 2^-42.
/// The scale depends only on the global row count and the largest weight, never on how the rows are split.
struct GradientQuantiser: Sendable {
    let scale: Double
    /// What one integer unit is worth (1 / scale, exact).
    var unit: Double { 1 / scale }

    /// |g| = w·|p − y| < w·scalePosWeight (or w), so `rows · bound` bounds every sum a histogram holds.
    init(rows: Int, maxWeight: Double, scalePosWeight: Double) {
        let bound = max(maxWeight * max(1, scalePosWeight), 1e-300) * Double(max(rows, 1))
        let exponent = min(52, Int((0x1p62 / bound).exponent))
        scale = Double(sign: .plus, exponent: exponent, significand: 1)
    }
}
