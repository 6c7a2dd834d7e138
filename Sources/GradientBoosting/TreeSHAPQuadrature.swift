// TreeSHAPQuadrature: Gauss–Legendre rules on [0, 1], which integrate TreeSHAP's per-leaf polynomials exactly.
import Foundation

enum TreeSHAPQuadrature {
    /// The rules for 1...32 points, computed once per process (trees needing more are computed on demand).
    private static let small: [(t: [Double], s: [Double], w: [Double])] = (1...32).map { gaussLegendre01(points: $0) }

    /// `gaussLegendre01(points:)`, from the table when n ≤ 32.
    static func cachedGaussLegendre01(points n: Int) -> (t: [Double], s: [Double], w: [Double]) {
        n <= small.count ? small[n - 1] : gaussLegendre01(points: n)
    }

    /// The n-point Gauss–Legendre rule on [0, 1]: nodes t, their complements 1 − t (computed without
    /// cancellation), and weights; exact for polynomials of degree ≤ 2n − 1. Nodes are the roots of the
    /// Legendre polynomial P_n found by Newton's method from Tricomi's estimate (Numerical Recipes' gauleg),
    /// weights 2 / ((1 − x²) P_n'(x)²) halved for the interval. O(n²).
    static func gaussLegendre01(points n: Int) -> (t: [Double], s: [Double], w: [Double]) {
        precondition(n >= 1, "a Gauss–Legendre rule needs at least one point")
        var x = [Double](repeating: 0, count: n)   // on [−1, 1], ascending
        var w = [Double](repeating: 0, count: n)
        for i in 0..<((n + 1) / 2) {
            var z = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 1.0
            for _ in 0..<100 {
                let (p, dp) = legendre(n, z)
                derivative = dp
                let step = p / dp
                z -= step
                if abs(step) <= 1e-16 { break }
            }
            derivative = legendre(n, z).1
            let weight = 2 / ((1 - z * z) * derivative * derivative)
            x[i] = -z
            x[n - 1 - i] = z
            w[i] = weight
            w[n - 1 - i] = weight
        }
        if n % 2 == 1 { x[n / 2] = 0 }
        return (x.map { (1 + $0) / 2 }, x.map { (1 - $0) / 2 }, w.map { $0 / 2 })
    }

    /// P_n(z) and P_n'(z) by the three-term recurrence (k+1)P_{k+1} = (2k+1) z P_k − k P_{k−1}.
    private static func legendre(_ n: Int, _ z: Double) -> (Double, Double) {
        var p0 = 1.0, p1 = z
        if n == 0 { return (1, 0) }
        for k in 1..<n {
            let p2 = (Double(2 * k + 1) * z * p1 - Double(k) * p0) / Double(k + 1)
            p0 = p1
            p1 = p2
        }
        return (p1, Double(n) * (z * p1 - p0) / (z * z - 1))
    }
}
