// `tenure measure`: did last week's recall work? Treated against held-out control retention per campaign
// (and per action, segment and tier), with the lift's interval, incremental retained users and their cost.
import EventLog
import Evaluation
import Features
import Foundation
import TenureCore
import Targeting

enum MeasureCommand {
    static let labelOptions = Set(["spec", "horizon", "qualifying-events"])

    static let command = Command(
        name: "measure", summary: "Measure campaigns against their control groups: retention lift, incremental users, cost per user kept.",
        usage: "--events FILE --contacts FILE [--horizon 14d] [--qualifying-events LIST] [--control-share S] [--out DIR/]",
        options: EventOptions.reading + EventOptions.featureSpec.filter { labelOptions.contains($0.name) } + [
            Option("contacts", "LIST", "CRM exports, CSV or Parquet (user_id,contacted_at,campaign,group[,action][,segment][,tier]; group: treatment, control or none), run directories of score --campaign, or a PostgreSQL URI with --contacts-table or --contacts-query; comma-separated"),
        ] + DatabaseInput.contacts.options + [
            Option("campaigns", "LIST", "campaigns to measure (default: every campaign in --contacts)"),
            Option("control-share", "S", "the control share the assignment declared, for the sample-ratio check (0 < S < 1; default: what run directories' manifests record)"),
            Option("playbook", "FILE", "recall playbook JSON: the actions' costs and the value definition (default: the built-in playbook)"),
            Option("out", "DIR/", "write measurement.csv and measurement.json into this directory (each whole or not at all)"),
        ],
        run: run)

    static let csvName = "measurement.csv", jsonName = "measurement.json"

    static func run(_ a: Arguments) throws {
        let contactsPaths = try a.list("contacts") ?? { throw UsageError("'tenure measure' needs --contacts") }()
        let contactsRelation = try DatabaseInput.contacts.relation(a)
        let out = a.string("out")
        if let dir = out {
            guard !FileManager.default.fileExists(atPath: dir) || ScoreCommand.isDirectory(dir) else {
                throw UsageError("\(a.spelling("out")) names a directory to write \(csvName) and \(jsonName) into; \(dir) is a file")
            }
            try OutputPath.checkWritable(dir, isDirectory: true)
        }
        let outputs = out.map { [("--out", ScoreCommand.join($0, csvName)), ("--out", ScoreCommand.join($0, jsonName))] } ?? []
        try a.checkOutputsDistinct(outputs, inputs: ["events", "playbook", "spec"])
        var share: Double?
        if let s = try a.double("control-share") {
            guard s > 0 && s < 1 else { throw UsageError("\(a.spelling("control-share")) takes a share strictly between 0 and 1, got \(s)") }
            share = s
        }
        let label = try EventOptions.label(a)
        let spec = try EventOptions.spec(a)
        let playbook = try a.string("playbook").map { try Playbook.load(path: $0) } ?? .default
        // The cheap file first: a malformed contact export fails before the log is read.
        let contacts = try CampaignContacts(paths: contactsPaths, relation: contactsRelation)
        Console.note("\(contacts.path): \(contacts.contacts.count) contacts in \(contacts.campaigns.count) campaign(s)"
                     + (contacts.repeatContacts > 0 ? ", \(contacts.repeatContacts) repeat contacts folded into the first" : "")
                     + (contacts.notContacted > 0 ? ", \(contacts.notContacted) rows with group none (not in a campaign)" : ""))
        let (store, _) = try EventOptions.readStore(a)
        let qualifying = label.qualifyingEvents.isEmpty ? nil : try EventSelection.mask(label.qualifyingEvents, spec: spec, store: store)
        let settings = MeasurementSettings(horizon: label.horizon, qualifying: qualifying, campaigns: a.list("campaigns"),
                                           declaredControlShare: share)
        let m = try CampaignMeasurement.measure(contacts, store: store, playbook: playbook, settings: settings)

        print(MeasurementTable.text(m), terminator: "")
        Console.note("retained = \(label.qualifyingEvents.isEmpty ? "any event" : "a " + label.qualifyingEvents.joined(separator: "/") + " event") within \(label.horizon) of the contact; "
                     + "data end \(formatTimestamp(m.dataEnd, dateOnly: true)); lift interval: \(RateComparison.intervalMethod), p: \(RateComparison.testMethod)")
        for r in m.rows where r.breakdown == "all" {
            if r.pending > 0 { Console.note("\(r.campaign): \(r.pending) contacts not yet measurable (their \(label.horizon) window ends after the data end)") }
            if let srm = r.sampleRatio, srm.mismatch {
                Console.note(String(format: "WARNING: %@: sample ratio mismatch: %.1f%% control against the declared %.1f%% (χ² p = %.2g < %g). The arms were not assigned or logged as declared; do not trust this campaign's lift until that is explained.",
                                    r.campaign, 100 * srm.observedControlShare, 100 * srm.declaredControlShare, srm.pValue, SampleRatioCheck.alarmPValue))
            }
        }
        for c in m.rows where c.breakdown == "all" && c.sampleRatio == nil {
            Console.note("\(c.campaign): sample-ratio check skipped: give --control-share (the share the assignment declared) to run it")
        }
        if m.usersNotInLog > 0 {
            Console.note("\(m.usersNotInLog) of \(m.contacts) contacted users have no event in the log (counted as not retained); if that is many, the contacts' user ids may not be the log's")
        }
        guard let dir = out else { return }
        if !ScoreCommand.isDirectory(dir) { try ScoreCommand.createDirectory(dir) }
        let csv = try AtomicOutput(path: ScoreCommand.join(dir, csvName))
        csv.write(MeasurementTable.csv(m))
        let json = try AtomicOutput(path: ScoreCommand.join(dir, jsonName))
        json.write(bytes: try MeasurementTable.json(m, horizon: label.horizon, level: settings.level))
        // Both staged before either is renamed: a full disk fails before anything is replaced.
        try csv.stage(); try json.stage()
        try csv.commit(); try json.commit()
        Console.note("wrote \(ScoreCommand.join(dir, csvName)) and \(jsonName)")
    }
}
