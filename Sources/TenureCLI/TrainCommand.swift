// `tenure train`: raw events (or a feature matrix) → a validated, versioned model file.
import EventLog
import Features
import Foundation
import GradientBoosting
import LinearModels
import ModelFormat
import TenureCore
import Training
import TenureMPI

enum TrainCommand {
    /// The label column `tenure features` writes.
    static let defaultLabelColumn = "label"

    static let dataOptions: [Option] = [
        Option("out", "FILE", "model file to write (written whole or not at all)"),
        Option("features", "FILE", "train from a precomputed feature matrix (CSV, or Parquet: a file or a directory) instead of --events"),
        Option("label-col", "NAME", default: defaultLabelColumn, "label column of --features"),
        Option("weight-col", "NAME", "sample-weight column of --features (finite, ≥ 0; not used as a feature)"),
    ]

    /// Every trainer setting, read off the parameter tables (`--threads` is one of the reading options).
    static let modelOptions: [Option] = Option.of(TrainSettings.parameters)
        + Option.of(LogisticConfig.parameters, prefix: "logistic: ")
        + Option.of(GBDTConfig.parameters, prefix: "gbdt: ", excluding: ["threads"])

    static let command = Command(
        name: "train", summary: "Train a churn or activation model and save it with its validation metrics.",
        usage: "--events FILE --cutoff RANGE [--task churn|activation] [--model logistic|gbdt] --out MODEL  |  --task uplift --events FILE --contacts FILE --horizon 14d --model gbdt --out MODEL",
        options: EventOptions.reading + EventOptions.featureSpec.map(taskOption) + EventOptions.users + EventOptions.attributeKinds
            + dataOptions + [DistributedJob.option] + UpliftTrainCommand.options + modelOptions, run: run)

    /// train's --task also takes `uplift`.
    static func taskOption(_ o: Option) -> Option {
        o.name == "task" ? Option(o.name, o.value, default: o.defaultValue, "churn, activation, or uplift (from --contacts' randomized campaigns)") : o
    }

    static func run(_ a: Arguments) throws {
        if a.string("task") == UpliftTrainCommand.task { return try UpliftTrainCommand.run(a) }
        let out = try a.required("out")
        try a.checkOutputs(["out"], inputs: ["events", "features", "spec", "users"])
        var settings = try trainSettings(a)
        let label = try EventOptions.label(a)
        guard label.task != .none else { throw UsageError("tenure train needs --task churn or activation") }
        let mpi = a.flag("distributed") ? try startDistributed(a, settings: settings) : nil
        let data: LabelledRows
        var provenance: ModelProvenance
        if let mpi {
            (data, provenance) = try DistributedJob.agreed(mpi) {
                let events = try a.required("events")
                let shard = events.contains(DistributedJob.rankPlaceholder)
                Console.note("rank 0 of \(mpi.size): " + (shard ? "reading its shard of \(events)" : "reading partition 0/\(mpi.size) of \(events)"))
                return try readEvents(a, label: label,
                                      path: shard ? DistributedJob.shardPath(events, rank: mpi.rank, size: mpi.size) : events,
                                      partition: shard ? nil : (mpi.rank, mpi.size))
            }
            provenance.censoredRows = mpi.sum(provenance.censoredRows)
        } else if let featuresPath = a.string("features") {
            if a.has("users") || a.has(DatabaseInput.users.tableFlag) || a.has(DatabaseInput.users.queryFlag) {
                throw UsageError("--users needs --events: a feature matrix from `tenure features --users` already holds the attributes")
            }
            let labelColumn = a.string("label-col") ?? defaultLabelColumn
            var m = try FeatureMatrixReader.read(featuresPath, labelColumn: labelColumn, walk: .parallel(threads: try EventOptions.threads(a)))
            let weights = try a.string("weight-col").map {
                try SampleWeights.extract(from: &m, column: $0, path: featuresPath, labelColumn: labelColumn)
            }
            Console.note("\(featuresPath): \(m.rows) rows × \(m.names.count) features"
                         + (a.string("weight-col").map { ", weights from column '\($0)'" } ?? ""))
            let keys = m.cutoffs ?? (0..<m.rows).map { r in r * 5 < m.rows * 4 ? "rows-train" : "rows-valid" }
            if m.cutoffs == nil { Console.note("no cutoff column: holding out the last 20% of rows, in file order") }
            // The matrix's buffer moves into the rows (a second reference would make training copy it).
            let values = m.values
            m.values = []
            data = LabelledRows(names: m.names, values: values, labels: m.labels, cutoffKeys: keys, weights: weights)
            provenance = ModelProvenance(label: label, features: nil, columns: nil, inputFormat: nil, timeFormat: nil,
                                         source: "features", inputFile: (featuresPath as NSString).lastPathComponent, censoredRows: 0)
        } else {
            if a.string("weight-col") != nil {
                throw UsageError("--weight-col needs --features: write the matrix with `tenure features`, add a weight column, and train from it")
            }
            (data, provenance) = try readEvents(a, label: label)
        }
        if let text = a.string("monotone") {
            settings.gbdt.monotone = try GBDTConfig.monotone(text, featureNames: data.names, spelling: a.spelling("monotone"))
            try settings.gbdt.validate(featureCount: data.names.count, spelling: a.spelling)
        }
        let started = Date()
        let bar = Progress()
        let model: TenureModel
        if let mpi {
            var report: ((TrainingProgress) -> Void)? = nil
            if mpi.rank == 0 { report = { bar.report($0) } }
            let trainSettings = settings, trainProvenance = provenance
            model = DistributedJob.orAbort(mpi) { () throws -> TenureModel in
                defer { bar.finish() }
                return try ModelTrainer.train(data, provenance: trainProvenance, settings: trainSettings, collective: mpi,
                                              progress: report)
            }
            // What the job cost the network (every rank's payload, reading's agreement and training's sums).
            let sent = mpi.sum(mpi.bytesSent)
            Console.note("ranks sent \(sent) bytes in all" + (model.gbdt.map { " (\(sent / max(1, $0.trees.count)) per kept tree)" } ?? ""))
            // Rank 0 writes; a failure there still ends every rank with its code.
            try DistributedJob.agreed(mpi) { if mpi.rank == 0 { try ModelFile.write(model, to: out) } }
            mpi.finish()
            guard mpi.rank == 0 else { return }
        } else {
            do {
                defer { bar.finish() }
                model = try ModelTrainer.train(consume data, provenance: provenance, settings: settings, progress: bar.report)
            }
            try ModelFile.write(model, to: out)
        }
        Console.note("trained in \(String(format: "%.2f", Date().timeIntervalSince(started))) s; wrote \(out)")
        print(ModelReport.summary(model))
    }

    /// Refuses what a distributed job does not offer before joining it, then joins (MPI_Init).
    static func startDistributed(_ a: Arguments, settings: TrainSettings) throws -> MPICollective {
        if a.has("features") { throw UsageError("\(a.spelling("distributed")) reads --events (each rank its partition or shard), not --features") }
        if a.has("users") { throw UsageError("\(a.spelling("distributed")) does not take --users yet: train on one machine, or without the users file") }
        try ModelTrainer.checkDistributed(settings)
        return try DistributedJob.start()
    }

    /// Rows and provenance from --events (`path`: this rank's shard; `partition`: only those users).
    static func readEvents(_ a: Arguments, label: LabelSpec, path: String? = nil,
                           partition: (index: Int, count: Int)? = nil) throws -> (LabelledRows, ModelProvenance) {
        let cutoffs = try EventOptions.cutoffs(a)
        let spec = try EventOptions.spec(a)
        let users = try EventOptions.usersForTraining(a)
        let (store, report) = try EventOptions.readStore(a, path: path, partition: partition)
        let (resolved, table, summary, coverage) = try EventOptions.labelledTable(a, store: store, spec: spec, users: users,
                                                                                label: label, cutoffs: cutoffs)
        Console.note(FeaturesCommand.summaryLine(summary, label: label, features: table.width))
        if let coverage { Console.note(coverage.summary) }
        var provenance = ModelProvenance(label: label, features: resolved, columns: (try EventOptions.readOptions(a)).columns,
                                         inputFormat: report.format, timeFormat: report.timeFormat, source: "events",
                                         inputFile: try EventOptions.eventsName(a),
                                         censoredRows: summary.censored)
        provenance.attributes = users?.schema
        return (LabelledRows(table: table), provenance)
    }

    /// The settings from the tables, every value range-checked before any data is read.
    static func trainSettings(_ a: Arguments) throws -> TrainSettings {
        var s = try a.configuration(TrainSettings.parameters)
        s.logistic = try a.configuration(LogisticConfig.parameters)
        s.gbdt = try a.configuration(GBDTConfig.parameters)
        switch s.kind {
        case .logistic: try s.logistic.check(spelling: a.spelling)
        case .gbdt: try s.gbdt.validate(spelling: a.spelling)
        }
        s.record(given: a.given.filter { !["out", "config", "events", "features", "users", "distributed"].contains($0.key) })
        return s
    }
}
