// The event store's compact columns: times as 32-bit steps from the log's first time when its span allows,
// event ids in a byte when there are at most 256 names, values sparse (a presence bitmap and the present
// values), so a typical event costs about 5 bytes instead of 20. Read them as collections, or through
// `StoreColumns` (unsafe views) in hot loops.

/// Event times in UTC milliseconds: `base + step × unit` with 32-bit steps when every time fits, else 64-bit.
/// `unit` is the greatest common divisor of the times' distances from `base` (1000 for a log of whole
/// seconds), so a log of whole seconds fits 136 years and one of milliseconds 49 days.
public struct TimeColumn: RandomAccessCollection, Equatable, Sendable {
    let base: Int64
    let unit: Int64
    let steps: [UInt32]
    let wide: [Int64]
    let isNarrow: Bool
    public let count: Int

    init(base: Int64, unit: Int64, steps: [UInt32]) {
        self.base = base; self.unit = unit; self.steps = steps; wide = []; isNarrow = true; count = steps.count
    }
    init(wide: [Int64]) { base = 0; unit = 1; steps = []; self.wide = wide; isNarrow = false; count = wide.count }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    @inline(__always)
    public subscript(k: Int) -> Int64 { isNarrow ? base &+ Int64(steps[k]) &* unit : wide[k] }

    /// Bytes held (4 or 8 per event).
    public var byteSize: Int { isNarrow ? 4 * count : 8 * count }

    /// The same times, whatever the layout.
    public static func == (a: TimeColumn, b: TimeColumn) -> Bool { a.elementsEqual(b) }
    public static func == (a: TimeColumn, b: [Int64]) -> Bool { a.elementsEqual(b) }

    func withView<R>(_ body: (TimeView) throws -> R) rethrows -> R {
        try steps.withUnsafeBufferPointer { s in
            try wide.withUnsafeBufferPointer { w in
                try body(TimeView(base: base, unit: unit, steps: s.baseAddress, wide: w.baseAddress, isNarrow: isNarrow))
            }
        }
    }
}

/// Event-name ids: none stored when the log has no event column (every id 0), a byte each for at most 256
/// names, else 32 bits.
public struct EventColumn: RandomAccessCollection, Equatable, Sendable {
    let bytes: [UInt8]
    let wide: [UInt32]
    /// 0 (all ids 0), 1 or 4 bytes per event.
    let width: Int
    public let count: Int

    init(zeros count: Int) { bytes = []; wide = []; width = 0; self.count = count }
    init(bytes: [UInt8]) { self.bytes = bytes; wide = []; width = 1; count = bytes.count }
    init(wide: [UInt32]) { bytes = []; self.wide = wide; width = 4; count = wide.count }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    @inline(__always)
    public subscript(k: Int) -> UInt32 { width == 1 ? UInt32(bytes[k]) : width == 0 ? 0 : wide[k] }

    public var byteSize: Int { width * count }

    /// The same ids, whatever the layout.
    public static func == (a: EventColumn, b: EventColumn) -> Bool { a.elementsEqual(b) }
    public static func == (a: EventColumn, b: [UInt32]) -> Bool { a.elementsEqual(b) }

    func withView<R>(_ body: (EventView) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in
            try wide.withUnsafeBufferPointer { w in try body(EventView(bytes: b.baseAddress, wide: w.baseAddress, width: width)) }
        }
    }
}

/// Event values, NaN where an event has none, stored sparsely: one presence bit per event, a running count
/// per 64 events, and the present values in event order.
public struct ValueColumn: RandomAccessCollection, Equatable, Sendable {
    /// Bit k of word k/64: event k has a value. Empty when no event has one.
    let present: [UInt64]
    /// Present values before word w.
    let rank: [UInt32]
    let data: [Double]
    public let count: Int

    init(count: Int, present: [UInt64], data: [Double]) {
        precondition(present.isEmpty || present.count == (count + 63) / 64)
        self.count = count; self.present = present; self.data = data
        rank = ValueColumn.ranks(present)
    }

    static func ranks(_ present: [UInt64]) -> [UInt32] {
        var rank = [UInt32](repeating: 0, count: present.count)
        var running: UInt32 = 0
        for (w, word) in present.enumerated() { rank[w] = running; running += UInt32(word.nonzeroBitCount) }
        return rank
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    @inline(__always)
    public subscript(k: Int) -> Double {
        guard !present.isEmpty else { return .nan }
        let word = present[k >> 6], bit = UInt64(1) << UInt64(k & 63)
        return word & bit == 0 ? .nan : data[Int(rank[k >> 6]) + (word & (bit &- 1)).nonzeroBitCount]
    }

    /// Events that carry a value.
    public var presentCount: Int { data.count }
    public var byteSize: Int { 8 * present.count + 4 * rank.count + 8 * data.count }

    /// Equal value for value, bit for bit (a missing value is NaN in both).
    public static func == (a: ValueColumn, b: ValueColumn) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
    /// Equal element for element, NaN equal to NaN (a missing value).
    public static func == (a: ValueColumn, b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    func withView<R>(_ body: (ValueView) throws -> R) rethrows -> R {
        try present.withUnsafeBufferPointer { p in
            try rank.withUnsafeBufferPointer { r in
                try data.withUnsafeBufferPointer { d in
                    try body(ValueView(present: p.isEmpty ? nil : p.baseAddress, rank: r.baseAddress, data: d.baseAddress))
                }
            }
        }
    }
}

public struct TimeView: @unchecked Sendable {
    let base: Int64, unit: Int64
    let steps: UnsafePointer<UInt32>?
    let wide: UnsafePointer<Int64>?
    let isNarrow: Bool
    @inline(__always)
    public subscript(k: Int) -> Int64 { isNarrow ? base &+ Int64(steps.unsafelyUnwrapped[k]) &* unit : wide.unsafelyUnwrapped[k] }
}

public struct EventView: @unchecked Sendable {
    let bytes: UnsafePointer<UInt8>?
    let wide: UnsafePointer<UInt32>?
    let width: Int
    @inline(__always)
    public subscript(k: Int) -> UInt32 {
        width == 1 ? UInt32(bytes.unsafelyUnwrapped[k]) : width == 0 ? 0 : wide.unsafelyUnwrapped[k]
    }
}

public struct ValueView: @unchecked Sendable {
    let present: UnsafePointer<UInt64>?
    let rank: UnsafePointer<UInt32>?
    let data: UnsafePointer<Double>?
    @inline(__always)
    public subscript(k: Int) -> Double {
        guard let present else { return .nan }
        let word = present[k >> 6], bit = UInt64(1) << UInt64(k & 63)
        return word & bit == 0 ? .nan : data.unsafelyUnwrapped[Int(rank.unsafelyUnwrapped[k >> 6]) + (word & (bit &- 1)).nonzeroBitCount]
    }
}

/// Unsafe views of a store's columns, for the hot loops (valid inside `EventStore.withColumns`).
public struct StoreColumns: @unchecked Sendable {
    public let times: TimeView
    public let events: EventView
    public let values: ValueView
    public let offsets: UnsafeBufferPointer<Int>

    /// First index in `lo..<hi` whose time is ≥ `t`.
    @inline(__always)
    public func lowerBound(_ t: Int64, _ lo: Int, _ hi: Int) -> Int {
        var a = lo, b = hi
        while a < b {
            let m = (a + b) >> 1
            if times[m] < t { a = m + 1 } else { b = m }
        }
        return a
    }
}

extension EventStore {
    public func withColumns<R>(_ body: (StoreColumns) throws -> R) rethrows -> R {
        try times.withView { t in
            try events.withView { e in
                try values.withView { v in
                    try userOffsets.withUnsafeBufferPointer { o in
                        try body(StoreColumns(times: t, events: e, values: v, offsets: o))
                    }
                }
            }
        }
    }
}
