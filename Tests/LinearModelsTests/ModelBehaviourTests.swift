// Behaviour of trained models: planted signal recovery, solver agreement, contributions, preprocessing.
import Foundation
import Testing
@testable import LinearModels

@Suite("Planted signal is recovered")
struct PlantedSignalTests {
    @Test func highAUCOnHeldOutRows() throws {
        let weights = [2.0, -1.5, 1.0, 0, 0, 0.5]
        let train = plantedData(rows: 4000, weights: weights, nanRate: 0.05, seed: 1)
        let test = plantedData(rows: 2000, weights: weights, nanRate: 0.05, seed: 2)
        let model = try LogisticRegression.fit(x: train.x, rows: 4000, cols: 6, y: train.y, config: LogisticConfig())
        #expect(model.report.converged && model.report.solver == .newton)
        let a = auc(scores: model.scoreBatch(x: test.x, rows: 2000), labels: test.y)
        // Bayes AUC for this signal is ≈ 0.90; a broken fit lands near 0.5.
        #expect(a > 0.85, "AUC \(a)")
        // Signs of the planted coefficients are recovered.
        #expect(model.coefficients[0] > 1 && model.coefficients[1] < -1 && model.coefficients[2] > 0.5)
    }

    @Test func aucHelperIsCorrect() {
        #expect(auc(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]) == 0.75)
        #expect(auc(scores: [1, 1, 1, 1], labels: [0, 1, 0, 1]) == 0.5)
    }
}

@Suite("Newton and quasi-Newton solvers agree")
struct SolverAgreementTests {
    /// Same strictly convex problem, tolerance 1e-9 on the gradient: minimisers agree within 1e-6.
    @Test(arguments: [LogisticConfig.Penalty.l2(lambda: 1e-3), .elasticNet(alpha: 0.01, l1Ratio: 0.7)])
    func newtonMatchesQuasiNewton(penalty: LogisticConfig.Penalty) throws {
        let data = plantedData(rows: 3000, weights: [1, -0.7, 0.3, 0, 0.05, 0, 1.2], nanRate: 0.1, seed: 7)
        func fit(_ solver: LogisticConfig.Solver) throws -> LogisticModel {
            try LogisticRegression.fit(x: data.x, rows: 3000, cols: 7, y: data.y, config: LogisticConfig(
                penalty: penalty, solver: solver, tolerance: 1e-9, maxIterations: 5000))
        }
        let newton = try fit(.newton)
        let quasi = try fit(penalty.l1Strength > 0 ? .owlqn : .lbfgs)
        #expect(newton.report.converged && quasi.report.converged)
        #expect(quasi.report.solver != .newton)
        for j in 0..<7 {
            #expect(abs(newton.coefficients[j] - quasi.coefficients[j]) <= 1e-6)
            #expect(abs(newton.indicatorCoefficients[j] - quasi.indicatorCoefficients[j]) <= 1e-6)
        }
        #expect(abs(newton.intercept - quasi.intercept) <= 1e-6)
        #expect(newton.report.iterations < quasi.report.iterations)
    }

    /// Above 131,072 rows Newton runs a subsample stage first. Optimality is checked independently: the
    /// gradient of the objective recomputed here from the model's own scores must vanish (≤ 1e-7; tol 1e-9).
    @Test func twoStageNewtonReachesTheFullDataOptimum() throws {
        let rows = 140_000, lambda = 1e-3
        let data = plantedData(rows: rows, weights: [1.5, -0.5, 0.25], nanRate: 0.1, seed: 23)
        var messages: [String] = []
        let model = try LogisticRegression.fit(x: data.x, rows: rows, cols: 3, y: data.y, config: LogisticConfig(
            penalty: .l2(lambda: lambda), tolerance: 1e-9), progress: { messages.append($0) })
        #expect(messages.contains { $0.contains("warm start") })
        #expect(model.report.converged && model.report.solver == .newton)
        var gradient = [Double](repeating: 0, count: 5)  // 3 inputs, indicator of column 0, intercept
        for i in 0..<rows {
            let row = Array(data.x[(i * 3)..<(i * 3 + 3)])
            let r = (model.probability(row) - data.y[i]) / Double(rows)
            for j in 0..<3 { gradient[j] += r * ((row[j].isNaN ? model.medians[j] : row[j]) - model.means[j]) / model.scales[j] }
            gradient[3] += row[0].isNaN ? r : 0
            gradient[4] += r
        }
        for j in 0..<3 { gradient[j] += lambda * model.coefficients[j] }
        gradient[3] += lambda * model.indicatorCoefficients[0]
        #expect(gradient.allSatisfy { abs($0) <= 1e-7 }, "gradient \(gradient)")
    }

    @Test func iterationCapIsReported() throws {
        let data = plantedData(rows: 500, weights: [1, 2, 3], seed: 3)
        let model = try LogisticRegression.fit(x: data.x, rows: 500, cols: 3, y: data.y, config: LogisticConfig(
            solver: .lbfgs, tolerance: 1e-14, maxIterations: 2))
        #expect(!model.report.converged)
        #expect(model.report.iterations == 2 && model.report.maxIterations == 2 && model.report.tolerance == 1e-14)
        #expect(model.report.gradNorm > 1e-14)
    }
}

@Suite("Contributions explain the raw score")
struct ContributionTests {
    @Test func contributionsSumToRawScore() throws {
        let data = plantedData(rows: 1000, weights: [0.8, -0.3, 0.5, 0.1], nanRate: 0.2, seed: 11)
        let model = try LogisticRegression.fit(x: data.x, rows: 1000, cols: 4, y: data.y, config: LogisticConfig())
        #expect(model.hasIndicator == [true, false, false, false])
        for i in stride(from: 0, to: 1000, by: 37) {
            let row = Array(data.x[(i * 4)..<(i * 4 + 4)])
            let parts = model.contributions(row)
            #expect(parts.count == 5 && parts[4] == model.intercept)
            var sum = 0.0
            for p in parts { sum += p }
            #expect(abs(sum - model.rawScore(row)) <= 1e-12)
            #expect(abs(model.probability(row) - 1 / (1 + exp(-model.rawScore(row)))) <= 1e-15)
        }
    }
}

@Suite("Imputation and missing indicators")
struct ImputationTests {
    /// Column 0 has NaNs (gets an indicator), column 1 never does; column 2 is constant.
    static func fitted() throws -> (LogisticModel, [Double], [Double]) {
        var data = plantedData(rows: 800, weights: [1, -1, 0], nanRate: 0.25, seed: 5)
        for i in 0..<800 { data.x[i * 3 + 2] = 4 }
        let model = try LogisticRegression.fit(x: data.x, rows: 800, cols: 3, y: data.y, config: LogisticConfig())
        return (model, data.x, data.y)
    }

    @Test func learnedStatistics() throws {
        let (model, x, _) = try Self.fitted()
        #expect(model.hasIndicator == [true, false, false])
        #expect(model.indicatorCoefficients[1] == 0 && model.indicatorCoefficients[2] == 0)
        #expect(model.indicatorCoefficients[0] != 0)
        // Constant column: scale 1, standardised value 0, so its coefficient stays exactly 0.
        #expect(model.scales[2] == 1 && model.means[2] == 4 && model.coefficients[2] == 0)
        // Median of the observed values of column 0.
        let observed = stride(from: 0, to: x.count, by: 3).map { x[$0] }.filter { !$0.isNaN }.sorted()
        let m = observed.count
        let median = m % 2 == 1 ? observed[m / 2] : (observed[m / 2 - 1] + observed[m / 2]) / 2
        #expect(model.medians[0] == median)
    }

    @Test func nanRowUsesMedianPlusIndicator() throws {
        let (model, _, _) = try Self.fitted()
        let missing = model.contributions([.nan, 0.3, 4])
        let atMedian = model.contributions([model.medians[0], 0.3, 4])
        // Missing = value at the median plus the indicator coefficient, folded into column 0.
        #expect(abs(missing[0] - (atMedian[0] + model.indicatorCoefficients[0])) <= 1e-15)
        #expect(missing[1] == atMedian[1])
        // A NaN in a column without an indicator is imputed by its median only.
        let noIndicator = model.rawScore([0.2, .nan, 4])
        #expect(abs(noIndicator - model.rawScore([0.2, model.medians[1], 4])) <= 1e-15)
        #expect(noIndicator.isFinite)
    }

    /// The sampled-bracket median path (forced with exactBelow: 0) must give exactly the plain quickselect
    /// answer, including ties (rounded values) and NaNs; means/scales agree to 1e-12 relative.
    @Test func bracketedMedianEqualsExactMedian() throws {
        var data = plantedData(rows: 6001, weights: [1, 1, 1], nanRate: 0.3, seed: 21)
        for i in 0..<6001 { data.x[i * 3 + 1] = (data.x[i * 3 + 1] * 4).rounded() }  // heavy ties
        for i in 0..<6001 where i % 7 == 0 { data.x[i * 3 + 2] = .nan }
        let exact = try Preprocessing.learn(x: data.x, rows: 6001, cols: 3)
        let bracketed = try Preprocessing.learn(x: data.x, rows: 6001, cols: 3, exactBelow: 0)
        #expect(exact.medians == bracketed.medians)
        #expect(exact.hasIndicator == [true, false, true] && bracketed.hasIndicator == exact.hasIndicator)
        for j in 0..<3 {
            let observed = stride(from: j, to: data.x.count, by: 3).map { data.x[$0] }.filter { !$0.isNaN }.sorted()
            let m = observed.count
            #expect(exact.medians[j] == (m % 2 == 1 ? observed[m / 2] : (observed[m / 2 - 1] + observed[m / 2]) / 2))
            #expect(abs(exact.means[j] - bracketed.means[j]) <= 1e-12 * (1 + abs(exact.means[j])))
            #expect(abs(exact.scales[j] - bracketed.scales[j]) <= 1e-12 * exact.scales[j])
        }
    }

    @Test func preprocessingMedianHandlesEvenAndOddCounts() {
        var odd: [Double] = [5, 1, 9, 3, 7]
        var even: [Double] = [4, 4, 1, 10, 2, 8]
        var empty: [Double] = []
        #expect(odd.withUnsafeMutableBufferPointer { Preprocessing.median(of: $0) } == 5)
        #expect(even.withUnsafeMutableBufferPointer { Preprocessing.median(of: $0) } == 4)
        #expect(empty.withUnsafeMutableBufferPointer { Preprocessing.median(of: $0) } == 0)
    }
}

@Suite("Concurrent scoring and serialisation")
struct ScoringTests {
    @Test func concurrentBatchEqualsSerial() throws {
        let data = plantedData(rows: 5000, weights: [0.5, 1, -1, 0.2], nanRate: 0.1, seed: 9)
        let model = try LogisticRegression.fit(x: data.x, rows: 5000, cols: 4, y: data.y, config: LogisticConfig())
        let batch = model.scoreBatch(x: data.x, rows: 5000)
        let serial = (0..<5000).map { i in model.probability(Array(data.x[(i * 4)..<(i * 4 + 4)])) }
        #expect(batch == serial)
        #expect(model.scoreBatch(x: [], rows: 0).isEmpty)
    }

    @Test func codableRoundTripIsExact() throws {
        let data = plantedData(rows: 600, weights: [0.5, -2], nanRate: 0.1, seed: 13)
        let model = try LogisticRegression.fit(x: data.x, rows: 600, cols: 2, y: data.y, config: LogisticConfig(
            penalty: .elasticNet(alpha: 0.01, l1Ratio: 0.3), classWeight: .balanced))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(model)
        let back = try JSONDecoder().decode(LogisticModel.self, from: json)
        #expect(back == model)
        #expect(try encoder.encode(back) == json)
    }
}
