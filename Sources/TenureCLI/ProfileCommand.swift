// `tenure profile`: what an event log holds (span, users, event names, values, extra columns, timestamps) and a
// proposed feature spec and playbook that fit it, written with --spec-out / --playbook-out.
import EventLog
import Features
import Foundation
import Targeting
import TenureCore

enum ProfileCommand {
    static let command = Command(
        name: "profile", summary: "Describe an event log and propose a feature spec and playbook that fit it.",
        usage: "--events FILE [--spec-out SPEC.json] [--playbook-out PLAYBOOK.json]",
        options: EventOptions.reading + [
            Option("spec-out", "FILE", "write the proposed feature spec (for features/train --spec; written whole or not at all)"),
            Option("playbook-out", "FILE", "write the proposed playbook (for score/retention --playbook; written whole or not at all)"),
        ],
        run: run)

    /// Distinct values counted per extra column before it is reported as "≥ this many".
    static let cardinalityCap = 1000

    static func run(_ a: Arguments) throws {
        try a.checkOutputs(["spec-out", "playbook-out"], inputs: ["events"])
        let (store, report) = try EventOptions.readStore(a)
        guard store.eventCount > 0 else { throw EventLogError.emptyInput(path: report.path) }
        let p = try LogProfile(store: store)
        var out: [String] = []
        func day(_ t: Int64) -> String { formatTimestamp(t, dateOnly: true) }
        out.append("\(report.path): \(report.format.rawValue), timestamps \(report.timeFormat.description)\(report.timeFormatDetected ? " (detected)" : "")")
        out.append(String(format: "span: %@ .. %@ (%.0f days)", day(p.firstTime), day(p.lastTime), p.spanDays))
        out.append(String(format: "users: %d; events: %d; events per user: median %g, p90 %g, max %g; median gap between a user's active days: %g days",
                          p.users, p.events, p.eventsPerUser.median, p.eventsPerUser.p90, p.eventsPerUser.max, p.medianActiveGapDays))
        if p.hasEventColumn {
            out.append("event names (\(p.names.count)):")
            let width = p.names.map(\.name.count).max() ?? 0
            for n in p.names {
                out.append("  " + n.name.padding(toLength: width, withPad: " ", startingAt: 0)
                           + String(format: " %9d events %7d users   %@ .. %@", n.count, n.users, day(n.first), day(n.last)))
            }
        } else {
            out.append("event names: no event column (every row is one kind of event)")
        }
        if let v = p.values {
            out.append(String(format: "value column: %d values (%d zero); min %g, median %g, p90 %g, max %g", v.count, v.zeros, v.min, v.median, v.p90, v.max))
        } else {
            out.append("value column: none (value is 0 for everyone: expected loss cannot rank users, score ranks by risk)")
        }
        out.append(extraColumns(a, report: report))
        let peak = p.hourShares.indices.max { p.hourShares[$0] < p.hourShares[$1] } ?? 0
        let midnight = p.hourShares[0]
        out.append(String(format: "time of day (UTC): busiest hour %02d:00 (%.1f%% of events); quietest %02d:00; %.1f%% at 00:xx",
                          peak, 100 * p.hourShares[peak], p.hourShares.indices.min { p.hourShares[$0] < p.hourShares[$1] } ?? 0, 100 * midnight)
                   + (midnight > 0.5 ? " (dates without times? hour and session features say little)" : ""))
        out.append("  " + hourBars(p.hourShares))
        out.append("proposed feature spec: windows \(p.spec.windows.map { "\($0)d" }.joined(separator: ", ")); groups "
                   + p.spec.groups.map { "\($0.name) = \($0.events.joined(separator: "|"))" }.joined(separator: "; "))
        out.append("genuine-activity rules:")
        for (signal, note) in p.signalNotes { out.append("  \(signal): \(note)") }
        out.append("proposed playbook: \(p.alarmNote)")
        print(out.joined(separator: "\n"))

        if let path = a.string("spec-out") {
            let o = try AtomicOutput(path: path)
            o.write(json(p.spec) + "\n")
            try o.commit()
            Console.note("wrote \(path) (use: --spec \(path))")
        }
        if let path = a.string("playbook-out") {
            let o = try AtomicOutput(path: path)
            o.write(p.playbook.json() + "\n")
            try o.commit()
            Console.note("wrote \(path) (use: --playbook \(path))")
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }

    static func hourBars(_ shares: [Double]) -> String {
        let top = shares.max() ?? 1
        let levels = Array(" ▁▂▃▄▅▆▇█")
        return "00 " + String(shares.map { levels[min(8, Int(($0 / max(top, 1e-12) * 8).rounded()))] }) + " 23"
    }

    /// Columns of a delimited file that the reader does not use, with their distinct-value counts.
    static func extraColumns(_ a: Arguments, report: IngestReport) -> String {
        guard report.format == .csv || report.format == .tsv, report.path != "-", !report.path.hasSuffix(".gz"),
              let data = FileManager.default.contents(atPath: report.path) else {
            return "extra columns: not listed for this input (only uncompressed CSV/TSV files are scanned)"
        }
        let options = (try? EventOptions.readOptions(a)) ?? EventOptions.readDefaults
        let used: Set<String> = [options.columns.user, options.columns.time, options.columns.event, options.columns.value]
        return data.withUnsafeBytes { raw -> String in
            var scanner = CSVScanner(raw, delimiter: report.format == .tsv ? 9 : 44, fileStart: true)
            var fields: [CSVField] = []
            guard scanner.record(into: &fields) == .record else { return "extra columns: none" }
            let header = fields.map { scanner.text($0) }
            let extra = header.indices.filter { !used.contains(header[$0]) }
            guard !extra.isEmpty else { return "extra columns: none" }
            var distinct = [Set<String>](repeating: [], count: header.count)
            while true {
                let status = scanner.record(into: &fields)
                if status == .endOfInput { break }
                guard status == .record else { continue }
                for c in extra where c < fields.count && distinct[c].count < cardinalityCap { distinct[c].insert(scanner.text(fields[c])) }
            }
            return "extra columns (not used as features; per-user ones belong in a users file): " + extra.map { c in
                let n = distinct[c].count
                let sample = distinct[c].sorted().prefix(5).joined(separator: ", ")
                return "\(header[c]) (\(n >= cardinalityCap ? "≥ \(n)" : "\(n)") distinct: \(sample)\(n > 5 ? ", …" : ""))"
            }.joined(separator: "; ")
        }
    }
}
