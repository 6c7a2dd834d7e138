// Deterministic pseudo-random numbers for the generator: xoshiro256** seeded through SplitMix64,
// plus the few distributions the simulation needs. No Foundation randomness, so output depends only on seed.
import Foundation

/// xoshiro256** 1.0 (Blackman & Vigna, 2018), state expanded from a 64-bit seed with SplitMix64.
struct Xoshiro256 {
    private var s0, s1, s2, s3: UInt64

    init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in 0..<n (Lemire's multiply-shift; the tiny bias is irrelevant here).
    @inline(__always)
    mutating func below(_ n: Int) -> Int { Int(next().multipliedFullWidth(by: UInt64(n)).high) }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// Standard normal via Box–Muller (one of the pair).
    mutating func normal() -> Double {
        let u1 = 1 - uniform()  // (0, 1]
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// Poisson(λ): Knuth's product method for λ ≤ 30 (O(λ)), rounded normal approximation above.
    mutating func poisson(_ lambda: Double) -> Int {
        if lambda <= 0 { return 0 }
        if lambda > 30 { return max(0, Int((lambda + lambda.squareRoot() * normal()).rounded())) }
        let limit = exp(-lambda)
        var k = 0
        var p = uniform()
        while p > limit {
            k += 1
            p *= uniform()
        }
        return k
    }

    /// Number of failures before the first success of a Bernoulli(p) sequence (Geometric, support 0…).
    mutating func geometric(_ p: Double) -> Int {
        if p <= 0 { return Int.max }
        if p >= 1 { return 0 }
        let g = log(1 - uniform()) / log(1 - p)
        return g >= Double(Int.max / 2) ? Int.max / 2 : Int(g)
    }
}

extension Xoshiro256 {
    /// Approximately standard normal: (U₁ + U₂ + U₃ + U₄ − 2)·√3 (mean 0, variance 1, bounded by ±2√3).
    /// Cheap enough for per-user-per-day noise where exact tails do not matter.
    @inline(__always)
    mutating func approxNormal() -> Double {
        (uniform() + uniform() + uniform() + uniform() - 2) * 1.7320508075688772
    }

    /// Poisson draw given the precomputed limit exp(−λ) (Knuth's product method).
    @inline(__always)
    mutating func poisson(limit: Double) -> Int {
        var k = 0
        var p = uniform()
        while p > limit {
            k += 1
            p *= uniform()
        }
        return k
    }

    /// A second of the day: an hour drawn with the given relative weights (summing to `total`), then a second in it.
    mutating func secondOfDay(hourWeights: [Int], total: Int) -> Int {
        var r = below(total)
        var hour = 0
        while r >= hourWeights[hour] {
            r -= hourWeights[hour]
            hour += 1
        }
        return hour * 3600 + below(3600)
    }
}
