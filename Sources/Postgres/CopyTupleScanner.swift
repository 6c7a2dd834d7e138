// The framing of PostgreSQL's binary COPY stream (the COPY reference, "Binary Format"), scanned in place: the
// header once, then each tuple's fields handed over as byte ranges of the buffer copyOut hands over. copyOut hands
// over batches of whole rows, so a tuple is copied only when it spans buffers (never in practice); no allocation per
// row. `CopyBinaryDecoder` (values as an enum, for tests and small reads) and the event reader both sit on it.

public final class CopyTupleScanner {
    static let signature: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00]

    public let fieldCount: Int
    /// Tuples seen so far (the current one included while `tuple` runs): its 1-based row number.
    public private(set) var rows = 0
    /// The end-of-data marker arrived.
    public private(set) var finished = false
    /// Bytes of the stream so far.
    public private(set) var bytes = 0

    private var headerDone = false
    /// A tuple (or header) cut by a buffer boundary, completed from the next buffers.
    private var carry: [UInt8] = []
    /// The current tuple's field starts and lengths (−1 = NULL), reused for every row.
    private let starts: UnsafeMutablePointer<Int>
    private let lengths: UnsafeMutablePointer<Int>

    public init(fieldCount: Int) {
        self.fieldCount = fieldCount
        starts = .allocate(capacity: max(1, fieldCount))
        lengths = .allocate(capacity: max(1, fieldCount))
    }

    deinit { starts.deallocate(); lengths.deallocate() }

    /// One tuple's fields, valid only while the callback runs.
    public struct Tuple {
        let base: UnsafeRawPointer
        let starts: UnsafeMutablePointer<Int>
        let lengths: UnsafeMutablePointer<Int>

        /// Field `i`'s bytes in the type's binary send format, or nil for NULL.
        @inline(__always)
        public func field(_ i: Int) -> UnsafeRawBufferPointer? {
            let n = lengths[i]
            return n < 0 ? nil : UnsafeRawBufferPointer(start: base + starts[i], count: n)
        }
    }

    /// Feeds one buffer of the stream; calls `tuple` for every complete tuple in it, in order.
    public func feed(_ chunk: UnsafeRawBufferPointer, tuple: (Tuple) throws -> Void) throws {
        bytes += chunk.count
        guard chunk.count > 0, !finished else { return }
        if carry.isEmpty {
            let used = try scan(chunk, tuple: tuple)
            if used < chunk.count { carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[used...])) }
            return
        }
        carry.append(contentsOf: chunk)
        let used = try carry.withUnsafeBytes { try scan($0, tuple: tuple) }
        carry.removeFirst(used)
    }

    /// Scans whole units (header, tuples, end marker) from the start of `p`; returns the bytes consumed.
    private func scan(_ p: UnsafeRawBufferPointer, tuple: (Tuple) throws -> Void) throws -> Int {
        let n = p.count
        let base = p.baseAddress!
        var at = 0
        if !headerDone {
            guard n >= 19 else { return 0 }
            guard p.prefix(11).elementsEqual(Self.signature) else { throw PostgresError.protocolError("not a binary COPY stream (bad signature)") }
            let ext = Int(Self.int32(base + 15))
            guard ext >= 0 else { throw PostgresError.protocolError("a negative header extension") }
            guard n >= 19 + ext else { return 0 }
            at = 19 + ext
            headerDone = true
        }
        while at + 2 <= n {
            let count = Int(Self.int16(base + at))
            if count == -1 { finished = true; return at + 2 }
            guard count == fieldCount else {
                throw PostgresError.protocolError("a tuple of \(count) fields where the query has \(fieldCount) columns")
            }
            // A tuple is handed over only once all of it has arrived.
            var end = at + 2
            for i in 0..<count {
                guard end + 4 <= n else { return at }
                let len = Int(Self.int32(base + end))
                guard len >= -1 else { throw PostgresError.protocolError("a field length of \(len)") }
                starts[i] = end + 4
                lengths[i] = len
                end += 4 + max(0, len)
                guard end <= n else { return at }
            }
            rows += 1
            at = end
            try tuple(Tuple(base: base, starts: starts, lengths: lengths))
        }
        return at
    }

    @inline(__always) public static func int16(_ p: UnsafeRawPointer) -> Int16 { Int16(bigEndian: p.loadUnaligned(as: Int16.self)) }
    @inline(__always) public static func int32(_ p: UnsafeRawPointer) -> Int32 { Int32(bigEndian: p.loadUnaligned(as: Int32.self)) }
    @inline(__always) public static func int64(_ p: UnsafeRawPointer) -> Int64 { Int64(bigEndian: p.loadUnaligned(as: Int64.self)) }
}
