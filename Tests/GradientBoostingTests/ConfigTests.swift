// Configuration and input validation: typed errors for every out-of-range setting and bad input.
import Foundation
import Testing
@testable import GradientBoosting
import TenureCore

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

    @Test("each out-of-range setting throws a ParameterError naming it as the user spells it",
          arguments: [
            ("trees", edited { c in c.trees = 0 }),
            ("learning-rate", edited { c in c.learningRate = 0 }),
            ("num-leaves", edited { c in c.numLeaves = 1 }),
            ("max-depth", edited { c in c.maxDepth = 0 }),
            ("min-data-in-leaf", edited { c in c.minDataInLeaf = 0 }),
            ("min-hessian-in-leaf", edited { c in c.minHessianInLeaf = -1 }),
            ("lambda-l2", edited { c in c.lambdaL2 = -0.1 }),
            ("lambda-l1", edited { c in c.lambdaL1 = .nan }),
            ("min-gain", edited { c in c.minGain = -1 }),
            ("max-bin", edited { c in c.maxBin = 256 }),
            ("bagging-fraction", edited { c in c.baggingFraction = 0 }),
            ("bagging-freq", edited { c in c.baggingFreq = -1 }),
            ("feature-fraction", edited { c in c.featureFraction = 1.5 }),
            ("early-stopping-rounds", edited { c in c.earlyStoppingRounds = -2 }),
            ("scale-pos-weight", edited { c in c.scalePosWeight = 0 }),
            ("monotone", edited { c in c.monotone = [2, 0, 0] }),
            ("monotone", edited { c in c.monotone = [1] }),
            ("threads", edited { c in c.threads = 0 }),
          ])
    func invalid(name: String, c: GBDTConfig) {
        do {
            try c.validate(featureCount: 3, spelling: { "--\($0)" })
            Issue.record("\(name) accepted")
        } catch let e as ParameterError {
            #expect(e.message.hasPrefix("--\(name) must be "), "\(e.message)")
            #expect(e.category == .usage)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("the message says the range and the value: --num-leaves must be in 2...65536, got 1")
    func message() {
        #expect(throws: ParameterError("--num-leaves must be in 2...65536, got 1")) {
            try edited { $0.numLeaves = 1 }.validate(spelling: { "--\($0)" })
        }
        #expect(throws: ParameterError.self) { try GBDTConfig.parameters.configuration(["num-leaves": "many"]) }
    }

    @Test("the table sets every stored property: each parameter moves its own field and only it")
    func tableCoversEveryField() throws {
        let base = GBDTConfig()
        var seen = Set<String>()
        for p in GBDTConfig.parameters.parameters {
            let other = p.name == "monotone" ? "1,-1" : p.name == "max-depth" ? "3" : p.name.contains("fraction") ? "0.5" : "7"
            var c = base
            try p.apply(other, to: &c, spelling: p.name)
            #expect(c != base, "\(p.name) changed nothing")
            let changed = GBDTConfig.parameters.settings(c).filter { GBDTConfig.parameters.settings(base)[$0.key] != $0.value }
            #expect(Array(changed.keys) == [p.name], "\(p.name) changed \(changed.keys.sorted())")
            seen.insert(p.name)
        }
        #expect(seen.count == GBDTConfig.parameters.parameters.count)
    }

    @Test("stored under format 1's keys; the parameter names and LightGBM's names decode too")
    func coding() throws {
        var c = GBDTConfig()
        c.numLeaves = 7; c.learningRate = 0.25; c.monotone = [1, 0, -1]; c.seed = 9
        let json = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
        #expect(json.contains("\"numLeaves\":7") && json.contains("\"monotone\":[1,0,-1]"))
        #expect(try JSONDecoder().decode(GBDTConfig.self, from: Data(json.utf8)) == c)
        let named = try JSONDecoder().decode(GBDTConfig.self, from: Data(#"{"num-leaves": 7, "learning-rate": 0.25, "monotone": [1, 0, -1], "seed": 9}"#.utf8))
        #expect(named == c)
        let lightGBM = try JSONDecoder().decode(GBDTConfig.self, from: Data(#"{"num_leaves": 7, "learning_rate": 0.25, "monotone_constraints": [1, 0, -1], "seed": 9}"#.utf8))
        #expect(lightGBM == c)
    }

    @Test("monotone constraints: name pairs need the feature names, positional lists do not")
    func monotoneParsing() throws {
        let names = ["a", "b", "c"]
        #expect(try GBDTConfig.monotone("c=+1,a=-1", featureNames: names) == [-1, 0, 1])
        #expect(try GBDTConfig.monotone("1,0,-1", featureNames: nil) == [1, 0, -1])
        #expect(try GBDTConfig.monotone("c=+1", featureNames: nil) == [])
        #expect(throws: ParameterError.self) { try GBDTConfig.monotone("c=+2", featureNames: names) }
        #expect(throws: ParameterError("--monotone: no feature named 'd'")) {
            try GBDTConfig.monotone("d=1", featureNames: names, spelling: "--monotone")
        }
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
