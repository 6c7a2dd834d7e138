// `tenure train --task uplift`: randomized campaigns' contacted users (both arms) → an uplift model, judged
// on the latest campaign held out.
import EventLog
import Features
import Foundation
import GradientBoosting
import ModelFormat
import TenureCore
import Targeting
import Training

enum UpliftTrainCommand {
    /// The value of --task that trains an uplift model (the label tasks are `PredictionTask`'s).
    static let task = "uplift"

    static let options: [Option] = [
        Option("contacts", "LIST", "uplift: CRM exports (user_id,contacted_at,campaign,group[,action]), run directories of score --campaign, or a PostgreSQL URI with --contacts-table or --contacts-query; comma-separated"),
    ] + DatabaseInput.contacts.options + [
        Option("campaigns", "LIST", "uplift: campaigns to learn from (default: every campaign in --contacts)"),
    ] + Option.of(UpliftSettings.parameters)

    /// The train options that mean nothing to an uplift model (its rows are the contacts, not cutoffs).
    static let refused = ["cutoff", "features", "label-col", "weight-col", "signup-window", "key-event", "valid-cutoffs", "min-class-rows", "monotone"]

    static func run(_ a: Arguments) throws {
        let out = try a.required("out")
        try a.checkOutputs(["out"], inputs: ["events", "contacts", "spec", "users"])
        for flag in refused where a.has(flag) {
            throw UsageError("\(a.spelling(flag)) does not apply to --task uplift: its rows are the contacted users of --contacts, each as of the night before the contact")
        }
        let contactsPaths = try a.list("contacts") ?? { throw UsageError("--task uplift needs --contacts FILE (who each campaign contacted and held out)") }()
        var settings = try TrainCommand.trainSettings(a)
        guard settings.kind == .gbdt else {
            throw UsageError("\(a.spelling("model")) \(settings.kind.rawValue): uplift models are built from gradient-boosted trees; pass --model gbdt")
        }
        settings.gbdt = try a.configuration(GBDTConfig.parameters, over: UpliftSettings.gbdtBase)
        try settings.gbdt.validate(spelling: a.spelling)
        let uplift = try a.configuration(UpliftSettings.parameters)
        let label = try EventOptions.label(a, task: .churn)
        let spec = try EventOptions.spec(a)
        let users = try EventOptions.usersForTraining(a)
        let contacts = try CampaignContacts(paths: contactsPaths, relation: try DatabaseInput.contacts.relation(a))
        Console.note("\(contacts.path): \(contacts.contacts.count) contacts in \(contacts.campaigns.count) campaign(s)"
                     + (contacts.repeatContacts > 0 ? ", \(contacts.repeatContacts) repeat contacts folded into the first" : ""))
        let (store, report) = try EventOptions.readStore(a)
        let latest = contacts.contacts.map { utcDay($0.contactedAt) * millisPerDay }.max() ?? .max
        let resolved = ResolvedFeatureSpec.resolve(spec, for: store, before: latest)
        for w in resolved.warnings { Console.note(w) }
        let plan = FeaturePlan(resolved, store: store)
        try users?.schema.checkNames(against: plan.names)
        let qualifying = label.qualifyingEvents.isEmpty ? nil : try EventSelection.mask(label.qualifyingEvents, spec: spec, store: store)
        let data = try UpliftDataset.build(contacts, campaigns: a.list("campaigns"), store: store, plan: plan,
                                           attributes: users.map { ($0.schema, $0) }, label: label,
                                           qualifying: qualifying, threads: try EventOptions.threads(a))
        Console.note("\(data.rows.rows) contacted users with features as of the night before their contact"
                     + (data.pending > 0 ? "; \(data.pending) left out: their \(label.horizon) outcome window ends after the data end" : "")
                     + (data.noHistory > 0 ? "; \(data.noHistory) left out: no event before their contact night" : "")
                     + (data.notInLog > 0 ? "; \(data.notInLog) contacted users are not in the log" : ""))
        if let coverage = data.coverage { Console.note(coverage.summary) }
        Console.note("drift and percentile reference: \(data.rows.populationRows) users eligible at the \(data.populationNights) contact night(s), contacted or not (whom score would have listed then)"
                     + (data.populationSample > 1 ? "; a 1-in-\(data.populationSample) sample by user id hash" : ""))

        var provenance = ModelProvenance(label: label, features: resolved, columns: (try EventOptions.readOptions(a)).columns,
                                         inputFormat: report.format, timeFormat: report.timeFormat, source: "events",
                                         inputFile: ((try a.required("events")) as NSString).lastPathComponent,
                                         censoredRows: data.pending)
        provenance.attributes = users?.schema
        var recorded = settings.recorded
        recorded["task"] = task
        for (k, v) in UpliftSettings.parameters.settings(uplift) { recorded[k] = v }
        for k in ["valid-cutoffs", "min-class-rows"] { recorded[k] = nil }
        settings.recorded = recorded
        let started = Date()
        let bar = Progress()
        let model: TenureModel
        do {
            defer { bar.finish() }
            model = try UpliftTrainer.train(data.rows, provenance: provenance, settings: uplift, gbdt: settings.gbdt,
                                            recorded: recorded, progress: bar.report)
        }
        try ModelFile.write(model, to: out)
        Console.note("trained in \(String(format: "%.2f", Date().timeIntervalSince(started))) s; wrote \(out)")
        print(ModelReport.summary(model))
    }
}
