// The one partition hash: `--partition i/n`, the reader's early skip and `tenure shard` all place a user by it,
// so a shard file and a partition of the whole log hold the same users on every machine.
public enum PartitionHash {
    /// FNV-1a, 64-bit (offset basis 14695981039346656037, prime 1099511628211) over the id's UTF-8 bytes.
    @inline(__always)
    public static func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 1_099_511_628_211
        }
        return h
    }

    /// The partition (0..<count) of a user id given as bytes.
    @inline(__always)
    public static func partition(of bytes: UnsafeRawBufferPointer, count: Int) -> Int { Int(fnv1a64(bytes) % UInt64(count)) }
}
