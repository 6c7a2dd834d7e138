// A generated log read serially and in parallel with tiny blocks gives the same store and the same features.
import EventLog
import Foundation
import Testing
@testable import Features
@testable import Synthetic
import TenureCore

@Suite("Parallel reading of a generated log")
struct SyntheticParallelReadTests {
    @Test("threads 1 vs 2 with 4 KB blocks: identical stores and feature rows")
    func parallelEqualsSerial() throws {
        let (bytes, generated) = try SyntheticLog.csv(config: SyntheticLogConfig(users: 300, days: 60, seed: 7))
        try withTempFile("synthetic.csv", bytes) { path in
            let serial = ReadOptions(threads: 1), parallel = ReadOptions(threads: 2, blockBytes: 4096)
            let (a, ra) = try EventLogReader.read(path, options: serial)
            let (b, rb) = try EventLogReader.read(path, options: parallel)
            #expect(ra == rb)
            #expect(ra.events == generated.events && ra.badRowTotal == 0)
            #expect(ra.duplicateEvents >= generated.duplicates)
            #expect(a.userIDs == b.userIDs && a.eventNames == b.eventNames && a.userOffsets == b.userOffsets)
            #expect(a.times == b.times && a.events == b.events)
            #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
            let cutoff = try #require(a.firstTime) / millisPerDay * millisPerDay + 45 * millisPerDay
            let label = LabelSpec(task: .churn, horizon: .days(14))
            let (ta, sa) = try buildRows(a, label: label, cutoffs: [cutoff], threads: 1)
            let (tb, sb) = try buildRows(b, label: label, cutoffs: [cutoff], threads: 2)
            #expect(sa == sb && ta.rows > 0)
            #expect(ta.values.map(\.bitPattern) == tb.values.map(\.bitPattern) && ta.labels == tb.labels)
        }
    }
}
