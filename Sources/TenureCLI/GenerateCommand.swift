// `tenure generate`: a synthetic event log with planted churn and activation signals (demo and test data).
import EventLog
import Foundation
import Synthetic
import TenureCore

enum GenerateCommand {
    static let command = Command(
        name: "generate", summary: "Write a synthetic event log (CSV) with a planted, learnable churn and activation signal.",
        usage: "--users N --days D --seed S --out FILE",
        options: [
            Option("users", "N", default: "2000", "users to simulate"),
            Option("days", "D", default: "180", "days of activity"),
            Option("seed", "S", default: "1", "random seed: the same seed gives the same bytes"),
            Option("start", "DATE", default: "2026-01-01", "first day of the log (UTC)"),
            Option("out", "FILE", "output CSV (written whole or not at all)"),
        ],
        run: run)

    static func run(_ a: Arguments) throws {
        let out = try a.required("out")
        try a.checkOutputs(["out"], inputs: [])
        guard let startMillis = parseTimestamp(a.stringOrDefault("start") ?? "") else { throw UsageError("--start takes a date") }
        guard let seed = UInt64(a.stringOrDefault("seed") ?? "") else { throw UsageError("--seed takes a whole number ≥ 0") }
        let config = SyntheticLogConfig(users: try a.int("users", orDefault: true) ?? 0, days: try a.int("days", orDefault: true) ?? 0, seed: seed,
                                        start: startMillis / 1000)
        do { try config.validate() } catch { throw UsageError("\(error)") }
        let summary = try SyntheticLog.write(config: config, to: out)
        Console.note("\(out): \(summary.events) events, \(summary.users) users (\(summary.signups) sign-ups, \(summary.duplicates) duplicate rows, \(summary.singleEventUsers) single-event users)")
    }
}
