// The columnar event store: every event grouped by user and sorted by time, so later stages are one scan.
import Dispatch

/// All events of a log in columns. User `u`'s events are `userOffsets[u]..<userOffsets[u+1]`, sorted by
/// (time, event, value). Times are UTC milliseconds; a missing value is NaN.
public struct EventStore: Sendable {
    public let userIDs: [String]
    public let eventNames: [String]
    public let userOffsets: [Int]
    public let times: [Int64]
    public let events: [UInt32]
    public let values: [Double]
    /// False when the log had no event column: every event is then named `event`.
    public let hasEventColumn: Bool
    public let hasValueColumn: Bool
    /// Events identical to another of the same user in time, event and value (kept: they are events).
    public let duplicateEvents: Int

    public var userCount: Int { userIDs.count }
    public var eventCount: Int { times.count }
    public var firstTime: Int64? { times.min() }
    public var lastTime: Int64? { times.max() }

    public func eventID(named name: String) -> UInt32? {
        eventNames.firstIndex(of: name).map { UInt32($0) }
    }

    public func range(ofUser u: Int) -> Range<Int> { userOffsets[u]..<userOffsets[u + 1] }

    /// Builds a store from events in any order (also the entry point for tests and generated data).
    public init(userIDs: [String], eventNames: [String], users: [Int32], times: [Int64], events: [UInt32]?,
                values: [Double]?) {
        var builder = EventStoreBuilder(userIDs: userIDs, eventNames: eventNames,
                                        hasEvents: events != nil, hasValues: values != nil)
        builder.append(users: users, times: times, events: events ?? [],
                       values: values ?? [])
        self = builder.build()
    }

    init(userIDs: [String], eventNames: [String], userOffsets: [Int], times: [Int64], events: [UInt32],
         values: [Double], hasEventColumn: Bool, hasValueColumn: Bool, duplicateEvents: Int) {
        self.userIDs = userIDs
        self.eventNames = eventNames
        self.userOffsets = userOffsets
        self.times = times
        self.events = events
        self.values = values
        self.hasEventColumn = hasEventColumn
        self.hasValueColumn = hasValueColumn
        self.duplicateEvents = duplicateEvents
    }
}

/// Collects parsed chunks (global ids, file order) and groups them by user without holding two full copies:
/// each column is scattered into its final place and the chunk's column freed before the next.
/// Peak memory ≈ 32 bytes per event.
struct EventStoreBuilder {
    private final class Chunk {
        var users: [Int32], times: [Int64], events: [UInt32]
        /// Rows (within the chunk) that carry a value, and the values: sparse, as most events have none.
        var valueRows: [UInt32], valueData: [Double]
        init(users: [Int32], times: [Int64], events: [UInt32], valueRows: [UInt32], valueData: [Double]) {
            self.users = users; self.times = times; self.events = events; self.valueRows = valueRows; self.valueData = valueData
        }
    }
    private var chunks: [Chunk] = []
    var userIDs: [String]
    var eventNames: [String]
    let hasEvents: Bool
    let hasValues: Bool

    init(userIDs: [String] = [], eventNames: [String] = [], hasEvents: Bool, hasValues: Bool) {
        self.userIDs = userIDs
        self.eventNames = eventNames
        self.hasEvents = hasEvents
        self.hasValues = hasValues
    }

    /// Appends events in file order; `values` dense (one per event, NaN = none), or empty.
    mutating func append(users: [Int32], times: [Int64], events: [UInt32], values: [Double]) {
        precondition(!hasValues || values.count == users.count)
        var rows: [UInt32] = [], data: [Double] = []
        for (k, v) in values.enumerated() where !v.isNaN { rows.append(UInt32(k)); data.append(v) }
        append(users: users, times: times, events: events, valueRows: rows, valueData: data)
    }

    mutating func append(users: [Int32], times: [Int64], events: [UInt32], valueRows: [UInt32], valueData: [Double]) {
        precondition(users.count == times.count)
        precondition(!hasEvents || events.count == users.count)
        precondition(valueRows.count == valueData.count)
        if !users.isEmpty {
            chunks.append(Chunk(users: users, times: times, events: events, valueRows: valueRows, valueData: valueData))
        }
    }

    func build() -> EventStore {
        let userCount = userIDs.count
        var offsets = [Int](repeating: 0, count: userCount + 1)
        for c in chunks { for u in c.users { offsets[Int(u) + 1] += 1 } }
        for u in 0..<userCount { offsets[u + 1] += offsets[u] }
        let total = offsets[userCount]

        // Destination of every event: stable within a user (file order), so ties keep their order.
        var cursor = Array(offsets.dropLast())
        precondition(total < Int(UInt32.max), "more than 4 billion events")
        var destinations: [[UInt32]] = []
        for c in chunks {
            var dest = [UInt32](repeating: 0, count: c.users.count)
            for (k, u) in c.users.enumerated() { dest[k] = UInt32(truncatingIfNeeded: cursor[Int(u)]); cursor[Int(u)] += 1 }
            destinations.append(dest)
            c.users = []
        }
        func scatter<T>(_ column: ReferenceWritableKeyPath<Chunk, [T]>, filler: T) -> [T] {
            var out = [T](repeating: filler, count: total)
            out.withUnsafeMutableBufferPointer { o in
                for (c, dest) in zip(chunks, destinations) {
                    c[keyPath: column].withUnsafeBufferPointer { src in
                        dest.withUnsafeBufferPointer { d in
                            for k in 0..<src.count { o[Int(d[k])] = src[k] }
                        }
                    }
                    c[keyPath: column] = []
                }
            }
            return out
        }
        var times = scatter(\.times, filler: 0)
        var events: [UInt32] = hasEvents ? scatter(\.events, filler: 0) : [UInt32](repeating: 0, count: total)
        var values = [Double](repeating: .nan, count: total)
        values.withUnsafeMutableBufferPointer { o in
            for (c, dest) in zip(chunks, destinations) {
                for (r, v) in zip(c.valueRows, c.valueData) { o[Int(dest[Int(r)])] = v }
                c.valueRows = []; c.valueData = []
            }
        }
        destinations = []
        let duplicates = EventStoreBuilder.sortWithinUsers(offsets: offsets, times: &times, events: &events, values: &values)
        return EventStore(userIDs: userIDs, eventNames: hasEvents ? eventNames : ["event"], userOffsets: offsets,
                          times: times, events: events, values: values, hasEventColumn: hasEvents,
                          hasValueColumn: hasValues, duplicateEvents: duplicates)
    }

    /// Sorts each user's events by (time, event, value bits) on both cores; returns the duplicate count.
    static func sortWithinUsers(offsets: [Int], times: inout [Int64], events: inout [UInt32], values: inout [Double]) -> Int {
        let userCount = offsets.count - 1
        guard userCount > 0 else { return 0 }
        let workers = min(8, max(1, userCount / 1024))
        var duplicatesPerWorker = [Int](repeating: 0, count: workers)
        times.withUnsafeMutableBufferPointer { t in
            events.withUnsafeMutableBufferPointer { e in
                values.withUnsafeMutableBufferPointer { v in
                    offsets.withUnsafeBufferPointer { off in
                        duplicatesPerWorker.withUnsafeMutableBufferPointer { dup in
                            let shared = SortShared(t: t, e: e, v: v, off: off, dup: dup)
                            parallelChunks(userCount, chunks: workers) { w, users in
                                shared.sortUsers(from: users.lowerBound, to: users.upperBound, worker: w)
                            }
                        }
                    }
                }
            }
        }
        return duplicatesPerWorker.reduce(0, +)
    }
}

/// Buffers shared by the sort workers; each worker touches only its own users' ranges.
private struct SortShared: @unchecked Sendable {
    let t: UnsafeMutableBufferPointer<Int64>
    let e: UnsafeMutableBufferPointer<UInt32>
    let v: UnsafeMutableBufferPointer<Double>
    let off: UnsafeBufferPointer<Int>
    let dup: UnsafeMutableBufferPointer<Int>

    @inline(__always)
    func less(_ a: Int, _ b: Int) -> Bool {
        if t[a] != t[b] { return t[a] < t[b] }
        if e[a] != e[b] { return e[a] < e[b] }
        return v[a].bitPattern < v[b].bitPattern
    }

    func sortUsers(from: Int, to: Int, worker: Int) {
        var order: [Int] = []
        var tt: [Int64] = [], ee: [UInt32] = [], vv: [Double] = []
        var duplicates = 0
        for u in from..<to {
            let lo = off[u], hi = off[u + 1]
            var sorted = true
            var k = lo + 1
            while k < hi { if less(k, k - 1) { sorted = false; break }; k += 1 }
            if !sorted {
                order = Array(lo..<hi)
                order.sort { less($0, $1) }
                tt.removeAll(keepingCapacity: true); ee.removeAll(keepingCapacity: true); vv.removeAll(keepingCapacity: true)
                for idx in order { tt.append(t[idx]); ee.append(e[idx]); vv.append(v[idx]) }
                for j in 0..<(hi - lo) { t[lo + j] = tt[j]; e[lo + j] = ee[j]; v[lo + j] = vv[j] }
            }
            k = lo + 1
            while k < hi {
                if t[k] == t[k - 1] && e[k] == e[k - 1] && v[k].bitPattern == v[k - 1].bitPattern { duplicates += 1 }
                k += 1
            }
        }
        dup[worker] = duplicates
    }
}

import CTenureZlib
import TenureCore

public enum MemoryPolicy {
    /// Large buffers (≥ 1 MiB) always come from mmap, so the parse chunks the store builder frees while it
    /// fills the final columns go back to the system at once; glibc's adaptive threshold would otherwise keep
    /// them on the heap (about 8 bytes per event of peak memory). Call once at program start.
    public static func returnLargeBuffersToSystem() { tenure_set_mmap_threshold(1 << 20) }
}
