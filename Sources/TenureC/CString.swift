// C string helpers for the ABI: owned copies, and messages written into caller buffers.
import Foundation

enum CString {
    /// A malloc'ed NUL-terminated copy of `s`; the owner frees it with `free`.
    static func copy(_ s: String) -> UnsafeMutablePointer<CChar> {
        guard let p = strdup(s) else { fatalError("out of memory copying a \(s.utf8.count)-byte string") }
        return p
    }

    /// Writes `message` as UTF-8 into `buffer` (capacity `capacity` bytes, NUL included), cut at a character
    /// boundary so the result is always valid UTF-8. Does nothing when `buffer` is NULL or `capacity` is 0.
    static func write(_ message: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int) {
        guard let buffer, capacity > 0 else { return }
        let bytes = Array(message.utf8)
        var n = min(bytes.count, capacity - 1)
        // Back off over UTF-8 continuation bytes (10xxxxxx) so no character is cut in half.
        if n < bytes.count { while n > 0 && bytes[n] & 0xC0 == 0x80 { n -= 1 } }
        bytes.withUnsafeBufferPointer { src in
            src.baseAddress.map { UnsafeMutableRawPointer(buffer).copyMemory(from: $0, byteCount: n) }
        }
        buffer[n] = 0
    }
}
