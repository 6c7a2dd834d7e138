// LightGBMExport: writes a model in LightGBM's v4 text format so `lightgbm.Booster(model_file=...)`
// loads it and predicts the same probabilities (init score folded into the first tree).
import Foundation
import TenureCore

extension GBDTModel {
    /// LightGBM v4 text model (see shared/docs/peers.md §6). Names containing whitespace get `_`;
    /// when `featureNames.count != featureCount`, names `Column_i` are used. Splits are written as
    /// numerical with NaN missing type (decision_type 10 = default left, 8 = default right) and the same
    /// `x <= threshold` rule Tenure uses, so both route every row identically. Categorical splits are written
    /// LightGBM's way (decision_type bit 0, `cat_boundaries`/`cat_threshold` bitsets, the feature's
    /// `feature_infos` listing its codes); LightGBM sends NaN right at a categorical node, so a node whose
    /// missing side is left is written with its children swapped and its bitset complemented.
    public func lightGBMModelText(featureNames: [String]) -> String {
        let names: [String] = featureNames.count == featureCount
            ? featureNames.map { n in
                let cleaned = String(n.map { $0.isWhitespace || $0 == "=" ? "_" : $0 })
                return cleaned.isEmpty ? "_" : cleaned
            }
            : (0..<featureCount).map { "Column_\($0)" }
        // LightGBM always has at least one tree; fold the init score into the first (AddBias).
        var exported = trees
        if exported.isEmpty {
            exported = [GBDTTree(splitFeature: [], threshold: [], defaultLeft: [], leftChild: [], rightChild: [],
                                 splitGain: [], internalValue: [], internalWeight: [], internalCount: [],
                                 leafValue: [0], leafWeight: [0], leafCount: [0])]
        }
        exported[0].leafValue = exported[0].leafValue.map { $0 + initScore }
        exported[0].internalValue = exported[0].internalValue.map { $0 + initScore }

        let blocks = exported.enumerated().map { i, t in
            "Tree=\(i)\n" + Self.treeText(t, shrinkage: i == 0 ? 1 : config.learningRate) + "\n\n"
        }
        var out = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n"
        out += "max_feature_idx=\(featureCount - 1)\nobjective=binary sigmoid:1\n"
        out += "feature_names=" + names.joined(separator: " ") + "\n"
        if config.monotone.contains(where: { $0 != 0 }) {
            out += "monotone_constraints=" + config.monotone.map(String.init).joined(separator: " ") + "\n"
        }
        // A feature split by category anywhere is categorical for LightGBM; its infos list the codes it can hold.
        var categorical = [Bool](repeating: false, count: featureCount)
        for t in trees { for (n, c) in (t.isCategorical ?? []).enumerated() where c { categorical[t.splitFeature[n]] = true } }
        let infos = (0..<featureCount).map { f in
            categorical[f] ? (0..<binUpperBounds[f].count + 1).map(String.init).joined(separator: ":")
                : featureHasValues[f] ? "[\(Self.num(featureMin[f])):\(Self.num(featureMax[f]))]" : "none"
        }
        out += "feature_infos=" + infos.joined(separator: " ") + "\n"
        out += "tree_sizes=" + blocks.map { String($0.utf8.count) }.joined(separator: " ") + "\n\n"
        for b in blocks { out += b }
        out += "end of trees\n\nfeature_importances:\n"
        let order = (0..<featureCount).filter { importance.splitCount[$0] > 0 }
            .sorted { (importance.splitCount[$0], -$0) > (importance.splitCount[$1], -$1) }
        for f in order { out += "\(names[f])=\(importance.splitCount[f])\n" }
        out += "\nparameters:\n"
        out += "[boosting: gbdt]\n[objective: binary]\n"
        out += GBDTConfig.parameters.lightGBMBlock(config)
        out += "end of parameters\n\npandas_categorical:null\n"
        return out
    }

    /// Shortest round-trip decimal for a finite Double ("0.1", "1e-05", "20.0"), which strtod reads back exactly.
    static func num(_ v: Double) -> String {
        precondition(v.isFinite, "LightGBM text needs finite numbers")
        return "\(v)"
    }

    /// `Tree::ToString` body: key=value lines in LightGBM's order.
    static func treeText(_ t: GBDTTree, shrinkage: Double) -> String {
        func line<T>(_ key: String, _ values: [T], _ fmt: (T) -> String) -> String {
            "\(key)=" + values.map(fmt).joined(separator: " ") + "\n"
        }
        // Categorical nodes: threshold = index of the node's bitset, decision_type 9 (categorical, NaN missing).
        var threshold = t.threshold.map(num), decision = t.defaultLeft.map { $0 ? "10" : "8" }
        var left = t.leftChild, right = t.rightChild
        var boundaries = [0], words: [UInt32] = []
        for n in t.splitFeature.indices where t.isCategorical?[n] == true {
            let wordCount = (GBDTTree.maxCategoryCode + 1) / 32
            var bits = [UInt32](repeating: 0, count: wordCount)
            for c in t.categoryLeft![n] { bits[c / 32] |= 1 << UInt32(c % 32) }
            if t.defaultLeft[n] {
                bits = bits.map { ~$0 }
                swap(&left[n], &right[n])
            }
            // Trailing zero words carry nothing; LightGBM reads a code past the words as "not in the set".
            while bits.count > 1 && bits.last == 0 { bits.removeLast() }
            threshold[n] = String(boundaries.count - 1)
            decision[n] = "9"
            words += bits
            boundaries.append(words.count)
        }
        var s = "num_leaves=\(t.numLeaves)\nnum_cat=\(boundaries.count - 1)\n"
        if t.numLeaves > 1 {
            s += line("split_feature", t.splitFeature) { String($0) }
            s += line("split_gain", t.splitGain) { num($0) }
            s += line("threshold", threshold) { $0 }
            s += line("decision_type", decision) { $0 }
            s += line("left_child", left) { String($0) }
            s += line("right_child", right) { String($0) }
        }
        s += line("leaf_value", t.leafValue) { num($0) }
        s += line("leaf_weight", t.leafWeight) { num($0) }
        s += line("leaf_count", t.leafCount) { String($0) }
        if t.numLeaves > 1 {
            s += line("internal_value", t.internalValue) { num($0) }
            s += line("internal_weight", t.internalWeight) { num($0) }
            s += line("internal_count", t.internalCount) { String($0) }
        }
        if boundaries.count > 1 {
            s += line("cat_boundaries", boundaries) { String($0) }
            s += line("cat_threshold", words) { String($0) }
        }
        s += "is_linear=0\nshrinkage=\(num(shrinkage))\n"
        return s
    }
}
