// Bad input and settings must throw LinearModelsError with an actionable description.
import Testing
@testable import LinearModels

@Suite("Input validation errors")
struct ErrorTests {
    let x: [Double] = [0, 1, 2, 3, 4, 5]
    let y: [Double] = [0, 1, 0]

    @Test func sizeMismatches() {
        #expect(throws: LinearModelsError.sizeMismatch(what: "feature matrix", expected: 9, actual: 6)) {
            try LogisticRegression.fit(x: x, rows: 3, cols: 3, y: y, config: LogisticConfig())
        }
        #expect(throws: LinearModelsError.sizeMismatch(what: "labels", expected: 3, actual: 2)) {
            try LogisticRegression.fit(x: x, rows: 3, cols: 2, y: [0, 1], config: LogisticConfig())
        }
        #expect(throws: LinearModelsError.sizeMismatch(what: "sample weights", expected: 3, actual: 1)) {
            try LogisticRegression.fit(x: x, rows: 3, cols: 2, y: y, sampleWeights: [1], config: LogisticConfig())
        }
        #expect(throws: LinearModelsError.emptyData) {
            try LogisticRegression.fit(x: [], rows: 0, cols: 2, y: [], config: LogisticConfig())
        }
    }

    @Test func badLabelsAndWeights() {
        #expect(throws: LinearModelsError.invalidLabel(row: 1, value: 2)) {
            try LogisticRegression.fit(x: x, rows: 3, cols: 2, y: [0, 2, 1], config: LogisticConfig())
        }
        #expect(throws: LinearModelsError.self) {
            try LogisticRegression.fit(x: x, rows: 3, cols: 2, y: [0, .nan, 1], config: LogisticConfig())
        }
        #expect(throws: LinearModelsError.invalidSampleWeight(row: 2, value: -1)) {
            try LogisticRegression.fit(x: x, rows: 3, cols: 2, y: y, sampleWeights: [1, 1, -1], config: LogisticConfig())
        }
        #expect(throws: LinearModelsError.zeroTotalWeight) {
            try LogisticRegression.fit(x: x, rows: 3, cols: 2, y: y, sampleWeights: [0, 0, 0], config: LogisticConfig())
        }
    }

    @Test func singleClassIsRejected() {
        #expect(throws: LinearModelsError.singleClass(label: 0)) {
            try LogisticRegression.fit(x: x, rows: 3, cols: 2, y: [0, 0, 0], config: LogisticConfig())
        }
        // Only the positive row carries weight → effectively one class.
        #expect(throws: LinearModelsError.singleClass(label: 1)) {
            try LogisticRegression.fit(x: x, rows: 3, cols: 2, y: y, sampleWeights: [0, 1, 0], config: LogisticConfig())
        }
    }

    @Test func infiniteFeatureIsRejected() {
        #expect(throws: LinearModelsError.nonFiniteFeature(row: 2, column: 1, value: .infinity)) {
            try LogisticRegression.fit(x: [0, 1, 2, 3, 4, .infinity], rows: 3, cols: 2, y: y, config: LogisticConfig())
        }
    }

    @Test func invalidSettings() {
        for config in [
            LogisticConfig(penalty: .l2(lambda: -1)),
            LogisticConfig(penalty: .elasticNet(alpha: 0.1, l1Ratio: 1.5)),
            LogisticConfig(penalty: .l1(lambda: 0.1), solver: .lbfgs),
            LogisticConfig(tolerance: 0),
            LogisticConfig(maxIterations: 0),
            LogisticConfig(classWeight: .custom(negative: 0, positive: 1)),
        ] {
            #expect(throws: LinearModelsError.self) {
                try LogisticRegression.fit(x: x, rows: 3, cols: 2, y: y, config: config)
            }
        }
        let message = LinearModelsError.invalidConfig(reason: "--l1-ratio must be in [0, 1], got 1.5").description
        #expect(message.contains("--l1-ratio"))
    }

    /// λ = 0 with a duplicated column: the Newton system is singular; training must still succeed, and the
    /// identifiable quantity β₀ + β₁ must equal the single-column fit's coefficient (1e-6).
    @Test func singularNewtonSystemFallsBack() throws {
        let single = plantedData(rows: 400, weights: [1], seed: 17)
        var doubled = [Double](repeating: 0, count: 800)
        for i in 0..<400 { doubled[i * 2] = single.x[i]; doubled[i * 2 + 1] = single.x[i] }
        var messages: [String] = []
        let config = LogisticConfig(penalty: .l2(lambda: 0), solver: .newton, tolerance: 1e-9)
        let model = try LogisticRegression.fit(x: doubled, rows: 400, cols: 2, y: single.y, config: config,
                                               progress: { messages.append($0) })
        let reference = try LogisticRegression.fit(x: single.x, rows: 400, cols: 1, y: single.y, config: config)
        #expect(model.report.converged && reference.report.converged)
        #expect(abs(model.coefficients[0] + model.coefficients[1] - reference.coefficients[0]) <= 1e-6)
        #expect(abs(model.intercept - reference.intercept) <= 1e-6)
        #expect(messages.contains { $0.contains("jitter") || $0.contains("falling back") })
    }
}
