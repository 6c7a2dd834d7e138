// The Parquet reader parses row groups on several cores and merges them in file order: the store must not
// depend on the thread count, must equal the CSV's, a --partition read must equal the whole read filtered to
// the partition's users, and the --time-range bounds must be those of the text reader.
import Foundation
import Testing
import TenureCore
import TestSupport
@testable import EventLog

@Suite("Parquet row groups in parallel")
struct ParquetParallelReadTests {
    static let fixtures = Repository.path("Tests/ParquetTests/Fixtures")
    /// 300 rows in 43 row groups of at most 7 (make_fixtures.py), each group with its own dictionaries.
    static let manyGroups = fixtures + "/pyarrow-many-groups.parquet"
    static let range = TimeRange(from: parseTimestamp("2026-01-01")!, to: parseTimestamp("2026-12-31")!)

    static func read(_ path: String, threads: Int, partition: (Int, Int)? = nil, range: TimeRange = range) throws -> (EventStore, IngestReport) {
        var options = ReadOptions(threads: threads, timeRange: range)
        options.partition = partition.map { (index: $0.0, count: $0.1) }
        return try EventLogReader.read(path, options: options)
    }

    @Test("1, 2 and 7 threads build the same store from a file of many row groups, equal to the CSV's")
    func threadCountDoesNotMatter() throws {
        let (one, oneReport) = try Self.read(Self.manyGroups, threads: 1)
        #expect(oneReport.records == 300 && one.eventCount == 300)
        for threads in [2, 7] {
            let (n, report) = try Self.read(Self.manyGroups, threads: threads)
            expectSameStore(one, n)
            #expect(report == oneReport)
        }
        let (csv, _) = try Self.read(Self.fixtures + "/events.csv", threads: 2)
        expectSameStore(one, csv)
    }

    @Test("a --partition read equals the whole read filtered to the partition's users", arguments: [1, 2])
    func partitionEqualsFilteredWhole(threads: Int) throws {
        let (whole, _) = try Self.read(Self.manyGroups, threads: threads)
        var seen = 0
        for i in 0..<3 {
            let (part, report) = try Self.read(Self.manyGroups, threads: threads, partition: (i, 3))
            let mine = whole.userIDs.filter { id in Array(id.utf8).withUnsafeBytes { PartitionHash.partition(of: $0, count: 3) } == i }
            #expect(part.userIDs == mine)
            for user in mine {
                let a = eventsOf(part, user: user), b = eventsOf(whole, user: user)
                #expect(a.map(\.time) == b.map(\.time) && a.map(\.event) == b.map(\.event)
                        && a.map(\.value.bitPattern) == b.map(\.value.bitPattern), "\(user)")
            }
            #expect(report.records == 300 && report.events + report.otherPartitionRows == 300)
            seen += part.eventCount
        }
        #expect(seen == whole.eventCount)
    }

    @Test("a time exactly at the --time-range's end is kept, as the text reader keeps it")
    func rangeEndIsInclusive() throws {
        let (all, _) = try Self.read(Self.fixtures + "/events.csv", threads: 1)
        let tight = TimeRange(from: all.firstTime!, to: all.lastTime!)
        let (csv, _) = try Self.read(Self.fixtures + "/events.csv", threads: 1, range: tight)
        let (parquet, _) = try Self.read(Self.manyGroups, threads: 2, range: tight)
        #expect(csv.eventCount == 300)
        expectSameStore(csv, parquet)
    }
}
