// The training loss that `LogLoss.gradients` returns (exact fixed-point sums of per-row losses) equals the plain
// per-row mean of log1p-based losses, also for scores far past exp's range, and does not depend on the threads;
// its gradients and hessians are the textbook ones, quantised.
import Foundation
import Testing
import TenureCore
@testable import GradientBoosting

@Suite("Log loss")
struct LogLossTests {
    /// Scores spread over ±12, a few extreme ones (e^{−s} overflows or underflows), labels drawn from them.
    static func scores(n: Int, seed: UInt64) -> (s: [Double], y: [Double]) {
        var rng = SeededGenerator(seed: seed)
        var s = [Double](repeating: 0, count: n), y = s
        for i in 0..<n {
            s[i] = 24 * TestData.uniform(&rng) - 12
            if i % 997 == 0 { s[i] = [-800, -710, -700, 700, 800, -30][i / 997 % 6] }
            y[i] = TestData.uniform(&rng) < 1 / (1 + exp(-s[i])) ? 1 : 0
        }
        return (s, y)
    }

    static func gradients(_ s: [Double], _ y: [Double], weights: [Double]?, threads: Int)
        -> (loss: Double, grad: [Int64], hess: [Int64]) {
        var grad = [Int64](repeating: 0, count: s.count), hess = grad
        let sums = grad.withUnsafeMutableBufferPointer { g in
            hess.withUnsafeMutableBufferPointer { h in
                withOptionalPointer(weights) { w in
                    LogLoss.gradients(scores: s, y: y, weights: w, scalePosWeight: 1, n: s.count, quantiser: quantiser,
                                      grad: g.baseAddress!, hess: h.baseAddress!, threads: threads)
                }
            }
        }
        return (LogLoss.mean(sums, collective: SingleProcess.shared), grad, hess)
    }

    static let quantiser = GradientQuantiser(rows: 100_003, maxWeight: 3, scalePosWeight: 1)

    @Test("mean loss equals the per-row log1p losses, with and without weights", arguments: [1, 3, 20_000, 100_003])
    func meanLossMatches(n: Int) {
        let (s, y) = Self.scores(n: n, seed: UInt64(n))
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<n { weights[i] = Double(i % 5) * 0.5 + (i == 0 ? 1 : 0) }
        for w in [nil, weights] as [[Double]?] {
            var sl = 0.0, sw = 0.0
            for i in 0..<n {
                let wi = w?[i] ?? 1
                sl += wi * LogLoss.pointLoss(score: s[i], label: y[i]); sw += wi
            }
            let expected = sl / sw
            let one = Self.gradients(s, y, weights: w, threads: 1).loss
            // Each row's loss is truncated to a multiple of 2^-40 before the exact sum.
            #expect(abs(one - expected) <= 2e-12 * max(1, abs(expected)), "n \(n) weighted \(w != nil): \(one) vs \(expected)")
            #expect(Self.gradients(s, y, weights: w, threads: 2).loss == one, "n \(n): the loss depends on the threads")
        }
    }

    @Test("gradients are p − y and hessians p(1 − p), scaled by the weight")
    func gradientsAndHessians() {
        let (s, y) = Self.scores(n: 5000, seed: 7)
        let w = (0..<5000).map { Double($0 % 3 + 1) }
        let r = Self.gradients(s, y, weights: w, threads: 2)
        for i in 0..<5000 {
            let p = 1 / (1 + exp(-s[i]))
            #expect(r.grad[i] == Int64(w[i] * (p - y[i]) * Self.quantiser.scale))
            #expect(r.hess[i] == Int64(w[i] * p * (1 - p) * Self.quantiser.scale))
        }
    }
}
