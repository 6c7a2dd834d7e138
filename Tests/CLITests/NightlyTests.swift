// The nightly job through the real binary: --out DIR/ with a manifest, identical re-runs, partitions that
// add up to the whole run, budget, exclusions, contact cooldown, and the playbook command.
import Foundation
import Testing
import TestSupport

@Suite("Nightly scoring job")
struct NightlyTests {
    static let asOf = "2026-04-20"

    /// A gbdt model on the shared small log (gbdt: reasons are exact TreeSHAP).
    static func prepare(_ scratch: Scratch) throws -> (String, String) { try PipelineTests.prepare(scratch, model: "gbdt") }

    static func score(_ events: String, _ model: String, _ extra: [String]) throws -> ProcessOutput {
        try Tenure.run(["score", "--model", model, "--events", events, "--as-of", asOf] + extra)
    }

    static func csvRows(_ data: Data?) -> [[String]] {
        let text = String(decoding: data ?? Data(), as: UTF8.self)
        return text.split(separator: "\n").dropFirst().map { CSV.fields($0) }
    }

    static func json(_ data: Data?) throws -> [String: Any] {
        let bytes = try #require(data)
        return try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    }

    static func sha256(_ path: String) throws -> String {
        let r = Process()
        r.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        r.arguments = [path]
        let pipe = Pipe()
        r.standardOutput = pipe
        try r.run()
        r.waitUntilExit()
        return String(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
    }

    @Test("--out DIR/ writes the list and a manifest; a re-run writes the same bytes (timings aside)")
    func directoryRun() throws {
        let scratch = try Scratch()
        let (events, model) = try Self.prepare(scratch)
        let first = try Self.score(events, model, ["--out", scratch.path("run") + "/"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(Set(scratch.listing).isSuperset(of: ["run"]))
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.path("run")).sorted()
        #expect(files == ["manifest.json", "scores.csv"])
        let manifest = try Self.json(scratch.bytes("run/manifest.json"))
        let modelInfo = try #require(manifest["model"] as? [String: Any])
        let modelFile = try #require(modelInfo["file"] as? [String: Any])
        #expect(modelFile["sha256"] as? String == (try Self.sha256(model)))
        #expect(modelInfo["format_version"] as? Int == 1)
        let inputs = try #require(manifest["inputs"] as? [[String: Any]])
        #expect(inputs.first?["sha256"] as? String == (try Self.sha256(events)))
        #expect(inputs.first?["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: events)[.size] as? Int))
        let outputs = try #require(manifest["outputs"] as? [[String: Any]])
        #expect(outputs.first?["sha256"] as? String == (try Self.sha256(scratch.path("run/scores.csv"))))
        let users = try #require(manifest["users"] as? [String: Int])
        let rows = Self.csvRows(scratch.bytes("run/scores.csv"))
        #expect(users["written"] == rows.count && users["scored"] == rows.count)
        let counts = try #require(manifest["counts"] as? [String: [String: Int]])
        for (column, key) in [(4, "tier"), (8, "segment"), (9, "action")] {
            var expected: [String: Int] = [:]
            for r in rows { expected[r[column], default: 0] += 1 }
            #expect(counts[key] == expected, "\(key) counts")
        }
        let drift = try #require(manifest["drift"] as? [String: Any])
        #expect((drift["psi"] as? [String: Double])?.isEmpty == false)
        #expect(manifest["timings_seconds"] is [String: Double])

        let again = try Self.score(events, model, ["--out", scratch.path("run")])   // existing directory, no slash
        #expect(again.status == 0)
        #expect(scratch.bytes("run/scores.csv") == FileManager.default.contents(atPath: scratch.path("run/scores.csv")))
        var m1 = manifest, m2 = try Self.json(scratch.bytes("run/manifest.json"))
        m1["timings_seconds"] = nil; m2["timings_seconds"] = nil
        #expect(NSDictionary(dictionary: m1).isEqual(to: m2), "manifests differ beyond timings")
    }

    /// The whole run's rows and the union of the rows of its `parts` partitions (headers checked, then dropped).
    static func wholeAndPartitions(_ scratch: Scratch, parts: Int, _ extra: [String]) throws -> (header: Substring, whole: [Substring], union: [Substring]) {
        let (events, model) = try prepare(scratch)
        let whole = try score(events, model, ["--out", scratch.path("all.csv"), "--reasons-for-all"] + extra)
        #expect(whole.status == 0, "\(whole.stderr)")
        let all = String(decoding: scratch.bytes("all.csv") ?? Data(), as: UTF8.self).split(separator: "\n")
        var union: [Substring] = []
        for i in 0..<parts {
            let r = try score(events, model, ["--out", scratch.path("p\(i).csv"), "--partition", "\(i)/\(parts)", "--reasons-for-all"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let lines = String(decoding: scratch.bytes("p\(i).csv") ?? Data(), as: UTF8.self).split(separator: "\n")
            #expect(lines.first == all.first)
            #expect(lines.count > 1, "partition \(i) is empty")
            union += lines.dropFirst()
        }
        #expect(Set(union).count == union.count, "a user is in two partitions")
        return (all.first ?? "", Array(all.dropFirst()), union)
    }

    @Test("the partitions of a run are disjoint and together are the run, up to the high-value cut each draws")
    func partitionsAddUp() throws {
        let scratch = try Scratch()
        let (header, all, union) = try Self.wholeAndPartitions(scratch, parts: 3, [])
        // A partition's job reads only its users, so its high-value cut comes from them (README: "Bigger than one
        // machine"): segment and action, which follow the cut, may differ for users near it; the rest may not.
        let columns = CSV.fields(header)
        let cutDependent = Set(["segment", "action"].compactMap { columns.firstIndex(of: $0) })
        func withoutCut(_ rows: [Substring]) -> [[String]] {
            rows.map { CSV.fields($0).enumerated().map { cutDependent.contains($0.offset) ? "" : $0.element } }
                .sorted { $0.lexicographicallyPrecedes($1) }
        }
        #expect(cutDependent.count == 2)
        #expect(withoutCut(union) == withoutCut(all))
        let (events, model) = try Self.prepare(scratch)
        let bad = try Self.score(events, model, ["--out", scratch.path("x.csv"), "--partition", "3/3"])
        #expect(bad.status == 64 && !scratch.exists("x.csv"))
    }

    @Test("with the high-value cut fixed in the playbook, the partitions together are the run, row for row")
    func partitionsAddUpWithFixedCut() throws {
        let scratch = try Scratch()
        let printed = try Tenure.run(["playbook", "--print-default"])
        #expect(printed.status == 0)
        var playbook = try Self.json(Data(printed.stdout.utf8))
        var segments = try #require(playbook["segments"] as? [String: Any])
        // Top share 1 puts the cut at the lowest value; the minimum then sets it (README's recipe).
        segments["highValueTopShare"] = 1.0
        segments["highValueMinimum"] = 150.0
        playbook["segments"] = segments
        try JSONSerialization.data(withJSONObject: playbook).write(to: URL(fileURLWithPath: scratch.path("playbook.json")))
        let (_, all, union) = try Self.wholeAndPartitions(scratch, parts: 3, ["--playbook", scratch.path("playbook.json")])
        #expect(union.sorted() == all.sorted())
        #expect(all.contains { $0.contains("high_value") } && all.contains { !$0.contains("high_value") },
                "the fixed cut should split the users, or the test proves nothing")
    }

    @Test("ranking by expected loss, a budget, fake-active exclusion and contact cooldown")
    func targeting() throws {
        let scratch = try Scratch()
        let (events, model) = try Self.prepare(scratch)
        _ = try Self.score(events, model, ["--out", scratch.path("all.csv")])
        let all = Self.csvRows(scratch.bytes("all.csv"))
        let losses = all.compactMap { Double($0[6]) }
        #expect(losses.count == all.count && zip(losses, losses.dropFirst()).allSatisfy { $0 >= $1 }, "not ranked by expected loss")
        for r in all { #expect(abs((Double(r[1]) ?? -1) * (Double(r[5]) ?? -1) - (Double(r[6]) ?? 1)) < 0.006) }

        // Budget 10 with the default costs (coupon 1, agent 5, survey 1): no 'none', costs within budget.
        _ = try Self.score(events, model, ["--out", scratch.path("budget.csv"), "--budget", "10"])
        let budget = Self.csvRows(scratch.bytes("budget.csv"))
        let cost = ["in_app_prompt_coupon": 1.0, "personal_content_agent": 5, "lapsed_survey": 1]
        #expect(!budget.isEmpty)
        #expect(budget.allSatisfy { cost[$0[9]] != nil })
        #expect(budget.reduce(0) { $0 + (cost[$1[9]] ?? 0) } <= 10)
        let contactable = all.filter { cost[$0[9]] != nil }.map { $0[0] }
        #expect(budget.map { $0[0] } == Array(contactable.prefix(budget.count)) || budget.count < contactable.count)

        let fakes = all.filter { $0[8] == "suspected_fake_active" }.count
        let excluded = try Self.score(events, model, ["--out", scratch.path("nofake") + "/", "--exclude-fake"])
        #expect(excluded.status == 0)
        let kept = Self.csvRows(scratch.bytes("nofake/scores.csv"))
        #expect(kept.count == all.count - fakes && !kept.contains { $0[8] == "suspected_fake_active" })
        let users = try #require(try Self.json(scratch.bytes("nofake/manifest.json"))["users"] as? [String: Int])
        #expect(users["excluded_fake"] == fakes)

        // Contacted two days before the as-of: left out with a 7-day cooldown, back with a 1-day one.
        let who = all.prefix(3).map { $0[0] }
        let contacts = try scratch.write("contacts.csv", "user_id,contacted_at,channel\n" + who.map { "\($0),2026-04-18,email\n" }.joined())
        _ = try Self.score(events, model, ["--out", scratch.path("cool.csv"), "--contacted", contacts])
        #expect(Self.csvRows(scratch.bytes("cool.csv")).map { $0[0] } == all.dropFirst(3).map { $0[0] })
        _ = try Self.score(events, model, ["--out", scratch.path("short.csv"), "--contacted", contacts, "--cooldown", "1d"])
        #expect(Self.csvRows(scratch.bytes("short.csv")).count == all.count)

        let broken = try scratch.write("broken.csv", "user_id,contacted_at\nu1,2026-04-18\nu2,yesterday-ish\n")
        let r = try Self.score(events, model, ["--out", scratch.path("never.csv"), "--contacted", broken])
        #expect(r.status == 2)
        #expect(r.stderr.contains("broken.csv:3:"), "\(r.stderr)")
        #expect(!scratch.exists("never.csv"))
    }

    @Test("the default playbook prints, checks, and drives the actions; a bad one is refused")
    func playbook() throws {
        let scratch = try Scratch()
        let printed = try Tenure.run(["playbook", "--print-default"])
        #expect(printed.status == 0)
        let file = try scratch.write("playbook.json", printed.stdout)
        let check = try Tenure.run(["playbook", "--check", file])
        #expect(check.status == 0 && check.stdout.contains("lapsed_survey"))

        let (events, model) = try Self.prepare(scratch)
        // Everyone medium or high gets the survey; the list's actions follow.
        let custom = try scratch.write("survey.json", #"{"rules": [{"when": {"tiers": ["medium", "high"]}, "action": "lapsed_survey"}]}"#)
        _ = try Self.score(events, model, ["--out", scratch.path("s.csv"), "--playbook", custom])
        for r in Self.csvRows(scratch.bytes("s.csv")) { #expect(r[9] == (r[4] == "low" ? "none" : "lapsed_survey")) }

        let bad = try scratch.write("bad.json", #"{"rules": [{"when": {}, "action": "send_flowers"}]}"#)
        let refused = try Self.score(events, model, ["--out", scratch.path("b.csv"), "--playbook", bad])
        #expect(refused.status == 2 && refused.stderr.contains("send_flowers"))
        #expect(!scratch.exists("b.csv"))
    }
}

/// RFC 4180 fields of one line (the lists quote reason texts).
enum CSV {
    /// A whole CSV file: its header and each row by column name.
    static func table(_ data: Data?) -> (header: [String], rows: [[String: String]]) {
        let lines = String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n")
        guard let first = lines.first else { return ([], []) }
        let header = fields(first)
        return (header, lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, fields($0))) })
    }

    static func fields(_ line: Substring) -> [String] {
        let c = Array(line)
        var out: [String] = [], field = "", quoted = false, i = 0
        while i < c.count {
            if quoted {
                if c[i] == "\"" {
                    if i + 1 < c.count && c[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(c[i]) }
            } else if c[i] == "\"" {
                quoted = true
            } else if c[i] == "," {
                out.append(field); field = ""
            } else {
                field.append(c[i])
            }
            i += 1
        }
        out.append(field)
        return out
    }
}
