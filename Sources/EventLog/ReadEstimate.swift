// An estimate, before reading, of how many events a text log holds and of the reader's peak memory: the file's
// size divided by the mean record length of its first MiB (for gzip, the size the trailer states, at least the
// compressed size). Cheap (one MiB read), and low rather than high, so it refuses only runs that cannot fit.
import Foundation
import TenureCore

public struct ReadEstimate: Sendable {
    public var events: Int
    /// Bytes the reader peaks at while building the store: `EventStoreBuilder.peakBytesPerEvent` (its chunks
    /// and the compact final columns at once) plus its read buffers.
    public var peakBytes: UInt64

    public static let storeBytesPerEvent = EventStoreBuilder.peakBytesPerEvent

    /// nil for stdin, Parquet, a directory or a file of fewer than two lines.
    public static func of(_ path: String, options: ReadOptions) -> ReadEstimate? {
        guard path != "-", options.format != .parquet, LogFormat.fromExtension(path) != .parquet else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        guard let source = try? ByteSource(path: path) else { return nil }
        let sampleBytes = 1 << 20
        let sample = UnsafeMutableRawPointer.allocate(byteCount: sampleBytes, alignment: 8)
        defer { sample.deallocate() }
        var got = 0
        while got < sampleBytes, let n = try? source.read(into: sample + got, count: sampleBytes - got), n > 0 { got += n }
        var lines = 0
        for b in UnsafeRawBufferPointer(start: sample, count: got) where b == 10 { lines += 1 }
        guard lines > 1 else { return nil }
        let bytesPerRow = Double(got) / Double(lines)
        var textBytes = size
        if got >= 2, sample.load(as: UInt8.self) == 0x1f, sample.load(fromByteOffset: 1, as: UInt8.self) == 0x8b {
            textBytes = gzipSize(path, compressed: size) ?? size
        }
        let events = Int(Double(textBytes) / bytesPerRow)
        let parts = options.threads == 1 ? 1 : min(options.threads * 4, options.threads + 8)
        // The read buffer (allocated whole), and a round's columns and the round being merged (about the bytes read).
        let round = options.blockBytes * parts
        let buffers = UInt64(round + 2 * min(textBytes, round))
        return ReadEstimate(events: events, peakBytes: UInt64(events * storeBytesPerEvent) + buffers)
    }

    /// The uncompressed size a gzip file's trailer (ISIZE, the size mod 2³²) allows that is not below the
    /// compressed size: a lower bound of the text's size for a log of one member.
    private static func gzipSize(_ path: String, compressed: Int) -> Int? {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        guard (try? h.seek(toOffset: UInt64(compressed - 4))) != nil, let tail = try? h.read(upToCount: 4), tail.count == 4 else { return nil }
        var isize = 0
        for (k, b) in tail.enumerated() { isize |= Int(b) << (8 * k) }
        while isize < compressed { isize += 1 << 32 }
        return isize
    }
}
