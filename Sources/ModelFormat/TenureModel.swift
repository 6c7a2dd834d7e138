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

/// What a model scores with: exactly one of the two learners, so the kind cannot disagree with the payload.
public enum ModelPayload: Sendable {
    case logistic(LogisticModel)
    case gbdt(GBDTModel)
    /// Two (T-learner) or four (X-learner) GBDT models of retention by campaign arm (format 3).
    case uplift(UpliftModel)

    /// The learner the model is made of (an uplift model's are gradient-boosted trees).
    public var kind: ModelKind {
        switch self {
        case .logistic: return .logistic
        case .gbdt, .uplift: return .gbdt
        }
    }

    /// Number of feature values a row must have.
    public var featureCount: Int {
        switch self {
        case let .logistic(lr): return lr.inputCount
        case let .gbdt(g): return g.featureCount
        case let .uplift(u): return u.featureCount
        }
    }
}

/// A trained Tenure model. Immutable once loaded: share one instance across threads.
///
/// On disk (format 1) the payload is the `kind` field plus a `logistic` or `gbdt` object; decoding refuses a file
/// whose `kind` names the other payload, or that holds both or neither, and every decoded model has passed
/// `validate()` (see ModelValidation.swift), so scoring code may index without checks of its own.
public struct TenureModel: Codable, Sendable {
    /// Format 2 adds per-user attributes (`attributes`); a model without them is still written as format 1, so
    /// such files stay byte-identical and older Tenure versions keep reading them.
    /// Format 3 holds an uplift payload (`uplift` instead of `logistic`/`gbdt`); churn models keep 1 or 2.
    public static let currentFormatVersion = 3
    public static let attributesFormatVersion = 2
    public static let upliftFormatVersion = 3

    /// The oldest format that can hold this payload and attributes (older readers keep reading the rest).
    static func formatVersion(payload: ModelPayload, attributes: AttributeSchema?) -> Int {
        if case .uplift = payload { return upliftFormatVersion }
        return attributes == nil ? 1 : attributesFormatVersion
    }
    public static let tenureVersion = TenureVersion.current

    public var formatVersion: Int
    public var tenureVersion: String
    public var payload: ModelPayload
    public var label: LabelSpec
    /// nil when trained from a precomputed feature matrix: such a model scores feature rows only.
    public var features: ResolvedFeatureSpec?
    /// The users-file columns appended after the event features (`--users`), nil without; format 2.
    public var attributes: AttributeSchema? {
        didSet { formatVersion = TenureModel.formatVersion(payload: payload, attributes: attributes) }
    }
    public var featureNames: [String]
    public var columns: ColumnMapping?
    public var inputFormat: LogFormat?
    public var timeFormat: TimeFormat?
    public var training: TrainingInfo
    /// Metrics on the time-held-out validation cutoffs (nil when none were held out).
    public var validation: BinaryMetrics?
    /// The training rows' feature histograms and score quantiles (drift and percentiles when scoring);
    /// nil in files written before it existed, which still load and score.
    public var reference: ReferenceDistribution?
    /// The validation rows' scores by label, binned (curves in `tenure report` without the event log).
    public var validationScores: ScoreHistogram?

    public init(payload: ModelPayload, label: LabelSpec, features: ResolvedFeatureSpec?, featureNames: [String],
                columns: ColumnMapping?, inputFormat: LogFormat?, timeFormat: TimeFormat?, training: TrainingInfo,
                validation: BinaryMetrics?, attributes: AttributeSchema? = nil) {
        formatVersion = TenureModel.formatVersion(payload: payload, attributes: attributes)
        self.attributes = attributes
        tenureVersion = TenureModel.tenureVersion
        self.payload = payload; self.label = label; self.features = features; self.featureNames = featureNames
        self.columns = columns; self.inputFormat = inputFormat; self.timeFormat = timeFormat; self.training = training
        self.validation = validation
    }

    /// Derived from the payload (there is no stored kind to disagree with it).
    public var kind: ModelKind { payload.kind }
    public var logistic: LogisticModel? { if case let .logistic(lr) = payload { return lr } else { return nil } }
    public var gbdt: GBDTModel? { if case let .gbdt(g) = payload { return g } else { return nil } }
    public var uplift: UpliftModel? { if case let .uplift(u) = payload { return u } else { return nil } }
    /// What the model is, for messages: logistic, gbdt or uplift.
    public var kindName: String { uplift == nil ? kind.rawValue : "uplift (\(kind.rawValue))" }

    public var featureCount: Int { featureNames.count }

    /// Raw score (log-odds) of one feature row. No allocation; safe from many threads.
    @inline(__always)
    public func rawScore(_ row: UnsafeBufferPointer<Double>) -> Double {
        switch payload {
        case let .gbdt(g): return g.rawScore(row)
        case let .logistic(lr): return lr.rawScore(row)
        // Churn if not contacted: the control arm's retention model, negated (see `ModelPayload.uplift`).
        case let .uplift(u): return -u.control.rawScore(row)
        }
    }

    @inline(__always)
    public func probability(_ row: UnsafeBufferPointer<Double>) -> Double { 1 / (1 + exp(-rawScore(row))) }

    /// Probabilities of row-major rows, on both cores.
    public func probabilities(x: [Double], rows: Int) -> [Double] {
        switch payload {
        case let .gbdt(g): return g.scoreBatch(x: x, rows: rows)
        case let .logistic(lr): return lr.scoreBatch(x: x, rows: rows)
        case let .uplift(u): return u.control.scoreBatch(x: x, rows: rows).map { 1 - $0 }
        }
    }

    /// Per-feature contributions to the raw score, last entry the bias; they sum to `rawScore`.
    /// Trees: path-dependent TreeSHAP; logistic: coefficient × standardised value.
    public func contributions(_ row: UnsafeBufferPointer<Double>) -> [Double] {
        switch payload {
        case let .gbdt(g): return g.contributions(row)
        case let .logistic(lr): return lr.contributions(row)
        case let .uplift(u): return u.control.contributions(row).map { -$0 }
        }
    }

    // Format 1 on disk: the synthesized layout of the struct this replaced (kind + one payload key; absent
    // optionals omitted), so files re-encode byte for byte.
    enum CodingKeys: String, CodingKey {
        case formatVersion, tenureVersion, kind, label, features, attributes, featureNames, columns, inputFormat, timeFormat
        case training, validation, logistic, gbdt, uplift, reference, validationScores
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        tenureVersion = try c.decode(String.self, forKey: .tenureVersion)
        let kind = try c.decode(ModelKind.self, forKey: .kind)
        let hasLogistic = c.contains(.logistic), hasGBDT = c.contains(.gbdt), hasUplift = c.contains(.uplift)
        let held = [hasLogistic ? "a logistic" : nil, hasGBDT ? "a gbdt" : nil, hasUplift ? "an uplift" : nil].compactMap { $0 }
        guard held.count == 1 else {
            throw ModelInconsistency(held.isEmpty ? "the file holds no logistic, gbdt or uplift model" : "the file holds \(held.joined(separator: " and ")) model")
        }
        switch kind {
        case .logistic:
            guard hasLogistic else { throw ModelInconsistency("kind is logistic but the file holds \(held[0]) model") }
            payload = .logistic(try c.decode(LogisticModel.self, forKey: .logistic))
        case .gbdt where hasUplift:
            payload = .uplift(try c.decode(UpliftModel.self, forKey: .uplift))
        case .gbdt:
            guard hasGBDT else { throw ModelInconsistency("kind is gbdt but the file holds a logistic model") }
            payload = .gbdt(try c.decode(GBDTModel.self, forKey: .gbdt))
        }
        label = try c.decode(LabelSpec.self, forKey: .label)
        features = try c.decodeIfPresent(ResolvedFeatureSpec.self, forKey: .features)
        attributes = try c.decodeIfPresent(AttributeSchema.self, forKey: .attributes)
        featureNames = try c.decode([String].self, forKey: .featureNames)
        columns = try c.decodeIfPresent(ColumnMapping.self, forKey: .columns)
        inputFormat = try c.decodeIfPresent(LogFormat.self, forKey: .inputFormat)
        timeFormat = try c.decodeIfPresent(TimeFormat.self, forKey: .timeFormat)
        training = try c.decode(TrainingInfo.self, forKey: .training)
        validation = try c.decodeIfPresent(BinaryMetrics.self, forKey: .validation)
        reference = try c.decodeIfPresent(ReferenceDistribution.self, forKey: .reference)
        validationScores = try c.decodeIfPresent(ScoreHistogram.self, forKey: .validationScores)
        try validate()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formatVersion, forKey: .formatVersion)
        try c.encode(tenureVersion, forKey: .tenureVersion)
        try c.encode(kind, forKey: .kind)
        switch payload {
        case let .logistic(lr): try c.encode(lr, forKey: .logistic)
        case let .gbdt(g): try c.encode(g, forKey: .gbdt)
        case let .uplift(u): try c.encode(u, forKey: .uplift)
        }
        try c.encode(label, forKey: .label)
        try c.encodeIfPresent(features, forKey: .features)
        try c.encodeIfPresent(attributes, forKey: .attributes)
        try c.encode(featureNames, forKey: .featureNames)
        try c.encodeIfPresent(columns, forKey: .columns)
        try c.encodeIfPresent(inputFormat, forKey: .inputFormat)
        try c.encodeIfPresent(timeFormat, forKey: .timeFormat)
        try c.encode(training, forKey: .training)
        try c.encodeIfPresent(validation, forKey: .validation)
        try c.encodeIfPresent(reference, forKey: .reference)
        try c.encodeIfPresent(validationScores, forKey: .validationScores)
    }
}

import Foundation
import TenureCore
