// Everything a report is drawn from: the model, optional scored cutoffs of a log, retention and a run manifest.
import Evaluation
import Manifest
import ModelFormat
import Retention

/// A model scored on one cutoff of a log: what the curves, distributions and backtest are drawn from.
public struct ScoredCutoff: Sendable {
    /// The cutoff date, `yyyy-mm-dd`.
    public var cutoff: String
    public var probabilities: [Double]
    public var labels: [Double]
    /// Mean |contribution| per feature on this cutoff's rows (nil: not computed).
    public var meanAbsContribution: [Double]?

    public init(cutoff: String, probabilities: [Double], labels: [Double], meanAbsContribution: [Double]? = nil) {
        self.cutoff = cutoff; self.probabilities = probabilities; self.labels = labels
        self.meanAbsContribution = meanAbsContribution
    }
}

public struct ReportInput: Sendable {
    public var model: TenureModel
    /// The model file's name and SHA-256 (shown, and checked against the manifest's).
    public var modelFile: String
    public var modelSHA256: String?
    /// Scored cutoffs, oldest first (empty: the report uses the validation metrics stored in the model).
    public var scored: [ScoredCutoff]
    /// The event log's name and the UTC dates of its first and last events.
    public var eventsFile: String?
    public var dataPeriod: (first: String, last: String)?
    public var retention: RetentionTable?
    public var manifest: RunManifest?
    /// Campaign measurements (`tenure measure --out DIR/`), shown as "Did the recall work?".
    public var measurements: [MeasurementFile] = []
    /// "Made by tenure x.y.z on ..." (kept out of the library so the same input gives the same bytes).
    public var footer: String

    public init(model: TenureModel, modelFile: String, modelSHA256: String? = nil, scored: [ScoredCutoff] = [],
                eventsFile: String? = nil, dataPeriod: (first: String, last: String)? = nil,
                retention: RetentionTable? = nil, manifest: RunManifest? = nil, footer: String = "") {
        self.model = model; self.modelFile = modelFile; self.modelSHA256 = modelSHA256; self.scored = scored
        self.eventsFile = eventsFile; self.dataPeriod = dataPeriod; self.retention = retention
        self.manifest = manifest; self.footer = footer
    }
}
