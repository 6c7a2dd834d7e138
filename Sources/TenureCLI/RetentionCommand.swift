// `tenure retention`: the signup-cohort table of day-1, 7 and 30 retention, flagging cohorts under the alarm line.
import EventLog
import Foundation
import Retention
import Targeting
import TenureCore

enum RetentionCommand {
    static let command = Command(
        name: "retention", summary: "Signup-cohort retention (day 1, 7, 30) with cohorts under the alarm line flagged.",
        usage: "--events FILE [--cohort day|week] [--alarm-day1 0.18] [--output-format table|csv|json]",
        options: EventOptions.reading + [
            Option("cohort", "PERIOD", default: "day", "day or week (ISO week, Monday 00:00 UTC) of a user's signup"),
            Option("signup-event", "LIST", "signup = the first of these events, users without one left out (default: the first event of any kind)"),
            Option("playbook", "FILE", "take the alarm lines from this playbook's `alarms` (the --alarm-dayN flags still win)"),
            Option("alarm-day1", "SHARE", default: "\(RetentionAlarms.default.day1 ?? 0)", "flag cohorts whose day-1 retention is under this share (domain.md: 18%)"),
            Option("alarm-day7", "SHARE", "flag cohorts whose day-7 retention is under this share (none by default)"),
            Option("alarm-day30", "SHARE", "flag cohorts whose day-30 retention is under this share (none by default)"),
            Option("output-format", "FMT", default: "table", "table, csv or json"),
            Option("out", "FILE", default: "-", "where to write the table (written whole or not at all); - for stdout"),
        ],
        run: run)

    static func run(_ a: Arguments) throws {
        try a.checkOutputs(["out"], inputs: ["events", "playbook"])
        let options = try retentionOptions(a)
        let format = try outputFormat(a)
        let (store, _) = try EventOptions.readStore(a)
        let table = try CohortRetention.compute(store, options: options)
        let out = try AtomicOutput(path: a.stringOrDefault("out") ?? "-")
        out.write(try format.render(table) + "\n")
        try out.commit()
        Console.note(RetentionFormat.summary(table))
        for w in RetentionFormat.alarmWarnings(table) { Console.note(w) }
    }

    /// Retention options from --cohort, --signup-event and the --alarm-dayN lines.
    static func retentionOptions(_ a: Arguments) throws -> RetentionOptions {
        let cohort = a.stringOrDefault("cohort") ?? ""
        guard let period = CohortPeriod(rawValue: cohort) else {
            throw UsageError("\(a.spelling("cohort")) takes day or week, not '\(cohort)'")
        }
        // A playbook's lines replace the defaults; a flag given on the command line replaces either.
        let playbook = try a.string("playbook").map { try Playbook.load(path: $0).alarms.byDay }
        var lines: [Int: Double] = playbook ?? [:]
        for day in [1, 7, 30] {
            guard let line = try a.double("alarm-day\(day)", orDefault: playbook == nil) else { continue }
            guard line >= 0 && line <= 1 else { throw UsageError("--alarm-day\(day) takes a share in [0, 1] (0.18 = 18%), not \(line)") }
            lines[day] = line
        }
        return RetentionOptions(period: period, days: [1, 7, 30], alarmLines: lines, signupEvents: a.list("signup-event") ?? [])
    }

    static func outputFormat(_ a: Arguments) throws -> RetentionFormat {
        guard let f = RetentionFormat(rawValue: a.stringOrDefault("output-format") ?? "") else {
            throw UsageError("--output-format takes table, csv or json")
        }
        return f
    }

}
