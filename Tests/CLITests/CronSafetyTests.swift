// The nightly `tenure score` runs from cron, unattended: every way it can go wrong must end in the right exit
// code with no list (never a crash, never an empty list with exit 0), and leave no output directory behind.
// Through the real binary, on a small generated log and the shipped demo model.
import Foundation
import Testing
import TestSupport

/// A generated log (2026-01-01 + 120 days), the same log renamed, and the demo model trained on such a log.
final class CronFixture: @unchecked Sendable {
    let scratch: Scratch
    let events: String
    let model = Repository.path("models/demo-churn-logistic.tenure")
    /// The log's first and last event times.
    let first: Date, last: Date

    static let shared = Result { try CronFixture() }

    private init() throws {
        scratch = try Scratch()
        events = scratch.path("events.csv")
        let gen = try Tenure.run(["generate", "--users", "300", "--days", "120", "--seed", "7", "--out", events])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        let text = try String(contentsOfFile: events, encoding: .utf8)
        let iso = ISO8601DateFormatter()
        let times = text.split(separator: "\n").dropFirst().compactMap { iso.date(from: String($0.split(separator: ",")[1])) }
        first = try #require(times.min())
        last = try #require(times.max())
    }

    /// The log with its header renamed (`customer_id,when,action,amount`): the same events under other columns.
    func renamedLog() throws -> String {
        let text = try String(contentsOfFile: events, encoding: .utf8)
        let body = text.drop { $0 != "\n" }
        return try scratch.write("renamed-\(UUID().uuidString).csv", "customer_id,when,action,amount" + body)
    }

    /// The log with every event name prefixed: a log of another product, none of the model's event names in it.
    func otherProductLog() throws -> String {
        let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let renamed = lines.enumerated().map { i, line -> String in
            guard i > 0, !line.isEmpty else { return String(line) }
            var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[2] = "shop_" + f[2]
            return f.joined(separator: ",")
        }
        return try scratch.write("shop-\(UUID().uuidString).csv", renamed.joined(separator: "\n"))
    }

    func score(_ extra: [String], events: String? = nil, asOf: String = "2026-04-20") throws -> ProcessOutput {
        try Tenure.run(["score", "--model", model, "--events", events ?? self.events, "--as-of", asOf] + extra)
    }

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }
}

@Suite("Cron safety of tenure score")
struct CronSafetyTests {
    static let runs = 15

    @Test("an empty, header-only or bad-row export exits 2 every time (never 139) and leaves no directory",
          arguments: ["empty": "", "header only": "user_id,timestamp,event\n",
                      "one bad row": "user_id,timestamp,event\nu1,2026-01-01T10:00:00Z,view\nu2,not a time,view\n"].sorted { $0.key < $1.key })
    func brokenExportNeverCrashes(name: String, text: String) throws {
        let f = try CronFixture.shared.get()
        let scratch = try Scratch()
        let events = try scratch.write("export.csv", text)
        // `--out DIR/` hashes the log in the background for the manifest: the work that was still running at exit.
        var codes: [Int32] = []
        for _ in 0..<Self.runs { codes.append(try f.score(["--out", scratch.path("run") + "/"], events: events).status) }
        #expect(codes == Array(repeating: 2, count: Self.runs), "\(name): \(codes)")
        #expect(!scratch.exists("run"), "a failed run left its output directory")
    }

    @Test("an as-of more than --max-staleness after the log's last event is refused, with no list")
    func staleExport() throws {
        let f = try CronFixture.shared.get()
        let scratch = try Scratch()
        let fresh = try f.score(["--out", scratch.path("fresh.csv")], asOf: CronFixture.iso(f.last.addingTimeInterval(2 * 86_400)))
        #expect(fresh.status == 0, "\(fresh.stderr)")
        let staleAsOf = CronFixture.iso(f.last.addingTimeInterval(4 * 86_400))
        let stale = try f.score(["--out", scratch.path("stale") + "/"], asOf: staleAsOf)
        #expect(stale.status == 2)
        #expect(stale.stderr.contains("--max-staleness 3d") && stale.stderr.contains(CronFixture.iso(f.last)), "\(stale.stderr)")
        #expect(!scratch.exists("stale"))
        let months = try f.score(["--out", scratch.path("months.csv")], asOf: "2026-09-01")
        #expect(months.status == 2 && !scratch.exists("months.csv"))
        let allowed = try f.score(["--max-staleness", "5d", "--out", scratch.path("allowed.csv")], asOf: staleAsOf)
        #expect(allowed.status == 0 && scratch.exists("allowed.csv"), "\(allowed.stderr)")
        let badSpan = try f.score(["--max-staleness", "soon", "--out", scratch.path("x.csv")], asOf: staleAsOf)
        #expect(badSpan.status == 64, "\(badSpan.stderr)")
    }

    @Test("an as-of at or before the log's first event is refused")
    func asOfBeforeTheLog() throws {
        let f = try CronFixture.shared.get()
        let scratch = try Scratch()
        for asOf in ["2025-12-01", CronFixture.iso(f.first)] {
            let r = try f.score(["--out", scratch.path("list.csv")], asOf: asOf)
            #expect(r.status == 2 && r.stderr.contains("first event"), "\(asOf): \(r.stderr)")
            #expect(!scratch.exists("list.csv"))
        }
    }

    @Test("a log of another product is refused naming the missing event names; --allow-mismatch scores it with a warning")
    func logOfAnotherProduct() throws {
        let f = try CronFixture.shared.get()
        let scratch = try Scratch()
        let shop = try f.otherProductLog()
        let refused = try f.score(["--out", scratch.path("run") + "/"], events: shop)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("event names are absent") && refused.stderr.contains("session_start"), "\(refused.stderr)")
        #expect(!scratch.exists("run"))
        let allowed = try f.score(["--allow-mismatch", "--out", scratch.path("list.csv")], events: shop)
        #expect(allowed.status == 0 && scratch.exists("list.csv"), "\(allowed.stderr)")
        #expect(allowed.stderrLines.contains { $0.hasPrefix("warning: --allow-mismatch") && $0.contains("session_start") }, "\(allowed.stderr)")
    }

    @Test("more than half of the features past the drift line is a mismatch")
    func mostFeaturesDrifted() throws {
        let (f, scratch) = (try CronFixture.shared.get(), try Scratch())
        // A drift line under most features' PSI must refuse (the default line, with 1 moved, did not: psi(_:_:)).
        let psi = try Self.psi(f, scratch)
        let sorted = psi.values.sorted()
        let median = sorted[sorted.count / 2 - 1] * 0.999   // strictly more than half lie above it
        let refused = try f.score(["--drift-threshold", "\(median)", "--out", scratch.path("drifted.csv")])
        #expect(refused.status == 2 && refused.stderr.contains("features moved against the training data"), "\(refused.stderr)")
        #expect(!scratch.exists("drifted.csv"))
        let allowed = try f.score(["--drift-threshold", "\(median)", "--allow-mismatch", "--out", scratch.path("drifted.csv")])
        #expect(allowed.status == 0 && allowed.stderr.contains("warning: --allow-mismatch"), "\(allowed.stderr)")
    }

    @Test("--fail-on-drift exits 2 with no list when a feature's PSI exceeds it, and only then")
    func failOnDrift() throws {
        let (f, scratch) = (try CronFixture.shared.get(), try Scratch())
        let worst = try #require(try Self.psi(f, scratch).max { $0.value < $1.value })
        let over = try f.score(["--fail-on-drift", "\(worst.value * 0.99)", "--out", scratch.path("over") + "/"])
        #expect(over.status == 2 && over.stderr.contains(worst.key), "\(over.stderr)")
        #expect(!scratch.exists("over"))
        // (Just above rather than at the worst: JSON does not round-trip every double exactly.)
        let above = try f.score(["--fail-on-drift", "\(worst.value * 1.01)", "--out", scratch.path("above.csv")])
        #expect(above.status == 0 && scratch.exists("above.csv"), "\(above.stderr)")
    }

    @Test("score takes train's reader flags and --config, over the layout the model recorded")
    func readerFlags() throws {
        let f = try CronFixture.shared.get()
        let scratch = try Scratch()
        let plain = try f.score(["--out", scratch.path("plain.csv")])
        try #require(plain.status == 0, "\(plain.stderr)")
        let renamed = try f.renamedLog()
        let flags = try f.score(["--user-col", "customer_id", "--time-col", "when", "--event-col", "action",
                                          "--value-col", "amount", "--format", "csv", "--time-format", "iso8601",
                                          "--out", scratch.path("flags.csv")], events: renamed)
        #expect(flags.status == 0, "\(flags.stderr)")
        #expect(scratch.bytes("flags.csv") == scratch.bytes("plain.csv"))
        let config = try scratch.write("nightly.json", #"{"user-col": "customer_id", "time-col": "when", "event-col": "action", "value-col": "amount"}"#)
        let viaConfig = try f.score(["--config", config, "--out", scratch.path("config.csv")], events: renamed)
        #expect(viaConfig.status == 0, "\(viaConfig.stderr)")
        #expect(scratch.bytes("config.csv") == scratch.bytes("plain.csv"))
    }

    @Test("evaluate and report take the same reader flags, so a renamed log backtests like the original")
    func readerFlagsOnEvaluateAndReport() throws {
        let f = try CronFixture.shared.get()
        let scratch = try Scratch()
        let renamed = try f.renamedLog()
        let columns = ["--user-col", "customer_id", "--time-col", "when", "--event-col", "action", "--value-col", "amount"]
        let cutoff = "2026-03-15"
        let plain = try Tenure.run(["evaluate", "--model", f.model, "--events", f.events, "--cutoff", cutoff, "--output-format", "json"])
        try #require(plain.status == 0, "\(plain.stderr)")
        let viaFlags = try Tenure.run(["evaluate", "--model", f.model, "--events", renamed, "--cutoff", cutoff, "--output-format", "json"] + columns)
        #expect(viaFlags.status == 0, "\(viaFlags.stderr)")
        #expect(viaFlags.stdout == plain.stdout)
        let report = try Tenure.run(["report", "--model", f.model, "--events", renamed, "--cutoff", cutoff,
                                     "--out", scratch.path("report.html")] + columns)
        #expect(report.status == 0 && scratch.exists("report.html"), "\(report.stderr)")
    }

    /// Every feature's PSI of a default run, read from its manifest (the run itself must succeed).
    static func psi(_ f: CronFixture, _ scratch: Scratch) throws -> [String: Double] {
        let run = try f.score(["--out", scratch.path("run") + "/"])
        try #require(run.status == 0, "\(run.stderr)")
        let bytes = try #require(scratch.bytes("run/manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let drift = try #require(manifest["drift"] as? [String: Any])
        let psi = try #require(drift["psi"] as? [String: Double])
        try #require(psi.count > 10)
        return psi
    }
}

@Suite("Output paths checked before any work")
struct OutputPathTests {
    /// Each writing command with an output under a regular file (so it cannot be created) and an input that is
    /// missing: the input would fail with exit 2, so exit 1 naming the output shows the output was checked first.
    static let cases: [(String, [String])] = [
        ("generate", ["generate", "--users", "50", "--days", "30", "--out", "$BAD/x.csv"]),
        ("features", ["features", "--events", "$MISSING", "--cutoff", "2026-04-01", "--out", "$BAD/x.csv"]),
        ("features quarantine", ["features", "--events", "$MISSING", "--cutoff", "2026-04-01", "--bad-rows", "quarantine=$BAD/q.csv"]),
        ("train", ["train", "--events", "$MISSING", "--cutoff", "2026-04-01", "--out", "$BAD/x.tenure"]),
        ("train, missing directory", ["train", "--events", "$MISSING", "--cutoff", "2026-04-01", "--out", "$DIR/nonexistent/x.tenure"]),
        ("score file", ["score", "--model", "$MODEL", "--events", "$MISSING", "--as-of", "2026-04-20", "--out", "$BAD/x.csv"]),
        ("score directory", ["score", "--model", "$MODEL", "--events", "$MISSING", "--as-of", "2026-04-20", "--out", "$BAD/run/"]),
        ("evaluate predictions", ["evaluate", "--model", "$MODEL", "--events", "$MISSING", "--cutoff", "2026-04-01", "--predictions", "$BAD/p.csv"]),
        ("predict", ["predict", "--model", "$MODEL", "--features", "$MISSING", "--out", "$BAD/p.csv"]),
        ("retention", ["retention", "--events", "$MISSING", "--out", "$BAD/r.csv"]),
        ("report", ["report", "--model", "$MISSING", "--out", "$BAD/r.html"]),
        ("export", ["export", "--model", "$GBDT", "--out", "$BAD/m.txt"]),
    ]

    @Test("an output that cannot be created fails first, with exit 1 naming it", arguments: cases.map(\.0))
    func unwritableOutput(name: String) throws {
        let scratch = try Scratch()
        let file = try scratch.write("plain.txt", "not a directory\n")
        let paths = ["$BAD": file, "$MISSING": scratch.path("missing.csv"), "$DIR": scratch.url.path,
                     "$MODEL": Repository.path("models/demo-churn-logistic.tenure"), "$GBDT": Repository.path("models/demo-churn-gbdt.tenure")]
        let args = Self.cases.first { $0.0 == name }!.1.map { a in paths.reduce(a) { $0.replacingOccurrences(of: $1.key, with: $1.value) } }
        let r = try Tenure.run(args)
        #expect(r.status == 1, "\(name): \(r.stderr)")
        #expect(r.stderrLines.contains { $0.hasPrefix("tenure: error: cannot write ") }, "\(r.stderr)")
        #expect(scratch.listing == ["plain.txt"], "left behind: \(scratch.listing)")
    }
}
