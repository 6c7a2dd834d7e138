// The columnar store: events grouped by user in first-seen order, sorted by (time, event, value) within a
// user, duplicates counted but kept.
import Foundation
import Testing
import TestSupport
@testable import EventLog

@Suite("EventStore grouping")
struct EventStoreTests {
    @Test("events grouped by user, sorted by time, ties by event then value; duplicates counted")
    func grouping() {
        // user 1 (b): times 30, 10, 10(dup of the next), 10, 20 ; user 0 (a): 5, 5 (different events); user 2: none
        let store = EventStore(
            userIDs: ["a", "b", "c"], eventNames: ["x", "y"],
            users: [1, 0, 1, 1, 0, 1, 1],
            times: [30, 5, 10, 10, 5, 10, 20],
            events: [0, 1, 1, 1, 0, 0, 0],
            values: [1, .nan, 2, 2, .nan, 7, 3])
        #expect(store.userOffsets == [0, 2, 7, 7])
        #expect(store.range(ofUser: 2).isEmpty)
        #expect(Array(store.times[store.range(ofUser: 0)]) == [5, 5])
        #expect(Array(store.events[store.range(ofUser: 0)]) == [0, 1])
        #expect(Array(store.times[store.range(ofUser: 1)]) == [10, 10, 10, 20, 30])
        #expect(Array(store.events[store.range(ofUser: 1)]) == [0, 1, 1, 0, 0])
        #expect(Array(store.values[store.range(ofUser: 1)]) == [7, 2, 2, 3, 1])
        #expect(store.duplicateEvents == 1)
        #expect(store.eventCount == 7 && store.userCount == 3)
        #expect(store.firstTime == 5 && store.lastTime == 30)
        #expect(store.eventID(named: "y") == 1 && store.eventID(named: "z") == nil)
    }

    @Test("first and last time are the extremes of every event, users with none skipped, nil when empty")
    func timeExtremes() {
        var state: UInt64 = 11
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) % n }
        // Users 0 and 7 have no event; times spread over years, unsorted, some before 1970.
        let users = (0..<5_000).map { _ in Int32(1 + next(6)) }
        let times = users.map { _ in Int64(next(4_000_000)) * 60_000 - 1_000_000_000_000 }
        let store = EventStore(userIDs: (0..<8).map { "u\($0)" }, eventNames: [], users: users, times: times, events: nil, values: nil)
        #expect(store.firstTime == times.min() && store.lastTime == times.max())
        let empty = EventStore(userIDs: ["a"], eventNames: [], users: [], times: [], events: nil, values: nil)
        #expect(empty.firstTime == nil && empty.lastTime == nil)
    }

    @Test("NaN values are equal for duplicate counting")
    func nanDuplicates() {
        let store = EventStore(userIDs: ["a"], eventNames: ["x"], users: [0, 0, 0], times: [1, 1, 1],
                               events: [0, 0, 0], values: [.nan, .nan, .nan])
        #expect(store.duplicateEvents == 2)
    }

    @Test("without event or value columns")
    func noOptionalColumns() {
        let store = EventStore(userIDs: ["a", "b"], eventNames: [], users: [1, 0, 1], times: [9, 4, 2], events: nil, values: nil)
        #expect(!store.hasEventColumn && !store.hasValueColumn)
        #expect(store.eventNames == ["event"])
        #expect(store.times == [4, 2, 9])
        #expect(store.events == [0, 0, 0])
        #expect(store.values.allSatisfy { $0.isNaN })
    }

    @Test("many users (parallel sort) match a reference sort", arguments: [UInt64(5)])
    func manyUsers(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let users = 2_500, n = 20_000
        var u: [Int32] = [], t: [Int64] = [], e: [UInt32] = [], v: [Double] = []
        for _ in 0..<n {
            u.append(Int32.random(in: 0..<Int32(users), using: &rng))
            t.append(Int64.random(in: 0..<50, using: &rng))
            e.append(UInt32.random(in: 0..<3, using: &rng))
            v.append(Bool.random(using: &rng) ? .nan : Double(Int.random(in: 0..<3, using: &rng)))
        }
        let store = EventStore(userIDs: (0..<users).map { "u\($0)" }, eventNames: ["a", "b", "c"], users: u, times: t,
                               events: e, values: v)
        // Reference: sort all events by (user, time, event, value bits).
        let order = (0..<n).sorted {
            (u[$0], t[$0], e[$0], v[$0].bitPattern) < (u[$1], t[$1], e[$1], v[$1].bitPattern)
        }
        #expect(store.times == order.map { t[$0] })
        #expect(store.events == order.map { e[$0] })
        #expect(store.values.map(\.bitPattern) == order.map { v[$0].bitPattern })
        var duplicates = 0
        for k in 1..<n where u[order[k]] == u[order[k - 1]] && t[order[k]] == t[order[k - 1]]
            && e[order[k]] == e[order[k - 1]] && v[order[k]].bitPattern == v[order[k - 1]].bitPattern { duplicates += 1 }
        #expect(store.duplicateEvents == duplicates)
        var counts = [Int](repeating: 0, count: users)
        for x in u { counts[Int(x)] += 1 }
        #expect((0..<users).map { store.range(ofUser: $0).count } == counts)
    }

    @Test("the reader groups users in first-seen order and reports duplicates")
    func throughReader() throws {
        let text = "user_id,timestamp,event,value\nb,2026-01-03,x,1\na,2026-01-02,x,\nb,2026-01-01,y,2\nb,2026-01-03,x,1\n"
        let (store, report) = try readLog(text)
        #expect(store.userIDs == ["b", "a"])
        #expect(eventsOf(store, user: "b").map(\.time) == [utcMillis(2026, 1, 1), utcMillis(2026, 1, 3), utcMillis(2026, 1, 3)])
        #expect(report.duplicateEvents == 1 && store.duplicateEvents == 1)
        #expect(report.users == 2 && report.eventNames == 2)
    }
}
