// GBDTConfig: every training setting of the gradient-boosted trees, declared once with its
// default, its meaning (LightGBM's parameter name in brackets) and its validation.
import Foundation

/// Settings for `GBDTTrainer.train`. Decoding fills absent keys with their defaults so that adding
/// a setting never breaks an old file.
public struct GBDTConfig: Codable, Sendable, Equatable {
    /// Number of boosting iterations (trees) [num_iterations]. >= 1.
    public var trees: Int = 100
    /// Shrinkage applied to each tree's leaf values [learning_rate]. > 0.
    public var learningRate: Double = 0.1
    /// Maximum leaves per tree, leaf-wise growth [num_leaves]. 2...65536.
    public var numLeaves: Int = 31
    /// Maximum depth of a leaf; -1 means unlimited [max_depth].
    public var maxDepth: Int = -1
    /// Minimum rows in a leaf [min_data_in_leaf]. >= 1.
    public var minDataInLeaf: Int = 20
    /// Minimum hessian sum in a leaf [min_sum_hessian_in_leaf]. >= 0.
    public var minHessianInLeaf: Double = 1e-3
    /// L2 penalty on leaf values [lambda_l2]. >= 0.
    public var lambdaL2: Double = 0
    /// L1 penalty on leaf values [lambda_l1]. >= 0.
    public var lambdaL1: Double = 0
    /// Minimum gain to split [min_gain_to_split]. >= 0.
    public var minGain: Double = 0
    /// Maximum value bins per feature, NaN gets one extra bin [max_bin]. 2...255.
    public var maxBin: Int = 255
    /// Fraction of rows drawn (without replacement) for each bag [bagging_fraction]. (0, 1].
    public var baggingFraction: Double = 1
    /// Redraw the bag every `baggingFreq` iterations; 0 disables bagging [bagging_freq]. >= 0.
    public var baggingFreq: Int = 0
    /// Fraction of features drawn for each tree [feature_fraction]. (0, 1].
    public var featureFraction: Double = 1
    /// Seed of every random choice (bin sampling, bagging, feature sampling) [seed].
    public var seed: UInt64 = 42
    /// Stop when validation log loss has not improved for this many iterations; 0 = off.
    public var earlyStoppingRounds: Int = 0
    /// Multiplier of positive rows' gradients and hessians [scale_pos_weight]. > 0.
    public var scalePosWeight: Double = 1
    /// Per-feature monotone constraint -1/0/+1; empty = none [monotone_constraints].
    public var monotone: [Int] = []
    /// Worker threads for histogram building and gradient computation. >= 1.
    public var threads: Int = 2

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GBDTConfig.defaults
        trees = try c.decodeIfPresent(Int.self, forKey: .trees) ?? d.trees
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate
        numLeaves = try c.decodeIfPresent(Int.self, forKey: .numLeaves) ?? d.numLeaves
        maxDepth = try c.decodeIfPresent(Int.self, forKey: .maxDepth) ?? d.maxDepth
        minDataInLeaf = try c.decodeIfPresent(Int.self, forKey: .minDataInLeaf) ?? d.minDataInLeaf
        minHessianInLeaf = try c.decodeIfPresent(Double.self, forKey: .minHessianInLeaf) ?? d.minHessianInLeaf
        lambdaL2 = try c.decodeIfPresent(Double.self, forKey: .lambdaL2) ?? d.lambdaL2
        lambdaL1 = try c.decodeIfPresent(Double.self, forKey: .lambdaL1) ?? d.lambdaL1
        minGain = try c.decodeIfPresent(Double.self, forKey: .minGain) ?? d.minGain
        maxBin = try c.decodeIfPresent(Int.self, forKey: .maxBin) ?? d.maxBin
        baggingFraction = try c.decodeIfPresent(Double.self, forKey: .baggingFraction) ?? d.baggingFraction
        baggingFreq = try c.decodeIfPresent(Int.self, forKey: .baggingFreq) ?? d.baggingFreq
        featureFraction = try c.decodeIfPresent(Double.self, forKey: .featureFraction) ?? d.featureFraction
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        earlyStoppingRounds = try c.decodeIfPresent(Int.self, forKey: .earlyStoppingRounds) ?? d.earlyStoppingRounds
        scalePosWeight = try c.decodeIfPresent(Double.self, forKey: .scalePosWeight) ?? d.scalePosWeight
        monotone = try c.decodeIfPresent([Int].self, forKey: .monotone) ?? d.monotone
        threads = try c.decodeIfPresent(Int.self, forKey: .threads) ?? d.threads
    }

    /// The default settings.
    public static let defaults = GBDTConfig()

    /// Throws `GradientBoostingError.invalidParameter` for the first setting out of range.
    /// `featureCount`, when given, also checks the length of `monotone`.
    public func validate(featureCount: Int? = nil) throws {
        func bad(_ name: String, _ value: Any, _ requirement: String) -> GradientBoostingError {
            .invalidParameter(name: name, value: "\(value)", requirement: requirement)
        }
        guard trees >= 1 else { throw bad("trees", trees, ">= 1") }
        guard learningRate > 0, learningRate.isFinite else { throw bad("learningRate", learningRate, "finite and > 0") }
        guard (2...65536).contains(numLeaves) else { throw bad("numLeaves", numLeaves, "in 2...65536") }
        guard maxDepth == -1 || maxDepth >= 1 else { throw bad("maxDepth", maxDepth, "-1 (unlimited) or >= 1") }
        guard minDataInLeaf >= 1 else { throw bad("minDataInLeaf", minDataInLeaf, ">= 1") }
        guard minHessianInLeaf >= 0, minHessianInLeaf.isFinite else {
            throw bad("minHessianInLeaf", minHessianInLeaf, "finite and >= 0")
        }
        guard lambdaL2 >= 0, lambdaL2.isFinite else { throw bad("lambdaL2", lambdaL2, "finite and >= 0") }
        guard lambdaL1 >= 0, lambdaL1.isFinite else { throw bad("lambdaL1", lambdaL1, "finite and >= 0") }
        guard minGain >= 0, minGain.isFinite else { throw bad("minGain", minGain, "finite and >= 0") }
        guard (2...255).contains(maxBin) else { throw bad("maxBin", maxBin, "in 2...255") }
        guard baggingFraction > 0, baggingFraction <= 1 else {
            throw bad("baggingFraction", baggingFraction, "in (0, 1]")
        }
        guard baggingFreq >= 0 else { throw bad("baggingFreq", baggingFreq, ">= 0") }
        guard featureFraction > 0, featureFraction <= 1 else {
            throw bad("featureFraction", featureFraction, "in (0, 1]")
        }
        guard earlyStoppingRounds >= 0 else { throw bad("earlyStoppingRounds", earlyStoppingRounds, ">= 0") }
        guard scalePosWeight > 0, scalePosWeight.isFinite else {
            throw bad("scalePosWeight", scalePosWeight, "finite and > 0")
        }
        guard monotone.allSatisfy({ (-1...1).contains($0) }) else {
            throw bad("monotone", monotone, "made of -1, 0 and +1 only")
        }
        if let featureCount, !monotone.isEmpty, monotone.count != featureCount {
            throw bad("monotone", "\(monotone.count) entries", "empty or one entry per feature (\(featureCount))")
        }
        guard (1...256).contains(threads) else { throw bad("threads", threads, "in 1...256") }
    }
}
