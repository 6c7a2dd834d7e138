// Output files that appear whole or not at all: bytes go to a temporary name beside the target, renamed on commit.
// Every writer in Tenure (feature tables, scores, models, quarantine files) goes through this. Only regular files
// and new paths are replaced that way: a device or FIFO is written through (renaming over /dev/null would replace
// the system's), and a symlink's target is replaced while the link stays.
import Foundation

public enum OutputError: CategorizedError, CustomStringConvertible, Sendable {
    case cannotWrite(path: String, reason: String)
    /// A file that cannot be written is the machine's failure (a full disk, a missing directory), not the input's.
    public var category: ErrorCategory { .internalFailure }
    public var description: String {
        switch self { case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)" }
    }
}

/// Buffered writer to a file (atomically, via rename), through to a device or FIFO, or to stdout (`-`).
public final class AtomicOutput {
    public let path: String
    /// The regular file that is replaced (a symlink's target), when writing atomically.
    private let target: String?
    private let tmp: String?
    private let file: UnsafeMutablePointer<FILE>
    private let closesFile: Bool
    private var buffer: [UInt8] = []
    private var finished = false
    private var staged = false

    public init(path: String) throws {
        self.path = path
        switch try OutputTarget.resolve(path) {
        case .stdout:
            target = nil; tmp = nil; closesFile = false
            guard let f = fdopen(1, "wb") else { throw OutputError.cannotWrite(path: "stdout", reason: "cannot open") }
            file = f
        case .through(let p):
            // "w" on a device or FIFO truncates nothing; a FIFO's open waits for its reader, as `cat > fifo` does.
            target = nil; tmp = nil; closesFile = true
            guard let f = fopen(p, "wb") else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            file = f
        case .replace(let p):
            OutputTarget.removeStaleTemporaries(of: p)
            let t = OutputTarget.temporaryName(of: p)
            guard let f = fopen(t, "wb") else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            target = p; tmp = t; closesFile = true
            file = f
        }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        // Never leave a partial file: an output not committed is removed.
        if !finished {
            if !staged && closesFile { fclose(file) }
            if let tmp { unlink(tmp) }
        }
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

    /// Flushes and syncs every byte without putting it in place yet, and returns the file that holds them, so a
    /// caller can fingerprint it and stage a second output before either is renamed (a full disk then fails
    /// before anything is replaced). Nil when the output is written through (nothing left to rename).
    @discardableResult
    public func stage() throws -> String? {
        guard !staged else { return tmp }
        try flushBuffer()
        guard let tmp else {
            guard fflush(file) == 0 else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            return nil
        }
        staged = true
        guard fflush(file) == 0, fsync(fileno(file)) == 0, fclose(file) == 0 else {
            let reason = String(cString: strerror(errno))
            finished = true; unlink(tmp)
            throw OutputError.cannotWrite(path: path, reason: reason)
        }
        return tmp
    }

    /// Removes the file this output will replace (a symlink's target; nothing for stdout, a device or a FIFO), so
    /// that until `commit` nothing stands at the path. A pair of outputs committed one after the other withdraws
    /// the second's old file first: a crash between the two renames then leaves one file alone, never a new one
    /// beside an old one.
    public func withdrawPrevious() throws {
        guard let target, unlink(target) != 0, errno != ENOENT else { return }
        throw OutputError.cannotWrite(path: path, reason: "cannot remove the previous file: \(String(cString: strerror(errno)))")
    }

    /// Flushes, syncs and renames into place (over a symlink's target, keeping the link).
    public func commit() throws {
        try stage()
        finished = true
        guard let tmp, let target else {
            if closesFile, fclose(file) != 0 { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            return
        }
        guard rename(tmp, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw OutputError.cannotWrite(path: path, reason: reason)
        }
    }
}

/// Checks, before any work, that an output can be written where it is named: a file can be created in the
/// directory that will hold it. A bad `--out` then fails in a second, not after the night's work.
public enum OutputPath {
    /// `path` is a file to write (`-` is stdout, always fine); with `isDirectory` it is a directory that will be
    /// created if missing, so the check goes to its nearest existing ancestor.
    public static func checkWritable(_ path: String, isDirectory: Bool = false) throws {
        guard path != "-" else { return }
        let target = URL(fileURLWithPath: path)
        var dir = isDirectory ? target : target.deletingLastPathComponent()
        var isDir: ObjCBool = false
        if !isDirectory {
            switch try OutputTarget.resolve(path) {
            case .stdout: return
            case .through(let p):
                // Written through, nothing created beside it: being able to open it for writing is the test.
                guard access(p, W_OK) == 0 else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
                return
            case .replace(let p):
                // The temporary file goes beside the file replaced (a symlink's target), so that directory counts.
                dir = URL(fileURLWithPath: p).deletingLastPathComponent()
            }
            guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
                throw OutputError.cannotWrite(path: path, reason: "directory \(dir.path) does not exist")
            }
        } else {
            while !FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir) { dir = dir.deletingLastPathComponent() }
            guard isDir.boolValue else { throw OutputError.cannotWrite(path: path, reason: "\(dir.path) is not a directory") }
        }
        // Creating a file is the only test that holds for root and for read-only mounts alike (access(2) does not).
        // Named like every temporary, so a probe left by a run killed right here is removed by the next.
        let probeTarget = dir.appendingPathComponent(".tenure-write-check").path
        OutputTarget.removeStaleTemporaries(of: probeTarget)
        let probe = OutputTarget.temporaryName(of: probeTarget)
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw OutputError.cannotWrite(path: path, reason: "cannot create a file in \(dir.path): \(String(cString: strerror(errno)))") }
        close(fd)
        unlink(probe)
    }
}
