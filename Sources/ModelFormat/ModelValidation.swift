// What a decoded model must satisfy beyond each payload's own checks (GBDTModel and LogisticModel validate
// themselves when decoded): the parts agree with each other. Run once per load; O(size of the file).
import EventLog
import Evaluation
import Features

extension TenureModel {
    /// Throws `ModelInconsistency` naming the first field that disagrees.
    func validate() throws {
        func bad(_ s: String) -> ModelInconsistency { ModelInconsistency(s) }
        guard (1...TenureModel.currentFormatVersion).contains(formatVersion) else {
            throw bad("formatVersion \(formatVersion) is not a version this Tenure reads (1...\(TenureModel.currentFormatVersion))")
        }
        guard formatVersion >= TenureModel.formatVersion(payload: payload, attributes: nil) else {
            throw bad("an uplift model needs formatVersion \(TenureModel.upliftFormatVersion), the file says \(formatVersion)")
        }
        if let uplift { try uplift.validate() }
        guard !featureNames.isEmpty else { throw bad("featureNames is empty") }
        guard Set(featureNames).count == featureNames.count else { throw bad("featureNames repeats a name") }
        guard payload.featureCount == featureCount else {
            throw bad("the \(kind.rawValue) model takes \(payload.featureCount) features but featureNames lists \(featureCount)")
        }
        if let attributes {
            guard formatVersion >= TenureModel.attributesFormatVersion else {
                throw bad("attributes need formatVersion \(TenureModel.attributesFormatVersion), the file says \(formatVersion)")
            }
            try attributes.validate()
        }
        try validateOneHot()
        if let features {
            // The names the stored spec builds (they do not depend on the log), then the attribute columns, must be
            // exactly the model's columns.
            let empty = EventStore(userIDs: [], eventNames: [], users: [], times: [], events: [], values: [])
            let built = FeaturePlan(features, store: empty).names + (attributes?.featureNames ?? [])
            guard built == featureNames else {
                let common = min(built.count, featureNames.count)
                let at = (0..<common).first { built[$0] != featureNames[$0] } ?? common
                let spec = at < built.count ? built[at] : "nothing", file = at < featureCount ? featureNames[at] : "nothing"
                throw bad("featureNames disagree with the stored feature spec: it builds \(built.count) features, the file lists \(featureCount); at position \(at) the spec gives \(spec), the file \(file)")
            }
        }
        try label.validateSpans()
        try training.validate()
        if let validation { try validation.validateFinite() }
        if let reference { try reference.validate(featureNames: featureNames) }
        if let validationScores {
            let counts = validationScores.positives + validationScores.negatives
            guard validationScores.bins >= 1, validationScores.bins <= 1_000_000,
                  validationScores.positives.count == validationScores.bins,
                  validationScores.negatives.count == validationScores.bins, counts.allSatisfy({ $0 >= 0 }) else {
                throw bad("validationScores: \(validationScores.bins) bins need as many non-negative positive and negative counts")
            }
            // Bounded by the validation rows, so redrawing curves from the bins cannot allocate without limit.
            var total = 0
            for n in counts { total = total.addingReportingOverflow(n).overflow ? Int.max : total + n }
            guard total <= training.validRows else {
                throw bad("validationScores counts \(total) rows, more than the \(training.validRows) validation rows")
            }
        }
    }
}

extension TenureModel {
    /// A logistic model one-hot encodes exactly the categorical attribute columns, each with its codes (the
    /// vocabulary plus the rare bucket): a category code read as a number would be scored as an ordered value.
    func validateOneHot() throws {
        guard let lr = logistic else { return }
        var expected: [Int: Int] = [:]
        for c in attributes?.columns ?? [] where c.kind == .categorical {
            if let j = featureNames.firstIndex(of: c.featureName) { expected[j] = c.codeCount }
        }
        var found: [Int: Int] = [:]
        for e in lr.oneHot ?? [] { found[e.column] = e.codeCount }
        guard found == expected else {
            let describe = { (m: [Int: Int]) in m.isEmpty ? "none" : m.keys.sorted().map { "\(featureNames[$0]) (\(m[$0]!) codes)" }.joined(separator: ", ") }
            throw ModelInconsistency("the logistic model one-hot encodes \(describe(found)) but the categorical attributes are \(describe(expected))")
        }
    }
}

extension AttributeSchema {
    /// Names distinct and non-empty; categorical columns carry a vocabulary without repeats, numeric ones none.
    func validate() throws {
        func bad(_ s: String) -> ModelInconsistency { ModelInconsistency("attributes: " + s) }
        guard !columns.isEmpty, Set(columns.map(\.name)).count == columns.count, !columns.contains(where: { $0.name.isEmpty }) else {
            throw bad("columns must be non-empty, named and distinct")
        }
        for c in columns {
            switch c.kind {
            case .numeric: guard c.categories == nil else { throw bad("numeric column \(c.name) has categories") }
            case .categorical:
                guard let cats = c.categories, Set(cats).count == cats.count, cats.count <= AttributeSchema.maxCategories else {
                    throw bad("categorical column \(c.name) needs at most \(AttributeSchema.maxCategories) distinct categories")
                }
            }
        }
    }
}

extension LabelSpec {
    /// Spans are bounded by `TimeSpan` itself (100 years); a label window must also be positive.
    func validateSpans() throws {
        guard horizon.millis > 0 else { throw ModelInconsistency("label.horizon \(horizon) must be positive") }
        guard signupWindow.millis > 0 else { throw ModelInconsistency("label.signupWindow \(signupWindow) must be positive") }
        if let lookback, lookback.millis <= 0 { throw ModelInconsistency("label.lookback \(lookback) must be positive") }
    }
}

extension TrainingInfo {
    func validate() throws {
        guard [trainRows, trainPositives, validRows, validPositives, censoredRows].allSatisfy({ $0 >= 0 }),
              trainPositives <= trainRows, validPositives <= validRows else {
            throw ModelInconsistency("training row counts are negative or count more positives than rows")
        }
    }
}

extension BinaryMetrics {
    /// Every metric a report prints is a finite number (undefined ones are nil, never NaN).
    func validateFinite() throws {
        var values = [baseRate, logLoss, brier] + [rocAUC, prAUC].compactMap { $0 }
        for b in calibration { values += [b.lower, b.upper, b.weight] + [b.meanPredicted, b.observedRate].compactMap { $0 } }
        for t in topK { values += [t.fraction] + [t.precision, t.lift, t.recall].compactMap { $0 } }
        guard values.allSatisfy(\.isFinite) else { throw ModelInconsistency("validation metrics hold a non-finite number") }
        guard rows >= 0, positives >= 0, positives <= rows else { throw ModelInconsistency("validation row counts are inconsistent") }
    }
}

extension ReferenceDistribution {
    /// One histogram per model feature, in order, each with ascending finite cuts and cuts + 2 finite shares
    /// in [0, 1]; ascending score quantiles in [0, 1].
    func validate(featureNames: [String]) throws {
        func bad(_ s: String) -> ModelInconsistency { ModelInconsistency("reference: " + s) }
        guard rows >= 0 else { throw bad("rows \(rows) is negative") }
        guard features.map(\.name) == featureNames else { throw bad("feature histograms do not match featureNames") }
        for h in features {
            guard h.cuts.allSatisfy(\.isFinite), zip(h.cuts, h.cuts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw bad("feature \(h.name): cuts must be finite and ascending")
            }
            guard h.shares.count == h.cuts.count + 2, h.shares.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                throw bad("feature \(h.name): needs \(h.cuts.count + 2) shares in [0, 1], has \(h.shares.count)")
            }
        }
        guard scoreQuantiles.allSatisfy({ $0 >= 0 && $0 <= 1 }),
              zip(scoreQuantiles, scoreQuantiles.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw bad("scoreQuantiles must be ascending probabilities")
        }
    }
}
