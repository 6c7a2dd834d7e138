// The columnar event store: every event grouped by user and sorted by time, so later stages are one scan.
import CTenureZlib
import Dispatch
import Foundation
import TenureCore

/// All events of a log in columns. User `u`'s events are `userOffsets[u]..<userOffsets[u+1]`, sorted by
/// (time, event, value). Times are UTC milliseconds; a missing value is NaN. The columns are compact
/// (`TimeColumn`, `EventColumn`, `ValueColumn`): `byteSize / eventCount` is the store's bytes per event.
public struct EventStore: Sendable {
    public let userIDs: [String]
    public let eventNames: [String]
    public let userOffsets: [Int]
    public let times: TimeColumn
    public let events: EventColumn
    public let values: ValueColumn
    /// False when the log had no event column: every event is then named `event`.
    public let hasEventColumn: Bool
    public let hasValueColumn: Bool
    /// Events identical to another of the same user in time, event and value (kept: they are events).
    public let duplicateEvents: Int

    public var userCount: Int { userIDs.count }
    public var eventCount: Int { times.count }
    /// The log's earliest and latest times (nil when empty), found once: each chunk of a night's features asks.
    public let firstTime: Int64?
    public let lastTime: Int64?

    public func eventID(named name: String) -> UInt32? {
        eventNames.firstIndex(of: name).map { UInt32($0) }
    }

    public func range(ofUser u: Int) -> Range<Int> { userOffsets[u]..<userOffsets[u + 1] }

    /// Bytes the store holds: its columns, the user offsets, and the user ids (a String's 16 bytes, plus its
    /// UTF-8 when longer than the 15 bytes Swift keeps inline).
    public var byteSize: Int {
        var ids = 16 * userIDs.count
        for id in userIDs where id.utf8.count > 15 { ids += id.utf8.count }
        return times.byteSize + events.byteSize + values.byteSize + 8 * userOffsets.count + ids
    }

    /// Builds a store from events in any order (also the entry point for tests and generated data).
    public init(userIDs: [String], eventNames: [String], users: [Int32], times: [Int64], events: [UInt32]?,
                values: [Double]?) {
        var builder = EventStoreBuilder(userIDs: userIDs, eventNames: eventNames,
                                        hasEvents: events != nil, hasValues: values != nil)
        builder.append(users: users, times: times, events: events ?? [],
                       values: values ?? [])
        self = builder.build()
    }

    init(userIDs: [String], eventNames: [String], userOffsets: [Int], times: TimeColumn, events: EventColumn,
         values: ValueColumn, hasEventColumn: Bool, hasValueColumn: Bool, duplicateEvents: Int) {
        self.userIDs = userIDs
        self.eventNames = eventNames
        self.userOffsets = userOffsets
        self.times = times
        self.events = events
        self.values = values
        self.hasEventColumn = hasEventColumn
        self.hasValueColumn = hasValueColumn
        self.duplicateEvents = duplicateEvents
        // Each user's events are sorted by time: the extremes are among the users' first and last events.
        var first: Int64?, last: Int64?
        for u in 0..<max(0, userOffsets.count - 1) where userOffsets[u] < userOffsets[u + 1] {
            let a = times[userOffsets[u]], b = times[userOffsets[u + 1] - 1]
            first = min(first ?? a, a); last = max(last ?? b, b)
        }
        firstTime = first; lastTime = last
    }
}

/// Collects parsed chunks (global ids, file order), each kept compact from the start, and groups them by user
/// into the store's compact columns without two full copies: each chunk is scattered into its final places and
/// freed before the next.
struct EventStoreBuilder {
    /// The builder's peak bytes per event, for the usual log (whole-second times spanning under 136 years, at
    /// most 256 event names): the chunks' 9 (user 4, time step 4, event id 1) and the final columns' 5 (time
    /// step 4, event id 1) at once, plus the value bitmap. An event with a value adds about 28 (12 in its chunk,
    /// 12 while placed, 8 stored); left out, so an estimate made from this is low rather than high.
    static let peakBytesPerEvent = 15

    final class Chunk {
        var users: [Int32]
        /// Times as steps of `unit` ms from `timeMin` when the chunk's span fits 32 bits, else `wideTimes`.
        var steps: [UInt32], wideTimes: [Int64]
        let timeMin: Int64, timeMax: Int64, unit: Int64
        var eventBytes: [UInt8], wideEvents: [UInt32]
        /// Rows (within the chunk) that carry a value, and the values: sparse, as most events have none.
        var valueRows: [UInt32], valueData: [Double]

        init(users: [Int32], times: [Int64], events: [UInt32], valueRows: [UInt32], valueData: [Double]) {
            self.users = users; self.valueRows = valueRows; self.valueData = valueData
            var lo = Int64.max, hi = Int64.min, seconds = true
            for t in times { lo = min(lo, t); hi = max(hi, t); seconds = seconds && t % 1000 == 0 }
            timeMin = lo; timeMax = hi; unit = seconds ? 1000 : 1
            let (span, overflow) = hi.subtractingReportingOverflow(lo)
            if !overflow && span / unit <= Int64(UInt32.max) {
                let base = lo, unit = unit
                steps = times.map { UInt32(truncatingIfNeeded: ($0 &- base) / unit) }; wideTimes = []
            } else {
                steps = []; wideTimes = times
            }
            if events.allSatisfy({ $0 < 256 }) {
                eventBytes = events.map { UInt8(truncatingIfNeeded: $0) }; wideEvents = []
            } else {
                eventBytes = []; wideEvents = events
            }
        }

        @inline(__always) func time(_ k: Int) -> Int64 { steps.isEmpty ? wideTimes[k] : timeMin &+ Int64(steps[k]) &* unit }
        @inline(__always) func event(_ k: Int) -> UInt32 { eventBytes.isEmpty ? (wideEvents.isEmpty ? 0 : wideEvents[k]) : UInt32(eventBytes[k]) }
    }
    private var chunks: [Chunk] = []
    /// Events per user id so far, counted as chunks arrive (in the reader's merge, next to the parsing), so
    /// `build` does not walk every chunk once more just to count.
    private var counts: [Int] = []
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
            users.withUnsafeBufferPointer { us in
                let top = Int(us.max()!)
                if top >= counts.count { counts.append(contentsOf: repeatElement(0, count: max(top + 1, 2 * counts.count) - counts.count)) }
                counts.withUnsafeMutableBufferPointer { n in for u in us { n[Int(u)] += 1 } }
            }
            chunks.append(Chunk(users: users, times: times, events: hasEvents ? events : [], valueRows: valueRows, valueData: valueData))
        }
    }

    func build() -> EventStore {
        var phases = ReadPhases()
        return build(phases: &phases)
    }

    /// `build()`, adding the seconds of its steps to `phases`. `scatterWorkers` (tests) fixes how many workers
    /// place the events; the store is the same for any number.
    func build(phases: inout ReadPhases, scatterWorkers: Int? = nil) -> EventStore {
        var clock = ReadPhases.now()
        func lap(_ phase: inout Double) { let t = ReadPhases.now(); phase += t - clock; clock = t }
        let userCount = userIDs.count
        precondition(counts.count <= userCount || counts[userCount...].allSatisfy { $0 == 0 }, "an event of an unknown user")
        var offsets = [Int](repeating: 0, count: userCount + 1)
        for u in 0..<min(userCount, counts.count) { offsets[u + 1] = offsets[u] + counts[u] }
        for u in min(userCount, counts.count)..<userCount { offsets[u + 1] = offsets[u] }
        let total = offsets[userCount]
        precondition(total < Int(UInt32.max), "more than 4 billion events")

        // The final layout: 32-bit time steps when the whole log's span allows, event ids in a byte when the
        // names allow.
        let base = chunks.map(\.timeMin).min() ?? 0, top = chunks.map(\.timeMax).max() ?? 0
        let unit: Int64 = chunks.allSatisfy({ $0.unit == 1000 }) ? 1000 : 1
        let (span, overflow) = top.subtractingReportingOverflow(base)
        let narrowTimes = !overflow && span / unit <= Int64(UInt32.max)
        let eventWidth = hasEvents ? (eventNames.count <= 256 ? 1 : 4) : 0
        var steps = [UInt32](repeating: 0, count: narrowTimes ? total : 0)
        var wide = [Int64](repeating: 0, count: narrowTimes ? 0 : total)
        var eventBytes = [UInt8](repeating: 0, count: eventWidth == 1 ? total : 0)
        var wideEvents = [UInt32](repeating: 0, count: eventWidth == 4 ? total : 0)
        lap(&phases.count)

        // Each chunk's events go to their user's next free place: stable within a user (file order), so ties
        // keep their order. Workers own disjoint user ranges of about equal events and split the random writes
        // between the cores; every event lands where it would with one worker.
        var cursor = Array(offsets.dropLast())
        let workers = scatterWorkers ?? max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, userCount / 1024))
        var bounds = [0]
        for w in 1..<workers {
            let target = total * w / workers
            var a = bounds.last!, b = userCount
            while a < b { let m = (a + b) >> 1; if offsets[m] < target { a = m + 1 } else { b = m } }
            bounds.append(a)
        }
        bounds.append(userCount)
        var valueDests = [[UInt32]](repeating: [], count: workers), valueDatas = [[Double]](repeating: [], count: workers)
        cursor.withUnsafeMutableBufferPointer { cur in
            steps.withUnsafeMutableBufferPointer { st in
                wide.withUnsafeMutableBufferPointer { wd in
                    eventBytes.withUnsafeMutableBufferPointer { eb in
                        wideEvents.withUnsafeMutableBufferPointer { ew in
                            valueDests.withUnsafeMutableBufferPointer { vd in
                                valueDatas.withUnsafeMutableBufferPointer { vv in
                                    let shared = ScatterShared(cursor: cur.start, steps: st.start, wide: wd.start, eventBytes: eb.start,
                                                               wideEvents: ew.start, valueDests: vd.baseAddress!, valueDatas: vv.baseAddress!,
                                                               base: base, unit: unit)
                                    for c in chunks {
                                        parallelFor(workers) { w in shared.scatter(c, users: Int32(bounds[w])..<Int32(bounds[w + 1]), worker: w) }
                                        c.users = []; c.steps = []; c.wideTimes = []; c.eventBytes = []; c.wideEvents = []; c.valueRows = []; c.valueData = []
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var valueDest = Array(valueDests.joined()), valueData = Array(valueDatas.joined())
        valueDests = []; valueDatas = []
        cursor = []
        lap(&phases.scatter)

        // Values: a presence bit per event, then each value at its rank among the present ones.
        var present = [UInt64](repeating: 0, count: valueDest.isEmpty ? 0 : (total + 63) / 64)
        for d in valueDest { present[Int(d) >> 6] |= 1 << UInt64(d & 63) }
        let rank = ValueColumn.ranks(present)
        var data = [Double](repeating: 0, count: valueData.count)
        for (d, v) in zip(valueDest, valueData) {
            let w = Int(d) >> 6
            data[Int(rank[w]) + (present[w] & ((1 << UInt64(d & 63)) &- 1)).nonzeroBitCount] = v
        }
        valueDest = []; valueData = []
        lap(&phases.values)

        let duplicates = EventStoreBuilder.sortWithinUsers(offsets: offsets, steps: &steps, wide: &wide, eventBytes: &eventBytes,
                                                           wideEvents: &wideEvents, present: &present, rank: rank, data: &data)
        lap(&phases.sort)
        let times = narrowTimes ? TimeColumn(base: base, unit: unit, steps: steps) : TimeColumn(wide: wide)
        let events = eventWidth == 1 ? EventColumn(bytes: eventBytes) : eventWidth == 4 ? EventColumn(wide: wideEvents) : EventColumn(zeros: total)
        return EventStore(userIDs: userIDs, eventNames: hasEvents ? eventNames : ["event"], userOffsets: offsets,
                          times: times, events: events, values: ValueColumn(count: total, present: present, data: data),
                          hasEventColumn: hasEvents, hasValueColumn: hasValues, duplicateEvents: duplicates)
    }

    /// Sorts each user's events by (time, event, value bits) on both cores; returns the duplicate count.
    /// A worker's presence bits in the first and last bitmap words of its events (words it may share with its
    /// neighbours) are set afterwards, serially.
    static func sortWithinUsers(offsets: [Int], steps: inout [UInt32], wide: inout [Int64], eventBytes: inout [UInt8],
                                wideEvents: inout [UInt32], present: inout [UInt64], rank: [UInt32], data: inout [Double]) -> Int {
        let userCount = offsets.count - 1
        guard userCount > 0 else { return 0 }
        let workers = min(8, max(1, userCount / 1024))
        var duplicatesPerWorker = [Int](repeating: 0, count: workers)
        var deferredPerWorker = [[Int]](repeating: [], count: workers)
        steps.withUnsafeMutableBufferPointer { s in
            wide.withUnsafeMutableBufferPointer { w in
                eventBytes.withUnsafeMutableBufferPointer { eb in
                    wideEvents.withUnsafeMutableBufferPointer { ew in
                        present.withUnsafeMutableBufferPointer { p in
                            rank.withUnsafeBufferPointer { r in
                                data.withUnsafeMutableBufferPointer { d in
                                    offsets.withUnsafeBufferPointer { off in
                                        duplicatesPerWorker.withUnsafeMutableBufferPointer { dup in
                                            deferredPerWorker.withUnsafeMutableBufferPointer { deferred in
                                                let shared = SortShared(steps: s.start, wide: w.start, eventBytes: eb.start, wideEvents: ew.start,
                                                                        present: p.start, rank: r.baseAddress, data: d.baseAddress,
                                                                        off: off, dup: dup, deferred: deferred)
                                                parallelChunks(userCount, chunks: workers) { wk, users in
                                                    shared.sortUsers(from: users.lowerBound, to: users.upperBound, worker: wk)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for list in deferredPerWorker {
            for code in list {
                let k = code >> 1, bit = UInt64(1) << UInt64(k & 63)
                if code & 1 == 1 { present[k >> 6] |= bit } else { present[k >> 6] &= ~bit }
            }
        }
        return duplicatesPerWorker.reduce(0, +)
    }
}

/// The final columns, written by the scatter workers: each writes only its own users' places (and its own
/// list of placed values).
private struct ScatterShared: @unchecked Sendable {
    let cursor: UnsafeMutablePointer<Int>?
    let steps: UnsafeMutablePointer<UInt32>?
    let wide: UnsafeMutablePointer<Int64>?
    let eventBytes: UnsafeMutablePointer<UInt8>?
    let wideEvents: UnsafeMutablePointer<UInt32>?
    let valueDests: UnsafeMutablePointer<[UInt32]>
    let valueDatas: UnsafeMutablePointer<[Double]>
    let base: Int64, unit: Int64

    func scatter(_ c: EventStoreBuilder.Chunk, users range: Range<Int32>, worker: Int) {
        let lo = range.lowerBound, hi = range.upperBound
        guard lo < hi else { return }
        // A chunk's steps in the store's unit only shift by the distance of the two bases (a multiple of the unit).
        let shift = !c.steps.isEmpty && c.unit == unit ? UInt32(truncatingIfNeeded: (c.timeMin &- base) / unit) : nil
        var valueDest: [UInt32] = [], valueData: [Double] = []
        c.users.withUnsafeBufferPointer { us in
            c.steps.withUnsafeBufferPointer { cs in
                c.eventBytes.withUnsafeBufferPointer { ceb in
                    c.valueRows.withUnsafeBufferPointer { vr in
                        var nextValued = 0
                        for k in 0..<us.count {
                            let u = us[k]
                            guard u >= lo && u < hi else { continue }
                            let d = cursor.unsafelyUnwrapped[Int(u)]
                            cursor.unsafelyUnwrapped[Int(u)] = d + 1
                            if let steps {
                                if let shift { steps[d] = shift &+ cs[k] } else { steps[d] = UInt32(truncatingIfNeeded: (c.time(k) &- base) / unit) }
                            } else { wide.unsafelyUnwrapped[d] = c.time(k) }
                            if let eventBytes {
                                eventBytes[d] = ceb.isEmpty ? UInt8(truncatingIfNeeded: c.event(k)) : ceb[k]
                            } else if let wideEvents { wideEvents[d] = c.event(k) }
                            if !vr.isEmpty {
                                while nextValued < vr.count && Int(vr[nextValued]) < k { nextValued += 1 }
                                if nextValued < vr.count && Int(vr[nextValued]) == k {
                                    valueDest.append(UInt32(truncatingIfNeeded: d)); valueData.append(c.valueData[nextValued])
                                }
                            }
                        }
                    }
                }
            }
        }
        valueDests[worker].append(contentsOf: valueDest); valueDatas[worker].append(contentsOf: valueData)
    }
}

/// Columns shared by the sort workers; each worker touches only its own users' ranges (and defers its writes
/// to bitmap words it may share).
private struct SortShared: @unchecked Sendable {
    let steps: UnsafeMutablePointer<UInt32>?
    let wide: UnsafeMutablePointer<Int64>?
    let eventBytes: UnsafeMutablePointer<UInt8>?
    let wideEvents: UnsafeMutablePointer<UInt32>?
    let present: UnsafeMutablePointer<UInt64>?
    let rank: UnsafePointer<UInt32>?
    let data: UnsafeMutablePointer<Double>?
    let off: UnsafeBufferPointer<Int>
    let dup: UnsafeMutableBufferPointer<Int>
    let deferred: UnsafeMutableBufferPointer<[Int]>

    /// Raw time (a step or milliseconds): ordered as the time.
    @inline(__always) func time(_ k: Int) -> Int64 { if let steps { return Int64(steps[k]) } else { return wide.unsafelyUnwrapped[k] } }
    @inline(__always) func event(_ k: Int) -> UInt32 {
        if let eventBytes { return UInt32(eventBytes[k]) }
        if let wideEvents { return wideEvents[k] }
        return 0
    }
    @inline(__always) func hasValue(_ k: Int) -> Bool { present.unsafelyUnwrapped[k >> 6] & (1 << UInt64(k & 63)) != 0 }

    func sortUsers(from: Int, to: Int, worker: Int) {
        let first = off[from], end = off[to]
        guard end > first else { return }
        let sharedWords = (first >> 6, (end - 1) >> 6)
        // Values before this worker's first event: the bitmap is untouched there until every worker is done.
        var slot = 0
        if let present {
            slot = Int(rank.unsafelyUnwrapped[first >> 6]) + (present[first >> 6] & ((1 << UInt64(first & 63)) &- 1)).nonzeroBitCount
        }
        var order: [Int] = []
        var tt: [Int64] = [], ee: [UInt32] = [], vv: [Double] = [], sortedValues: [Double] = []
        var duplicates = 0
        var deferredBits: [Int] = []
        for u in from..<to {
            let lo = off[u], hi = off[u + 1]
            // The user's values, dense (NaN = none), indexed from lo.
            var valued = 0
            vv.removeAll(keepingCapacity: true)
            if present != nil {
                for k in lo..<hi {
                    if hasValue(k) { vv.append(data.unsafelyUnwrapped[slot + valued]); valued += 1 } else { vv.append(.nan) }
                }
            }
            @inline(__always) func value(_ k: Int) -> UInt64 { present == nil ? Double.nan.bitPattern : vv[k - lo].bitPattern }
            @inline(__always) func less(_ a: Int, _ b: Int) -> Bool {
                let ta = time(a), tb = time(b)
                if ta != tb { return ta < tb }
                let ea = event(a), eb = event(b)
                if ea != eb { return ea < eb }
                return value(a) < value(b)
            }
            var sorted = true
            var k = lo + 1
            while k < hi { if less(k, k - 1) { sorted = false; break }; k += 1 }
            if !sorted {
                order = Array(lo..<hi)
                order.sort { less($0, $1) }
                tt.removeAll(keepingCapacity: true); ee.removeAll(keepingCapacity: true)
                for idx in order { tt.append(time(idx)); ee.append(event(idx)) }
                for j in 0..<(hi - lo) {
                    if let steps { steps[lo + j] = UInt32(truncatingIfNeeded: tt[j]) } else { wide.unsafelyUnwrapped[lo + j] = tt[j] }
                    if let eventBytes { eventBytes[lo + j] = UInt8(truncatingIfNeeded: ee[j]) } else if let wideEvents { wideEvents[lo + j] = ee[j] }
                }
                if let present {
                    sortedValues.removeAll(keepingCapacity: true)
                    for idx in order { sortedValues.append(vv[idx - lo]) }
                    swap(&vv, &sortedValues)
                    var s = slot
                    for j in 0..<(hi - lo) {
                        let k = lo + j, has = !vv[j].isNaN
                        if has { data.unsafelyUnwrapped[s] = vv[j]; s += 1 }
                        let w = k >> 6
                        if w == sharedWords.0 || w == sharedWords.1 {
                            deferredBits.append(k << 1 | (has ? 1 : 0))
                        } else if has {
                            present[w] |= 1 << UInt64(k & 63)
                        } else {
                            present[w] &= ~(1 << UInt64(k & 63))
                        }
                    }
                }
            }
            k = lo + 1
            while k < hi {
                if time(k) == time(k - 1) && event(k) == event(k - 1) && value(k) == value(k - 1) { duplicates += 1 }
                k += 1
            }
            slot += valued
        }
        dup[worker] = duplicates
        deferred[worker] = deferredBits
    }
}

extension UnsafeMutableBufferPointer {
    /// The first element's address; nil for an empty buffer (whose base address may be a placeholder).
    fileprivate var start: UnsafeMutablePointer<Element>? { isEmpty ? nil : baseAddress }
}

public enum MemoryPolicy {
    /// Large buffers (≥ 1 MiB) always come from mmap, so the parse chunks the store builder frees while it
    /// fills the final columns go back to the system at once; glibc's adaptive threshold would otherwise keep
    /// them on the heap (about 8 bytes per event of peak memory). Call once at program start.
    public static func returnLargeBuffersToSystem() { tenure_set_mmap_threshold(1 << 20) }

    /// Gives the free memory of every malloc arena back to the system (glibc's malloc_trim). The parse workers'
    /// block columns are below the mmap threshold and freed in their own threads' arenas, which glibc keeps: on
    /// a 5M-user log about 1.5 GB stayed resident through the whole night after the read. Called once the store
    /// is built.
    public static func releaseFreeMemory() { tenure_release_free_memory() }
}
