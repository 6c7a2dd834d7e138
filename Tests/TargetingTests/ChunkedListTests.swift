// A night scored a chunk of users at a time writes the list of one chunk of every user, byte for byte: reasons,
// drift, coverage, uplift columns and activation lists included. Models come from the built binary (generate,
// train); the list is built in process, where the chunk size is a setting.
import EventLog
import Features
import Foundation
import ModelFormat
import Scoring
@testable import Targeting
import TenureCore
import Testing
import TestSupport

@Suite("chunked scoring", .serialized)
struct ChunkedListTests {
    static let tenure = Repository.build + "/tenure"
    static let asOf: Int64 = 1_777_593_600_000   // 2026-05-01, the day after a 120-day generated log

    /// The list `build` returns as CSV bytes, with what the manifest records beside it.
    static func list(_ scorer: Scorer, _ store: EventStore, _ s: RecallSettings) throws -> (csv: Data, drift: [FeatureDrift], coverage: AttributeCoverage?, scored: Int) {
        let run = try RecallList.build(scorer: scorer, store: store, asOf: asOf, settings: s)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chunked-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = try AtomicOutput(path: path)
        try RecallListWriter.writeCSV(run.entries, schema: run.schema, reasonCount: s.reasons, to: out)
        try out.commit()
        return (try Data(contentsOf: URL(fileURLWithPath: path)), run.drift, run.coverage, run.scored)
    }

    /// Chunks of `sizes` users against one chunk of all: the same bytes, drift and coverage. Single-user chunks run
    /// on the partitioned churn list only (about 300 users): a debug build pays a chunk's set-up per user, minutes on
    /// the whole logs.
    static func expectChunkingInvisible(_ scorer: Scorer, _ store: EventStore, _ base: RecallSettings,
                                        sizes: [Int] = [1, 7, 500]) throws {
        var whole = base
        whole.chunkUsers = Int.max
        let reference = try list(scorer, store, whole)
        #expect(reference.scored > 50)
        #expect(String(decoding: reference.csv, as: UTF8.self).split(separator: "\n").count == reference.scored + 1
            || base.limit != nil)
        for size in sizes {
            var s = base
            s.chunkUsers = size
            let chunked = try list(scorer, store, s)
            #expect(chunked.csv == reference.csv, "chunks of \(size) users")
            #expect(chunked.drift == reference.drift)
            #expect(chunked.coverage == reference.coverage)
        }
    }

    static func run(_ args: [String]) throws {
        let r = try Subprocess.run(tenure, args)
        try #require(r.status == 0, "tenure \(args.first ?? ""): \(r.stderr)")
    }

    @Test("churn: reasons for every listed user, drift, a control group, expected-loss sort, a budget")
    func churn() throws {
        let dir = try TemporaryDirectory()
        let events = dir.path("events.csv"), model = dir.path("churn.tenure")
        try Self.run(["generate", "--users", "900", "--days", "120", "--seed", "5", "--out", events])
        try Self.run(["train", "--events", events, "--cutoff", "2026-03-01..2026-04-12/7d", "--model", "gbdt", "--trees", "25",
                      "--min-class-rows", "20", "--out", model])
        let (store, _) = try EventLogReader.read(events)
        let scorer = try Scorer(path: model)
        #expect(scorer.model.reference != nil)
        var s = RecallSettings()
        s.reasonsForAll = true
        try Self.expectChunkingInvisible(scorer, store, s, sizes: [7, 500])
        s.reasonsForAll = false
        s.control = try ControlGroup(campaign: "spring", share: 0.3)
        s.limit = .budget(40)
        try Self.expectChunkingInvisible(scorer, store, s, sizes: [7, 500])
        s.partition = try Partition("1/3")
        try Self.expectChunkingInvisible(scorer, store, s)
    }

    @Test("activation: reasons both ways")
    func activation() throws {
        let dir = try TemporaryDirectory()
        let events = dir.path("events.csv"), model = dir.path("activation.tenure")
        try Self.run(["generate", "--users", "900", "--days", "120", "--seed", "11", "--out", events])
        try Self.run(["train", "--events", events, "--task", "activation", "--cutoff", "2026-02-01..2026-04-12/7d",
                      "--min-class-rows", "20", "--model", "gbdt", "--trees", "20", "--out", model])
        let (store, _) = try EventLogReader.read(events)
        var s = RecallSettings()
        s.reasonsForAll = true
        try Self.expectChunkingInvisible(try Scorer(path: model), store, s, sizes: [7, 500])
    }

    @Test("uplift: the model's columns, ranked by incremental value")
    func uplift() throws {
        let dir = try TemporaryDirectory()
        let events = dir.path("events.csv"), contacts = dir.path("contacts.csv"), model = dir.path("uplift.tenure")
        try Self.run(["generate", "--users", "2500", "--days", "120", "--seed", "3", "--campaigns", "3", "--contacts-out", contacts,
                      "--out", events])
        try Self.run(["train", "--task", "uplift", "--events", events, "--contacts", contacts, "--horizon", "14d",
                      "--model", "gbdt", "--trees", "15", "--min-arm-rows", "5", "--out", model])
        let (store, _) = try EventLogReader.read(events)
        let scorer = try Scorer(path: model)
        try #require(scorer.model.uplift != nil)
        var s = RecallSettings()
        s.rankBy = .incrementalValue
        try Self.expectChunkingInvisible(scorer, store, s, sizes: [7, 500])
    }

    @Test("--users: attributes joined chunk by chunk, the same coverage")
    func attributes() throws {
        let dir = try TemporaryDirectory()
        let events = dir.path("events.csv"), users = dir.path("users.csv"), model = dir.path("users.tenure")
        try Self.run(["generate", "--users", "900", "--days", "120", "--seed", "7", "--shape", "ecommerce", "--out", events, "--users-out", users])
        try Self.run(["train", "--events", events, "--users", users, "--cutoff", "2026-03-01..2026-04-12/7d", "--model", "gbdt",
                      "--trees", "20", "--min-class-rows", "20", "--out", model])
        let (store, _) = try EventLogReader.read(events)
        let scorer = try Scorer(path: model)
        let schema = try #require(scorer.model.attributes)
        var s = RecallSettings()
        s.users = try UserAttributes(schema: schema, table: try UserTable.read(users, badRows: .fail), badRows: .fail)
        s.reasonsForAll = true
        try Self.expectChunkingInvisible(scorer, store, s, sizes: [7, 500])
    }
}

/// A scratch directory removed when the test ends.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-chunked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}
