// Configuration and input validation: typed errors for every out-of-range setting and bad input.
import Foundation
import Testing
@testable import GradientBoosting

private func edited(_ edit: (inout GBDTConfig) -> Void) -> GBDTConfig {
    var c = GBDTConfig()
    edit(&c)
    return c
}

@Suite("Config validation")
struct ConfigTests {
    @Test("defaults are valid and decode from an empty object")
    func defaults() throws {
        try GBDTConfig().validate(featureCount: 3)
        let decoded = try JSONDecoder().decode(GBDTConfig.self, from: Data("{}".utf8))
        #expect(decoded == GBDTConfig())
        #expect(decoded.trees == 100 && decoded.numLeaves == 31 && decoded.maxBin == 255 && decoded.threads == 2)
    }

    @Test("each out-of-range setting throws invalidParameter naming it",
          arguments: [
            ("trees", edited { c in c.trees = 0 }),
            ("learningRate", edited { c in c.learningRate = 0 }),
            ("numLeaves", edited { c in c.numLeaves = 1 }),
            ("maxDepth", edited { c in c.maxDepth = 0 }),
            ("minDataInLeaf", edited { c in c.minDataInLeaf = 0 }),
            ("minHessianInLeaf", edited { c in c.minHessianInLeaf = -1 }),
            ("lambdaL2", edited { c in c.lambdaL2 = -0.1 }),
            ("lambdaL1", edited { c in c.lambdaL1 = .nan }),
            ("minGain", edited { c in c.minGain = -1 }),
            ("maxBin", edited { c in c.maxBin = 256 }),
            ("baggingFraction", edited { c in c.baggingFraction = 0 }),
            ("baggingFreq", edited { c in c.baggingFreq = -1 }),
            ("featureFraction", edited { c in c.featureFraction = 1.5 }),
            ("earlyStoppingRounds", edited { c in c.earlyStoppingRounds = -2 }),
            ("scalePosWeight", edited { c in c.scalePosWeight = 0 }),
            ("monotone", edited { c in c.monotone = [2, 0, 0] }),
            ("monotone", edited { c in c.monotone = [1] }),
            ("threads", edited { c in c.threads = 0 }),
          ])
    func invalid(name: String, c: GBDTConfig) {
        do {
            try c.validate(featureCount: 3)
            Issue.record("\(name) accepted")
        } catch let GradientBoostingError.invalidParameter(got, _, _) {
            #expect(got == name)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("bad training input throws typed errors")
    func badInput() {
        let cfg = GBDTConfig()
        #expect(throws: GradientBoostingError.shapeMismatch(what: "training x", expected: 4, found: 3)) {
            try GBDTTrainer.train(x: [1, 2, 3], rows: 2, cols: 2, y: [0, 1], config: cfg)
        }
        #expect(throws: GradientBoostingError.invalidLabel(row: 1, value: 2)) {
            try GBDTTrainer.train(x: [1, 2, 3, 4], rows: 2, cols: 2, y: [0, 2], config: cfg)
        }
        #expect(throws: GradientBoostingError.invalidWeight(row: 0, value: -1)) {
            try GBDTTrainer.train(x: [1, 2, 3, 4], rows: 2, cols: 2, y: [0, 1], weights: [-1, 1], config: cfg)
        }
        #expect(throws: GradientBoostingError.infiniteFeatureValue(what: "training x", row: 1, feature: 0)) {
            try GBDTTrainer.train(x: [1, 2, .infinity, 4], rows: 2, cols: 2, y: [0, 1], config: cfg)
        }
        #expect(throws: GradientBoostingError.emptyData(what: "training rows")) {
            try GBDTTrainer.train(x: [], rows: 0, cols: 2, y: [], config: cfg)
        }
        #expect(throws: GradientBoostingError.self) {
            try GBDTTrainer.train(x: [1, 2, 3, 4], rows: 2, cols: 2, y: [0, 1],
                                  validation: (x: [1, 2], rows: 1, y: [0, 1]), config: cfg)
        }
        #expect(GradientBoostingError.invalidLabel(row: 1, value: 2).description.contains("0 or 1"))
    }

    @Test("data that cannot be split yields one single-leaf tree with the base rate")
    func constantData() throws {
        let m = try GBDTTrainer.train(x: [1, 1, 1, 1], rows: 4, cols: 1, y: [0, 1, 1, 1], config: GBDTConfig())
        #expect(m.trees.count == 1 && m.trees[0].numLeaves == 1)
        #expect(abs(1 / (1 + exp(-TestData.raw(m, [1]))) - 0.75) < 0.05)
    }
}
