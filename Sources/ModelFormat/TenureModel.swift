// The model: everything needed to rebuild features from a raw log and score them, self-described.
import EventLog
import Evaluation
import Features
import GradientBoosting
import LinearModels

public enum ModelKind: String, Codable, Sendable, CaseIterable {
    case logistic, gbdt
}

/// How the model was trained: data, cutoffs, row counts and the resolved settings.
public struct TrainingInfo: Codable, Sendable, Equatable {
    /// `events` (built from a raw log) or `features` (a precomputed matrix).
    public var source: String
    /// Input file name (without directories, so a file moved elsewhere still trains the same bytes).
    public var inputFile: String
    public var trainCutoffs: [String]
    public var validCutoffs: [String]
    public var trainRows: Int
    public var trainPositives: Int
    public var validRows: Int
    public var validPositives: Int
    public var censoredRows: Int
    /// Every training option after defaults and config file, as given to the trainer.
    public var settings: [String: String]

    public init(source: String, inputFile: String, trainCutoffs: [String], validCutoffs: [String], trainRows: Int,
                trainPositives: Int, validRows: Int, validPositives: Int, censoredRows: Int, settings: [String: String]) {
        self.source = source; self.inputFile = inputFile; self.trainCutoffs = trainCutoffs; self.validCutoffs = validCutoffs
        self.trainRows = trainRows; self.trainPositives = trainPositives; self.validRows = validRows
        self.validPositives = validPositives; self.censoredRows = censoredRows; self.settings = settings
    }
}

/// A trained Tenure model. Immutable once loaded: share one instance across threads.
public struct TenureModel: Codable, Sendable {
    public static let currentFormatVersion = 1
    public static let tenureVersion = TenureVersion.current

    public var formatVersion: Int
    public var tenureVersion: String
    public var kind: ModelKind
    public var label: LabelSpec
    /// nil when trained from a precomputed feature matrix: such a model scores feature rows only.
    public var features: ResolvedFeatureSpec?
    public var featureNames: [String]
    public var columns: ColumnMapping?
    public var inputFormat: LogFormat?
    public var timeFormat: TimeFormat?
    public var training: TrainingInfo
    /// Metrics on the time-held-out validation cutoffs (nil when none were held out).
    public var validation: BinaryMetrics?
    public var logistic: LogisticModel?
    public var gbdt: GBDTModel?
    /// The training rows' feature histograms and score quantiles (drift and percentiles when scoring);
    /// nil in files written before it existed, which still load and score.
    public var reference: ReferenceDistribution?
    /// The validation rows' scores by label, binned (curves in `tenure report` without the event log).
    public var validationScores: ScoreHistogram?

    public init(kind: ModelKind, label: LabelSpec, features: ResolvedFeatureSpec?, featureNames: [String],
                columns: ColumnMapping?, inputFormat: LogFormat?, timeFormat: TimeFormat?, training: TrainingInfo,
                validation: BinaryMetrics?, logistic: LogisticModel? = nil, gbdt: GBDTModel? = nil) {
        formatVersion = TenureModel.currentFormatVersion
        tenureVersion = TenureModel.tenureVersion
        self.kind = kind; self.label = label; self.features = features; self.featureNames = featureNames
        self.columns = columns; self.inputFormat = inputFormat; self.timeFormat = timeFormat; self.training = training
        self.validation = validation; self.logistic = logistic; self.gbdt = gbdt
    }

    public var featureCount: Int { featureNames.count }

    /// Raw score (log-odds) of one feature row. No allocation; safe from many threads.
    @inline(__always)
    public func rawScore(_ row: UnsafeBufferPointer<Double>) -> Double {
        if let gbdt { return gbdt.rawScore(row) }
        return logistic!.rawScore(row)   // a decoded model holds exactly one, checked by ModelFile
    }

    @inline(__always)
    public func probability(_ row: UnsafeBufferPointer<Double>) -> Double { 1 / (1 + exp(-rawScore(row))) }

    /// Probabilities of row-major rows, on both cores.
    public func probabilities(x: [Double], rows: Int) -> [Double] {
        if let gbdt { return gbdt.scoreBatch(x: x, rows: rows) }
        return logistic!.scoreBatch(x: x, rows: rows)
    }

    /// Per-feature contributions to the raw score, last entry the bias; they sum to `rawScore`.
    /// Trees: path-dependent TreeSHAP; logistic: coefficient × standardised value.
    public func contributions(_ row: UnsafeBufferPointer<Double>) -> [Double] {
        if let gbdt { return gbdt.contributions(row) }
        return logistic!.contributions(row)
    }
}

import Foundation
import TenureCore
