// Help, usage errors (exit 64, one line on stderr) and bad data (exit 2 naming FILE:LINE).
import Foundation
import Testing

@Suite("CLI usage and errors")
struct UsageTests {
    @Test("tenure --help lists every command and the exit codes")
    func topHelp() throws {
        let r = try Tenure.run(["--help"])
        #expect(r.status == 0)
        for command in ["generate", "features", "train", "score"] { #expect(r.stdout.contains("  \(command) ")) }
        #expect(r.stdout.contains("64 usage"))
        // No command at all: the same help, but a usage exit.
        #expect(try Tenure.run([]).status == 64)
    }

    @Test("each command's --help lists its options", arguments: [
        ("features", ["--events FILE", "--cutoff DATES", "--out FILE", "--task TASK", "--lookback DUR", "--list", "--help"]),
        ("train", ["--events FILE", "--model KIND", "--min-class-rows N", "--valid-cutoffs K", "--trees N", "--out FILE"]),
        ("score", ["--model FILE", "--as-of DATE", "--events FILE", "--out FILE", "--reasons N", "--tier-high S"]),
        ("generate", ["--users N", "--days D", "--seed S", "--out FILE"]),
    ])
    func commandHelp(command: String, options: [String]) throws {
        let r = try Tenure.run([command, "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("usage: tenure \(command) "))
        for o in options { #expect(r.stdout.contains(o), "\(command) --help lacks \(o)") }
        #expect(r.stderr.isEmpty)
    }

    @Test("usage errors exit 64 with one line on stderr", arguments: [
        (["features", "--bogus"], "unknown option '--bogus'"),
        (["train", "--out"], "--out needs a value"),
        (["features", "--events", "--cutoff", "2026-01-01"], "--events needs a value"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["generate", "--users", "many", "--out", "/tmp/never-written.csv"], "--users takes a whole number"),
        (["score", "--as-of"], "--as-of needs a value"),
        (["train", "--events", "e.csv", "--cutoff", "2026-01-01", "--model", "forest", "--out", "m.tenure"], "--model takes logistic or gbdt"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let scratch = try Scratch()
        let r = try Tenure.run(arguments, in: scratch.url)
        #expect(r.status == 64)
        #expect(r.stderrLines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.hasPrefix("tenure: error: "))
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(scratch.listing.isEmpty, "a usage error wrote \(scratch.listing)")
    }

    @Test("a bad row exits 2 naming FILE:LINE, and writes nothing")
    func badRow() throws {
        let scratch = try Scratch()
        let events = try scratch.write("bad.csv", """
            user_id,timestamp,event
            u1,2026-01-01T00:00:00Z,login
            u1,2026-01-01T01:00:00Z,login
            u2,2026-01-01T00:00:00Z
            u3,2026-01-01T00:00:00Z,login

            """)
        let r = try Tenure.run(["features", "--events", events, "--cutoff", "2026-01-02", "--out", scratch.path("f.csv")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(events):4: "), "stderr: \(r.stderr)")
        #expect(!scratch.exists("f.csv"))
        // Skipping bad rows gets through.
        let skip = try Tenure.run(["features", "--events", events, "--cutoff", "2026-01-02", "--bad-rows", "skip",
                                   "--out", scratch.path("f.csv")])
        #expect(skip.status == 0, "stderr: \(skip.stderr)")
        #expect(scratch.exists("f.csv"))
    }

    @Test("an unparsable timestamp with a given format exits 2 naming FILE:LINE")
    func badTimestamp() throws {
        let scratch = try Scratch()
        let events = try scratch.write("bad.csv", "user_id,timestamp,event\nu1,2026-01-01T00:00:00Z,login\nu2,garbage,login\n")
        let r = try Tenure.run(["features", "--events", events, "--time-format", "iso8601", "--cutoff", "2026-01-02"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(events):3: "), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
