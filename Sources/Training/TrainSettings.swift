// What `tenure train` was asked for, resolved: model kind, validation split, class floor, trainer configs.
import GradientBoosting
import LinearModels

public struct TrainSettings: Sendable {
    public var kind: ModelKind
    /// The latest this-many cutoffs are held out for validation (time split, never a shuffle).
    public var validCutoffs: Int
    /// Training refuses to run with fewer positives or negatives than this.
    public var minClassRows: Int
    public var logistic: LogisticConfig
    public var gbdt: GBDTConfig
    /// Every option as given (after defaults and config file), recorded in the model.
    public var recorded: [String: String]

    public init(kind: ModelKind = .logistic, validCutoffs: Int = 1, minClassRows: Int = 100,
                logistic: LogisticConfig = LogisticConfig(), gbdt: GBDTConfig = GBDTConfig(), recorded: [String: String] = [:]) {
        self.kind = kind; self.validCutoffs = validCutoffs; self.minClassRows = minClassRows
        self.logistic = logistic; self.gbdt = gbdt; self.recorded = recorded
    }
}

import ModelFormat
