import TenureCore

// `--partition i/n`: which users one of n jobs scores. A user belongs to partition FNV-1a-64(UTF-8 id) mod n,
// a hash that depends on nothing but the id's bytes, so every machine and every night agree.
public struct Partition: Sendable, Equatable, CustomStringConvertible {
    /// 0-based: the partitions of 4 are 0/4, 1/4, 2/4, 3/4.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 0, index < count else {
            throw TargetingError.invalidPartition("needs i/n with 0 ≤ i < n (partitions of 4 are 0/4 … 3/4), got \(index)/\(count)")
        }
        self.index = index; self.count = count
    }

    /// Parses "i/n".
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw TargetingError.invalidPartition("takes i/n, e.g. 0/4, not '\(text)'")
        }
        try self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    public func contains(userID: String) -> Bool { Int(Partition.hash(userID) % UInt64(count)) == index }

    /// `PartitionHash.fnv1a64` over the id's UTF-8 bytes.
    public static func hash(_ userID: String) -> UInt64 {
        var id = userID
        return id.withUTF8 { PartitionHash.fnv1a64(UnsafeRawBufferPointer($0)) }
    }
}
