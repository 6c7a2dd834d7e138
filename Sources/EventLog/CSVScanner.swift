// The one CSV/TSV field reader (RFC 4180) on raw bytes, behind the event log, feature-matrix and contacts
// readers: quoted fields may hold delimiters, doubled quotes and line breaks; LF and CRLF both end a record;
// a UTF-8 byte order mark is skipped once, at the start of a file. A quoted field never closed (or still open
// `maxQuotedBytes` after its quote) ends at the first line end after its quote, so one stray quote costs one row.

/// One field: its bytes are `start..<end` of the scanned buffer, without the enclosing quotes.
public struct CSVField: Sendable {
    public var start: Int
    public var end: Int
    /// The field holds doubled quotes (`""`), which read as one: see `CSVScanner.text(_:)`.
    public var hasDoubledQuotes: Bool
    /// A quoted field that is not closed, or whose closing quote is followed by something other than the
    /// delimiter or the line end. The rest of the line is skipped; the record ends there.
    public var badQuote: Bool
    /// No field follows in this record (a line end or the end of the input came next).
    public var endsRecord: Bool

    @inlinable
    public init(start: Int, end: Int, hasDoubledQuotes: Bool, badQuote: Bool, endsRecord: Bool) {
        self.start = start; self.end = end; self.hasDoubledQuotes = hasDoubledQuotes
        self.badQuote = badQuote; self.endsRecord = endsRecord
    }
}

/// What `CSVScanner.record(into:)` found.
public enum CSVRecordStatus: Sendable { case record, blankLine, badQuote, endOfInput }

public struct CSVScanner {
    public let bytes: UnsafeRawBufferPointer
    public let delimiter: UInt8
    /// Index of the next byte to read.
    public var position: Int
    /// Line feeds passed so far, those inside quoted fields included (line numbers derive from it).
    public var newlines = 0
    /// OR of every byte inside fields: ≥ 0x80 means there is UTF-8 to validate.
    public var highBits: UInt8 = 0
    /// End (exclusive, before the line feed and any CR) of the record the last field ended.
    public var recordEnd = 0
    /// A quoted field with no closing quote within this many bytes after its opening quote is a runaway.
    public var maxQuotedBytes = Int.max

    @usableFromInline static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// `fileStart`: the buffer begins a file, so a byte order mark there is skipped.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, delimiter: UInt8 = UInt8(ascii: ","), fileStart: Bool) {
        self.bytes = bytes
        self.delimiter = delimiter
        position = fileStart ? CSVScanner.byteOrderMarkLength(bytes) : 0
    }

    /// 3 when `p` starts with the UTF-8 byte order mark, else 0.
    @inlinable
    public static func byteOrderMarkLength(_ p: UnsafeRawBufferPointer) -> Int {
        p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
    }

    @inlinable public var atEnd: Bool { position >= bytes.count }

    /// Steps over an empty line (LF or CRLF) at `position`; false when the line has content.
    @inlinable @inline(__always)
    public mutating func skipBlankLine() -> Bool {
        let p = bytes, i = position, n = p.count
        if p[i] == CSVScanner.lf { position = i + 1; newlines += 1; recordEnd = i; return true }
        if p[i] == CSVScanner.cr && i + 1 < n && p[i + 1] == CSVScanner.lf {
            position = i + 2; newlines += 1; recordEnd = i; return true
        }
        return false
    }

    /// Reads the field at `position` (which may be the end of the input: an empty last field) and steps past
    /// the delimiter or line end after it.
    @inlinable @inline(__always)
    public mutating func field() -> CSVField {
        let p = bytes, n = p.count, delim = delimiter
        let quote = CSVScanner.quote, lf = CSVScanner.lf, cr = CSVScanner.cr
        var i = position
        var start = i, end = i
        var doubled = false, bad = false
        var high: UInt8 = 0
        if i < n && p[i] == quote {
            i += 1
            start = i
            var closed = false
            let newlinesBefore = newlines
            // Stopping at `bound`, and looking no further for a doubled quote, makes the verdict depend only on
            // bytes before the field's line end or `bound`, so every block boundary reads the field the same.
            let bound = n - i > maxQuotedBytes ? i + maxQuotedBytes : n
            while i < bound {
                let c = p[i]
                if c == quote {
                    if i + 1 < bound && p[i + 1] == quote { doubled = true; i += 2; continue }
                    closed = true
                    break
                }
                if c == lf { newlines += 1 }
                high |= c
                i += 1
            }
            end = i
            if closed {
                i += 1
                // A CR closing the line belongs to the line end, not to a next field.
                if i < n && p[i] == cr && (i + 1 == n || p[i + 1] == lf) { i += 1 }
            } else {
                // A runaway: the record ends at the first line end after the quote; reading resumes after it.
                bad = true
                newlines = newlinesBefore
                i = start
                while i < n && p[i] != lf { i += 1 }
            }
            if closed && i < n && p[i] != delim && p[i] != lf {
                bad = true
                while i < n && p[i] != lf { i += 1 }
            }
        } else {
            while i < n {
                let c = p[i]
                if c == delim || c == lf { break }
                high |= c
                i += 1
            }
            end = i
            if end > start && (i == n || p[i] == lf) && p[end - 1] == cr { end -= 1 }
        }
        highBits |= high
        let last: Bool
        if i >= n || p[i] == lf {
            last = true
            recordEnd = i > position && p[i - 1] == cr ? i - 1 : i
            if i < n { i += 1; newlines += 1 }
        } else {
            last = false
            i += 1   // the delimiter
        }
        position = i
        return CSVField(start: start, end: end, hasDoubledQuotes: doubled, badQuote: bad, endsRecord: last)
    }

    /// The next record's fields into `fields` (cleared first); blank lines are reported, not skipped.
    @inlinable
    public mutating func record(into fields: inout [CSVField]) -> CSVRecordStatus {
        fields.removeAll(keepingCapacity: true)
        if atEnd { return .endOfInput }
        if skipBlankLine() { return .blankLine }
        var bad = false
        while true {
            let f = field()
            bad = bad || f.badQuote
            fields.append(f)
            if f.endsRecord { break }
        }
        return bad ? .badQuote : .record
    }

    /// The field's raw bytes (doubled quotes not yet collapsed).
    @inlinable
    public func raw(_ f: CSVField) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[f.start..<f.end]) }

    /// The field's text, doubled quotes read as one.
    @inlinable
    public func text(_ f: CSVField) -> String {
        let s = raw(f)
        guard f.hasDoubledQuotes else { return String(decoding: s, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: s.count) { dst in
            CSVScanner.unescape(s, into: UnsafeMutableRawPointer(dst.baseAddress!))
        }
    }

    /// Collapses doubled quotes of `s` into `dst` (at least `s.count` bytes); returns the length written.
    @inlinable
    public static func unescape(_ s: UnsafeRawBufferPointer, into dst: UnsafeMutableRawPointer) -> Int {
        var j = 0, i = 0
        while i < s.count {
            let c = s[i]
            dst.storeBytes(of: c, toByteOffset: j, as: UInt8.self)
            j += 1
            i += (c == quote && i + 1 < s.count && s[i + 1] == quote) ? 2 : 1
        }
        return j
    }
}

extension CSVScanner {
    /// A field as RFC 4180 writes it: quoted when it holds a comma, quote or line break.
    public static func quoted(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV record of `fields`, with its line feed.
    public static func record(_ fields: [String]) -> String { fields.map(quoted).joined(separator: ",") + "\n" }
}
