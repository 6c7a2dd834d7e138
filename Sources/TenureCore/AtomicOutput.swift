// Output files that appear whole or not at all: bytes go to a temporary name beside the target, renamed on commit.
// Every writer in Tenure (feature tables, scores, models, quarantine files) goes through this.
import Foundation

public enum OutputError: CategorizedError, CustomStringConvertible, Sendable {
    case cannotWrite(path: String, reason: String)
    /// A file that cannot be written is the machine's failure (a full disk, a missing directory), not the input's.
    public var category: ErrorCategory { .internalFailure }
    public var description: String {
        switch self { case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)" }
    }
}

/// Buffered writer to a file (atomically, via rename) or to stdout (`-`).
public final class AtomicOutput {
    public let path: String
    private let tmp: String?
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var finished = false

    public init(path: String) throws {
        self.path = path
        if path == "-" {
            tmp = nil
            guard let f = fdopen(1, "wb") else { throw OutputError.cannotWrite(path: "stdout", reason: "cannot open") }
            file = f
        } else {
            let t = path + ".tmp-\(getpid())"
            guard let f = fopen(t, "wb") else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            tmp = t
            file = f
        }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        // Never leave a partial file: an output not committed is removed.
        if !finished, let tmp { fclose(file); unlink(tmp) }
    }

    @inline(__always) public func write(_ s: String) { buffer.append(contentsOf: s.utf8) }
    @inline(__always) public func write(byte: UInt8) { buffer.append(byte) }
    @inline(__always) public func write<C: Collection>(bytes: C) where C.Element == UInt8 { buffer.append(contentsOf: bytes) }

    /// Writes a number the way the CSV outputs need it: integers without a fraction, others round-trip exact,
    /// NaN as `nan` (pandas and LightGBM read it as missing).
    @inline(__always) public func write(number v: Double) {
        if v.isNaN { buffer.append(contentsOf: [110, 97, 110]); return }
        if v == v.rounded() && abs(v) < 1e15 {
            var n = Int64(v)
            if n == 0 { buffer.append(48); return }
            if n < 0 { buffer.append(45); n = -n }
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &digits) { d in
                while n > 0 { d[count] = UInt8(48 + n % 10); n /= 10; count += 1 }
                for k in stride(from: count - 1, through: 0, by: -1) { buffer.append(d[k]) }
            }
            return
        }
        buffer.append(contentsOf: v.description.utf8)
    }

    public func flushIfLarge() throws { if buffer.count >= 1 << 20 { try flushBuffer() } }

    private func flushBuffer() throws {
        guard !buffer.isEmpty else { return }
        let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard n == buffer.count else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames into place.
    public func commit() throws {
        try flushBuffer()
        finished = true
        guard let tmp else { fflush(file); return }
        guard fflush(file) == 0, fsync(fileno(file)) == 0, fclose(file) == 0 else {
            unlink(tmp)
            throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw OutputError.cannotWrite(path: path, reason: reason)
        }
    }
}
