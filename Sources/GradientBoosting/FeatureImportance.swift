// FeatureImportance: per-feature split counts and total split gain of a trained model.

/// Split count and summed split gain per feature (LightGBM's "split" and "gain" importance).
public struct FeatureImportance: Codable, Sendable, Equatable {
    public var splitCount: [Int]
    public var gain: [Double]

    /// Sums over every internal node of `trees`.
    public init(trees: [GBDTTree], featureCount: Int) {
        splitCount = [Int](repeating: 0, count: featureCount)
        gain = [Double](repeating: 0, count: featureCount)
        for t in trees {
            for (k, f) in t.splitFeature.enumerated() {
                splitCount[f] += 1
                gain[f] += t.splitGain[k]
            }
        }
    }
}
