// Tenure's coefficients must match scikit-learn's on the shared fixture (L2, weighted, L1, elastic net).
import Testing
@testable import LinearModels

@Suite("Agreement with scikit-learn")
struct SklearnAgreementTests {
    static let caseNames = ["l2", "l2_balanced", "l2_weighted", "l1", "elasticnet"]

    @Test func preprocessingMatchesNumpy() throws {
        let f = try LogisticFixture.load()
        let model = try LogisticRegression.fit(x: f.x, rows: f.expected.rows, cols: f.expected.cols, y: f.y,
                                               config: LogisticConfig())
        #expect(model.hasIndicator == f.expected.hasIndicator)
        #expect(model.medians == f.expected.medians)
        for j in 0..<f.expected.cols {
            #expect(abs(model.means[j] - f.expected.means[j]) <= 1e-12 * (1 + abs(f.expected.means[j])))
            #expect(abs(model.scales[j] - f.expected.scales[j]) <= 1e-12 * f.expected.scales[j])
        }
    }

    /// Nonzero sklearn coefficients: |ours − theirs| ≤ 1e-4·|theirs|; exact zeros (L1 sparsity, the constant
    /// column) compared absolutely at 1e-9. Both sides are converged to a KKT residual ≲ 1e-10.
    @Test(arguments: caseNames, [LogisticConfig.Solver.newton, .owlqn])
    func coefficientsMatch(caseName: String, solver: LogisticConfig.Solver) throws {
        let f = try LogisticFixture.load()
        let c = try #require(f.expected.cases.first { $0.name == caseName })
        let penalty: LogisticConfig.Penalty = switch c.penalty {
        case "l2": .l2(lambda: c.alpha)
        case "l1": .l1(lambda: c.alpha)
        default: .elasticNet(alpha: c.alpha, l1Ratio: c.l1Ratio)
        }
        let config = LogisticConfig(penalty: penalty, classWeight: c.classWeight == "balanced" ? .balanced : .none,
                                    solver: solver, tolerance: 1e-10, maxIterations: 5000)
        let model = try LogisticRegression.fit(x: f.x, rows: f.expected.rows, cols: f.expected.cols, y: f.y,
                                               sampleWeights: c.sampleWeights ? f.w : nil, config: config)
        #expect(model.report.converged)
        var ours = model.coefficients
        for j in 0..<model.inputCount where model.hasIndicator[j] { ours.append(model.indicatorCoefficients[j]) }
        ours.append(model.intercept)
        let theirs = c.coefficients + [c.intercept]
        try #require(ours.count == theirs.count)
        for (k, (a, b)) in zip(ours, theirs).enumerated() {
            if b == 0 {
                #expect(abs(a) <= 1e-9, "\(caseName) coefficient \(k): ours \(a), sklearn exactly 0")
            } else {
                #expect(abs(a - b) <= 1e-4 * abs(b), "\(caseName) coefficient \(k): ours \(a), sklearn \(b)")
            }
        }
    }
}
