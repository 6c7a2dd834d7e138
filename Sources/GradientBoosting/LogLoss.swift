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
    static func initScore(y: [Double], weights: [Double]?) -> Double {
        var sy = 0.0, sw = 0.0
        for i in 0..<y.count {
            let w = weights?[i] ?? 1
            sy += w * y[i]; sw += w
        }
        guard sw > 0 else { return 0 }
        let p = min(max(sy / sw, 1e-15), 1 - 1e-15)
        return log(p / (1 - p))
    }

    /// Numerically stable −log σ(±s): log(1 + e^{−m}) for margin m.
    @inline(__always) static func pointLoss(score s: Double, label y: Double) -> Double {
        let m = y > 0.5 ? s : -s
        return m > 0 ? log1p(exp(-m)) : -m + log1p(exp(m))
    }

    /// Fills gradients and hessians for all rows and returns the weighted mean log loss at `scores`
    /// (weights without scalePosWeight) from the same e^{−s}: loss = log(1 + e^{−s}) for y = 1 and
    /// s + log(1 + e^{−s}) for y = 0. Parallel over `threads` contiguous chunks, fixed-order reduction.
    static func gradients(scores: UnsafePointer<Double>, y: UnsafePointer<Double>, weights: UnsafePointer<Double>?,
                          scalePosWeight: Double, n: Int, grad: UnsafeMutablePointer<Double>,
                          hess: UnsafeMutablePointer<Double>, threads: Int) -> Double {
        let chunks = n < 8192 ? 1 : threads
        var partial = [Double](repeating: 0, count: 2 * chunks)
        partial.withUnsafeMutableBufferPointer { part in
            let pp = part.baseAddress!
            parallelFor(chunks) { c in
                let lo = n * c / chunks, hi = n * (c + 1) / chunks
                var sl = 0.0, sw = 0.0
                // Rows of weight 1 multiply their factors 1 + e into m · 2^k (m renormalised to [1, 2) after
                // every product) and take one log at the end: a log per row was 8 % of training's CPU. The
                // product's relative error is at most n·ε/2, i.e. ≤ 1.2e-16 on the mean loss, below the
                // rounding of the running sums themselves (the logged losses move in the 14th digit).
                var m = 1.0, k = 0
                for i in lo..<hi {
                    let s = scores[i]
                    let e = exp(-s)
                    let f = 1 + e
                    let p = 1 / f
                    let yi = y[i]
                    let positive = yi > 0.5
                    let w0 = weights?[i] ?? 1
                    if w0 == 1 && f < 0x1p1000 {
                        m *= f
                        let bits = m.bitPattern
                        k &+= Int(truncatingIfNeeded: bits &>> 52) &- 1023
                        m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
                        sl += positive ? 0 : s
                    } else {
                        // log(1 + e), not log1p: glibc's log is ~3x faster and the absolute error per row
                        // is below 1.2e-16, irrelevant for a mean loss.
                        let l1p = log(f)
                        let loss = e.isFinite ? (positive ? l1p : s + l1p) : (positive ? -s : 0)
                        sl += w0 * loss
                    }
                    sw += w0
                    let w = positive ? w0 * scalePosWeight : w0
                    grad[i] = w * (p - yi)
                    hess[i] = max(w * p * (1 - p), 1e-16 * w)
                }
                pp[2 * c] = sl + (log(m) + Double(k) * M_LN2); pp[2 * c + 1] = sw
            }
        }
        var sl = 0.0, sw = 0.0
        for c in 0..<chunks { sl += partial[2 * c]; sw += partial[2 * c + 1] }
        return sw > 0 ? sl / sw : 0
    }

    /// Weighted mean log loss Σw·loss/Σw (weights without scalePosWeight). Fixed-order chunk reduction.
    static func meanLoss(scores: UnsafePointer<Double>, y: UnsafePointer<Double>, weights: UnsafePointer<Double>?,
                         n: Int, threads: Int) -> Double {
        let chunks = n < 8192 ? 1 : threads
        var partial = [Double](repeating: 0, count: 2 * chunks)
        partial.withUnsafeMutableBufferPointer { part in
            let pp = part.baseAddress!
            let body = { (c: Int) in
                let lo = n * c / chunks, hi = n * (c + 1) / chunks
                var sl = 0.0, sw = 0.0
                for i in lo..<hi {
                    let w = weights?[i] ?? 1
                    sl += w * pointLoss(score: scores[i], label: y[i]); sw += w
                }
                pp[2 * c] = sl; pp[2 * c + 1] = sw
            }
            parallelFor(chunks, body)
        }
        var sl = 0.0, sw = 0.0
        for c in 0..<chunks { sl += partial[2 * c]; sw += partial[2 * c + 1] }
        return sw > 0 ? sl / sw : 0
    }
}
