// The writers through the real binary: an output naming an input is refused before any work (exit 64, the input
// byte-identical), `--out` at a FIFO or device is written through, and `tenure verify DIR/` tells a matching
// list and manifest from a mismatched pair.
import Foundation
import Testing
import TestSupport

@Suite("Outputs that respect the file system")
struct OutputSafetyTests {
    /// A small log made once per test.
    static func log(_ scratch: Scratch) throws -> String {
        let events = scratch.path("events.csv")
        let gen = try Tenure.run(["generate", "--users", "120", "--days", "60", "--seed", "3", "--out", events])
        try #require(gen.status == 0, "\(gen.stderr)")
        return events
    }

    @Test("an output that is the input: exit 64 before any work, the input unchanged", arguments: [
        ["features", "--events", "$E", "--cutoff", "2026-02-01", "--out", "$E"],
        ["features", "--events", "$E", "--cutoff", "2026-02-01", "--bad-rows", "quarantine=$E", "--out", "$D/f.csv"],
        ["features", "--events", "$E", "--cutoff", "2026-02-01", "--out", "$D/./link.csv"],
        ["retention", "--events", "$E", "--out", "$E"],
        ["train", "--events", "$E", "--cutoff", "2026-02-01", "--out", "$E"],
        ["train", "--features", "$E", "--out", "$E"],
        ["score", "--model", "$M", "--events", "$E", "--as-of", "2026-03-01", "--out", "$E"],
        ["score", "--model", "$M", "--events", "$D/scores.csv", "--as-of", "2026-03-01", "--out", "$D/"],
        ["evaluate", "--model", "$M", "--events", "$E", "--cutoff", "2026-02-01", "--predictions", "$E"],
        ["predict", "--model", "$M", "--features", "$E", "--out", "$E"],
        ["report", "--model", "$M", "--events", "$E", "--cutoff", "2026-02-01", "--out", "$E"],
    ])
    func sameFileRefused(args: [String]) throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        // $D/scores.csv is the events log under the name score --out $D/ would write.
        try FileManager.default.copyItem(atPath: events, toPath: scratch.path("scores.csv"))
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link.csv"), withDestinationPath: "events.csv")
        let before = try #require(scratch.bytes("events.csv"))
        let resolved = args.map {
            $0.replacingOccurrences(of: "$E", with: events).replacingOccurrences(of: "$D", with: scratch.url.path)
                .replacingOccurrences(of: "$M", with: Repository.path("models/demo-churn-logistic.tenure"))
        }
        let r = try Tenure.run(resolved)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("names the same file as"), "\(r.stderr)")
        #expect(scratch.bytes("events.csv") == before, "the input log is byte-identical")
        #expect(scratch.bytes("scores.csv") == before)
        #expect(!r.stderr.contains("rows read"), "refused before the log was read: \(r.stderr)")
    }

    @Test("--out at a FIFO streams the list through it; the FIFO stays")
    func fifoOut() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        let fifo = scratch.path("pipe")
        try #require(mkfifo(fifo, 0o600) == 0)
        let fd = open(fifo, O_RDONLY | O_NONBLOCK)
        try #require(fd >= 0)
        defer { close(fd) }
        // The list is far under the pipe's 64 KiB, so the writer never waits on this (non-reading) reader.
        let r = try Tenure.run(["retention", "--events", events, "--output-format", "csv", "--out", fifo])
        #expect(r.status == 0, "\(r.stderr)")
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
        while case let n = read(fd, &chunk, chunk.count), n > 0 { bytes += chunk[..<n] }
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("cohort"), "\(bytes.count) bytes")
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
    }

    @Test("--out at a character device of our own is written through", .enabled(if: getuid() == 0, "mknod needs root"))
    func deviceOut() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        let device = scratch.path("null")
        let made = try Subprocess.run("/usr/bin/mknod", [device, "c", "1", "3"])
        try #require(made.status == 0)
        let r = try Tenure.run(["features", "--events", events, "--cutoff", "2026-02-01", "--out", device])
        #expect(r.status == 0, "\(r.stderr)")
        var st = stat()
        #expect(lstat(device, &st) == 0 && st.st_mode & S_IFMT == S_IFCHR, "still a device")
        #expect(!scratch.listing.contains { $0.contains(".tmp-") })
    }

    @Test("tenure verify: a run directory matches; a list from another night does not (exit 2, the reason)")
    func verify() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        let model = Repository.path("models/demo-churn-logistic.tenure")
        let run = scratch.path("tonight") + "/"
        let score = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", "2026-03-01", "--out", run, "--max-staleness", "3650d"])
        try #require(score.status == 0, "\(score.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: try #require(scratch.bytes("tonight/manifest.json"))) as? [String: Any]
        let output = try #require((manifest?["outputs"] as? [[String: Any]])?.first)
        let list = String(decoding: try #require(scratch.bytes("tonight/scores.csv")), as: UTF8.self)
        // Rows: the list's lines after the header (the demo list has no multi-line fields).
        #expect(output["rows"] as? Int == list.split(separator: "\n").count - 1)
        #expect(output["bytes"] as? Int == list.utf8.count)

        let ok = try Tenure.run(["verify", run])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("matches scores.csv"), "\(ok.stdout)")

        // Another night's list beside this manifest, as a kill between the renames would leave it.
        let other = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", "2026-03-01", "--top", "5", "--out", scratch.path("other.csv"), "--max-staleness", "3650d"])
        try #require(other.status == 0, "\(other.stderr)")
        try FileManager.default.removeItem(atPath: scratch.path("tonight/scores.csv"))
        try FileManager.default.copyItem(atPath: scratch.path("other.csv"), toPath: scratch.path("tonight/scores.csv"))
        let bad = try Tenure.run(["verify", run])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("scores.csv") && bad.stderr.contains("SHA-256"), "\(bad.stderr)")

        try FileManager.default.removeItem(atPath: scratch.path("tonight/scores.csv"))
        let missing = try Tenure.run(["verify", run])
        #expect(missing.status == 2 && missing.stderr.contains("missing"), "\(missing.stderr)")
    }

    @Test("a manifest written before row counts were recorded still verifies")
    func oldManifest() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        let run = scratch.path("night") + "/"
        let score = try Tenure.run(["score", "--model", Repository.path("models/demo-churn-logistic.tenure"), "--events", events,
                                    "--as-of", "2026-03-01", "--out", run, "--max-staleness", "3650d"])
        try #require(score.status == 0, "\(score.stderr)")
        let text = String(decoding: try #require(scratch.bytes("night/manifest.json")), as: UTF8.self)
        let old = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("\"rows\" :") }.joined(separator: "\n")
        #expect(old != text)
        try Data(old.utf8).write(to: URL(fileURLWithPath: scratch.path("night/manifest.json")))
        let r = try Tenure.run(["verify", run])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test("a dead run's temporary list in the run directory is removed by the next run")
    func staleTemporaryRemoved() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        try FileManager.default.createDirectory(atPath: scratch.path("night"), withIntermediateDirectories: true)
        let dead: pid_t = 4_194_304
        try #require(kill(dead, 0) != 0 && errno == ESRCH)
        _ = try scratch.write("night/scores.csv.tmp-\(dead)", "half a list")
        _ = try scratch.write("night/manifest.json.tmp-\(dead)", "{")
        let score = try Tenure.run(["score", "--model", Repository.path("models/demo-churn-logistic.tenure"), "--events", events,
                                    "--as-of", "2026-03-01", "--out", scratch.path("night") + "/", "--max-staleness", "3650d"])
        try #require(score.status == 0, "\(score.stderr)")
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: scratch.path("night"))) ?? []).sorted()
        #expect(left == ["manifest.json", "scores.csv"])
    }
}
