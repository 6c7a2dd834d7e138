// SeededGenerator: the deterministic random source for bin sampling, bagging and feature sampling.
import TenureCore
// SplitMix64 (Steele, Lea & Flood 2014): tiny state, full period 2^64, passes BigCrush.

/// SplitMix64 pseudo-random generator; same seed → same stream on every platform.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's output function: a bijective 64-bit mixer (also the bin sample's row hash).
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 { mix64(x) }

    /// Uniform integer in 0..<bound (Lemire's multiply-shift; bias < 2^-32 for bound < 2^32).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(((next() >> 32) &* UInt64(bound)) >> 32)
    }

    /// `k` distinct indices from 0..<n in increasing order (partial Fisher-Yates, O(n)).
    mutating func sample(_ k: Int, of n: Int) -> [Int] {
        precondition(k >= 0 && k <= n)
        if k == n { return Array(0..<n) }
        var pool = Array(0..<n)
        for i in 0..<k {
            let j = i + below(n - i)
            pool.swapAt(i, j)
        }
        return pool[0..<k].sorted()
    }
}
