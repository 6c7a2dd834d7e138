// `tenure features`: event log → point-in-time features (and labels) at cutoffs, as CSV.
import EventLog
import Features
import TenureCore

enum FeaturesCommand {
    static let command = Command(
        name: "features", summary: "Build point-in-time features and labels for each (user, cutoff), as CSV.",
        usage: "--events FILE --cutoff DATES [options] [--out FILE]",
        options: EventOptions.reading + EventOptions.featureSpec + EventOptions.users + EventOptions.attributeKinds + [
            Option("out", "FILE", default: "-", "output CSV (written whole or not at all); - for stdout"),
            Option.flag("list", "print every feature name with its meaning and exit"),
            Option.flag("print-default-spec", "print the built-in feature spec as JSON (a starting point for --spec; `tenure profile` proposes one for a log)"),
        ],
        run: run)

    static func run(_ a: Arguments) throws {
        if a.flag("print-default-spec") {
            print(ProfileCommand.json(FeatureSpec.default))
            return
        }
        if a.flag("list") {
            let spec = try EventOptions.spec(a)
            try spec.validate()
            let demo = EventStore(userIDs: [], eventNames: ["purchase", "post", "comment", "like"], users: [], times: [],
                                  events: [], values: [])
            let plan = FeaturePlan(ResolvedFeatureSpec(spec: spec, eventCounts: spec.eventCounts ?? ["<event>"], includeValue: true), store: demo)
            for d in plan.descriptors { print("\(d.name)\t\(d.meaning)") }
            return
        }
        try a.checkOutputs(["out"], inputs: ["events", "spec", "users"])
        let label = try EventOptions.label(a)
        let cutoffs = try EventOptions.cutoffs(a)
        let spec = try EventOptions.spec(a)
        let users = try EventOptions.usersForTraining(a)
        let (store, _) = try EventOptions.readStore(a)
        let out = try AtomicOutput(path: a.stringOrDefault("out") ?? "-")
        // Written a chunk of users at a time: the whole table never exists (the file is still committed whole).
        var width: Int?   // set by the first call, the empty table: the header
        let (summary, coverage) = try EventOptions.forEachLabelledChunk(a, store: store, spec: spec, users: users, label: label,
                                                                        cutoffs: cutoffs, chunkUsers: chunkUsers) { table in
            guard width != nil else { width = table.width; return FeatureTableCSV.writeHeader(table, to: out) }
            try FeatureTableCSV.writeRows(table, userIDs: store.userIDs, to: out)
        }
        try out.commit()
        Console.note(summaryLine(summary, label: label, features: width ?? 0))
        if let coverage { Console.note(coverage.summary) }
    }

    /// Store users whose rows are built and written together (a tuning knob: the file is the same for any size).
    static let chunkUsers = 65_536

    static func summaryLine(_ s: BuildSummary, label: LabelSpec, features: Int) -> String {
        var text = "\(s.rows) rows × \(features) features over \(s.perCutoff.count) cutoff(s)"
        if label.task != .none {
            text += "; \(s.positives) positives (\(s.rows > 0 ? String(format: "%.1f", 100 * Double(s.positives) / Double(s.rows)) : "0")%), \(s.censored) censored (horizon past the data end)"
            if label.task == .activation { text += ", \(s.alreadyActivated) already activated" }
            text += "; \(describeDataEnd(s.dataEnd))"
        }
        for c in s.perCutoff where s.perCutoff.count > 1 {
            text += "\n  \(formatTimestamp(c.cutoff, dateOnly: true)): \(c.rows) rows, \(c.positives) positives, \(c.censored) censored"
        }
        return text
    }
}
