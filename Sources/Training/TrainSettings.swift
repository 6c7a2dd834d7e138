// What `tenure train` was asked for, resolved: model kind, validation split, class floor, trainer configs.
// The split and floor are declared once in `TrainSettings.parameters`; each trainer's settings in its own table.
import GradientBoosting
import LinearModels
import ModelFormat
import TenureCore

public struct TrainSettings: Sendable {
    public var kind: ModelKind
    /// The latest this-many cutoffs are held out for validation (time split, never a shuffle).
    public var validCutoffs: Int
    /// Training refuses to run with fewer positives or negatives than this.
    public var minClassRows: Int
    public var logistic: LogisticConfig
    public var gbdt: GBDTConfig
    /// The settings recorded in the model's `TrainingInfo.settings`, keyed by option name (see `record`).
    public var recorded: [String: String]

    /// Every argument left out takes its default from `parameters` (or the trainer's table).
    public init(kind: ModelKind = defaults.kind, validCutoffs: Int = defaults.validCutoffs, minClassRows: Int = defaults.minClassRows,
                logistic: LogisticConfig = LogisticConfig(), gbdt: GBDTConfig = GBDTConfig(), recorded: [String: String] = [:]) {
        self.kind = kind; self.validCutoffs = validCutoffs; self.minClassRows = minClassRows
        self.logistic = logistic; self.gbdt = gbdt; self.recorded = recorded
    }

    public static var defaults: TrainSettings { parameters.defaults }

    private init(placeholders: Void) {
        kind = .logistic; validCutoffs = 0; minClassRows = 0; logistic = LogisticConfig(); gbdt = GBDTConfig(); recorded = [:]
    }

    public static let parameters = ParameterTable<TrainSettings>(blank: { TrainSettings(placeholders: ()) }, [
        Parameter("model", \.kind, placeholder: "KIND", default: .logistic, doc: "logistic or gbdt"),
        Parameter("valid-cutoffs", \.validCutoffs, placeholder: "K", default: 1, check: .atLeast(0),
                  doc: "hold out the latest K cutoffs for validation (time split)"),
        Parameter("min-class-rows", \.minClassRows, placeholder: "N", default: 100, check: .atLeast(1),
                  doc: "refuse to train with fewer positives or negatives than this"),
    ])

    /// What the model records in `TrainingInfo.settings`: this table's settings plus the other options the
    /// user gave (`given`, minus the other kind's trainer options). The trainer's own settings are stored once,
    /// in the model's payload, under the same names.
    public mutating func record(given: [String: String]) {
        let otherKind = kind == .gbdt ? LogisticConfig.parameters.names : GBDTConfig.parameters.names
        let ownKind = kind == .gbdt ? GBDTConfig.parameters.names : LogisticConfig.parameters.names
        var out = given.filter { !otherKind.contains($0.key) && !ownKind.contains($0.key) }
        for (k, v) in Self.parameters.settings(self) { out[k] = v }
        recorded = out
    }
}

extension ModelKind: ParameterChoice {}
