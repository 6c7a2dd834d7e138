// Parses one block of complete records (CSV/TSV/whitespace/JSON Lines) into columns, on raw bytes.
import Foundation
import TenureCore

/// Where the four fields of interest sit in a record.
struct RecordLayout: Sendable {
    let format: LogFormat
    /// Header field count (delimited formats).
    let fieldCount: Int
    /// Column index → role (0 user, 1 time, 2 event, 3 value, -1 ignored), delimited formats.
    let roles: [Int8]
    /// JSON keys per role; nil for an absent optional role.
    let keys: [[UInt8]?]
    let hasEvent: Bool
    let hasValue: Bool
}

struct BadRow: Sendable {
    var line: Int
    var reason: BadRowReason
    var detail: String
    /// The record as it is in the file, its line end (LF or CRLF) included: the quarantine file gets these bytes.
    var text: [UInt8]

    /// The record without its line end, for messages.
    var shown: ArraySlice<UInt8> {
        var t = text[...]
        if t.last == 10 { t = t.dropLast() }
        if t.last == 13 { t = t.dropLast() }
        return t
    }
}

/// The columns of one parsed block, with block-local user and event ids.
struct ParsedBlock: @unchecked Sendable {
    var users: [Int32] = []
    var times: [Int64] = []
    var events: [Int32] = []
    /// Values are kept sparse while parsing (row within the block, value): most rows of a typical log carry
    /// none, and the store builder's peak memory is set by these per-block columns.
    var valueRows: [UInt32] = []
    var valueData: [Double] = []
    var userKeys = ByteInterner()
    var eventKeys = ByteInterner(capacity: 64)
    var badRows: [BadRow] = []
    var badCounts = [Int](repeating: 0, count: BadRowReason.allCases.count)
    var blankLines = 0
    var newlines = 0
    var records = 0
    var timeSamples: [[UInt8]] = []
    var stopped = false
    /// Rows whose user belongs to another partition (`ReadOptions.partition`): skipped unparsed, not bad.
    var otherPartitionRows = 0
    /// `tenure shard`: each good record's bytes (line end included) appended to its shard's buffer.
    var shardBytes: [[UInt8]] = []
    var shardRows: [Int] = []
    /// CPU seconds the parse took (`ReadPhases.parseCPU`).
    var cpuSeconds = 0.0
}

/// Growable scratch for fields that need unescaping ("" in CSV, \n in JSON), one per role.
private final class Scratch {
    var buffers: [UnsafeMutableRawPointer]
    var capacities: [Int]
    init() {
        capacities = [256, 256, 256, 256]
        buffers = capacities.map { UnsafeMutableRawPointer.allocate(byteCount: $0, alignment: 8) }
    }
    deinit { buffers.forEach { $0.deallocate() } }
    func ensure(_ role: Int, _ n: Int) -> UnsafeMutableRawPointer {
        if capacities[role] < n {
            buffers[role].deallocate()
            capacities[role] = max(n, capacities[role] * 2)
            buffers[role] = UnsafeMutableRawPointer.allocate(byteCount: capacities[role], alignment: 8)
        }
        return buffers[role]
    }
}

private let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
private let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), backslash = UInt8(ascii: "\\")

struct BlockParser {
    let layout: RecordLayout
    /// nil while the time format is still being detected: time fields are collected, not parsed.
    let timeReader: TimestampReader?
    let stopAtFirstBad: Bool
    let keepBadText: Bool
    /// `ReadOptions.maxRecordBytes`: the runaway bound of a quoted field (the splitter uses the same).
    let maxQuotedBytes: Int
    /// Timestamps outside are bad rows; unbounded while detecting the time format.
    var timeRange = TimeRange(from: .min, to: .max)
    var sampleLimit = 200
    /// Keep only this partition's users: other rows are skipped right after their user id is found.
    var partition: (index: Int, count: Int)?
    /// Above 0: copy every good record to the buffer of its shard (`PartitionHash` of the user id mod this).
    var shards = 0

    func parse(_ p: UnsafeRawBufferPointer) -> ParsedBlock {
        let cpuStart = ReadPhases.threadCPU()
        var out = ParsedBlock()
        let estimate = p.count / 48
        out.users.reserveCapacity(estimate); out.times.reserveCapacity(estimate)
        if layout.hasEvent { out.events.reserveCapacity(estimate) }
        if shards > 0 {
            out.shardBytes = (0..<shards).map { _ in var b: [UInt8] = []; b.reserveCapacity(p.count / shards + p.count / (4 * shards) + 256); return b }
            out.shardRows = [Int](repeating: 0, count: shards)
        }
        let scratch = Scratch()
        switch layout.format {
        case .jsonl: parseJSONLines(p, &out, scratch)
        case .whitespace: parseWhitespace(p, &out)
        case .csv, .tsv: parseDelimited(p, layout.format == .csv ? UInt8(ascii: ",") : tab, &out, scratch)
        case .parquet, .postgresql: preconditionFailure("Parquet and PostgreSQL are read by their own readers, not in text blocks")
        }
        out.cpuSeconds = ReadPhases.threadCPU() - cpuStart
        return out
    }

    // MARK: Record handling shared by all formats

    /// Field contents by role: user, time, event, value.
    typealias Fields = (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer)

    @inline(__always)
    private func reject(_ out: inout ParsedBlock, _ reason: BadRowReason, _ detail: @autoclosure () -> String,
                        line: Int, record: UnsafeRawBufferPointer) {
        out.badCounts[BadRowReason.allCases.firstIndex(of: reason)!] += 1
        if keepBadText || out.badRows.isEmpty {
            out.badRows.append(BadRow(line: line, reason: reason, detail: detail(), text: Array(record)))
        }
        if stopAtFirstBad { out.stopped = true }
    }

    @inline(__always)
    private func text(_ f: UnsafeRawBufferPointer) -> String { "'" + String(decoding: f, as: UTF8.self) + "'" }

    /// Validates and appends one record; `present` says which roles were found (JSON may omit keys).
    @inline(__always)
    private func accept(_ f: Fields, present: (Bool, Bool), highBit: Bool, line: Int,
                        record: UnsafeRawBufferPointer, _ out: inout ParsedBlock) {
        out.records += 1
        if highBit && !isValidUTF8(record) { return reject(&out, .invalidUTF8, "", line: line, record: record) }
        guard present.0 else { return reject(&out, .missingField, "no user id field", line: line, record: record) }
        guard present.1 else { return reject(&out, .missingField, "no timestamp field", line: line, record: record) }
        guard f.0.count > 0 else { return reject(&out, .emptyUserID, "", line: line, record: record) }
        // A NUL would reach feature column names and C consumers of the ids, which end strings there.
        if memchr(f.0.baseAddress!, 0, f.0.count) != nil { return reject(&out, .nulByte, "in the user id", line: line, record: record) }
        // Another partition's row costs its field scan and one hash; the rest of it is never parsed or checked.
        if let part = partition, PartitionHash.partition(of: f.0, count: part.count) != part.index {
            out.otherPartitionRows += 1
            return
        }
        var time: Int64 = 0
        if let reader = timeReader {
            guard let t = reader.parse(f.1) else {
                return reject(&out, .badTimestamp, "\(text(f.1)) is not \(reader.format)", line: line, record: record)
            }
            guard timeRange.contains(t) else {
                return reject(&out, .outsideTimeRange, "\(text(f.1)) (\(formatTimestamp(t))) is \(timeRange.explain(t)) (--time-range \(timeRange))",
                              line: line, record: record)
            }
            time = t
        } else if out.timeSamples.count < sampleLimit {
            out.timeSamples.append(Array(f.1))
        }
        var value = Double.nan
        if layout.hasValue && f.3.count > 0 {
            guard let v = parseDouble(f.3) else { return reject(&out, .badValue, text(f.3), line: line, record: record) }
            value = v
        }
        if layout.hasEvent {
            guard f.2.count > 0 else { return reject(&out, .emptyEventName, "", line: line, record: record) }
            if memchr(f.2.baseAddress!, 0, f.2.count) != nil { return reject(&out, .nulByte, "in the event name", line: line, record: record) }
            out.events.append(out.eventKeys.intern(f.2))
        }
        if layout.hasValue && !value.isNaN { out.valueRows.append(UInt32(truncatingIfNeeded: out.users.count)); out.valueData.append(value) }
        out.users.append(out.userKeys.intern(f.0))
        out.times.append(time)
        if shards > 0 {
            let k = PartitionHash.partition(of: f.0, count: shards)
            out.shardBytes[k].append(contentsOf: record)
            if record.last != newline { out.shardBytes[k].append(newline) }
            out.shardRows[k] += 1
        }
    }

    // MARK: CSV / TSV (RFC 4180)

    private func parseDelimited(_ p: UnsafeRawBufferPointer, _ delim: UInt8, _ out: inout ParsedBlock, _ scratch: Scratch) {
        let base = p.baseAddress!
        let empty = UnsafeRawBufferPointer(start: base, count: 0)
        var scan = CSVScanner(p, delimiter: delim, fileStart: false)   // the reader skipped any BOM
        scan.maxQuotedBytes = maxQuotedBytes
        while !scan.atEnd && !out.stopped {
            let recordStart = scan.position, recordLine = scan.newlines
            if scan.skipBlankLine() { out.blankLines += 1; continue }
            var fields: Fields = (empty, empty, empty, empty)
            var field = 0
            var badQuote = false
            scan.highBits = 0
            while true {
                let f = scan.field()
                badQuote = badQuote || f.badQuote
                if field < layout.roles.count, !badQuote {
                    let role = Int(layout.roles[field])
                    if role >= 0 {
                        var slice = scan.raw(f)
                        if f.hasDoubledQuotes {
                            let dst = scratch.ensure(role, slice.count)
                            slice = UnsafeRawBufferPointer(start: dst, count: CSVScanner.unescape(slice, into: dst))
                        }
                        switch role {
                        case 0: fields.0 = slice
                        case 1: fields.1 = slice
                        case 2: fields.2 = slice
                        default: fields.3 = slice
                        }
                    }
                }
                field += 1
                if f.endsRecord { break }
            }
            // The record's bytes with its line end, as the quarantine file keeps them.
            let record = UnsafeRawBufferPointer(start: base + recordStart, count: scan.position - recordStart)
            if badQuote {
                out.records += 1
                reject(&out, .badQuoting, "a quoted field must end with a quote followed by a delimiter or the line end",
                       line: recordLine, record: record)
                continue
            }
            if field != layout.fieldCount {
                out.records += 1
                reject(&out, .wrongFieldCount, "expected \(layout.fieldCount) fields, found \(field)",
                       line: recordLine, record: record)
                continue
            }
            accept(fields, present: (true, true), highBit: scan.highBits >= 0x80, line: recordLine, record: record, &out)
        }
        out.newlines = scan.newlines
    }

    // MARK: Whitespace-separated (CDNOW)

    private func parseWhitespace(_ p: UnsafeRawBufferPointer, _ out: inout ParsedBlock) {
        let n = p.count
        let base = p.baseAddress!
        let empty = UnsafeRawBufferPointer(start: base, count: 0)
        var i = 0, line = 0
        while i < n && !out.stopped {
            let recordStart = i
            var lineEnd = i
            while lineEnd < n && p[lineEnd] != newline { lineEnd += 1 }
            var fields: Fields = (empty, empty, empty, empty)
            var field = 0
            var high: UInt8 = 0
            var k = i
            while true {
                while k < lineEnd && (p[k] == space || p[k] == tab || p[k] == cr) { k += 1 }
                if k >= lineEnd { break }
                let start = k
                while k < lineEnd && p[k] != space && p[k] != tab && p[k] != cr { high |= p[k]; k += 1 }
                if field < layout.roles.count {
                    let slice = UnsafeRawBufferPointer(start: base + start, count: k - start)
                    switch layout.roles[field] {
                    case 0: fields.0 = slice
                    case 1: fields.1 = slice
                    case 2: fields.2 = slice
                    case 3: fields.3 = slice
                    default: break
                    }
                }
                field += 1
            }
            let record = UnsafeRawBufferPointer(start: base + recordStart, count: min(lineEnd + 1, n) - recordStart)
            let recordLine = line
            i = lineEnd + 1
            if lineEnd < n { line += 1 }
            if field == 0 { out.blankLines += 1; continue }
            if field != layout.fieldCount {
                out.records += 1
                reject(&out, .wrongFieldCount, "expected \(layout.fieldCount) fields, found \(field)", line: recordLine, record: record)
                continue
            }
            accept(fields, present: (true, true), highBit: high >= 0x80, line: recordLine, record: record, &out)
        }
        out.newlines = line
    }

    // MARK: JSON Lines (one flat object per line; nested values are skipped)

    private func parseJSONLines(_ p: UnsafeRawBufferPointer, _ out: inout ParsedBlock, _ scratch: Scratch) {
        let n = p.count
        let base = p.baseAddress!
        var i = 0, line = 0
        while i < n && !out.stopped {
            var lineEnd = i
            if let hit = memchr(base + i, Int32(newline), n - i) { lineEnd = base.distance(to: UnsafeRawPointer(hit)) } else { lineEnd = n }
            var trimmedEnd = lineEnd
            if trimmedEnd > i && p[trimmedEnd - 1] == cr { trimmedEnd -= 1 }
            let object = UnsafeRawBufferPointer(start: base + i, count: trimmedEnd - i)
            // The record's bytes with its line end, as the quarantine file keeps them.
            let record = UnsafeRawBufferPointer(start: base + i, count: min(lineEnd + 1, n) - i)
            let recordLine = line
            i = lineEnd + 1
            if lineEnd < n { line += 1 }
            var onlySpace = true
            for c in object where c != space && c != tab { onlySpace = false; break }
            if onlySpace { out.blankLines += 1; continue }
            var parser = JSONObjectScanner(object, base: UnsafeRawPointer(base))
            var fields: Fields = (UnsafeRawBufferPointer(start: base, count: 0), UnsafeRawBufferPointer(start: base, count: 0),
                                  UnsafeRawBufferPointer(start: base, count: 0), UnsafeRawBufferPointer(start: base, count: 0))
            var present = [false, false, false, false]
            var badEscape = false
            var duplicate: Int?
            var high: UInt8 = 0
            for c in object { high |= c }
            let ok = parser.scan { key, value, escaped in
                for role in 0..<4 {
                    guard let k = layout.keys[role], k.count == key.count, memcmpBytes(k.withUnsafeBytes { $0.baseAddress! }, key.baseAddress!, k.count) else { continue }
                    // Which of two values would be meant is a guess (parsers differ: first, last, error).
                    if present[role] { duplicate = role; return }
                    guard let value else { present[role] = true; return } // null: missing value
                    var slice = value
                    if escaped {
                        guard let unescaped = unescapeJSON(value, scratch.ensure(role, value.count * 4 + 4)) else {
                            badEscape = true
                            return
                        }
                        slice = unescaped
                    }
                    switch role {
                    case 0: fields.0 = slice
                    case 1: fields.1 = slice
                    case 2: fields.2 = slice
                    default: fields.3 = slice
                    }
                    present[role] = true
                }
            }
            guard ok, !badEscape, duplicate == nil else {
                out.records += 1
                let why = !ok ? parser.error : badEscape ? "invalid escape in a string"
                    : "key '\(String(decoding: layout.keys[duplicate!]!, as: UTF8.self))' appears twice"
                reject(&out, .malformedJSON, why, line: recordLine, record: record)
                continue
            }
            if layout.hasEvent && !present[2] {
                out.records += 1
                reject(&out, .missingField, "no '\(String(decoding: layout.keys[2]!, as: UTF8.self))' field", line: recordLine, record: record)
                continue
            }
            accept(fields, present: (present[0], present[1]), highBit: high >= 0x80, line: recordLine, record: record, &out)
        }
        out.newlines = line
    }

    /// Decodes JSON string escapes (including \uXXXX surrogate pairs) into UTF-8.
    private func unescapeJSON(_ s: UnsafeRawBufferPointer, _ dst: UnsafeMutableRawPointer) -> UnsafeRawBufferPointer? {
        var i = 0, j = 0
        func put(_ b: UInt8) { dst.storeBytes(of: b, toByteOffset: j, as: UInt8.self); j += 1 }
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= s.count else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = s[k]
                let d: UInt32
                switch c {
                case 48...57: d = UInt32(c - 48)
                case 65...70: d = UInt32(c - 55)
                case 97...102: d = UInt32(c - 87)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
        while i < s.count {
            let c = s[i]
            if c != backslash { put(c); i += 1; continue }
            guard i + 1 < s.count else { return nil }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), backslash, UInt8(ascii: "/"): put(e)
            case UInt8(ascii: "b"): put(8)
            case UInt8(ascii: "f"): put(12)
            case UInt8(ascii: "n"): put(10)
            case UInt8(ascii: "r"): put(13)
            case UInt8(ascii: "t"): put(9)
            case UInt8(ascii: "u"):
                guard var cp = hex4(i) else { return nil }
                i += 4
                if cp >= 0xD800 && cp <= 0xDBFF {
                    guard i + 6 <= s.count, s[i] == backslash, s[i + 1] == UInt8(ascii: "u"), let lo = hex4(i + 2),
                          lo >= 0xDC00 && lo <= 0xDFFF else { return nil }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                    i += 6
                }
                guard let scalar = Unicode.Scalar(cp) else { return nil }
                for b in UTF8.encode(scalar)! { put(b) }
            default: return nil
            }
        }
        return UnsafeRawBufferPointer(start: dst, count: j)
    }
}

/// Walks one flat JSON object, calling `visit(key, value, valueHasEscapes)` for each member whose value is a
/// string, number or literal (`value` is nil for `null`; the raw token for numbers, true and false).
struct JSONObjectScanner {
    let p: UnsafeRawBufferPointer
    var i = 0
    var error = ""

    init(_ p: UnsafeRawBufferPointer, base: UnsafeRawPointer) { self.p = p }

    private mutating func skipSpace() {
        while i < p.count, p[i] == space || p[i] == tab || p[i] == cr || p[i] == newline { i += 1 }
    }

    /// A string at `i` (which must be a quote): its content range and whether it has escapes.
    private mutating func string() -> (Int, Int, Bool)? {
        guard i < p.count, p[i] == quote else { error = "expected a string"; return nil }
        i += 1
        let start = i
        var escaped = false
        while i < p.count {
            let c = p[i]
            if c == quote { i += 1; return (start, i - 1, escaped) }
            if c == backslash { escaped = true; i += 2; continue }
            if c < 0x20 { error = "control character in a string"; return nil }
            i += 1
        }
        error = "unterminated string"
        return nil
    }

    /// Skips any JSON value (objects and arrays by bracket depth, strings aware).
    private mutating func skipNested() -> Bool {
        var depth = 0
        while i < p.count {
            let c = p[i]
            if c == quote { guard string() != nil else { return false }; continue }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { i += 1; return true }
            }
            i += 1
        }
        error = "unterminated object or array"
        return false
    }

    mutating func scan(_ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer?, Bool) -> Void) -> Bool {
        let base = p.baseAddress!
        skipSpace()
        guard i < p.count, p[i] == UInt8(ascii: "{") else { error = "a line must hold one JSON object"; return false }
        i += 1
        skipSpace()
        if i < p.count, p[i] == UInt8(ascii: "}") { i += 1; return finish() }
        while true {
            skipSpace()
            guard let (ks, ke, _) = string() else { return false }
            skipSpace()
            guard i < p.count, p[i] == UInt8(ascii: ":") else { error = "expected ':' after a key"; return false }
            i += 1
            skipSpace()
            guard i < p.count else { error = "missing value"; return false }
            let key = UnsafeRawBufferPointer(start: base + ks, count: ke - ks)
            let c = p[i]
            if c == quote {
                guard let (vs, ve, esc) = string() else { return false }
                visit(key, UnsafeRawBufferPointer(start: base + vs, count: ve - vs), esc)
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                guard skipNested() else { return false }
            } else {
                let start = i
                while i < p.count, p[i] != UInt8(ascii: ","), p[i] != UInt8(ascii: "}"), p[i] != space, p[i] != tab, p[i] != cr { i += 1 }
                let token = UnsafeRawBufferPointer(start: base + start, count: i - start)
                if token.count == 4 && token.elementsEqual("null".utf8) { visit(key, nil, false) } else {
                    guard JSONObjectScanner.isNumberOrBoolean(token) else {
                        error = "invalid value '\(String(decoding: token.prefix(40), as: UTF8.self))' (not a string, number, true, false or null)"
                        return false
                    }
                    visit(key, token, false)
                }
            }
            skipSpace()
            guard i < p.count else { error = "unterminated object"; return false }
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            if p[i] == UInt8(ascii: "}") { i += 1; return finish() }
            error = "expected ',' or '}'"
            return false
        }
    }

    /// `true`, `false`, or a number in JSON's grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    static func isNumberOrBoolean(_ t: UnsafeRawBufferPointer) -> Bool {
        if t.elementsEqual("true".utf8) || t.elementsEqual("false".utf8) { return true }
        let n = t.count
        var i = 0
        func digits() -> Int { let s = i; while i < n, t[i] >= 48, t[i] <= 57 { i += 1 }; return i - s }
        if i < n, t[i] == 45 { i += 1 }
        guard i < n else { return false }
        if t[i] == 48 { i += 1 } else if digits() == 0 { return false }
        if i < n, t[i] == 46 { i += 1; guard digits() > 0 else { return false } }
        if i < n, t[i] == 101 || t[i] == 69 {
            i += 1
            if i < n, t[i] == 43 || t[i] == 45 { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == n
    }

    private mutating func finish() -> Bool {
        skipSpace()
        if i != p.count { error = "text after the object"; return false }
        return true
    }
}
