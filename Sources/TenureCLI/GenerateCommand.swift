// `tenure generate`: a synthetic event log with planted churn and activation signals (demo and test data).
import EventLog
import Foundation
import Synthetic
import TenureCore

enum GenerateCommand {
    static let command = Command(
        name: "generate", summary: "Write a synthetic event log (CSV) with a planted, learnable churn and activation signal.",
        usage: "--users N --days D --seed S [--shape social|ecommerce] --out FILE [--users-out FILE]",
        options: [
            Option("users", "N", default: "2000", "users to simulate"),
            Option("days", "D", default: "180", "days of activity"),
            Option("seed", "S", default: "1", "random seed: the same seed gives the same bytes"),
            Option("start", "DATE", default: "2026-01-01", "first day of the log (UTC)"),
            Option("shape", "SHAPE", default: LogShape.social.rawValue,
                   LogShape.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")),
            Option("out", "FILE", "output CSV (written whole or not at all)"),
            Option("users-out", "FILE", "per-user attributes CSV (user_id,\(SyntheticLog.userColumns.joined(separator: ","))) of a shape that has them"),
        ],
        run: run)

    static func run(_ a: Arguments) throws {
        let out = try a.required("out")
        try a.checkOutputs(["out", "users-out"], inputs: [])
        let shapeName = a.stringOrDefault("shape") ?? ""
        guard let shape = LogShape(rawValue: shapeName) else {
            throw UsageError("--shape takes \(LogShape.allCases.map(\.rawValue).joined(separator: " or ")), not '\(shapeName)'")
        }
        let usersOut = a.string("users-out")
        if usersOut != nil && !shape.hasUserAttributes { throw UsageError("--users-out: the \(shape.rawValue) shape has no per-user attributes (try --shape ecommerce)") }
        guard let startMillis = parseTimestamp(a.stringOrDefault("start") ?? "") else { throw UsageError("--start takes a date") }
        guard let seed = UInt64(a.stringOrDefault("seed") ?? "") else { throw UsageError("--seed takes a whole number ≥ 0") }
        let config = SyntheticLogConfig(users: try a.int("users", orDefault: true) ?? 0, days: try a.int("days", orDefault: true) ?? 0, seed: seed,
                                        start: startMillis / 1000, shape: shape)
        do { try config.validate() } catch { throw UsageError("\(error)") }
        let summary = try SyntheticLog.write(config: config, to: out, usersTo: usersOut)
        Console.note("\(out): \(summary.events) events, \(summary.users) users (\(summary.signups) sign-ups, \(summary.duplicates) duplicate rows, \(summary.singleEventUsers) single-event users)")
        if let usersOut { Console.note("\(usersOut): \(config.users) users × \(SyntheticLog.userColumns.joined(separator: ", "))") }
    }
}
