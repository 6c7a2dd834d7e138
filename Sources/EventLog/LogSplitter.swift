// `tenure shard`: one pass over a text log that copies every good record, byte for byte, to the shard its user
// hashes to (`PartitionHash`, the hash `--partition` uses), each shard behind an `AtomicOutput`, optionally gzip.
import CTenureZlib
import Foundation
import TenureCore

/// One shard file: records in, optionally deflated (gzip member, level 1: the pass stays I/O-bound), out through
/// an `AtomicOutput` that appears only on `commit`.
public final class ShardWriter {
    public let path: String
    public internal(set) var rows = 0
    /// Bytes of the file written (compressed when gzip).
    public private(set) var bytes = 0
    private let output: AtomicOutput
    private var stream: UnsafeMutablePointer<z_stream>?
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    public init(path: String, gzip: Bool) throws {
        self.path = path
        output = try AtomicOutput(path: path)
        if gzip {
            let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            z.initialize(to: z_stream())
            guard tenure_deflate_init_gzip(z, 1) == Z_OK else {
                z.deallocate()
                throw OutputError.cannotWrite(path: path, reason: "zlib could not start a gzip encoder")
            }
            stream = z
        }
    }

    deinit { if let z = stream { deflateEnd(z); z.deallocate() } }

    func write(_ data: [UInt8]) throws {
        guard !data.isEmpty else { return }
        guard stream != nil else {
            output.write(bytes: data)
            bytes += data.count
            return try output.flushIfLarge()
        }
        try data.withUnsafeBytes { try deflate(UnsafeRawBufferPointer($0), finish: false) }
    }

    private func deflate(_ input: UnsafeRawBufferPointer, finish: Bool) throws {
        let z = stream!
        z.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        z.pointee.avail_in = UInt32(input.count)
        while true {
            let status = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                z.pointee.next_out = out.baseAddress
                z.pointee.avail_out = UInt32(out.count)
                return CTenureZlib.deflate(z, finish ? Z_FINISH : Z_NO_FLUSH)
            }
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw OutputError.cannotWrite(path: path, reason: "zlib deflate failed (\(status))")
            }
            let produced = chunk.count - Int(z.pointee.avail_out)
            output.write(bytes: chunk[0..<produced])
            bytes += produced
            try output.flushIfLarge()
            if finish ? status == Z_STREAM_END : (z.pointee.avail_in == 0 && z.pointee.avail_out > 0) { break }
        }
    }

    /// Ends the gzip member and syncs the file without renaming it into place yet.
    public func stage() throws {
        if stream != nil { try deflate(UnsafeRawBufferPointer(start: nil, count: 0), finish: true) }
        try output.stage()
    }

    public func commit() throws { try output.commit() }
}

/// What `tenure shard` found and wrote; the counts add up: `records == rows + badRowTotal`, and `rows` and
/// `users` are the sums over the shards.
public struct SplitReport: Sendable {
    public struct Shard: Sendable {
        public var path: String
        public var rows: Int
        public var users: Int
        public var bytes: Int
    }
    public var path: String
    public var format: LogFormat
    public var records: Int
    public var rows: Int
    public var users: Int
    public var badRows: [BadRowReason: Int]
    public var blankLines: Int
    public var shards: [Shard]

    public var badRowTotal: Int { badRows.values.reduce(0, +) }
}

extension EventLogReader {
    /// Splits a text log into `writers.count` shards by `PartitionHash` of the user id: the header goes to every
    /// shard, each good record (checked as `read` checks it, under `options.badRows`) to its user's shard in
    /// file order. Every writer is staged before any is committed, so a failure leaves no shard behind.
    public static func split(_ path: String, options: ReadOptions, into writers: [ShardWriter],
                             note: ((String) -> Void)? = nil) throws -> SplitReport {
        precondition(!writers.isEmpty)
        // Parquet (a file or a directory) and PostgreSQL go through the store: `split(_:report:columns:into:)`.
        precondition(options.format != .parquet && (path == "-" || !ParquetTable.isParquet(path)), "a Parquet log is split from its store")
        var isDirectory: ObjCBool = false
        if path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue {
            throw EventLogError.unsupportedOption("tenure shard", reason: "\(path) is a directory without Parquet files: shard a log file")
        }
        var o = options
        o.partition = nil
        let scan = try scanText(path, options: o, note: note, shards: writers)
        let merger = scan.merger
        var users = [Int](repeating: 0, count: writers.count)
        for id in 0..<merger.users.count {
            merger.users.key(id).withUnsafeBytes { users[PartitionHash.partition(of: $0, count: writers.count)] += 1 }
        }
        for w in writers { try w.stage() }
        for w in writers { try w.commit() }
        var bad: [BadRowReason: Int] = [:]
        for (r, reason) in BadRowReason.allCases.enumerated() where merger.badCounts[r] > 0 { bad[reason] = merger.badCounts[r] }
        let shards = writers.enumerated().map { k, w in SplitReport.Shard(path: w.path, rows: w.rows, users: users[k], bytes: w.bytes) }
        return SplitReport(path: path, format: scan.format, records: merger.records, rows: shards.reduce(0) { $0 + $1.rows },
                           users: merger.users.count, badRows: bad, blankLines: merger.blank, shards: shards)
    }
}
