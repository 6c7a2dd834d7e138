// A whole file's bytes, read by several threads at once: a feature matrix of a few hundred MB was a quarter of
// a second of one core in FileManager's read loop before any parsing started.
import Foundation

public enum FileBytes {
    /// The bytes of the regular file at `path`, read in `threads` ranges in parallel (pread into one buffer of the
    /// file's size); anything else (a pipe, a device, a file that changes size while it is read) is read in one
    /// sequential pass by FileManager. Nil when the file cannot be read.
    public static func read(_ path: String, threads: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return sequential(path) }
        let size = Int(info.st_size)
        let ranges = size < (1 << 24) ? 1 : max(1, threads)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            nonisolated(unsafe) let base = buffer.baseAddress
            var short = [Bool](repeating: false, count: ranges)
            short.withUnsafeMutableBufferPointer { flags in
                nonisolated(unsafe) let flags = flags
                parallelChunks(size, chunks: ranges) { c, range in
                    var at = range.lowerBound
                    while at < range.upperBound {
                        let n = pread(fd, base! + at, range.upperBound - at, off_t(at))
                        if n <= 0 { if n < 0 && errno == EINTR { continue }; flags[c] = true; return }
                        at += n
                    }
                }
            }
            // A byte past the size means the file grew while it was read.
            var probe: UInt8 = 0
            complete = !short.contains(true) && pread(fd, &probe, 1, off_t(size)) == 0
            count = complete ? size : 0
        }
        return complete ? bytes : sequential(path)
    }

    private static func sequential(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }
}
