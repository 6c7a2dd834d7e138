// Buffered CSV byte writer for the generator: rows are formatted by hand (integers, ISO-8601 UTC
// timestamps via Hinnant's civil-from-days, 2-decimal amounts) into one reusable buffer, flushed in big chunks
// to an `AtomicOutput` (the file appears whole or not at all) or kept in memory.
import Foundation
import TenureCore

/// Event names of the synthetic log, in the order of `EventKind`.
enum EventKind: Int, CaseIterable {
    case sessionStart, pageView, purchase, post, comment, like, dailyBonus, signup

    var name: StaticString {
        switch self {
        case .sessionStart: return "session_start"
        case .pageView: return "page_view"
        case .purchase: return "purchase"
        case .post: return "post"
        case .comment: return "comment"
        case .like: return "like"
        case .dailyBonus: return "daily_bonus"
        case .signup: return "signup"
        }
    }
}

/// Appends CSV rows `user_id,timestamp,event,value` (or, for a log shape without values, `user_id,timestamp,event`
/// plus an optional per-user text column) to a fixed buffer and hands full chunks to `output`.
/// Not thread-safe; one sink per generator run.
final class CSVSink {
    enum Output {
        case file(AtomicOutput)
        case memory
    }

    private let capacity = 1 << 22
    /// Space guaranteed before each row: two rows (row + its duplicate) are far below this.
    private let rowReserve = 512
    private let buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var rowStart = 0
    private let output: Output
    private(set) var memory: [UInt8] = []

    /// User ids `u` + zero-padded index, all of width `idWidth`, stored back to back.
    private let idBytes: [UInt8]
    private let idWidth: Int
    /// Cached "YYYY-MM-DDT" for `cachedDay` (days since 1970-01-01).
    private var cachedDay = Int64.min
    private var datePrefix: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private let names: [[UInt8]]
    private let header: [UInt8]

    /// The social shape's sink: `EventKind` names and a value column.
    convenience init(output: Output, users: Int) {
        self.init(output: output, users: users, eventNames: EventKind.allCases.map { "\($0.name)" },
                  header: "user_id,timestamp,event,value")
    }

    /// A sink writing `eventNames[k]` for event index k under `header` (without its newline).
    init(output: Output, users: Int, eventNames: [String], header: String) {
        self.output = output
        names = eventNames.map { Array($0.utf8) }
        self.header = Array(header.utf8) + [10]
        buffer = .allocate(capacity: capacity)
        var width = 6
        var limit = 1_000_000
        while users > limit {
            width += 1
            limit *= 10
        }
        idWidth = width + 1
        var ids = [UInt8](repeating: UInt8(ascii: "0"), count: users * (width + 1))
        for u in 0..<users {
            let base = u * (width + 1)
            ids[base] = UInt8(ascii: "u")
            var v = u
            var pos = base + width
            while v > 0 {
                ids[pos] = UInt8(truncatingIfNeeded: 48 + v % 10)
                v /= 10
                pos -= 1
            }
        }
        idBytes = ids
    }

    deinit { buffer.deallocate() }

    /// The id bytes of user `u` (what every row of that user starts with).
    func userID(_ u: Int) -> ArraySlice<UInt8> { idBytes[u * idWidth..<(u + 1) * idWidth] }

    func writeHeader() {
        for (i, b) in header.enumerated() { buffer[count + i] = b }
        count += header.count
    }

    /// Writes one row. `cents` < 0 means an empty value field. Returns nothing; call `flushIfNeeded` per row.
    @inline(__always)
    func row(user: Int, time: Int64, kind: EventKind, cents: Int) {
        var p = rowPrefix(user: user, time: time, event: kind.rawValue)
        buffer[p] = 44
        p += 1
        if cents >= 0 {
            p = writeInt(cents / 100, at: p)
            buffer[p] = 46  // '.'
            buffer[p + 1] = UInt8(truncatingIfNeeded: 48 + (cents / 10) % 10)
            buffer[p + 2] = UInt8(truncatingIfNeeded: 48 + cents % 10)
            p += 3
        }
        buffer[p] = 10
        count = p + 1
    }

    /// Writes one row without a value field: `user,timestamp,event` and then `,tail` when `tail` is not empty.
    @inline(__always)
    func row(user: Int, time: Int64, event: Int, tail: [UInt8]) {
        var p = rowPrefix(user: user, time: time, event: event)
        if !tail.isEmpty {
            buffer[p] = 44
            p += 1
            for (i, b) in tail.enumerated() { buffer[p + i] = b }
            p += tail.count
        }
        buffer[p] = 10
        count = p + 1
    }

    /// Writes `user,timestamp,event` at the end of the buffer; returns the position after it.
    @inline(__always)
    private func rowPrefix(user: Int, time: Int64, event: Int) -> Int {
        rowStart = count
        var p = count
        idBytes.withUnsafeBufferPointer { ids in
            let src = ids.baseAddress! + user * idWidth
            for i in 0..<idWidth { buffer[p + i] = src[i] }
        }
        p += idWidth
        buffer[p] = 44  // ','
        p += 1
        p = writeTimestamp(time, at: p)
        buffer[p] = 44
        p += 1
        names[event].withUnsafeBufferPointer { n in
            for i in 0..<n.count { buffer[p + i] = n[i] }
            p += n.count
        }
        return p
    }

    /// Appends an exact copy of the last row written.
    @inline(__always)
    func repeatLastRow() {
        let n = count - rowStart
        (buffer + count).update(from: buffer + rowStart, count: n)
        rowStart = count
        count += n
    }

    @inline(__always)
    private func writeInt(_ value: Int, at start: Int) -> Int {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(truncatingIfNeeded: 48 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            for i in 0..<n { buffer[start + i] = d[n - 1 - i] }
        }
        return start + n
    }

    @inline(__always)
    private func two(_ v: Int, at p: Int) {
        buffer[p] = UInt8(truncatingIfNeeded: 48 + v / 10)
        buffer[p + 1] = UInt8(truncatingIfNeeded: 48 + v % 10)
    }

    /// Writes `YYYY-MM-DDTHH:MM:SSZ` (20 bytes) for Unix seconds `time` ≥ 0.
    @inline(__always)
    private func writeTimestamp(_ time: Int64, at p: Int) -> Int {
        let day = time / 86_400
        let sod = Int(time - day * 86_400)
        if day != cachedDay { cacheDate(day) }
        withUnsafeBytes(of: &datePrefix) { d in
            for i in 0..<11 { buffer[p + i] = d[i] }
        }
        two(sod / 3600, at: p + 11)
        buffer[p + 13] = 58  // ':'
        two((sod / 60) % 60, at: p + 14)
        buffer[p + 16] = 58
        two(sod % 60, at: p + 17)
        buffer[p + 19] = 90  // 'Z'
        return p + 20
    }

    private func cacheDate(_ day: Int64) {
        cachedDay = day
        let (y, m, d) = civilFromDays(day)
        withUnsafeMutableBytes(of: &datePrefix) { b in
            b[0] = UInt8(truncatingIfNeeded: 48 + y / 1000)
            b[1] = UInt8(truncatingIfNeeded: 48 + (y / 100) % 10)
            b[2] = UInt8(truncatingIfNeeded: 48 + (y / 10) % 10)
            b[3] = UInt8(truncatingIfNeeded: 48 + y % 10)
            b[4] = 45  // '-'
            b[5] = UInt8(truncatingIfNeeded: 48 + m / 10)
            b[6] = UInt8(truncatingIfNeeded: 48 + m % 10)
            b[7] = 45
            b[8] = UInt8(truncatingIfNeeded: 48 + d / 10)
            b[9] = UInt8(truncatingIfNeeded: 48 + d % 10)
            b[10] = 84  // 'T'
        }
    }

    /// Flushes when fewer than `rowReserve` bytes remain. Call once per row (before writing it).
    @inline(__always)
    func flushIfNeeded() throws {
        if count > capacity - rowReserve { try flush() }
    }

    func flush() throws {
        defer {
            count = 0
            rowStart = 0
        }
        switch output {
        case let .file(out):
            out.write(bytes: UnsafeRawBufferPointer(start: buffer, count: count))
            try out.flushIfLarge()
        case .memory:
            memory.append(contentsOf: UnsafeBufferPointer(start: buffer, count: count))
        }
    }
}

/// Counts written rows and repeats one now and then as an exact duplicate (the log's planted mess): after
/// each row a geometric countdown with `rate` decides.
struct DuplicateRows {
    private(set) var events = 0
    private(set) var duplicates = 0
    private var countdown = 0

    /// Draws the first countdown (where the simulation's random stream has it).
    mutating func start(rate: Double, rng: inout Xoshiro256) { countdown = rng.geometric(rate) }

    /// Call after each row written to `sink`.
    @inline(__always)
    mutating func rowWritten(_ sink: CSVSink, rate: Double, rng: inout Xoshiro256) {
        events += 1
        if countdown == 0 {
            sink.repeatLastRow()
            duplicates += 1
            events += 1
            countdown = rng.geometric(rate)
        } else {
            countdown -= 1
        }
    }
}

/// Proleptic Gregorian (year, month, day) of `days` since 1970-01-01 (Howard Hinnant's civil_from_days).
func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    return (Int(y), Int(m), Int(d))
}
