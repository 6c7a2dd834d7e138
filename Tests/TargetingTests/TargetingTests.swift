// The targeting rules on hand-made inputs: the partition hash, reasons in words, the default playbook's
// steps, segment precedence, per-user facts from a store, contact files, and reference percentiles / PSI.
import Evaluation
import EventLog
import Foundation
import Testing
@testable import Targeting

@Suite("Partitions")
struct PartitionTests {
    @Test("FNV-1a-64 matches the published vectors, and i/n is parsed and checked")
    func hash() throws {
        #expect(Partition.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(Partition.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(Partition.hash("foobar") == 0x85944171f73967e8)
        let p = try Partition("1/4")
        #expect(p.index == 1 && p.count == 4)
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/4/2"] { #expect(throws: TargetingError.self) { try Partition(bad) } }
    }

    @Test("every id lands in exactly one partition")
    func disjoint() throws {
        let parts = try (0..<5).map { try Partition(index: $0, count: 5) }
        for k in 0..<2000 {
            #expect(parts.filter { $0.contains(userID: "user-\(k)") }.count == 1)
        }
    }
}

@Suite("Reasons in words")
struct ReasonTextTests {
    static let row: [String: Double] = ["active_days_7d": 0, "active_days_30d": 20, "active_days_90d": 45, "events_90d": 90,
                                        "gap_mean_days": 0.1]
    static func phrase(_ f: String, _ v: Double) -> String { ReasonText.phrase(feature: f, value: v) { row[$0] } }

    @Test("windowed counts say the user's usual rate, from the longest window")
    func windowed() {
        #expect(Self.phrase("active_days_7d", 0) == "active days in the last 7 days: 0, usually 3.5")
        #expect(Self.phrase("events_1d", 0) == "events in the last day: 0, usually 1")
        #expect(Self.phrase("count_purchase_30d", 2) == "purchase events in the last 30 days: 2")
        #expect(Self.phrase("value_purchase_30d", 12.5) == "purchase value in the last 30 days: 12.50")
    }

    @Test("recency uses whole days and the rhythm of active days; missing values read as never")
    func recency() {
        #expect(Self.phrase("recency_days", 9.8) == "days since last activity: 9, usually active every 2 days")
        #expect(Self.phrase("recency_purchase_days", .nan) == "no purchase yet")
        #expect(Self.phrase("trend_7d", 0.25) == "activity in the last 7 days vs the 7 before: 0.3×")
        #expect(Self.phrase("genuine_activity", 0).hasPrefix("no genuine activity"))
        #expect(Self.phrase("weekday_concentration", 0.5) == "share of events on the busiest weekday: 50%")
        #expect(Self.phrase("custom_score", 3) == "custom_score: 3")
    }
}

@Suite("Playbook")
struct PlaybookTests {
    static let p = Playbook.default

    @Test("the default sequence: day 1 coupon, day 3 content and agent, day 7 survey; low risk and bonus hunters get none")
    func defaultSteps() {
        func step(_ days: Int, _ tier: String = "high", _ segment: Segment = .fading) -> String {
            Self.p.action(daysInactive: days, tier: tier, segment: segment, value: 10, score: 80)
        }
        #expect(step(0) == "none")
        #expect(step(1) == "in_app_prompt_coupon" && step(2) == "in_app_prompt_coupon")
        #expect(step(3) == "personal_content_agent" && step(6) == "personal_content_agent")
        #expect(step(7) == "lapsed_survey" && step(30) == "lapsed_survey")
        #expect(step(5, "low") == "none")
        #expect(step(5, "high", .suspectedFakeActive) == "none")
    }

    @Test("a file with only rules keeps the default value and segments; bad files are refused naming the problem")
    func decoding() throws {
        let partial = try JSONDecoder().decode(Playbook.self, from: Data(#"{"rules": [{"when": {"minValue": 100}, "action": "lapsed_survey"}]}"#.utf8))
        #expect(partial.value == .default && partial.segments == .default && partial.rules.count == 1)
        #expect(partial.action(daysInactive: 0, tier: "low", segment: .steady, value: 150, score: 1) == "lapsed_survey")
        #expect(partial.action(daysInactive: 0, tier: "low", segment: .steady, value: 50, score: 1) == "none")
        for (json, words) in [(#"{"rules": [{"when": {}, "action": "call"}]}"#, "call"),
                              (#"{"rules": [{"when": {"segments": ["vip"]}, "action": "none"}]}"#, "vip"),
                              (#"{"rules": [{"when": {"tiers": ["urgent"]}, "action": "none"}]}"#, "urgent"),
                              (#"{"version": 9}"#, "newer"),
                              (#"{"actions": [{"id": "x", "description": "", "cost": 1}]}"#, "none")] {
            #expect { try JSONDecoder().decode(Playbook.self, from: Data(json.utf8)) } throws: { "\($0)".contains(words) }
        }
    }

    @Test("segments: bonus hunters first, then silent high-value, new users at risk, high value, fading, steady")
    func segments() {
        let r = SegmentRules.default
        #expect(Segment.of(genuine: false, activeLastWeek: true, highValue: true, falling: true, tenureDays: 5, tier: "high", rules: r) == .suspectedFakeActive)
        #expect(Segment.of(genuine: false, activeLastWeek: false, highValue: true, falling: true, tenureDays: 50, tier: "high", rules: r) == .silentHighValue)
        #expect(Segment.of(genuine: true, activeLastWeek: true, highValue: false, falling: true, tenureDays: 5, tier: "medium", rules: r) == .newUserAtRisk)
        #expect(Segment.of(genuine: true, activeLastWeek: true, highValue: false, falling: true, tenureDays: 5, tier: "low", rules: r) == .fading)
        #expect(Segment.of(genuine: nil, activeLastWeek: true, highValue: true, falling: false, tenureDays: 50, tier: "low", rules: r) == .highValue)
        #expect(Segment.of(genuine: true, activeLastWeek: true, highValue: false, falling: false, tenureDays: 50, tier: "high", rules: r) == .steady)
    }

    @Test("the high-value cut is the top share's smallest value, never under the minimum")
    func highValueCut() {
        let r = SegmentRules.default   // top 20 %, minimum 0.01
        #expect(RecallList.highValueThreshold((1...10).map(Double.init), rules: r) == 9)
        #expect(RecallList.highValueThreshold([0, 0, 0, 0, 0], rules: r) == 0.01)
        #expect(RecallList.highValueThreshold([], rules: r) == .infinity)
    }
}

@Suite("Per-user facts and contacts")
struct ActivityTests {
    static let day: Int64 = 86_400_000
    static let asOf: Int64 = 100 * day

    /// One user: events 40, 20, 10, 5 and 2 days before the as-of (the 5-day one a purchase of 30), and one
    /// event after the as-of that must change nothing.
    static func store() -> EventStore {
        let times = [60, 80, 90, 95, 98, 101].map { Int64($0) * day + 3_600_000 }
        return EventStore(userIDs: ["u"], eventNames: ["visit", "purchase"], users: [Int32](repeating: 0, count: times.count),
                          times: times, events: [0, 0, 0, 1, 0, 1], values: [.nan, 5, .nan, 30, .nan, 999])
    }

    @Test("days inactive, tenure, value window, this week's and the usual active days")
    func facts() throws {
        let all = try #require(UserActivity.of(user: 0, store: Self.store(), asOf: Self.asOf, valueWindowDays: 90, valueEvents: nil))
        #expect(all.daysInactive == 1 && all.tenureDays == 39)
        #expect(all.value == 35)
        #expect(all.activeDaysLast7 == 2)                  // days 95 and 98
        #expect(all.usualWeeklyActiveDays == 2.0 * 7 / 28)  // days 80 and 90 in the 28 days before
        #expect(!all.isFalling(ratio: 0.5))
        let purchases = try #require(UserActivity.of(user: 0, store: Self.store(), asOf: Self.asOf, valueWindowDays: 7, valueEvents: [1]))
        #expect(purchases.value == 30)
        #expect(UserActivity.of(user: 0, store: Self.store(), asOf: 50 * Self.day, valueWindowDays: 90, valueEvents: nil) == nil)
    }

    @Test("contact files: the latest contact counts, the cooldown is inclusive, bad rows name their line")
    func contacts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("contacts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("c.csv").path
        try Data("channel,user_id,contacted_at\nemail,\"a,1\",1970-04-01\nsms,a2,1970-03-20\nsms,a2,1970-04-05\n".utf8).write(to: URL(fileURLWithPath: good))
        let c = try ContactHistory(path: good)
        #expect(c.rows == 3)
        let asOf = Self.asOf   // 1970-04-11
        #expect(c.inCooldown("a,1", asOf: asOf, cooldownMillis: 10 * Self.day))
        #expect(!c.inCooldown("a,1", asOf: asOf, cooldownMillis: 9 * Self.day))
        #expect(c.inCooldown("a2", asOf: asOf, cooldownMillis: 7 * Self.day))
        #expect(!c.inCooldown("nobody", asOf: asOf, cooldownMillis: 100 * Self.day))
        for (text, line) in [("user_id,contacted_at\nx,2026-01-01\ny\n", 3), ("user_id,contacted_at\nx,soon\n", 2),
                             ("user,when\n", 1), ("user_id,contacted_at\n,2026-01-01\n", 2)] {
            let p = dir.appendingPathComponent("bad.csv").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: p))
            #expect { try ContactHistory(path: p) } throws: { "\($0)".hasPrefix("\(p):\(line):") }
        }
    }

    @Test("contact files with CRLF line ends and a byte order mark read as the plain file; another separator is named")
    func contactsCRLFAndBOM() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("contacts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = "user_id,contacted_at\nu1,2026-04-01\nu2,2026-04-02T10:00:00Z\n"
        let windows = "\u{FEFF}" + plain.replacingOccurrences(of: "\n", with: "\r\n")
        var read: [[String: Int64]] = []
        for (name, text) in [("plain.csv", plain), ("windows.csv", windows)] {
            let p = dir.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: p))
            read.append(try ContactHistory(path: p).lastContact)
        }
        #expect(read[0].count == 2 && read[0] == read[1])
        let semicolons = dir.appendingPathComponent("semi.csv").path
        try Data("user_id;contacted_at\r\nu1;2026-04-01\r\n".utf8).write(to: URL(fileURLWithPath: semicolons))
        #expect { try ContactHistory(path: semicolons) } throws: { "\($0)".contains("seems separated by ';'") }
    }
}

@Suite("Reference distribution")
struct ReferenceTests {
    @Test("percentiles place a score against the training scores; feature PSI equals PopulationStability's")
    func reference() throws {
        let x = (0..<1000).map { Double($0 % 100) }
        let p = (0..<1000).map { Double($0) / 1000 }
        let ref = ReferenceDistribution(names: ["f"], x: x, rows: 1000, probabilities: p)
        #expect(ref.percentile(of: 1.0) == 100)
        #expect(ref.percentile(of: -1) == 0)
        #expect(abs(ref.percentile(of: 0.5) - 50) <= 0.2)
        let shifted = x.map { $0 + 30 }
        let expected = try PopulationStability.psi(expected: x, actual: shifted)
        #expect(abs(try ref.features[0].psi(actual: shifted) - expected) < 1e-12)
        #expect(try ref.features[0].psi(actual: x) == 0)
        #expect(abs(ref.features[0].shares.reduce(0, +) - 1) < 1e-12)
    }
}
