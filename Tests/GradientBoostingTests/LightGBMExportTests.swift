// LightGBM export: the text is structurally sound (tree_sizes byte-exact, folded init score, single-leaf
// trees), and with TENURE_DUMP_DIR set, models plus scored rows are written for
// bench/gbdt/check_lightgbm_export.py to verify against the real LightGBM.
import Foundation
import Testing
@testable import GradientBoosting

@Suite("LightGBM export")
struct LightGBMExportTests {
    /// Splits the text into header, tree blocks (by tree_sizes) and the rest.
    static func blocks(_ text: String) throws -> (sizes: [Int], blocks: [String], rest: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let sizeLine = try #require(lines.first { $0.hasPrefix("tree_sizes=") })
        let sizes = sizeLine.dropFirst("tree_sizes=".count).split(separator: " ").compactMap { Int($0) }
        let bytes = Array(text.utf8)
        let start = try #require(text.range(of: "\nTree=0\n")).lowerBound.utf16Offset(in: text) + 1
        var offset = start
        var out: [String] = []
        for s in sizes {
            out.append(String(decoding: bytes[offset..<(offset + s)], as: UTF8.self))
            offset += s
        }
        return (sizes, out, String(decoding: bytes[offset...], as: UTF8.self))
    }

    @Test("tree_sizes are byte-exact, init score is folded into tree 0, header is complete")
    func structure() throws {
        let d = TestData.planted(rows: 1000, seed: 61, nanRate: 0.2)
        let m = try TestData.train(d, TestData.config { $0.trees = 5 })
        let text = m.lightGBMModelText(featureNames: (0..<d.cols).map { "f \($0)" })
        #expect(text.hasPrefix("tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n"))
        #expect(text.contains("\nmax_feature_idx=\(d.cols - 1)\n"))
        #expect(text.contains("\nobjective=binary sigmoid:1\n"))
        #expect(text.contains("\nfeature_names=f_0 f_1 f_2 f_3 f_4 f_5\n"))
        let (sizes, blocks, rest) = try Self.blocks(text)
        #expect(sizes.count == m.trees.count)
        for (i, b) in blocks.enumerated() { #expect(b.hasPrefix("Tree=\(i)\nnum_leaves=")) }
        #expect(rest.hasPrefix("end of trees\n"))
        #expect(rest.contains("\nparameters:\n") && rest.contains("\nend of parameters\n"))
        let leafLine = try #require(blocks[0].split(separator: "\n").first { $0.hasPrefix("leaf_value=") })
        let values = leafLine.dropFirst("leaf_value=".count).split(separator: " ").compactMap { Double($0) }
        #expect(values == m.trees[0].leafValue.map { $0 + m.initScore })
        // NaN splits use missing type NaN: decision_type 8 or 10 only.
        let dt = try #require(blocks[1].split(separator: "\n").first { $0.hasPrefix("decision_type=") })
        #expect(dt.dropFirst("decision_type=".count).split(separator: " ").allSatisfy { $0 == "8" || $0 == "10" })
    }

    @Test("the parameter block is the config's table: each LightGBM name with the trained value")
    func parameterBlock() throws {
        let d = TestData.planted(rows: 400, seed: 62, nanRate: 0)
        let m = try TestData.train(d, TestData.config { $0.trees = 3; $0.numLeaves = 5; $0.lambdaL1 = 0.5; $0.monotone = [1, 0, 0, 0, 0, -1] })
        let text = m.lightGBMModelText(featureNames: (0..<d.cols).map { "f\($0)" })
        let block = try #require(text.components(separatedBy: "\nparameters:\n").last?.components(separatedBy: "end of parameters").first)
        #expect(block.hasPrefix("[boosting: gbdt]\n[objective: binary]\n[num_iterations: 3]\n[learning_rate: "))
        for line in ["[num_leaves: 5]", "[lambda_l1: 0.5]", "[monotone_constraints: 1,0,0,0,0,-1]", "[max_bin: 255]"] {
            #expect(block.contains(line + "\n"), "\(line) missing from\n\(block)")
        }
        // Exactly one line per table entry with a LightGBM name (plus boosting and objective).
        #expect(block.split(separator: "\n").count == 2 + GBDTConfig.parameters.parameters.filter { !$0.lightGBM.isEmpty }.count)
    }

    @Test("a single-leaf model exports num_leaves=1 with the base-rate leaf value")
    func singleLeaf() throws {
        let m = try GBDTTrainer.train(x: [1, 1, 1, 1], rows: 4, cols: 1, y: [0, 1, 1, 1], config: GBDTConfig())
        let text = m.lightGBMModelText(featureNames: ["only"])
        let (_, blocks, _) = try Self.blocks(text)
        #expect(blocks.count == 1)
        #expect(blocks[0].hasPrefix("Tree=0\nnum_leaves=1\nnum_cat=0\nleaf_value=\(m.trees[0].leafValue[0] + m.initScore)\n"))
        #expect(!blocks[0].contains("split_feature"))
    }

    /// Writes `<name>.txt` (LightGBM text) and `<name>.csv` (features, Tenure probability, SHAP with row-count
    /// cover, which is what LightGBM 4.x's pred_contrib uses).
    static func dump(_ m: GBDTModel, _ d: Dataset, name: String, dir: URL) throws {
        let names = (0..<d.cols).map { "feature_\($0)" }
        try m.lightGBMModelText(featureNames: names).write(to: dir.appendingPathComponent("\(name).txt"),
                                                           atomically: true, encoding: .utf8)
        var csv = (names + ["tenure_prob"] + (0...d.cols).map { "shap_\($0)" }).joined(separator: ",") + "\n"
        let probs = m.scoreBatch(x: d.x, rows: d.rows)
        for r in 0..<d.rows {
            let row = d.row(r)
            let phi = row.withUnsafeBufferPointer { m.contributions($0, cover: .rowCount) }
            csv += (row.map { $0.isNaN ? "nan" : "\($0)" } + ["\(probs[r])"] + phi.map { "\($0)" })
                .joined(separator: ",") + "\n"
        }
        try csv.write(to: dir.appendingPathComponent("\(name).csv"), atomically: true, encoding: .utf8)
    }

    @Test("dump models for the LightGBM cross-check (only with TENURE_DUMP_DIR)",
          .enabled(if: ProcessInfo.processInfo.environment["TENURE_DUMP_DIR"] != nil))
    func dumpForLightGBM() throws {
        let dir = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["TENURE_DUMP_DIR"]))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let train = TestData.planted(rows: 4000, seed: 71, nanRate: 0.25)
        let test = TestData.planted(rows: 1000, seed: 72, nanRate: 0.25)
        try Self.dump(try TestData.train(train, TestData.config { $0.trees = 60; $0.numLeaves = 31 }), test,
                      name: "nan_plain", dir: dir)
        try Self.dump(try TestData.train(train, TestData.config {
            $0.trees = 40; $0.baggingFraction = 0.6; $0.baggingFreq = 2; $0.featureFraction = 0.5
            $0.lambdaL1 = 0.5; $0.lambdaL2 = 2; $0.monotone = [1, -1, 0, 0, 0, 0]; $0.maxDepth = 4
        }), test, name: "bagged_monotone", dir: dir)
        let constant = try GBDTTrainer.train(x: [Double](repeating: 2, count: 40), rows: 20, cols: 2,
                                             y: (0..<20).map { $0 % 4 == 0 ? 1 : 0 }, config: GBDTConfig())
        try Self.dump(constant, Dataset(x: [2, 2, .nan, 5], rows: 2, cols: 2, y: [0, 1], logit: [0, 0]),
                      name: "single_leaf", dir: dir)
        // Categorical splits (bitsets; missing-left nodes swapped and complemented) on the planted categories.
        let cat = CategoricalSplitTests.planted(rows: 4000, seed: 73), catTest = CategoricalSplitTests.planted(rows: 1000, seed: 74)
        try Self.dump(try GBDTTrainer.train(x: cat.x, rows: cat.rows, cols: cat.cols, y: cat.y,
                                            config: TestData.config { $0.trees = 30; $0.numLeaves = 8 }, categoryCounts: [8, 0]),
                      catTest, name: "categorical", dir: dir)
    }
}
