// TreeSHAP: exact path-dependent SHAP values of a tree ensemble (Lundberg, Erion & Lee 2018), with cover = the
// hessian sum (XGBoost, LightGBM's newest code) or the row count (LightGBM 4.x `pred_contrib`) of each node.
// The model-level entry points; the algorithm lives in TreeSHAPExplainer.swift.

/// What a node's "cover" (the weight of the path-dependent expectation) is.
public enum TreeSHAPCover: Sendable {
    /// Sum of training hessians in the node (XGBoost, and LightGBM's newest code).
    case hessian
    /// Number of training rows in the node (what LightGBM 4.x's `pred_contrib` uses).
    case rowCount
}

extension GBDTModel {
    /// SHAP contributions of one row: `featureCount` values plus the expected value (bias) last;
    /// they sum to `rawScore(row)` (up to rounding). O(trees · leaves · depth) per row. The per-model plan is
    /// built on the first call and kept in a small process-wide cache (the 4 most recent models); for a hot
    /// loop, hold a `shapExplainer(cover:)` and call its `contributions(_:into:)`, which allocates nothing.
    public func contributions(_ row: UnsafeBufferPointer<Double>, cover: TreeSHAPCover = .hessian) -> [Double] {
        precondition(row.count >= featureCount, "row has \(row.count) values, model needs \(featureCount)")
        return TreeSHAPExplainerCache.shared.explainer(for: self, cover: cover).contributions(row)
    }

    /// The precomputed TreeSHAP plan of this model (build once, share across threads). O(trees · leaves).
    public func shapExplainer(cover: TreeSHAPCover = .hessian) -> TreeSHAPExplainer {
        TreeSHAPExplainer(model: self, cover: cover)
    }
}

extension GBDTTree {
    /// Cover-weighted mean of the leaf values: Σ leafWeight·leafValue / rootWeight.
    public var expectedValue: Double {
        if splitFeature.isEmpty { return leafValue[0] }
        return expectedValue(leafWeight: leafWeight, rootWeight: internalWeight[0])
    }

    /// Σ leafWeight[i] / rootWeight · leafValue[i], in leaf order (the bias TreeSHAP reports per tree).
    func expectedValue(leafWeight: [Double], rootWeight: Double) -> Double {
        var s = 0.0
        for i in 0..<numLeaves { s += leafWeight[i] / rootWeight * leafValue[i] }
        return s
    }
}
