// Turns randomized campaigns' contacted users into an uplift model: the latest campaign held out, the arm
// floors checked, the learner's GBDT models fitted, the held-out ranking judged by Qini, AUUC and uplift@k.
import Evaluation
import EventLog
import Features
import Foundation
import GradientBoosting
import ModelFormat
import TenureCore

/// The uplift trainer's own settings, each declared once (the GBDT's come from `GBDTConfig.parameters`).
public struct UpliftSettings: Sendable {
    public var learner: UpliftLearner = .t
    public var validCampaigns = 1
    public var minArmRows = 100

    public init() { self = Self.parameters.defaults }
    private init(placeholders: Void) {}

    /// The GBDT settings of an uplift model's boosted models where they differ from `GBDTConfig.parameters`' (a
    /// flag or --config still wins). Each arm has about a thousand rows, not the hundreds of thousands a churn
    /// model learns from, and the uplift is the difference of two fitted models, so each model's noise is the
    /// uplift's noise: smaller trees (15 leaves of at least 50 rows) and a slower rate with more rounds, as for
    /// any GBDT on data this small. Chosen by 2-fold cross-validation inside the training campaign of three
    /// generated logs (bench/README.md, stage 07), never on the campaign the bench judges.
    public static let gbdtDefaults: [(flag: String, value: String)] = [
        ("trees", "200"), ("learning-rate", "0.05"), ("num-leaves", "15"), ("min-data-in-leaf", "50"),
    ]

    /// `gbdtDefaults` over the GBDT table's defaults.
    public static var gbdtBase: GBDTConfig {
        // The values above are constants inside their parameters' ranges (a test checks they parse).
        try! GBDTConfig.parameters.configuration(Dictionary(uniqueKeysWithValues: gbdtDefaults.map { ($0.flag, $0.value) }))
    }

    /// The defaults as the README states them: `--trees 200`, ….
    public static var gbdtDefaultsText: String { gbdtDefaults.map { "`--\($0.flag) \($0.value)`" }.joined(separator: ", ") }

    public static let parameters = ParameterTable<UpliftSettings>(blank: { UpliftSettings(placeholders: ()) }, [
        Parameter("learner", \.learner, placeholder: "L", default: .t,
                  doc: "uplift: t (T-learner: a retention model per arm, uplift = their difference) or x (X-learner: imputed effects regressed per arm, blended by the propensity)"),
        Parameter("valid-campaigns", \.validCampaigns, placeholder: "K", default: 1, check: .atLeast(0),
                  doc: "uplift: hold out the latest K campaigns (by contact time) for validation; with fewer than K + 1 campaigns nothing is held out"),
        Parameter("min-arm-rows", \.minArmRows, placeholder: "N", default: 100, check: .atLeast(1),
                  doc: "uplift: refuse to train with fewer treated or control rows (or retained / not retained in an arm) than this"),
    ])
}

public enum UpliftTrainingError: CategorizedError, CustomStringConvertible, Sendable, Equatable {
    case tooFewArmRows(arm: String, rows: Int, retained: Int, floor: Int, campaigns: [String])
    case noRows

    public var category: ErrorCategory { .badInput }

    public var description: String {
        switch self {
        case let .tooFewArmRows(arm, rows, retained, floor, campaigns):
            return "too few \(arm) rows to learn their retention: \(rows) rows (\(retained) retained, \(rows - retained) not) in the training campaign(s) \(campaigns.joined(separator: ", ")); --min-arm-rows is \(floor) for the arm and for each outcome in it. Add campaigns, or lower --min-arm-rows"
        case .noRows:
            return "no contacted user has an event before the night of their contact: there are no rows to train on"
        }
    }
}

public enum UpliftTrainer {
    /// Fits `settings.learner` on the rows of every campaign but the latest `validCampaigns`, validates on
    /// those. `gbdt` configures each of the learner's boosted models (the same settings for all).
    public static func train(_ data: UpliftRows, provenance: ModelProvenance, settings: UpliftSettings, gbdt: GBDTConfig,
                             recorded: [String: String], progress: ((TrainingProgress) -> Void)? = nil) throws -> TenureModel {
        guard data.rows > 0 else { throw UpliftTrainingError.noRows }
        let order = data.campaignOrder
        let held = order.count > settings.validCampaigns ? Set(order.suffix(settings.validCampaigns)) : []
        let trainCampaigns = order.filter { !held.contains($0) }
        if held.isEmpty && settings.validCampaigns > 0 {
            progress?(.note("only \(order.count) campaign(s) and --valid-campaigns \(settings.validCampaigns): training on all of them; the model has no held-out validation (train on two campaigns to judge it on the later one)"))
        }
        let width = data.names.count
        var split = (train: [Int](), valid: [Int]())
        for r in 0..<data.rows { if held.contains(data.campaign[r]) { split.valid.append(r) } else { split.train.append(r) } }

        // Arm floors on the training rows: each arm needs rows of both outcomes to learn its retention.
        for arm in [true, false] {
            let rows = split.train.filter { data.treated[$0] == arm }
            let retained = rows.filter { data.retained[$0] == 1 }.count
            if rows.count < settings.minArmRows || retained < settings.minArmRows || rows.count - retained < settings.minArmRows {
                throw UpliftTrainingError.tooFewArmRows(arm: arm ? "treated" : "control", rows: rows.count, retained: retained,
                                                        floor: settings.minArmRows, campaigns: trainCampaigns)
            }
        }
        func matrix(_ rows: [Int]) -> [Double] {
            var x: [Double] = []
            x.reserveCapacity(rows.count * width)
            data.values.withUnsafeBufferPointer { v in for r in rows { x.append(contentsOf: v[(r * width)..<((r + 1) * width)]) } }
            return x
        }
        let treatedRows = split.train.filter { data.treated[$0] }, controlRows = split.train.filter { !data.treated[$0] }
        let x1 = matrix(treatedRows), x0 = matrix(controlRows)
        let y1 = treatedRows.map { data.retained[$0] }, y0 = controlRows.map { data.retained[$0] }
        progress?(.note("training a \(settings.learner.rawValue)-learner on \(split.train.count) contacted users of \(trainCampaigns.joined(separator: ", ")) (\(treatedRows.count) treated, \(controlRows.count) control); validating on \(split.valid.count) of \(held.isEmpty ? "none" : order.filter(held.contains).joined(separator: ", "))"))

        let stages = settings.learner == .t ? 2 : 4
        var stage = 0
        func fit(_ x: [Double], _ y: [Double], _ what: String, fractional: Bool = false) throws -> GBDTModel {
            stage += 1
            do {
                return try GBDTTrainer.train(x: x, rows: y.count, cols: width, y: y, config: gbdt, fractionalLabels: fractional) { it, loss, _ in
                    progress?(.step(done: (stage - 1) * gbdt.trees + it, total: stages * gbdt.trees, unit: "trees", detail: what))
                }
            } catch {
                throw TrainingError.trainerFailed("\(what): \(error)", category: ErrorCategory.of(error))
            }
        }
        let mu1 = try fit(x1, y1, "treated retention"), mu0 = try fit(x0, y0, "control retention")
        var model = UpliftModel(learner: settings.learner, treated: mu1, control: mu0)
        if settings.learner == .x {
            // Imputed effects, rescaled from [-1, 1] to [0, 1] for the soft-label log loss.
            let d1 = zip(y1, mu0.scoreBatch(x: x1, rows: y1.count)).map { (y, p0) in (y - p0 + 1) / 2 }
            let d0 = zip(y0, mu1.scoreBatch(x: x0, rows: y0.count)).map { (y, p1) in (p1 - y + 1) / 2 }
            model.effectTreated = try fit(x1, d1, "effect on the treated", fractional: true)
            model.effectControl = try fit(x0, d0, "effect on the control", fractional: true)
            model.propensity = Double(treatedRows.count) / Double(split.train.count)
        }
        if !split.valid.isEmpty {
            let xv = matrix(split.valid)
            let predicted = model.predictions(x: xv, rows: split.valid.count)
            let outcomes = split.valid.map { data.retained[$0] }, arms = split.valid.map { data.treated[$0] }
            let u = predicted.map(\.uplift)
            let treated = split.valid.filter { data.treated[$0] }, control = split.valid.filter { !data.treated[$0] }
            model.validation = UpliftValidation(
                campaign: order.filter(held.contains).joined(separator: ","),
                treated: treated.count, treatedRetained: treated.filter { data.retained[$0] == 1 }.count,
                control: control.count, controlRetained: control.filter { data.retained[$0] == 1 }.count,
                metrics: try UpliftMetrics(outcomes: outcomes, uplift: u, treated: arms),
                qini: try UpliftCurves.qini(outcomes: outcomes, uplift: u, treated: arms),
                churnRiskQiniCoefficient: try UpliftCurves.qiniCoefficient(outcomes: outcomes, uplift: predicted.map { 1 - $0.control }, treated: arms))
        }

        let dayKeys = { (rows: [Int]) in Array(Set(rows.map { formatTimestamp(data.cutoffs[$0], dateOnly: true) })).sorted() }
        let info = TrainingInfo(source: provenance.source, inputFile: provenance.inputFile, trainCutoffs: dayKeys(split.train),
                                validCutoffs: dayKeys(split.valid), trainRows: split.train.count,
                                trainPositives: split.train.filter { data.retained[$0] == 1 }.count, validRows: split.valid.count,
                                validPositives: split.valid.filter { data.retained[$0] == 1 }.count,
                                censoredRows: provenance.censoredRows, settings: recorded)
        var out = TenureModel(payload: .uplift(model), label: provenance.label, features: provenance.features,
                              featureNames: data.names, columns: provenance.columns, inputFormat: provenance.inputFormat,
                              timeFormat: provenance.timeFormat, training: info, validation: nil, attributes: provenance.attributes)
        // The reference describes whom the model will score: the whole eligible population of the contact
        // nights (the contacted users are a selected part of it, and a drift check against them refuses every
        // ordinary night). Only rows built without it (a caller of this API) fall back to the training rows.
        let (xr, nr) = data.populationRows > 0 ? (data.population, data.populationRows) : (matrix(split.train), split.train.count)
        out.reference = ReferenceDistribution(names: data.names, x: xr, rows: nr, probabilities: out.probabilities(x: xr, rows: nr))
        return out
    }
}
