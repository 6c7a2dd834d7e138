// Options through the real binary: a flag not given is not "given with its default" (evaluate and report use
// the model's time format), values out of range are usage errors naming the flag as the user spelled it,
// `--config FILE` works on every command with LightGBM's names, and flags win over it.
import Foundation
import Testing

@Suite("CLI parameters and ranges")
struct ParameterTests {
    /// A generated log rewritten with day-first timestamps (`01/02/2026 12:55:47`), which auto-detection
    /// refuses: only `--time-format "%d/%m/%Y %H:%M:%S"` reads it.
    static func dayFirstLog(_ scratch: Scratch) throws -> String {
        let iso = scratch.path("iso.csv")
        let gen = try Tenure.run(["generate", "--users", "300", "--days", "120", "--seed", "3", "--out", iso])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        let lines = String(decoding: try #require(scratch.bytes("iso.csv")), as: UTF8.self).split(separator: "\n")
        var out = [String(lines[0])]
        for line in lines.dropFirst() {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let t = fields[1]   // 2026-01-01T12:55:47Z
            let (date, time) = (t.prefix(10).split(separator: "-"), t.dropFirst(11).dropLast())
            fields[1] = "\(date[2])/\(date[1])/\(date[0]) \(time)"
            out.append(fields.joined(separator: ","))
        }
        return try scratch.write("dayfirst.csv", out.joined(separator: "\n") + "\n")
    }

    static let timeFormat = "%d/%m/%Y %H:%M:%S"

    @Test("evaluate and report read a log in the model's time format without --time-format")
    func modelTimeFormat() throws {
        let scratch = try Scratch()
        let events = try Self.dayFirstLog(scratch)
        let model = scratch.path("m.tenure")
        let train = try Tenure.run(["train", "--events", events, "--time-format", Self.timeFormat,
                                    "--cutoff", "2026-02-15..2026-04-01/7d", "--min-class-rows", "20", "--out", model])
        try #require(train.status == 0, "train: \(train.stderr)")
        let score = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", "2026-04-20", "--out", scratch.path("s.csv")])
        #expect(score.status == 0, "score: \(score.stderr)")
        let evaluate = try Tenure.run(["evaluate", "--model", model, "--events", events, "--cutoff", "2026-04-05"])
        #expect(evaluate.status == 0, "evaluate: \(evaluate.stderr)")
        #expect(!evaluate.stderr.contains("cannot detect the timestamp format"))
        let report = try Tenure.run(["report", "--model", model, "--events", events, "--out", scratch.path("r.html")])
        #expect(report.status == 0, "report: \(report.stderr)")
        // Given on the command line, the flag still wins over the model.
        let wrong = try Tenure.run(["evaluate", "--model", model, "--events", events, "--cutoff", "2026-04-05", "--time-format", "iso8601"])
        #expect(wrong.status == 2, "evaluate --time-format iso8601: \(wrong.stderr)")
    }

    @Test("values out of range exit 64 before any work, naming the flag", arguments: [
        (["train", "--model", "gbdt", "--num-leaves", "1"], "--num-leaves must be in 2...65536, got 1"),
        (["train", "--model", "gbdt", "--learning-rate", "0"], "--learning-rate must be > 0, got 0"),
        (["train", "--model", "gbdt", "--max-bin", "256"], "--max-bin must be in 2...255, got 256"),
        (["train", "--model", "gbdt", "--num-leaves", "many"], "--num-leaves takes a whole number, not 'many'"),
        (["train", "--tol", "0"], "--tol must be > 0, got 0"),
        (["train", "--l1-ratio", "0.3"], "--l1-ratio needs --alpha"),
        (["train", "--alpha", "0.1", "--l1-ratio", "1.5"], "--l1-ratio must be in [0, 1], got 1.5"),
        (["train", "--l1", "0.1", "--solver", "lbfgs"], "--solver lbfgs cannot handle an L1 penalty"),
        (["train", "--min-class-rows", "0"], "--min-class-rows must be ≥ 1, got 0"),
        (["train", "--threads", "1000000"], "--threads must be in 1...256, got 1000000"),
        (["train", "--threads", "9223372036854775808"], "--threads takes a whole number"),
        (["train", "--horizon", "0d"], "--horizon must be longer than 0"),
        (["train", "--horizon", "999999999999999d"], "--horizon: '999999999999999d' is not a span of time"),
        (["train", "--lookback", "999999999999999d"], "--lookback: '999999999999999d' is not a span of time"),
        (["features", "--signup-window", "999999999999999d"], "--signup-window: '999999999999999d' is not a span of time"),
        (["features", "--threads", "0"], "--threads must be in 1...256, got 0"),
        (["score", "--reasons", "100000000"], "--reasons must be in 0...64, got 100000000"),
        (["score", "--cooldown", "999999999999999d"], "--cooldown: '999999999999999d' is not a span of time"),
        (["score", "--top", "-1"], "--top must be ≥ 0, got -1"),
        (["score", "--budget", "-5"], "--budget must be ≥ 0"),
        (["score", "--tier-high", "120"], "--tier-high must be in 0.0...100.0, got 120.0"),
        (["score", "--tier-medium", "80", "--tier-high", "70"], "--tier-medium (80.0) must not be above --tier-high (70.0)"),
        (["score", "--threads", "0"], "--threads must be in 1...256, got 0"),
        (["evaluate", "--threads", "1000000"], "--threads must be in 1...256"),
        (["report", "--threads", "1000000"], "--threads must be in 1...256"),
    ])
    func outOfRange(arguments: [String], message: String) throws {
        let scratch = try Scratch()
        // Inputs that exist, so only the value under test can be wrong; the range check must come first.
        let events = try scratch.write("e.csv", "user_id,timestamp,event\nu1,2026-01-01T00:00:00Z,login\n")
        var args = arguments
        switch arguments[0] {
        case "train": args += ["--events", events, "--cutoff", "2026-01-02", "--out", scratch.path("m.tenure")]
        case "features": args += ["--events", events, "--cutoff", "2026-01-02", "--out", scratch.path("f.csv")]
        case "score": args += ["--model", scratch.path("none.tenure"), "--events", events, "--as-of", "2026-01-02", "--out", scratch.path("s.csv")]
        case "evaluate": args += ["--model", scratch.path("none.tenure"), "--events", events, "--cutoff", "2026-01-02"]
        default: args += ["--model", scratch.path("none.tenure"), "--events", events, "--out", scratch.path("r.html")]
        }
        let r = try Tenure.run(args, in: scratch.url)
        #expect(r.status == 64, "\(args): \(r.stderr)")
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(r.stderrLines.count == 1, "stderr: \(r.stderr)")
        #expect(scratch.listing == ["e.csv"], "wrote \(scratch.listing)")
    }

    @Test("--config FILE on every command: unknown keys are refused naming the key")
    func configEverywhere() throws {
        let scratch = try Scratch()
        let config = try scratch.write("c.json", #"{"no-such-option": 1}"#)
        for command in ["generate", "features", "train", "evaluate", "score", "playbook", "retention", "report", "inspect", "export"] {
            let help = try Tenure.run([command, "--help"])
            #expect(help.stdout.contains("--config FILE"), "\(command) --help")
            let r = try Tenure.run([command, "--config", config])
            #expect(r.status == 64, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("unknown option 'no-such-option'"), "\(command): \(r.stderr)")
        }
        // A value from the file is named as it was spelled there.
        let bad = try scratch.write("bad.json", #"{"num_leaves": 1, "model": "gbdt"}"#)
        let r = try Tenure.run(["train", "--config", bad, "--events", "e.csv", "--cutoff", "2026-01-02", "--out", scratch.path("m.tenure")])
        #expect(r.status == 64)
        #expect(r.stderr.contains("'num_leaves' in \(bad) must be in 2...65536, got 1"), "\(r.stderr)")
        let generate = try scratch.write("g.json", #"{"users": 40, "days": 20, "seed": 5}"#)
        let g = try Tenure.run(["generate", "--config", generate, "--out", scratch.path("g.csv")])
        #expect(g.status == 0, "\(g.stderr)")
        #expect(g.stderr.contains("users"))
    }

    @Test("LightGBM names in --config train gbdt; flags win; the model stores each setting once by its name")
    func lightGBMConfig() throws {
        let scratch = try Scratch()
        let events = scratch.path("g.csv")
        let gen = try Tenure.run(["generate", "--users", "300", "--days", "120", "--seed", "3", "--out", events])
        try #require(gen.status == 0)
        let config = try scratch.write("train.json", #"{"model": "gbdt", "num_iterations": 7, "num_leaves": 5, "learning_rate": 0.2, "min_data_in_leaf": 10}"#)
        let model = scratch.path("m.tenure")
        let train = try Tenure.run(["train", "--config", config, "--num-leaves", "6", "--events", events,
                                    "--cutoff", "2026-02-15..2026-04-01/7d", "--min-class-rows", "20", "--out", model])
        try #require(train.status == 0, "train: \(train.stderr)")
        let inspect = try Tenure.run(["inspect", model, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        let gbdt = try #require(json["gbdt"] as? [String: Any])
        let stored = try #require(gbdt["config"] as? [String: Any])
        #expect(stored["trees"] as? Int == 7)
        #expect(stored["numLeaves"] as? Int == 6, "the flag wins over the file")
        #expect(stored["learningRate"] as? Double == 0.2)
        #expect(stored["minDataInLeaf"] as? Int == 10)
        #expect((gbdt["trees"] as? [Any])?.count == 7)
        let training = try #require(json["training"] as? [String: Any])
        let settings = try #require(training["settings"] as? [String: String])
        // Trainer settings live once, in the payload; the record holds the split and what else was given.
        for name in ["num-leaves", "trees", "learning-rate", "tol", "l2", "solver"] {
            #expect(settings[name] == nil, "\(name) stored twice")
        }
        #expect(settings["model"] == "gbdt" && settings["min-class-rows"] == "20" && settings["valid-cutoffs"] == "1")
        // `inspect` shows them all by option name.
        let text = try Tenure.run(["inspect", model])
        #expect(text.stdout.contains("num-leaves=6") && text.stdout.contains("trees=7") && text.stdout.contains("learning-rate=0.2"))
        let export = try Tenure.run(["export", "--model", model, "--out", scratch.path("lgb.txt")])
        #expect(export.status == 0)
        let lgb = String(decoding: try #require(scratch.bytes("lgb.txt")), as: UTF8.self)
        #expect(lgb.contains("[num_iterations: 7]\n") && lgb.contains("[num_leaves: 6]\n") && lgb.contains("[learning_rate: 0.2]\n"))
    }

    @Test("--monotone by name moves into the model; an unknown name is a usage error")
    func monotone() throws {
        let scratch = try Scratch()
        let events = scratch.path("g.csv")
        try #require(try Tenure.run(["generate", "--users", "300", "--days", "120", "--seed", "3", "--out", events]).status == 0)
        let common = ["train", "--events", events, "--cutoff", "2026-02-15..2026-04-01/7d", "--min-class-rows", "20",
                      "--model", "gbdt", "--trees", "3", "--out", scratch.path("m.tenure")]
        let bad = try Tenure.run(common + ["--monotone", "no_such_feature=+1"])
        #expect(bad.status == 64 && bad.stderr.contains("--monotone: no feature named 'no_such_feature'"), "\(bad.stderr)")
        let syntax = try Tenure.run(common + ["--monotone", "events_7d=+2"])
        #expect(syntax.status == 64 && syntax.stderr.contains("--monotone takes name=+1 or name=-1 pairs"), "\(syntax.stderr)")
        #expect(!scratch.exists("m.tenure"))
        let good = try Tenure.run(common + ["--monotone", "events_7d=-1"])
        #expect(good.status == 0, "\(good.stderr)")
        let lgb = try Tenure.run(["export", "--model", scratch.path("m.tenure"), "--out", scratch.path("lgb.txt")])
        #expect(lgb.status == 0)
        let text = String(decoding: try #require(scratch.bytes("lgb.txt")), as: UTF8.self)
        #expect(text.contains("\nmonotone_constraints=") && text.contains("[monotone_constraints: "))
    }
}
