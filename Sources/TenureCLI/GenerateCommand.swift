// `tenure generate`: a synthetic event log with planted churn and activation signals (demo and test data).
import EventLog
import Foundation
import Synthetic
import TenureCore

enum GenerateCommand {
    static let command = Command(
        name: "generate", summary: "Write a synthetic event log (CSV) with a planted, learnable churn and activation signal.",
        usage: "--users N --days D --seed S [--shape social|ecommerce] --out FILE [--users-out FILE] [--campaigns N --contacts-out FILE [--control-share S] [--campaign-reach R]]",
        options: [
            Option("users", "N", default: "2000", "users to simulate"),
            Option("days", "D", default: "180", "days of activity"),
            Option("seed", "S", default: "1", "random seed: the same seed gives the same bytes"),
            Option("start", "DATE", default: "2026-01-01", "first day of the log (UTC)"),
            Option("shape", "SHAPE", default: LogShape.social.rawValue,
                   LogShape.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")),
            Option("out", "FILE", "output CSV (written whole or not at all)"),
            Option("users-out", "FILE", "per-user attributes CSV (user_id,\(SyntheticLog.userColumns.joined(separator: ","))) of a shape that has them"),
            Option("campaigns", "N", default: "0", "randomized recall campaigns spaced evenly through the log (social shape); a contact changes what treated users do by their hidden uplift type"),
            Option("contacts-out", "FILE", "the campaigns' contacts, both arms (\(SyntheticContact.header)), as tenure measure and train --task uplift read them"),
            Option("control-share", "S", default: "\(CampaignPlan.defaultControlShare)", "share of each campaign's users held out as control (0 < S < 1)"),
            Option("campaign-reach", "R", default: "\(CampaignPlan.defaultReach)", "share of the eligible users (recently active, idle since yesterday) a campaign targets (0 < R ≤ 1)"),
        ],
        run: run)

    static func run(_ a: Arguments) throws {
        let out = try a.required("out")
        try a.checkOutputs(["out", "users-out", "contacts-out"], inputs: [])
        let shapeName = a.stringOrDefault("shape") ?? ""
        guard let shape = LogShape(rawValue: shapeName) else {
            throw UsageError("--shape takes \(LogShape.allCases.map(\.rawValue).joined(separator: " or ")), not '\(shapeName)'")
        }
        let usersOut = a.string("users-out")
        if usersOut != nil && !shape.hasUserAttributes { throw UsageError("--users-out: the \(shape.rawValue) shape has no per-user attributes (try --shape ecommerce)") }
        guard let startMillis = parseTimestamp(a.stringOrDefault("start") ?? "") else { throw UsageError("--start takes a date") }
        guard let seed = UInt64(a.stringOrDefault("seed") ?? "") else { throw UsageError("--seed takes a whole number ≥ 0") }
        var config = SyntheticLogConfig(users: try a.int("users", orDefault: true) ?? 0, days: try a.int("days", orDefault: true) ?? 0, seed: seed,
                                        start: startMillis / 1000, shape: shape)
        config.campaigns = try campaignPlan(a)
        do { try config.validate() } catch { throw UsageError("\(error)") }
        let contactsOut = a.string("contacts-out")
        let summary = try SyntheticLog.write(config: config, to: out, usersTo: usersOut, contactsTo: contactsOut)
        Console.note("\(out): \(summary.events) events, \(summary.users) users (\(summary.signups) sign-ups, \(summary.duplicates) duplicate rows, \(summary.singleEventUsers) single-event users)")
        if let usersOut { Console.note("\(usersOut): \(config.users) users × \(SyntheticLog.userColumns.joined(separator: ", "))") }
        if let contactsOut {
            Console.note("\(contactsOut): \(summary.campaigns.reduce(0) { $0 + $1.treatment + $1.control }) contacts in \(summary.campaigns.count) randomized campaign(s), action \(config.campaigns.action)")
            for c in summary.campaigns {
                let types = UpliftType.allCases.map { "\(c.types[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                Console.note("  \(c.name) on \(formatTimestamp(c.contactedAt * 1000, dateOnly: true)): \(c.treatment) treatment, \(c.control) control (hidden types: \(types))")
            }
        }
    }

    /// `--campaigns` and its knobs; the knobs and the contacts file mean nothing without campaigns.
    private static func campaignPlan(_ a: Arguments) throws -> CampaignPlan {
        let count = try a.int("campaigns", orDefault: true) ?? 0
        let knobs = ["contacts-out", "control-share", "campaign-reach"].filter { a.string($0) != nil }
        guard count > 0 else {
            if let k = knobs.first { throw UsageError("\(a.spelling(k)) needs --campaigns N (N ≥ 1)") }
            return .none
        }
        guard a.string("contacts-out") != nil else { throw UsageError("--campaigns needs --contacts-out FILE: the contacts are the campaigns' only record") }
        var plan = CampaignPlan(count: count)
        if let s = try a.double("control-share") { plan.controlShare = s }
        if let r = try a.double("campaign-reach") { plan.reach = r }
        return plan
    }
}
