// The retention table as text a person reads, CSV for spreadsheets and JSON for programs.
import EventLog
import Foundation

public enum RetentionFormat: String, Sendable, CaseIterable {
    case table, csv, json

    /// Renders the whole table. Not-yet-observable cells read `n/a` (table), empty (CSV) or null (JSON).
    public func render(_ t: RetentionTable) throws -> String {
        switch self {
        case .table: return RetentionFormat.text(t)
        case .csv: return RetentionFormat.csv(t)
        case .json:
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .prettyPrinted]
            return String(decoding: try e.encode(t), as: UTF8.self)
        }
    }

    static func percent(_ r: Double) -> String { String(format: "%.1f%%", 100 * r) }

    static func text(_ t: RetentionTable) -> String {
        let days = t.options.days
        var header = ["cohort".padding(toLength: 12, withPad: " ", startingAt: 0), "users".leftPadded(7)]
        header += days.map { "day \($0)".leftPadded(16) }
        header.append("  flag")
        var lines = [header.joined(separator: " ")]
        for c in t.cohorts {
            var row = [c.label.padding(toLength: 12, withPad: " ", startingAt: 0), String(c.size).leftPadded(7)]
            row += c.cells.map { cell in
                guard let r = cell.rate else { return "n/a".leftPadded(16) }
                return "\(percent(r)) (\(cell.retained))\(cell.underAlarm ? "!" : " ")".leftPadded(16)
            }
            var flags: [String] = []
            if c.flagged { flags.append("ALARM") }
            if c.startsWithLog { flags.append("begins with the log") }
            row.append("  " + flags.joined(separator: ", "))
            lines.append(row.joined(separator: " ").trimmingTrailingSpaces())
        }
        return lines.joined(separator: "\n")
    }

    static func csv(_ t: RetentionTable) -> String {
        var header = ["cohort", "users"]
        for d in t.options.days { header += ["day\(d)_retained", "day\(d)_rate", "day\(d)_under_alarm"] }
        header += ["flagged", "starts_with_log"]
        var lines = [header.joined(separator: ",")]
        for c in t.cohorts {
            var row = [c.label, String(c.size)]
            for cell in c.cells {
                row += cell.rate.map { [String(cell.retained), String(format: "%.6f", $0), String(cell.underAlarm)] } ?? ["", "", ""]
            }
            row += [String(c.flagged), String(c.startsWithLog)]
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    /// One line for stderr: cohorts, how many are flagged and against which lines.
    public static func summary(_ t: RetentionTable) -> String {
        let lines = t.options.alarmLines.sorted { $0.key < $1.key }.map { "day \($0.key) under \(percent($0.value))" }
        let flagged = t.flaggedCohorts
        var text = "\(t.cohorts.count) \(t.options.period.rawValue) cohort(s), \(flagged.count) flagged under the alarm line"
        text += lines.isEmpty ? " (no alarm line set)" : " (\(lines.joined(separator: ", ")))"
        if !flagged.isEmpty { text += ": " + flagged.prefix(10).map(\.label).joined(separator: ", ") + (flagged.count > 10 ? ", ..." : "") }
        text += "; \(describeDataEnd(t.dataEnd)): later days are not yet observable"
        if t.usersWithoutSignup > 0 { text += "; \(t.usersWithoutSignup) user(s) without a signup event left out" }
        if t.cohorts.first?.startsWithLog == true {
            text += "; the first cohort begins with the log and also holds users active before it"
        }
        return text
    }
}

extension RetentionFormat {
    /// Per alarm line that flags more than half of the cohorts observable on its day: a warning that the line
    /// may not fit this app, with the cohorts' own median as the hint (`tenure profile` proposes it too).
    public static func alarmWarnings(_ t: RetentionTable) -> [String] {
        t.options.alarmLines.sorted { $0.key < $1.key }.compactMap { day, line in
            let rates = t.cohorts.compactMap { c in c.cells.first { $0.day == day && $0.observable }?.rate }
            let flagged = t.cohorts.filter { c in c.cells.contains { $0.day == day && $0.underAlarm } }.count
            guard !rates.isEmpty, 2 * flagged > rates.count, let median = medianRate(rates) else { return nil }
            return "warning: the day-\(day) alarm line (\(percent(line))) flags \(flagged) of \(rates.count) cohorts, so it says little about this app; "
                + "the cohorts' median day-\(day) retention is \(percent(median)) (--alarm-day\(day) \(String(format: "%.3f", median)))"
        }
    }

    /// The median of retention rates (nil when there are none).
    public static func medianRate(_ rates: [Double]) -> Double? {
        guard !rates.isEmpty else { return nil }
        let s = rates.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
