// Collective: the few operations data-parallel training needs between processes (ranks). The trainers call
// them unconditionally; `SingleProcess` makes each a no-op, so one code path serves a laptop and an MPI job.
// Every sum that crosses ranks is an integer sum (see `FixedPoint`), so a result never depends on how many
// ranks added it up.

/// Communication between the ranks of one training job. Every rank calls the same operations in the same
/// order (collective semantics, as in MPI); a rank that cannot continue calls `abort`.
public protocol Collective: AnyObject, Sendable {
    /// This process's rank, 0..<size; rank 0 writes the results.
    var rank: Int { get }
    var size: Int { get }
    /// Element-wise sum over all ranks, in place (exact: integers).
    func sum(_ values: inout [Int64])
    /// Element-wise maximum over all ranks, in place.
    func maximum(_ values: inout [Double])
    /// Every rank's bytes, in rank order, on every rank.
    func allGather(_ bytes: [UInt8]) -> [[UInt8]]
    /// Every rank's bytes, in rank order, on rank 0; nil on the other ranks.
    func gather(_ bytes: [UInt8]) -> [[UInt8]]?
    /// Ends every rank of the job with `code` (after this rank has said why).
    func abort(code: Int32) -> Never
    /// Payload bytes this rank has sent so far (for the bench's bytes-per-tree figure).
    var bytesSent: Int { get }
}

extension Collective {
    public var isDistributed: Bool { size > 1 }

    public func sum(_ value: Int64) -> Int64 { var v = [value]; sum(&v); return v[0] }
    public func sum(_ value: Int) -> Int { Int(sum(Int64(value))) }
    public func maximum(_ value: Double) -> Double { var v = [value]; maximum(&v); return v[0] }

    /// Exact sums over all ranks of per-rank `FixedPoint.Sum`s.
    public func sum(_ sums: [FixedPoint.Sum]) -> [FixedPoint.Sum] {
        if !isDistributed { return sums }
        var limbs = sums.flatMap { $0.limbs }
        sum(&limbs)
        return (0..<sums.count).map { FixedPoint.Sum(limbs: limbs[2 * $0], limbs[2 * $0 + 1]) }
    }

    /// Every rank's Doubles concatenated in rank order (bit patterns, so NaN payloads survive).
    public func allGather(_ values: [Double]) -> [Double] {
        if !isDistributed { return values }
        let bytes = values.withUnsafeBytes { Array($0) }
        return Self.doubles(allGather(bytes))
    }

    /// Every rank's Doubles concatenated in rank order, on rank 0 (nil elsewhere).
    public func gather(_ values: [Double]) -> [Double]? {
        if !isDistributed { return values }
        let bytes = values.withUnsafeBytes { Array($0) }
        return gather(bytes).map(Self.doubles)
    }

    /// The Doubles whose bytes `parts` hold, concatenated.
    private static func doubles(_ parts: [[UInt8]]) -> [Double] {
        var out = [Double](repeating: 0, count: parts.reduce(0) { $0 + $1.count } / 8)
        out.withUnsafeMutableBytes { raw in
            var at = 0
            for part in parts {
                UnsafeMutableRawBufferPointer(rebasing: raw[at..<(at + part.count)]).copyBytes(from: part)
                at += part.count
            }
        }
        return out
    }

    /// Every rank's strings, in rank order.
    public func allGather(_ strings: [String]) -> [String] {
        if !isDistributed { return strings }
        let text = strings.joined(separator: "\n")
        return allGather(Array(text.utf8)).flatMap { part -> [String] in
            part.isEmpty ? [] : String(decoding: part, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }
}

/// The collective of a job with one rank: sums and gathers return their input.
public final class SingleProcess: Collective {
    public static let shared = SingleProcess()
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func sum(_ values: inout [Int64]) {}
    public func maximum(_ values: inout [Double]) {}
    public func allGather(_ bytes: [UInt8]) -> [[UInt8]] { [bytes] }
    public func gather(_ bytes: [UInt8]) -> [[UInt8]]? { [bytes] }
    public func abort(code: Int32) -> Never { fatalError("abort of a single-process collective") }
    public var bytesSent: Int { 0 }
}

/// Fixed-point arithmetic for sums that must not depend on their order or grouping (threads, chunks, ranks).
public enum FixedPoint {
    /// A Double as an integer multiple of 2^-40, truncated toward zero. Values up to 2^23 in magnitude.
    @inlinable @inline(__always) public static func quantise(_ x: Double) -> Int64 { Int64(x * 0x1p40) }

    /// An exact sum of quantised Doubles (`quantise`), 128 bits wide so no realistic row count overflows it.
    /// Inlinable: the booster adds two terms per row per tree from another module (a call each was 2.5% of
    /// `train`'s CPU).
    @frozen public struct Sum: Sendable, Equatable {
        public var value: Int128 = 0
        @inlinable public init() {}
        @inlinable @inline(__always) public mutating func add(_ x: Double) { value &+= Int128(FixedPoint.quantise(x)) }
        @inlinable @inline(__always) public mutating func add(_ other: Sum) { value &+= other.value }
        public var double: Double { Double(value) * 0x1p-40 }
        /// Two Int64 limbs (high part, low 32 bits) whose element-wise sums over ranks rebuild the sum.
        var limbs: [Int64] { [Int64(truncatingIfNeeded: value >> 32), Int64(truncatingIfNeeded: value & 0xFFFF_FFFF)] }
        init(limbs high: Int64, _ low: Int64) { value = (Int128(high) << 32) &+ Int128(low) }
    }
}
