// Streams the bytes of a file, stdin or a gzip file into a caller's buffer (read(2), or read(2) + inflate).
// zlib's gzread is not used: it ignores bytes after the last gzip member and names the file `<fd:N>` in its
// messages; decoding member by member here makes trailing garbage an error that names the path.
import CTenureZlib
import Foundation

/// A forward-only byte stream. `-` is stdin; gzip is recognised by its magic bytes, not the name.
final class ByteSource {
    let path: String
    private let fd: Int32
    private(set) var bytesRead = 0
    /// Compressed input (gzip) or the bytes peeked to recognise it (plain): `input[inputStart..<inputEnd]`.
    /// 64 KiB to peek; a gzip stream longer than that gets 1 MiB (small inputs never pay for the large buffer).
    private var inputCapacity = 1 << 16
    private var input: UnsafeMutablePointer<UInt8>
    private var inputStart = 0, inputEnd = 0
    private var inputEOF = false
    /// Compressed bytes consumed before `input[0]`, for messages.
    private var inputOffset = 0
    /// Set for gzip input.
    private var stream: UnsafeMutablePointer<z_stream>?
    /// A member just ended: what follows must be another member or the end of the file.
    private var betweenMembers = false
    private var finished = false

    init(path: String) throws {
        self.path = path
        fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { throw EventLogError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        input = .allocate(capacity: inputCapacity)
        do {
            try refill(atLeast: 2)
            if inputEnd >= 2 && input[0] == 0x1f && input[1] == 0x8b {
                let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
                z.initialize(to: z_stream())
                guard tenure_inflate_init_gzip(z) == Z_OK else {
                    z.deallocate()
                    throw EventLogError.cannotOpen(path: path, reason: "zlib could not start a gzip decoder")
                }
                stream = z
                if !inputEOF { growInput(to: 1 << 20) }
            }
        } catch {
            input.deallocate()
            if fd != 0 { close(fd) }
            throw error
        }
    }

    deinit {
        if let z = stream { inflateEnd(z); z.deallocate() }
        input.deallocate()
        if fd != 0 { close(fd) }
    }

    private func growInput(to capacity: Int) {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bigger.update(from: input, count: inputEnd)
        input.deallocate()
        input = bigger
        inputCapacity = capacity
    }

    /// Reads raw bytes until `input` holds at least `count` unread ones or the file ends.
    private func refill(atLeast count: Int) throws {
        if inputStart > 0 {
            let kept = inputEnd - inputStart
            if kept > 0 { memmove(input, input + inputStart, kept) }
            inputOffset += inputStart
            inputStart = 0; inputEnd = kept
        }
        while !inputEOF && inputEnd - inputStart < count && inputEnd < inputCapacity {
            let n = Foundation.read(fd, input + inputEnd, inputCapacity - inputEnd)
            if n < 0 {
                if errno == EINTR { continue }
                throw EventLogError.readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { inputEOF = true } else { inputEnd += n }
        }
    }

    /// Reads up to `count` bytes into `dst`; returns 0 at the end of the stream.
    func read(into dst: UnsafeMutableRawPointer, count: Int) throws -> Int {
        let n = stream == nil ? try readPlain(into: dst, count: count) : try inflate(into: dst, count: count)
        bytesRead += n
        return n
    }

    private func readPlain(into dst: UnsafeMutableRawPointer, count: Int) throws -> Int {
        var total = 0
        if inputStart < inputEnd {   // the bytes peeked at open
            total = min(count, inputEnd - inputStart)
            memcpy(dst, input + inputStart, total)
            inputStart += total
        }
        while total < count && !inputEOF {
            let n = Foundation.read(fd, dst + total, count - total)
            if n < 0 {
                if errno == EINTR { continue }
                throw EventLogError.readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { inputEOF = true } else { total += n }
        }
        return total
    }

    private func inflate(into dst: UnsafeMutableRawPointer, count: Int) throws -> Int {
        guard let z = stream else { return 0 }
        var total = 0
        while total < count && !finished {
            if betweenMembers {
                try refill(atLeast: 2)
                if inputStart == inputEnd { finished = true; break }
                guard inputEnd - inputStart >= 2, input[inputStart] == 0x1f, input[inputStart + 1] == 0x8b else {
                    throw EventLogError.readFailed(path: path, reason: "gzip: \(inputEnd - inputStart < 2 ? "a stray byte" : "data that is not gzip") "
                                                   + "after the last member, at compressed byte \(inputOffset + inputStart) (a damaged or appended-to file?)")
                }
                inflateReset(z)
                betweenMembers = false
            }
            if inputStart == inputEnd {
                try refill(atLeast: 1)
                if inputStart == inputEnd {
                    throw EventLogError.readFailed(path: path, reason: "gzip: unexpected end of file (truncated?)")
                }
            }
            z.pointee.next_in = input + inputStart
            z.pointee.avail_in = UInt32(inputEnd - inputStart)
            z.pointee.next_out = (dst + total).assumingMemoryBound(to: UInt8.self)
            z.pointee.avail_out = UInt32(min(count - total, Int(UInt32.max)))
            let before = Int(z.pointee.avail_out)
            let status = CTenureZlib.inflate(z, Z_NO_FLUSH)
            total += before - Int(z.pointee.avail_out)
            inputStart = inputEnd - Int(z.pointee.avail_in)
            switch status {
            case Z_STREAM_END: betweenMembers = true
            case Z_OK, Z_BUF_ERROR: break
            default:
                let why = z.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw EventLogError.readFailed(path: path, reason: "gzip: \(why) at compressed byte \(inputOffset + inputStart)")
            }
        }
        return total
    }
}
