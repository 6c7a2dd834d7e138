// Streams the bytes of a file, stdin or a gzip file into a caller's buffer (read(2) or zlib's gzread).
import CTenureZlib
import Foundation

/// A forward-only byte stream. `-` is stdin; gzip is recognised by its magic bytes, not the name.
final class ByteSource {
    private enum Handle { case fd(Int32), gz(gzFile) }
    private let handle: Handle
    let path: String
    private(set) var bytesRead = 0

    init(path: String) throws {
        self.path = path
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { throw EventLogError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var isGzip = path.lowercased().hasSuffix(".gz")
        if fd != 0 {
            var magic: (UInt8, UInt8) = (0, 0)
            if pread(fd, &magic, 2, 0) == 2 { isGzip = magic == (0x1f, 0x8b) }
        }
        if isGzip || fd == 0 {
            // gzdopen reads plain data through unchanged, so stdin may be gzip or not.
            guard let gz = gzdopen(fd, "rb") else {
                throw EventLogError.cannotOpen(path: path, reason: "zlib could not open the stream")
            }
            gzbuffer(gz, 1 << 20)
            handle = .gz(gz)
        } else {
            handle = .fd(fd)
        }
    }

    deinit {
        switch handle {
        case let .fd(fd): if fd != 0 { close(fd) }
        case let .gz(gz): gzclose(gz)
        }
    }

    /// Reads up to `count` bytes into `dst`; returns 0 at the end of the stream.
    func read(into dst: UnsafeMutableRawPointer, count: Int) throws -> Int {
        var total = 0
        while total < count {
            let n: Int
            switch handle {
            case let .fd(fd):
                n = Foundation.read(fd, dst + total, count - total)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw EventLogError.readFailed(path: path, reason: String(cString: strerror(errno)))
                }
            case let .gz(gz):
                n = Int(gzread(gz, dst + total, UInt32(min(count - total, Int(Int32.max)))))
                if n < 0 {
                    var code: Int32 = 0
                    let msg = gzerror(gz, &code).map { String(cString: $0) } ?? "zlib error \(code)"
                    throw EventLogError.readFailed(path: path, reason: "gzip: \(msg)")
                }
                if n == 0 {
                    // zlib reports a truncated stream as a soft error (Z_BUF_ERROR) after returning what it
                    // could decompress; without this check a cut-off file reads as a shorter log.
                    var code: Int32 = 0
                    _ = gzerror(gz, &code)
                    if code == Z_BUF_ERROR {
                        throw EventLogError.readFailed(path: path, reason: "gzip: unexpected end of file (truncated?)")
                    }
                }
            }
            if n == 0 { break }
            total += n
        }
        bytesRead += total
        return total
    }
}
