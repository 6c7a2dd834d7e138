// What an output path names on disk, decided before a byte is written: a regular file or a new path is
// replaced atomically (temporary name + rename), a device or FIFO is written through, a symlink is followed to
// the file it names. And the check that no output is one of the run's inputs.
import Foundation

/// How `AtomicOutput` writes a path.
public enum OutputTarget: Equatable, Sendable {
    /// Standard output (`-`).
    case stdout
    /// An existing character or block device or FIFO: opened and written directly, never renamed over.
    case through(String)
    /// A regular file or a new path (a symlink's final target): written to a temporary name beside it, renamed.
    case replace(String)

    /// Links followed before giving up (the kernel's own limit is 40).
    static let maxLinks = 40

    public static func resolve(_ path: String) throws -> OutputTarget {
        guard path != "-" else { return .stdout }
        var current = path
        for _ in 0..<maxLinks {
            var st = stat()
            guard lstat(current, &st) == 0 else {
                guard errno == ENOENT else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
                return .replace(current)
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG: return .replace(current)
            case S_IFCHR, S_IFBLK, S_IFIFO: return .through(current)
            case S_IFDIR: throw OutputError.cannotWrite(path: path, reason: "it is a directory")
            case S_IFLNK: current = try linkTarget(current, of: path)
            default: throw OutputError.cannotWrite(path: path, reason: "it is neither a file, a device nor a FIFO")
            }
        }
        throw OutputError.cannotWrite(path: path, reason: "too many levels of symbolic links")
    }

    /// Where the link at `link` points, relative targets taken from the link's directory.
    private static func linkTarget(_ link: String, of path: String) throws -> String {
        var bytes = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(link, &bytes, bytes.count - 1)
        guard n > 0 else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let dest = String(decoding: bytes[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if dest.hasPrefix("/") { return dest }
        return (link as NSString).deletingLastPathComponent.isEmpty ? dest : ((link as NSString).deletingLastPathComponent as NSString).appendingPathComponent(dest)
    }

    /// The temporary name this process writes `target` under.
    public static func temporaryName(of target: String) -> String { target + temporarySuffix + "\(getpid())" }
    static let temporarySuffix = ".tmp-"

    /// Removes `TARGET.tmp-PID` files beside `target` whose process is gone (a run killed with kill -9 could not
    /// remove its own); a live PID's file is left alone, it may be another run writing now.
    public static func removeStaleTemporaries(of target: String) {
        let dir = (target as NSString).deletingLastPathComponent
        let prefix = (target as NSString).lastPathComponent + temporarySuffix
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir.isEmpty ? name : (dir as NSString).appendingPathComponent(name)) }
        }
    }
}

/// An output named the same file as an input (or as another output): writing it would destroy what is read.
public struct SameFileError: CategorizedError, CustomStringConvertible, Sendable {
    public let output: String, other: String, path: String
    public init(output: String, other: String, path: String) { self.output = output; self.other = other; self.path = path }
    /// The user named the wrong path: a command-line mistake, caught before any work.
    public var category: ErrorCategory { .usage }
    public var description: String {
        "\(output) names the same file as \(other) (\(path)): writing it would destroy \(other)'s file; name another output"
    }
}

extension OutputPath {
    /// Refuses, before any work, an output that is the same file as an input or as another output: the same
    /// path, or (for regular files) the same device and inode, so a symlink or hard link is caught too. Devices
    /// and FIFOs are written through, not replaced, so only the same path counts for them. `-` never collides.
    public static func checkDistinct(outputs: [(flag: String, path: String)], inputs: [(flag: String, path: String)]) throws {
        struct Identity { let flag, path, normalized: String; let inode: (dev_t, ino_t)? }
        func identity(_ f: (flag: String, path: String)) -> Identity {
            var st = stat()
            let regular = stat(f.path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
            return Identity(flag: f.flag, path: f.path, normalized: URL(fileURLWithPath: f.path).standardizedFileURL.path,
                            inode: regular ? (st.st_dev, st.st_ino) : nil)
        }
        let outs = outputs.filter { $0.path != "-" }.map(identity)
        let ins = inputs.filter { $0.path != "-" }.map(identity)
        for (k, o) in outs.enumerated() {
            for other in outs[..<k] + ins {
                let sameInode = o.inode != nil && other.inode != nil && o.inode! == other.inode!
                if o.normalized == other.normalized || sameInode { throw SameFileError(output: o.flag, other: other.flag, path: o.path) }
            }
        }
    }
}
