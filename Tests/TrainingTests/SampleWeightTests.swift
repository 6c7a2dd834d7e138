// Sample weights: a weight of 2 trains like a duplicated row, weights reach both trainers and the training
// info, and a weight column of a feature CSV is extracted and validated with file:line errors.
import Features
import Foundation
import Testing
@testable import ModelFormat
@testable import Training

@Suite("Sample weights in training")
struct SampleWeightTrainingTests {
    /// Deterministic noisy data on two cutoffs: x0, x1 carry signal, x2 is noise; no NaN.
    static func rows(count: Int, seed: UInt64) -> LabelledRows {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var values: [Double] = [], labels: [Double] = [], keys: [String] = []
        for i in 0..<count {
            let x = [uniform() * 4 - 2, uniform() * 10, uniform()]
            let logit = 1.3 * x[0] - 0.2 * x[1] + 0.8
            values += x
            labels.append(uniform() < 1 / (1 + exp(-logit)) ? 1 : 0)
            keys.append(i % 2 == 0 ? "2026-03-01" : "2026-03-08")
        }
        return LabelledRows(names: ["x0", "x1", "x2"], values: values, labels: labels, cutoffKeys: keys)
    }

    static let provenance = ModelProvenance(label: .init(task: .churn), features: nil, columns: nil, inputFormat: nil,
                                            timeFormat: nil, source: "features", inputFile: "rows.csv", censoredRows: 0)

    static func settings(_ kind: ModelKind) -> TrainSettings {
        var s = TrainSettings(kind: kind, validCutoffs: 0, minClassRows: 5)
        s.logistic.penalty = .l2(lambda: 0)     // unpenalised: see the note on `weightTwoIsDuplication`
        s.logistic.tolerance = 1e-10
        s.gbdt.trees = 10
        return s
    }

    /// Coefficients on the raw feature scale (βⱼ/scaleⱼ) and the matching intercept.
    static func rawCoefficients(_ model: TenureModel) throws -> [Double] {
        let lr = try #require(model.logistic)
        var intercept = lr.intercept
        var out: [Double] = []
        for j in 0..<lr.inputCount {
            out.append(lr.coefficients[j] / lr.scales[j])
            intercept -= lr.coefficients[j] * lr.means[j] / lr.scales[j]
        }
        return out + [intercept]
    }

    /// Preprocessing statistics (means, scales) are unweighted, so duplicated rows shift them while weights
    /// do not; without a penalty that is only a reparametrisation, so the raw-scale coefficients must agree.
    @Test("weight 2 on some rows = those rows duplicated (logistic, raw-scale coefficients within 1e-7)")
    func weightTwoIsDuplication() throws {
        let base = Self.rows(count: 600, seed: 5)
        var weighted = base
        weighted.weights = (0..<base.rows).map { $0 % 3 == 0 ? 2 : 1 }
        var duplicated = base
        for r in 0..<base.rows where r % 3 == 0 {
            duplicated.values += base.values[(r * 3)..<(r * 3 + 3)]
            duplicated.labels.append(base.labels[r])
            duplicated.cutoffKeys.append(base.cutoffKeys[r])
        }
        let a = try Self.rawCoefficients(ModelTrainer.train(weighted, provenance: Self.provenance, settings: Self.settings(.logistic)))
        let b = try Self.rawCoefficients(ModelTrainer.train(duplicated, provenance: Self.provenance, settings: Self.settings(.logistic)))
        let plain = try Self.rawCoefficients(ModelTrainer.train(base, provenance: Self.provenance, settings: Self.settings(.logistic)))
        for j in a.indices {
            #expect(abs(a[j] - b[j]) <= 1e-7 * max(1, abs(b[j])), "coefficient \(j): weighted \(a[j]), duplicated \(b[j])")
        }
        // And the weights did something: the unweighted fit is measurably different.
        #expect(zip(a, plain).contains { abs($0 - $1) > 1e-3 })
    }

    @Test("weights reach gradient boosting: all-ones = unweighted, other weights change the trees")
    func gbdtUsesWeights() throws {
        let base = Self.rows(count: 600, seed: 9)
        var ones = base
        ones.weights = [Double](repeating: 1, count: base.rows)
        var skewed = base
        skewed.weights = (0..<base.rows).map { base.labels[$0] == 1 ? 4 : 0.5 }
        let plain = try ModelTrainer.train(base, provenance: Self.provenance, settings: Self.settings(.gbdt))
        let one = try ModelTrainer.train(ones, provenance: Self.provenance, settings: Self.settings(.gbdt))
        let skew = try ModelTrainer.train(skewed, provenance: Self.provenance, settings: Self.settings(.gbdt))
        #expect(one.gbdt == plain.gbdt)
        #expect(skew.gbdt != plain.gbdt)
        // Up-weighting positives raises the mean predicted probability.
        let mean = { (m: TenureModel) in m.probabilities(x: base.values, rows: base.rows).reduce(0, +) / Double(base.rows) }
        #expect(mean(skew) > mean(plain) + 0.05)
    }

    @Test("the training info records a weight summary; unweighted models record none")
    func recorded() throws {
        var data = Self.rows(count: 300, seed: 3)
        let plain = try ModelTrainer.train(data, provenance: Self.provenance, settings: Self.settings(.logistic))
        #expect(plain.training.settings["sample-weights"] == nil)
        data.weights = (0..<data.rows).map { $0 < 10 ? 0 : 1.5 }
        let model = try ModelTrainer.train(data, provenance: Self.provenance, settings: Self.settings(.logistic))
        #expect(model.training.settings["sample-weights"] == "sum 435.0 over 300 rows (min 0.0, max 1.5, 10 at zero)")
    }

    @Test("a class whose weights are all zero is refused", arguments: [0.0, 1.0])
    func zeroClassWeight(label: Double) throws {
        var data = Self.rows(count: 300, seed: 4)
        data.weights = data.labels.map { $0 == label ? 0 : 1 }
        #expect {
            try ModelTrainer.train(data, provenance: Self.provenance, settings: Self.settings(.logistic))
        } throws: { error in
            guard case let TrainingError.zeroClassWeight(l) = error else { return false }
            return Double(l) == label && (error as? TrainingError)?.category == .badInput
        }
    }
}

@Suite("Weight column of a feature CSV")
struct WeightColumnTests {
    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-weights-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("the column becomes weights and leaves the features")
    func extracts() throws {
        let path = try Self.write("user_id,a,w,b,label\nu1,1,2,3,0\nu2,4,0.5,6,1\n")
        defer { unlink(path) }
        var m = try FeatureMatrixReader.read(path, labelColumn: "label")
        let w = try SampleWeights.extract(from: &m, column: "w", path: path, labelColumn: "label")
        #expect(w == [2, 0.5])
        #expect(m.names == ["a", "b"])
        #expect(m.values == [1, 3, 4, 6])
    }

    /// Line numbers count the header and blank lines, as an editor shows them. (Text that is not a finite
    /// number, e.g. `inf`, is already refused with file:line by `FeatureMatrixReader`.)
    @Test("a negative or missing weight is refused with file:line", arguments: [
        ("-1", "is negative"), ("-0.5", "is negative"), ("", "is missing"), ("nan", "is missing"),
    ])
    func rejects(cell: String, reason: String) throws {
        let path = try Self.write("a,w,label\n1,1,0\n\n2,\(cell),1\n3,1,0\n")
        defer { unlink(path) }
        var m = try FeatureMatrixReader.read(path, labelColumn: "label")
        #expect {
            try SampleWeights.extract(from: &m, column: "w", path: path, labelColumn: "label")
        } throws: { error in
            guard case let TrainingError.invalidWeight(p, line, column, _) = error else { return false }
            return p == path && line == 4 && column == "w" && "\(error)".hasPrefix("\(path):4: ")
                && "\(error)".contains(reason)
        }
    }

    @Test("an unknown column, or the label column, is refused", arguments: ["nope", "label"])
    func unknown(column: String) throws {
        let path = try Self.write("a,w,label\n1,1,0\n")
        defer { unlink(path) }
        var m = try FeatureMatrixReader.read(path, labelColumn: "label")
        #expect(throws: TrainingError.self) {
            try SampleWeights.extract(from: &m, column: column, path: path, labelColumn: "label")
        }
    }
}
