// Overlaps libpq's receiving with the caller's decoding. PQgetCopyData hands over one freshly allocated buffer
// per row; a receiver thread pulls them, packs them into 1 MiB batches and frees them, while the calling thread
// decodes the previous batch. On two cores the socket reads and libpq's per-row allocations then run beside the
// decoding instead of between its rows, and the decoder is called once per batch, not once per row. At most
// `depth` batches are in flight, so a fast server cannot run the client's memory up.
import CTenurePQ
import Foundation

final class CopyPipe: @unchecked Sendable {
    static let batchBytes = 1 << 20
    static let depth = 4

    private let conn: OpaquePointer
    private let lock = NSCondition()
    // Everything below is guarded by `lock`.
    private var ready: [(UnsafeMutableRawBufferPointer, Int)] = []
    private var spare: [UnsafeMutableRawBufferPointer] = []
    private var allocated = 0
    private var received = false
    private var cancelled = false
    /// libpq's message when the stream broke (a killed server, a lost socket).
    private(set) var brokenStream: String?

    init(_ conn: OpaquePointer) { self.conn = conn }

    /// Runs on the receiver thread until the COPY ends (or breaks); the connection is used by no other thread
    /// meanwhile.
    func receive() {
        var batch = takeBuffer(atLeast: Self.batchBytes), used = 0
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let n = Int(PQgetCopyData(conn, &buffer, 0))
            if n == -1 { break }
            guard n >= 0, let b = buffer else {
                lock.lock(); brokenStream = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines); lock.unlock()
                break
            }
            if used + n > batch.count {
                if used > 0 { hand(batch, used) } else { release(batch) }
                batch = takeBuffer(atLeast: n); used = 0
            }
            memcpy(batch.baseAddress! + used, b, n)
            used += n
            PQfreemem(b)
        }
        if used > 0 { hand(batch, used) } else { release(batch) }
        lock.lock(); received = true; lock.broadcast(); lock.unlock()
    }

    /// The next batch for the calling thread (nil once the stream is over); give it back with `recycle`.
    func next() -> (UnsafeMutableRawBufferPointer, Int)? {
        lock.lock(); defer { lock.unlock() }
        while ready.isEmpty && !received { lock.wait() }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    func recycle(_ b: UnsafeMutableRawBufferPointer) { release(b) }

    /// The caller failed: the receiver keeps draining the stream (so the connection ends in a known state) but
    /// drops what it reads.
    func cancel() {
        lock.lock(); cancelled = true
        for (b, _) in ready { spare.append(b) }
        ready.removeAll(); lock.broadcast(); lock.unlock()
    }

    private func hand(_ b: UnsafeMutableRawBufferPointer, _ used: Int) {
        lock.lock(); defer { lock.unlock() }
        if cancelled { spare.append(b) } else { ready.append((b, used)); lock.signal() }
    }

    private func release(_ b: UnsafeMutableRawBufferPointer) {
        lock.lock(); defer { lock.unlock() }
        if b.count == Self.batchBytes { spare.append(b); lock.broadcast() } else { b.deallocate(); allocated -= 1 }
    }

    /// A batch buffer: a spare one, a new one while fewer than `depth` exist, else waits for the caller to give one
    /// back. A row larger than a batch gets a buffer of its own size.
    private func takeBuffer(atLeast n: Int) -> UnsafeMutableRawBufferPointer {
        lock.lock(); defer { lock.unlock() }
        if n <= Self.batchBytes {
            while spare.isEmpty && allocated >= Self.depth { lock.wait() }
            if let b = spare.popLast() { return b }
        }
        allocated += 1
        return .allocate(byteCount: max(n, Self.batchBytes), alignment: 16)
    }

    deinit { for b in spare { b.deallocate() } }

    /// Streams the started COPY through a receiver thread; `body` runs on the calling thread for each batch, in
    /// order. A failure of `body` is returned (the stream is still drained); a broken stream is in `brokenStream`.
    func run(_ body: (UnsafeRawBufferPointer) throws -> Void) -> Error? {
        let done = DispatchSemaphore(value: 0)
        let receiver = Thread { [self] in receive(); done.signal() }
        receiver.start()
        var failure: Error?
        while let (b, used) = next() {
            if failure == nil {
                do { try body(UnsafeRawBufferPointer(start: b.baseAddress, count: used)) } catch { failure = error; cancel() }
            }
            recycle(b)
        }
        done.wait()
        return failure
    }
}
