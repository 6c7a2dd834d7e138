// The penalised weighted log-loss and its gradient / Hessian over a design matrix, fused in one BLAS pass.
import Dispatch
import Foundation
import LinearAlgebra
import TenureCore

/// Smooth part of the training objective on the design Z (n × q, last column the intercept; see
/// `Preprocessing`):
///
///     f(θ) = Σᵢ vᵢ·(softplus(ηᵢ) − yᵢηᵢ) + κ/2·Σ_{j<q−1} θⱼ²,   η = Zθ,  Σᵢvᵢ = 1
///     ∇f = Zᵀ(v ⊙ (p − y)) + κθ̄,     ∇²f = Zᵀ diag(v ⊙ p(1−p)) Z + κĪ
///
/// (θ̄, Ī: the intercept entry zeroed). The L1 part λ‖θ̄‖₁ is handled by the solvers.
///
/// Rows are cut into fixed blocks of `blockRows`; each block builds its design rows Z_b from the raw matrix
/// into a cache-resident scratch buffer (Z is never materialised), then does η = Z_b θ (`dgemv`), the
/// element-wise loss, g += Z_bᵀ r (`dgemv`ᵀ) and, for the Hessian, scales the rows in place to
/// S_b = diag(√(v p(1−p))) Z_b and accumulates H += S_bᵀS_b (`dsyrk`), so the data is read once per evaluation. Blocks are split into a fixed number
/// of partitions run by `concurrentPerform` with BLAS set to one thread; partials are reduced in partition
/// order, so results are deterministic and independent of scheduling. Cost: O(n·q) per value/gradient,
/// O(n·q²/2) per Hessian.
final class LogisticObjective: @unchecked Sendable {
    let x: [Double]
    let cols: Int
    /// `Preprocessing.packedParameters()`.
    let params: [Double]
    let y: [Double]
    /// Normalised row weights (sum to 1).
    let v: [Double]
    let n: Int
    let q: Int
    let l2: Double
    let l1: Double
    let blockRows = 512
    let partitions: Int
    /// Block indices this objective sums over: all blocks, or a systematic subsample (`subsample`).
    let blockIndices: [Int]
    /// 1/Σ vᵢ over the rows in `blockIndices` (1 for the full objective).
    let weightScale: Double
    /// Rows processed so far, over all evaluations (÷ n = equivalent full passes). Shared with subsamples.
    private let counter: PassCounter

    final class PassCounter: @unchecked Sendable { var rows = 0 }
    var dataPasses: Double { Double(counter.rows) / Double(n) }

    init(x: [Double], rows n: Int, preprocessing: Preprocessing, y: [Double], v: [Double], l2: Double, l1: Double) {
        cols = preprocessing.inputCount
        q = preprocessing.designWidth
        precondition(x.count == n * cols && y.count == n && v.count == n)
        self.x = x; self.params = preprocessing.packedParameters()
        self.y = y; self.v = v; self.n = n; self.l2 = l2; self.l1 = l1
        let blocks = (n + blockRows - 1) / blockRows
        blockIndices = Array(0..<blocks)
        weightScale = 1
        counter = PassCounter()
        // Fixed partition count (not core count) keeps the reduction order identical on every machine.
        let memoryCap = q > 500 ? 2 : 8
        partitions = max(1, min(memoryCap, blocks))
    }

    private init(subsampleOf full: LogisticObjective, blocks: [Int], weightScale: Double) {
        x = full.x; cols = full.cols; params = full.params; y = full.y; v = full.v; n = full.n; q = full.q
        l2 = full.l2; l1 = full.l1; partitions = min(full.partitions, blocks.count)
        blockIndices = blocks; self.weightScale = weightScale; counter = full.counter
    }

    /// The same objective restricted to every k-th row block (k ≥ 2) so that about `targetRows` rows remain,
    /// with weights renormalised to sum 1; nil when the data is too small for k ≥ 2. Shares storage.
    func subsample(targetRows: Int) -> LogisticObjective? {
        let blocks = (n + blockRows - 1) / blockRows
        let stride = blocks / max(1, targetRows / blockRows)
        guard stride >= 2 else { return nil }
        let chosen = Array(Swift.stride(from: 0, to: blocks, by: stride))
        var total = 0.0
        for b in chosen { for i in (b * blockRows)..<min(n, (b + 1) * blockRows) { total += v[i] } }
        guard total > 0 else { return nil }
        return LogisticObjective(subsampleOf: self, blocks: chosen, weightScale: 1 / total)
    }

    /// Evaluates f at θ; fills `gradient` (length q) and the full symmetric `hessian` (q×q) when given.
    @discardableResult
    func evaluate(_ theta: [Double], gradient: UnsafeMutableBufferPointer<Double>? = nil,
                  hessian: UnsafeMutableBufferPointer<Double>? = nil) -> Double {
        precondition(theta.count == q)
        let q = self.q, n = self.n, cols = self.cols, blockRows = self.blockRows, parts = partitions
        let wantGrad = gradient != nil || hessian != nil
        let wantHess = hessian != nil
        let blocks = blockIndices.count
        var losses = [Double](repeating: 0, count: parts)
        var grads = [Double](repeating: 0, count: wantGrad ? parts * q : 0)
        var hess = [Double](repeating: 0, count: wantHess ? parts * q * q : 0)
        BLAS.setThreads(1)
        x.withUnsafeBufferPointer { xp in
          params.withUnsafeBufferPointer { pp in
           blockIndices.withUnsafeBufferPointer { bp in
            y.withUnsafeBufferPointer { yp in
                v.withUnsafeBufferPointer { vp in
                    theta.withUnsafeBufferPointer { tp in
                        losses.withUnsafeMutableBufferPointer { lp in
                            grads.withUnsafeMutableBufferPointer { gp in
                                hess.withUnsafeMutableBufferPointer { hp in
                                    // Partitions read shared inputs and write disjoint slices of lp/gp/hp.
                                    nonisolated(unsafe) let (xp, pp, bp, yp, vp, tp, lp, gp, hp) = (xp, pp, bp, yp, vp, tp, lp, gp, hp)
                                    parallelChunks(blocks, chunks: parts) { part, range in
                                        let eta = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockRows)
                                        let res = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockRows)
                                        let zBlock = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockRows * q)
                                        defer { eta.deallocate(); res.deallocate(); zBlock.deallocate() }
                                        var loss = 0.0
                                        let g = wantGrad ? UnsafeMutableBufferPointer(rebasing: gp[(part * q)..<((part + 1) * q)]) : gp
                                        let h = wantHess ? UnsafeMutableBufferPointer(
                                            rebasing: hp[(part * q * q)..<((part + 1) * q * q)]) : hp
                                        for bi in range {
                                            let r0 = bp[bi] * blockRows, m = min(blockRows, n - r0)
                                            Preprocessing.fillDesign(x: xp, rows: r0..<(r0 + m), cols: cols, q: q,
                                                                     params: pp, out: zBlock)
                                            let zb = UnsafeBufferPointer(rebasing: zBlock[0..<(m * q)])
                                            let etaB = UnsafeMutableBufferPointer(rebasing: eta[0..<m])
                                            BLAS.gemv(transpose: false, rows: m, cols: q, alpha: 1, a: zb, x: tp,
                                                      beta: 0, y: etaB)
                                            loss += Self.blockLoss(eta: etaB, y: yp, v: vp, offset: r0,
                                                                   residual: wantGrad ? res : nil, hessianScale: wantHess)
                                            if wantGrad {
                                                BLAS.gemv(transpose: true, rows: m, cols: q, alpha: 1, a: zb,
                                                          x: UnsafeBufferPointer(rebasing: res[0..<m]), beta: 1, y: g)
                                            }
                                            if wantHess {
                                                // Scale rows in place by √(v p(1−p)) (left in `eta`), then H += SᵀS.
                                                for i in 0..<m {
                                                    let s = etaB[i]
                                                    for k in 0..<q { zBlock[i * q + k] *= s }
                                                }
                                                BLAS.syrkGram(rows: m, cols: q, alpha: 1, a: zb, beta: 1, c: h)
                                            }
                                        }
                                        lp[part] = loss
                                    }
                                }
                            }
                        }
                    }
                }
            }
           }
          }
        }
        var rowsDone = 0
        for b in blockIndices { rowsDone += min(blockRows, n - b * blockRows) }
        counter.rows += rowsDone
        var value = 0.0
        for part in 0..<parts { value += losses[part] }
        value *= weightScale
        var penalty = 0.0
        for j in 0..<(q - 1) { penalty += theta[j] * theta[j] }
        value += 0.5 * l2 * penalty
        if wantGrad, let gradient {
            for j in 0..<q {
                var s = 0.0
                for part in 0..<parts { s += grads[part * q + j] }
                gradient[j] = s * weightScale + (j < q - 1 ? l2 * theta[j] : 0)
            }
        }
        if let hessian {
            for idx in 0..<(q * q) {
                var s = 0.0
                for part in 0..<parts { s += hess[part * q * q + idx] }
                hessian[idx] = s * weightScale
            }
            BLAS.symmetrizeUpper(hessian, n: q)
            for j in 0..<(q - 1) { hessian[j * q + j] += l2 }
        }
        return value
    }

    /// Σ vᵢ·ℓᵢ over one block given ηᵢ. When `residual` is given it receives vᵢ(pᵢ − yᵢ); with
    /// `hessianScale`, η is overwritten by √(vᵢ pᵢ(1−pᵢ)). Branch-free in the sign of η (one exp, one log1p).
    @inline(__always)
    private static func blockLoss(eta: UnsafeMutableBufferPointer<Double>, y: UnsafeBufferPointer<Double>,
                                  v: UnsafeBufferPointer<Double>, offset: Int,
                                  residual: UnsafeMutableBufferPointer<Double>?, hessianScale: Bool) -> Double {
        var loss = 0.0
        for i in 0..<eta.count {
            let e = eta[i], w = v[offset + i], yi = y[offset + i]
            let ex = exp(-abs(e))
            loss += w * (max(e, 0) + log1p(ex) - yi * e)
            if let residual {
                let p = (e >= 0 ? 1 : ex) / (1 + ex)
                residual[i] = w * (p - yi)
                if hessianScale { eta[i] = (w * p * (1 - p)).squareRoot() }
            }
        }
        return loss
    }

    /// λ‖θ̄‖₁ (intercept excluded).
    func l1Term(_ theta: [Double]) -> Double {
        guard l1 > 0 else { return 0 }
        var s = 0.0
        for j in 0..<(q - 1) { s += abs(theta[j]) }
        return l1 * s
    }

    /// Minimum-norm subgradient of f + λ‖θ̄‖₁ (the gradient itself when λ = 0), written into `out`.
    func pseudoGradient(theta: [Double], gradient: [Double], into out: inout [Double]) {
        for j in 0..<q {
            let g = gradient[j]
            if j == q - 1 || l1 == 0 {
                out[j] = g
            } else if theta[j] > 0 {
                out[j] = g + l1
            } else if theta[j] < 0 {
                out[j] = g - l1
            } else if g + l1 < 0 {
                out[j] = g + l1
            } else if g - l1 > 0 {
                out[j] = g - l1
            } else {
                out[j] = 0
            }
        }
    }
}

/// ‖x‖∞.
func maxAbs(_ x: [Double]) -> Double {
    var m = 0.0
    for v in x { m = max(m, abs(v)) }
    return m
}
