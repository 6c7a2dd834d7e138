// The compact store: about 5 bytes per event for a usual log, and the same events as a plain layout in every
// layout (32- or 64-bit times, byte or 32-bit event ids, values sparse), the parallel sort included.
import Foundation
import Testing
import TestSupport
@testable import EventLog

@Suite("Compact event store")
struct CompactStoreTests {
    /// A deterministic pseudo-random stream (xorshift), so failures reproduce.
    struct Stream {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    @Test("a log of whole-second times and 8 event names, 5% of events with a value, costs under 7 bytes per event")
    func bytesPerEvent() throws {
        // The layout before cost 8 (time) + 4 (event) + 8 (value) bytes per event plus the offsets: over 20.
        var rng = Stream(state: 7)
        var csv = "user_id,timestamp,event,value\n"
        let names = ["session_start", "page_view", "post", "comment", "like", "purchase", "daily_bonus", "signup"]
        let start = utcMillis(2026, 1, 1) / 1000
        var events = 0
        for u in 0..<2_000 {
            for _ in 0..<(20 + rng.next(60)) {
                let t = start + Int64(rng.next(120 * 86_400))
                let e = rng.next(names.count)
                let value = rng.next(20) == 0 ? "\(rng.next(5000)).5" : ""
                csv += "u\(u),\(t),\(names[e]),\(value)\n"
                events += 1
            }
        }
        let (store, _) = try readLog(csv, options: ReadOptions(timeFormat: .epochSeconds))
        #expect(store.eventCount == events)
        let perEvent = Double(store.byteSize) / Double(store.eventCount)
        #expect(perEvent < 7, "store bytes per event: \(perEvent)")
        #expect(store.times.isNarrow && store.events.width == 1)
    }

    @Test("every layout holds the events of a plain grouping and sorting, duplicates counted the same",
          arguments: [(millis: false, names: 8), (millis: true, names: 8), (millis: false, names: 300), (millis: true, names: 1)])
    func layoutsAgree(millis: Bool, names: Int) {
        var rng = Stream(state: UInt64(names) * 31 + (millis ? 1 : 2))
        let userCount = 10_000                       // enough users for 8 sort workers
        let n = 120_000
        var users: [Int32] = [], times: [Int64] = [], events: [UInt32] = [], values: [Double] = []
        // A span of a year: milliseconds then need 64 bits, whole seconds fit 32.
        let year: Int64 = 365 * 86_400_000
        for _ in 0..<n {
            users.append(Int32(rng.next(userCount)))
            let t = Int64(rng.next(Int(year / 1000))) * 1000 + (millis ? Int64(rng.next(1000)) : 0)
            times.append(rng.next(50) == 0 ? 86_400_000 : t)          // shared times: ties broken by event, value
            events.append(UInt32(rng.next(names)))
            values.append(rng.next(3) == 0 ? Double(rng.next(4)) - 1.5 : .nan)
        }
        let store = EventStore(userIDs: (0..<userCount).map { "u\($0)" }, eventNames: (0..<names).map { "e\($0)" },
                               users: users, times: times, events: events, values: values)
        #expect(store.times.isNarrow == !millis)
        #expect(store.events.width == (names <= 256 ? 1 : 4))

        // The reference: per user in order, sorted by (time, event, value bits).
        var perUser = [[(Int64, UInt32, Double)]](repeating: [], count: userCount)
        for k in 0..<n { perUser[Int(users[k])].append((times[k], events[k], values[k])) }
        var duplicates = 0
        var expected: [(Int64, UInt32, Double)] = []
        for var list in perUser {
            list.sort { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 != b.1 ? a.1 < b.1 : a.2.bitPattern < b.2.bitPattern }
            for k in list.indices.dropFirst() where list[k].0 == list[k - 1].0 && list[k].1 == list[k - 1].1
                && list[k].2.bitPattern == list[k - 1].2.bitPattern { duplicates += 1 }
            expected += list
        }
        #expect(store.times == expected.map(\.0))
        #expect(store.events == expected.map(\.1))
        #expect(store.values.map(\.bitPattern) == expected.map(\.2.bitPattern))
        #expect(store.duplicateEvents == duplicates)
        #expect(store.values.presentCount == values.filter { !$0.isNaN }.count)
        // The unsafe views the feature code reads agree with the collections.
        store.withColumns { c in
            for k in stride(from: 0, to: n, by: 97) {
                #expect(c.times[k] == store.times[k] && c.events[k] == store.events[k]
                        && c.values[k].bitPattern == store.values[k].bitPattern)
            }
        }
    }
}

@Suite("Store builder scatter")
struct StoreScatterTests {
    @Test("events appended in several chunks land in the same places whatever the number of scatter workers",
          arguments: [false, true])
    func workersAgree(millis: Bool) {
        var rng = CompactStoreTests.Stream(state: millis ? 11 : 12)
        let userCount = 3_000
        typealias Chunk = (users: [Int32], times: [Int64], events: [UInt32], values: [Double])
        var chunks: [Chunk] = []
        for chunk in 0..<7 {
            var c: Chunk = ([], [], [], [])
            for _ in 0..<(2_000 + 1_000 * chunk) {
                // Later chunks start later; within a user, file order is not time order.
                c.users.append(Int32(rng.next(userCount)))
                c.times.append(Int64(chunk) * 3_600_000 + Int64(rng.next(7_200)) * 1000 + (millis ? Int64(rng.next(1000)) : 0))
                c.events.append(UInt32(rng.next(9)))
                c.values.append(rng.next(4) == 0 ? Double(rng.next(100)) / 4 : .nan)
            }
            chunks.append(c)
        }
        func build(workers: Int) -> EventStore {
            var builder = EventStoreBuilder(userIDs: (0..<userCount).map { "u\($0)" }, eventNames: (0..<9).map { "e\($0)" },
                                            hasEvents: true, hasValues: true)
            for c in chunks { builder.append(users: c.users, times: c.times, events: c.events, values: c.values) }
            var phases = ReadPhases()
            return builder.build(phases: &phases, scatterWorkers: workers)
        }
        let one = build(workers: 1)
        for workers in [2, 3, 8] {
            let many = build(workers: workers)
            #expect(many.userOffsets == one.userOffsets)
            #expect(many.times == one.times && many.events == one.events && many.values == one.values, "workers \(workers)")
            #expect(many.duplicateEvents == one.duplicateEvents)
        }
        // And the same as a plain grouping and sorting.
        var perUser = [[(Int64, UInt32, Double)]](repeating: [], count: userCount)
        for c in chunks { for k in c.users.indices { perUser[Int(c.users[k])].append((c.times[k], c.events[k], c.values[k])) } }
        let expected = perUser.flatMap { list in
            list.sorted { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 != b.1 ? a.1 < b.1 : a.2.bitPattern < b.2.bitPattern }
        }
        #expect(one.times == expected.map(\.0))
        #expect(one.events == expected.map(\.1))
        #expect(one.values.map(\.bitPattern) == expected.map(\.2.bitPattern))
        #expect(one.values.presentCount == chunks.reduce(0) { $0 + $1.values.filter { !$0.isNaN }.count })
    }
}
