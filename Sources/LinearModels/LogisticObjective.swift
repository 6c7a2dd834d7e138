// The penalised weighted log-loss and its gradient / Hessian over a design matrix, fused in one BLAS pass.
import Dispatch
import Foundation
import LinearAlgebra
import TenureCore

/// Smooth part of the training objective on the design Z (n × q, last column the intercept; see
/// `Preprocessing`), over the rows of every rank of `collective`:
///
///     f(θ) = Σᵢ vᵢ·(softplus(ηᵢ) − yᵢηᵢ) + κ/2·Σ_{j<q−1} θⱼ²,   η = Zθ,  Σᵢvᵢ = 1
///     ∇f = Zᵀ(v ⊙ (p − y)) + κθ̄,     ∇²f = Zᵀ diag(v ⊙ p(1−p)) Z + κĪ
///
/// (θ̄, Ī: the intercept entry zeroed). The L1 part λ‖θ̄‖₁ is handled by the solvers.
///
/// Rows are cut into fixed blocks of `blockRows`; each block builds its design rows Z_b from the raw matrix
/// into a cache-resident scratch buffer (Z is never materialised), then does η = Z_b θ (row by row) and the
/// element-wise loss, so the data is read once per evaluation.
///
/// Every sum over rows is exact (`ExactSum`), so f, ∇f and ∇²f depend only on the multiset of rows: not on
/// their order, the partition count or how many ranks hold them, and the solvers take the same steps on one
/// process and on N ranks (one allreduce per evaluation). Loss terms are 62-bit integers (truncated) and gradient
/// terms 51-bit integers (rounded to nearest, a block's added in 64 bits), each scaled by its bound (largest weight ×
/// largest |z| of the column over all ranks; for the loss, × (log 2 + Σ|θⱼ|·max|zⱼ|)), added in 128 bits. For the Hessian each scaled row S_b = diag(√(v p(1−p))) Z_b is split per column into a 22-bit
/// integer part and its next 21 bits, so every entry of the block's Gram matrix of [hi | lo] (`dsyrk`) is a sum of
/// at most 512 exact products under 2^44: exact in doubles, in any order BLAS takes (43 bits of the Hessian kept). Cost: O(n·q) per value/gradient, O(n·q²/2) per Hessian.
final class LogisticObjective: @unchecked Sendable {
    let x: [Double]
    let cols: Int
    /// `Preprocessing.packedParameters()`.
    let params: [Double]
    let y: [Double]
    /// Normalised row weights (sum to 1 over every rank's rows).
    let v: [Double]
    /// This rank's rows.
    let n: Int
    /// Rows over every rank.
    let globalRows: Int
    let q: Int
    let l2: Double
    let l1: Double
    let blockRows = 512
    let partitions: Int
    let collective: Collective
    /// Power-of-two scales per design column: gradient terms (51 bits) and Hessian row entries (22 bits).
    private let gradientScales: [Double], hessianScales: [Double]
    /// max |zⱼ| over every rank's rows, and max vᵢ: the bounds the scales come from.
    private let zMax: [Double], vMax: Double
    /// Rows processed so far over all ranks and evaluations (÷ the full row count = equivalent full passes).
    private let counter: PassCounter

    final class PassCounter: @unchecked Sendable {
        var rows = 0
        let fullRows: Int
        init(fullRows: Int) { self.fullRows = fullRows }
    }
    var dataPasses: Double { Double(counter.rows) / Double(max(1, counter.fullRows)) }

    convenience init(x: [Double], rows n: Int, preprocessing: Preprocessing, y: [Double], v: [Double], l2: Double,
                     l1: Double, collective: Collective = SingleProcess.shared) {
        self.init(x: x, rows: n, params: preprocessing.packedParameters(), cols: preprocessing.inputCount,
                  q: preprocessing.designWidth, y: y, v: v, l2: l2, l1: l1, collective: collective, counter: nil)
    }

    private init(x: [Double], rows n: Int, params: [Double], cols: Int, q: Int, y: [Double], v: [Double], l2: Double,
                 l1: Double, collective: Collective, counter: PassCounter?) {
        precondition(x.count == n * cols && y.count == n && v.count == n)
        self.x = x; self.params = params; self.cols = cols; self.q = q
        self.y = y; self.v = v; self.n = n; self.l2 = l2; self.l1 = l1; self.collective = collective
        globalRows = collective.sum(n)
        self.counter = counter ?? PassCounter(fullRows: globalRows)
        let blocks = (n + blockRows - 1) / blockRows
        // A fixed partition count (not the core count); the sums are exact, so it changes only the speed.
        let memoryCap = q > 500 ? 2 : 8
        partitions = max(1, min(memoryCap, blocks))
        let bounds = Self.bounds(x: x, rows: n, params: params, cols: cols, q: q, v: v, blockRows: blockRows,
                                 collective: collective)
        zMax = Array(bounds[0..<q]); vMax = bounds[q]
        // Margins of 1% cover the rounding between a bound and the terms computed later.
        gradientScales = bounds[0..<q].map { ExactSum.scale(bound: 1.01 * $0 * bounds[q], bits: ExactSum.nearestBits) }
        hessianScales = bounds[0..<q].map { ExactSum.scale(bound: 1.01 * $0 * bounds[q].squareRoot() / 2, bits: 22) }
    }

    /// [max |zⱼ| per design column | max vᵢ] over every rank's rows: one pass over the design.
    private static func bounds(x: [Double], rows n: Int, params: [Double], cols: Int, q: Int, v: [Double],
                               blockRows: Int, collective: Collective) -> [Double] {
        // Per partition of blocks its own maxima (a maximum is the same in any order), then the largest of them.
        let blocks = (n + blockRows - 1) / blockRows
        let parts = max(1, min(8, blocks))
        var partial = [Double](repeating: 0, count: parts * q)
        x.withUnsafeBufferPointer { xp in
            params.withUnsafeBufferPointer { pp in
                partial.withUnsafeMutableBufferPointer { bp in
                    nonisolated(unsafe) let (xp, pp, bp) = (xp, pp, bp)
                    parallelChunks(blocks, chunks: parts) { part, range in
                        let z = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockRows * q)
                        defer { z.deallocate() }
                        let mine = bp.baseAddress! + part * q
                        for b in range {
                            let r0 = b * blockRows, m = min(blockRows, n - r0)
                            Preprocessing.fillDesign(x: xp, rows: r0..<(r0 + m), cols: cols, q: q, params: pp, out: z)
                            for i in 0..<m { for k in 0..<q { mine[k] = max(mine[k], abs(z[i * q + k])) } }
                        }
                    }
                }
            }
        }
        var bounds = [Double](repeating: 0, count: q + 1)
        for part in 0..<parts { for k in 0..<q { bounds[k] = max(bounds[k], partial[part * q + k]) } }
        for w in v { bounds[q] = max(bounds[q], w) }
        collective.maximum(&bounds)
        return bounds
    }

    /// The same objective on the rows (of every rank) whose content hash selects about `targetRows` of them, with
    /// weights renormalised to sum 1; nil when there are fewer than twice `targetRows` rows. Rows are picked by
    /// their values, not their positions, so every rank count picks the same rows.
    func subsample(targetRows: Int) -> LogisticObjective? {
        guard globalRows >= 2 * targetRows else { return nil }
        let threshold = UInt64(Double(targetRows) / Double(globalRows) * 0x1p64)
        // Each row's hash depends on the row alone, so row chunks hash in parallel.
        var pick = [Bool](repeating: false, count: n)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                pick.withUnsafeMutableBufferPointer { pp in
                    nonisolated(unsafe) let (xp, yp, pp) = (xp, yp, pp)
                    parallelChunks(n, chunks: n < 65_536 ? 1 : 8) { _, range in
                        for i in range {
                            var h = yp[i].bitPattern
                            for j in 0..<cols { h = mix64((h ^ xp[i * cols + j].bitPattern) &+ 0x9E37_79B9_7F4A_7C15) }
                            pp[i] = h < threshold
                        }
                    }
                }
            }
        }
        let picked = pick.indices.filter { pick[$0] }
        let scale = ExactSum.scale(bound: vMax, bits: 62)
        var total: Int128 = 0
        for i in picked { total &+= Int128(ExactSum.integer(v[i] * scale)) }
        let sum = Double(ExactSum.overRanks([total], collective)[0]) / scale
        guard sum > 0 else { return nil }
        var sx = [Double](), sy = [Double](), sv = [Double]()
        sx.reserveCapacity(picked.count * cols)
        for i in picked { sx += x[(i * cols)..<((i + 1) * cols)]; sy.append(y[i]); sv.append(v[i] / sum) }
        return LogisticObjective(x: sx, rows: picked.count, params: params, cols: cols, q: q, y: sy, v: sv, l2: l2,
                                 l1: l1, collective: collective, counter: counter)
    }

    /// Evaluates f at θ; fills `gradient` (length q) and the full symmetric `hessian` (q×q) when given.
    @discardableResult
    func evaluate(_ theta: [Double], gradient: UnsafeMutableBufferPointer<Double>? = nil,
                  hessian: UnsafeMutableBufferPointer<Double>? = nil) -> Double {
        precondition(theta.count == q)
        let q = self.q, n = self.n, cols = self.cols, blockRows = self.blockRows, parts = partitions
        let wantGrad = gradient != nil || hessian != nil
        let wantHess = hessian != nil
        let blocks = (n + blockRows - 1) / blockRows
        // |ηᵢ| ≤ Σ|θⱼ|·max|zⱼ|, and softplus(η) − yη ≤ log 2 + |η|.
        var etaBound = 0.0
        for k in 0..<q { etaBound += abs(theta[k]) * zMax[k] }
        let lossScale = ExactSum.scale(bound: 1.01 * vMax * (0.7 + etaBound), bits: 62)
        let residualBound = vMax
        // Per partition: [loss | gradient (q) | Hessian (q·q, upper triangle used)].
        let width = 1 + (wantGrad ? q : 0) + (wantHess ? q * q : 0)
        var sums = [Int128](repeating: 0, count: parts * width)
        BLAS.setThreads(1)
        x.withUnsafeBufferPointer { xp in
          params.withUnsafeBufferPointer { pp in
            y.withUnsafeBufferPointer { yp in
                v.withUnsafeBufferPointer { vp in
                    theta.withUnsafeBufferPointer { tp in
                      gradientScales.withUnsafeBufferPointer { gs in
                        hessianScales.withUnsafeBufferPointer { hs in
                            sums.withUnsafeMutableBufferPointer { sp in
                                // Partitions read shared inputs and write disjoint slices of sp.
                                nonisolated(unsafe) let (xp, pp, yp, vp, tp, gs, hs, sp) = (xp, pp, yp, vp, tp, gs, hs, sp)
                                parallelChunks(blocks, chunks: parts) { part, range in
                                    let eta = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockRows)
                                    let res = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockRows)
                                    let zBlock = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockRows * q)
                                    let pair = UnsafeMutableBufferPointer<Double>.allocate(capacity: wantHess ? blockRows * 2 * q : 0)
                                    let gram = UnsafeMutableBufferPointer<Double>.allocate(capacity: wantHess ? 4 * q * q : 0)
                                    let blockGradient = UnsafeMutableBufferPointer<Int64>.allocate(capacity: q)
                                    defer {
                                        eta.deallocate(); res.deallocate(); zBlock.deallocate(); pair.deallocate(); gram.deallocate()
                                        blockGradient.deallocate()
                                    }
                                    gram.initialize(repeating: 0)
                                    let acc = UnsafeMutableBufferPointer(rebasing: sp[(part * width)..<((part + 1) * width)])
                                    for b in range {
                                        let r0 = b * blockRows, m = min(blockRows, n - r0)
                                        Preprocessing.fillDesign(x: xp, rows: r0..<(r0 + m), cols: cols, q: q,
                                                                 params: pp, out: zBlock)
                                        let etaB = UnsafeMutableBufferPointer(rebasing: eta[0..<m])
                                        // η by a plain loop, not `dgemv`: BLAS kernels sum a row in an order that
                                        // depends on its position in the block, and ηᵢ must depend on row i alone.
                                        for i in 0..<m { etaB[i] = Self.dot(zBlock.baseAddress! + i * q, tp.baseAddress!, q) }
                                        acc[0] &+= Self.blockLoss(eta: etaB, y: yp, v: vp, offset: r0, scale: lossScale,
                                                                  residual: wantGrad ? res : nil, hessianScale: wantHess)
                                        if wantGrad {
                                            Self.addGradient(rows: m, q: q, residual: res, residualBound: residualBound,
                                                             z: zBlock, scales: gs, block: blockGradient,
                                                             into: UnsafeMutableBufferPointer(rebasing: acc[1...q]))
                                        }
                                        if wantHess {
                                            // Rows scaled by √(v p(1−p)) (left in `eta`), split into a 22-bit integer
                                            // part and the next 21 bits: [hi | lo], whose Gram holds hiᵀhi and hiᵀlo.
                                            let q2 = 2 * q
                                            for i in 0..<m {
                                                let s = etaB[i]
                                                for k in 0..<q {
                                                    let u = zBlock[i * q + k] * s * hs[k], hi = ExactSum.nearest(u)
                                                    pair[i * q2 + k] = hi
                                                    pair[i * q2 + q + k] = ExactSum.nearest((u - hi) * 0x1p22)
                                                }
                                            }
                                            BLAS.syrkGram(rows: m, cols: q2, alpha: 1, a: UnsafeBufferPointer(rebasing: pair[0..<(m * q2)]),
                                                          beta: 0, c: gram)
                                            // S_kl·2^22 = hi_kᵀhi_l·2^22 + hi_kᵀlo_l + lo_kᵀhi_l (lo·lo, 2^-44 of it, dropped).
                                            let h = 1 + q
                                            for i in 0..<q {
                                                for j in i..<q {
                                                    let cross = Int128(Int64(gram[i * q2 + q + j])) &+ Int128(Int64(gram[j * q2 + q + i]))
                                                    acc[h + i * q + j] &+= (Int128(Int64(gram[i * q2 + j])) << 22) &+ cross
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
            }
          }
        }
        var total = [Int128](repeating: 0, count: width)
        for part in 0..<parts { for i in 0..<width { total[i] &+= sums[part * width + i] } }
        total = ExactSum.overRanks(total, collective)
        counter.rows += globalRows
        var value = Double(total[0]) / lossScale
        var penalty = 0.0
        for j in 0..<(q - 1) { penalty += theta[j] * theta[j] }
        value += 0.5 * l2 * penalty
        if wantGrad, let gradient {
            for j in 0..<q { gradient[j] = Double(total[1 + j]) / gradientScales[j] + (j < q - 1 ? l2 * theta[j] : 0) }
        }
        if let hessian {
            let h = 1 + q
            for i in 0..<q {
                for j in i..<q { hessian[i * q + j] = Double(total[h + i * q + j]) * 0x1p-22 / hessianScales[i] / hessianScales[j] }
            }
            BLAS.symmetrizeUpper(hessian, n: q)
            for j in 0..<(q - 1) { hessian[j * q + j] += l2 }
        }
        return value
    }

    /// Σₖ a[k]·b[k] in four interleaved partial sums joined as (s₀ + s₁) + (s₂ + s₃): one fixed order that
    /// depends on the row alone (as ηᵢ must), without the single chain whose add latency bound the plain loop.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var k = 0
        while k &+ 4 <= count {
            s0 += a[k] * b[k]; s1 += a[k &+ 1] * b[k &+ 1]; s2 += a[k &+ 2] * b[k &+ 2]; s3 += a[k &+ 3] * b[k &+ 3]
            k &+= 4
        }
        while k < count { s0 += a[k] * b[k]; k &+= 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Adds one block's gradient terms rᵢ·zᵢₖ·scaleₖ, each rounded to the nearest integer, into `sums`. With
    /// every |rᵢ| ≤ `residualBound` (max vᵢ, since |pᵢ − yᵢ| ≤ 1) each term is under 2^51 (the scales' bits), so a
    /// block's 512 terms add up in 64 bits (`block`), in straight-line code per column, and reach the 128-bit sums
    /// once per block. A block with a larger or NaN residual (only a non-finite iterate makes one) is added term by
    /// term through `ExactSum.term`, which gives the same integer for every term under 2^51 and clamps the rest,
    /// so the sums stay independent of how rows fall into blocks and the solver's finiteness checks see the NaN.
    @inline(__always)
    static func addGradient(rows m: Int, q: Int, residual: UnsafeMutableBufferPointer<Double>, residualBound: Double,
                            z: UnsafeMutableBufferPointer<Double>, scales: UnsafeBufferPointer<Double>,
                            block: UnsafeMutableBufferPointer<Int64>, into sums: UnsafeMutableBufferPointer<Int128>) {
        let gs = scales.baseAddress!, zp = z.baseAddress!
        var inRange = true
        for i in 0..<m where !(residual[i].magnitude <= residualBound) { inRange = false }
        guard inRange else {
            for i in 0..<m {
                let r = residual[i]
                for k in 0..<q { sums[k] &+= Int128(ExactSum.term(r * zp[i &* q &+ k] * gs[k])) }
            }
            return
        }
        let bp = block.baseAddress!
        bp.initialize(repeating: 0, count: q)
        for i in 0..<m {
            let r = residual[i], zi = zp + i &* q
            for k in 0..<q { bp[k] &+= ExactSum.nearestInteger(r * zi[k] * gs[k]) }
        }
        for k in 0..<q { sums[k] &+= Int128(bp[k]) }
    }

    /// Σ vᵢ·ℓᵢ over one block given ηᵢ, as an integer on `scale`. When `residual` is given it receives
    /// vᵢ(pᵢ − yᵢ); with `hessianScale`, η is overwritten by √(vᵢ pᵢ(1−pᵢ)). Branch-free in the sign of η
    /// (one exp, one log1p).
    @inline(__always)
    private static func blockLoss(eta: UnsafeMutableBufferPointer<Double>, y: UnsafeBufferPointer<Double>,
                                  v: UnsafeBufferPointer<Double>, offset: Int, scale: Double,
                                  residual: UnsafeMutableBufferPointer<Double>?, hessianScale: Bool) -> Int128 {
        var loss: Int128 = 0
        for i in 0..<eta.count {
            let e = eta[i], w = v[offset + i], yi = y[offset + i]
            let ex = exp(-abs(e))
            loss &+= Int128(ExactSum.integer(w * (max(e, 0) + log1p(ex) - yi * e) * scale))
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
