// Validation is a time split: the latest K cutoffs are held out, whatever order the rows arrive in.
import Testing
@testable import ModelFormat
@testable import Training

@Suite("Time split")
struct TimeSplitTests {
    @Test("the latest K cutoffs are held out, the rest train", arguments: [1, 2, 3])
    func latestHeldOut(k: Int) throws {
        let data = try TrainingData.get()
        let keys = data.cutoffKeys
        #expect(keys.count == 7)
        let model = try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(.logistic, validCutoffs: k))
        #expect(model.training.validCutoffs == Array(keys.suffix(k)))
        #expect(model.training.trainCutoffs == Array(keys.prefix(keys.count - k)))
        let held = Set(keys.suffix(k))
        let validRows = data.rows.cutoffKeys.filter { held.contains($0) }.count
        let validPositives = zip(data.rows.cutoffKeys, data.rows.labels).filter { held.contains($0.0) && $0.1 == 1 }.count
        #expect(model.training.validRows == validRows)
        #expect(model.training.validPositives == validPositives)
        #expect(model.training.trainRows == data.rows.rows - validRows)
        #expect(model.validation?.rows == validRows)
        #expect(model.validation?.positives == validPositives)
    }

    @Test("validCutoffs 0 trains on everything and records no validation")
    func noneHeldOut() throws {
        let data = try TrainingData.get()
        let model = try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(.logistic, validCutoffs: 0))
        #expect(model.training.trainRows == data.rows.rows)
        #expect(model.training.validCutoffs.isEmpty)
        #expect(model.validation == nil)
    }

    /// Rows given newest-first and interleaved must split by cutoff key, not by position.
    @Test("row order does not matter: the split is by cutoff, not by position")
    func orderIndependent() throws {
        // 3 cutoffs × 60 rows, one feature; label = x > 0 with some noise-free overlap so the fit is finite.
        var values: [Double] = [], labels: [Double] = [], keys: [String] = []
        for i in 0..<180 {
            let key = ["2026-03-15", "2026-03-01", "2026-03-08"][i % 3]
            let x = Double(i % 60) - 29.5
            values.append(x); labels.append((x > 0) != (i % 7 == 0) ? 1 : 0); keys.append(key)
        }
        let rows = LabelledRows(names: ["x"], values: values, labels: labels, cutoffKeys: keys)
        let provenance = ModelProvenance(label: .init(task: .churn), features: nil, columns: nil, inputFormat: nil,
                                         timeFormat: nil, source: "features", inputFile: "rows.csv", censoredRows: 0)
        let model = try ModelTrainer.train(rows, provenance: provenance, settings: TrainSettings(kind: .logistic, validCutoffs: 1, minClassRows: 5))
        #expect(model.training.validCutoffs == ["2026-03-15"])
        #expect(model.training.trainCutoffs == ["2026-03-01", "2026-03-08"])
        #expect(model.training.validRows == 60)
        #expect(model.training.trainRows == 120)
        #expect(model.features == nil)
        #expect(model.training.source == "features")
    }
}

@Suite("Training refusals")
struct TrainingRefusalTests {
    @Test("a class below the floor is refused with the counts, floor and cutoffs")
    func classFloor() throws {
        let data = try TrainingData.get()
        let train = Set(data.cutoffKeys.dropLast())
        let pairs = zip(data.rows.cutoffKeys, data.rows.labels).filter { train.contains($0.0) }
        let positives = pairs.filter { $0.1 == 1 }.count, negatives = pairs.count - positives
        #expect(positives > 0 && positives < negatives)
        let floor = positives + 1
        #expect {
            try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(.logistic, minClassRows: floor))
        } throws: { error in
            guard case let TrainingError.tooFewRows(p, n, f, cutoffs) = error else { return false }
            let text = "\(error)"
            return p == positives && n == negatives && f == floor && cutoffs == Array(data.cutoffKeys.dropLast())
                && text.contains("\(positives) positives") && text.contains("\(negatives) negatives")
                && text.contains("at least \(floor)") && text.contains("--min-class-rows")
        }
        // Exactly at the floor trains.
        let model = try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(.logistic, minClassRows: positives))
        #expect(model.training.trainPositives == positives)
    }

    @Test("holding out every cutoff leaves none to train on", arguments: [7, 9])
    func noTrainingCutoffs(k: Int) throws {
        let data = try TrainingData.get()
        #expect {
            try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(.gbdt, validCutoffs: k))
        } throws: { error in
            guard case let TrainingError.noTrainingCutoffs(cutoffs, valid) = error else { return false }
            return cutoffs == 7 && valid == 7 && "\(error)".contains("--valid-cutoffs")
        }
    }

    @Test("no rows at all is refused, not a crash")
    func empty() {
        let rows = LabelledRows(names: ["x"], values: [], labels: [], cutoffKeys: [])
        let provenance = ModelProvenance(label: .init(task: .churn), features: nil, columns: nil, inputFormat: nil,
                                         timeFormat: nil, source: "features", inputFile: "x.csv", censoredRows: 0)
        #expect(throws: TrainingError.self) { try ModelTrainer.train(rows, provenance: provenance, settings: TrainSettings()) }
    }
}
