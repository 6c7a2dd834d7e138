// GBDTConfig: every training setting of the gradient-boosted trees. Each is declared once, in
// `GBDTConfig.parameters` (name, LightGBM name, default, range, meaning); the CLI, decoding, validation,
// the stored settings, the LightGBM export and the README's table are read off that table.
import Foundation
import TenureCore

/// Settings for `GBDTTrainer.train`.
public struct GBDTConfig: Codable, Sendable, Equatable {
    // The values here are placeholders: `init()` sets every one to its default in `parameters`, where each
    // setting is documented.
    public var trees = 0
    public var learningRate = 0.0
    public var numLeaves = 0
    public var maxDepth = 0
    public var minDataInLeaf = 0
    public var minHessianInLeaf = 0.0
    public var lambdaL2 = 0.0
    public var lambdaL1 = 0.0
    public var minGain = 0.0
    public var maxBin = 0
    public var baggingFraction = 0.0
    public var baggingFreq = 0
    public var featureFraction = 0.0
    public var seed: UInt64 = 0
    public var earlyStoppingRounds = 0
    public var scalePosWeight = 0.0
    /// Per-feature -1/0/+1; empty = none.
    public var monotone: [Int] = []
    public var threads = 0

    /// The default settings.
    public init() { self = Self.parameters.defaults }

    private init(placeholders: Void) {}

    /// Absent keys keep their defaults, so adding a setting never breaks an old file. Model files keep the
    /// camelCase keys of format 1 (`storedAs`); the parameter names and LightGBM's names are read too.
    public init(from decoder: any Decoder) throws { self = try Self.parameters.decode(from: decoder) }

    public func encode(to encoder: any Encoder) throws { try Self.parameters.encode(self, to: encoder) }

    /// Throws `ParameterError` for the first setting out of range, named with `spelling` (the CLI passes
    /// `--name`). `featureCount`, when given, also checks the length of `monotone`.
    public func validate(featureCount: Int? = nil, spelling: Spelling = { $0 }) throws {
        try Self.parameters.validate(self, spelling: spelling)
        if let featureCount, !monotone.isEmpty, monotone.count != featureCount {
            throw ParameterError.outOfRange(spelling("monotone"), "empty or one entry per feature (\(featureCount))",
                                            got: "\(monotone.count) entries")
        }
    }

    /// Every GBDT parameter, declared once (LightGBM's config.h habit).
    public static let parameters = ParameterTable<GBDTConfig>(blank: { GBDTConfig(placeholders: ()) }, [
        Parameter("trees", \.trees, lightGBM: ["num_iterations", "num_trees"], placeholder: "N", default: 100,
                  check: .atLeast(1), doc: "boosting rounds (trees)"),
        Parameter("learning-rate", \.learningRate, lightGBM: ["learning_rate"], storedAs: "learningRate", placeholder: "η",
                  default: 0.1, check: .positive, doc: "shrinkage of each tree's leaf values"),
        Parameter("num-leaves", \.numLeaves, lightGBM: ["num_leaves"], storedAs: "numLeaves", placeholder: "N",
                  default: 31, check: .within(2...GBDTTree.maxLeaves), doc: "leaves per tree (leaf-wise growth)"),
        Parameter("max-depth", \.maxDepth, lightGBM: ["max_depth"], storedAs: "maxDepth", placeholder: "N", default: -1,
                  check: Check("-1 (none) or ≥ 1") { $0 == -1 || $0 >= 1 }, doc: "depth limit of a leaf, -1 = none"),
        Parameter("min-data-in-leaf", \.minDataInLeaf, lightGBM: ["min_data_in_leaf"], storedAs: "minDataInLeaf",
                  placeholder: "N", default: 20, check: .atLeast(1), doc: "minimum rows per leaf"),
        Parameter("min-hessian-in-leaf", \.minHessianInLeaf, lightGBM: ["min_sum_hessian_in_leaf"],
                  storedAs: "minHessianInLeaf", placeholder: "H", default: 1e-3, check: .nonNegative,
                  doc: "minimum hessian sum per leaf"),
        Parameter("lambda-l1", \.lambdaL1, lightGBM: ["lambda_l1"], storedAs: "lambdaL1", placeholder: "λ", default: 0,
                  check: .nonNegative, doc: "L1 regularisation of leaf values"),
        Parameter("lambda-l2", \.lambdaL2, lightGBM: ["lambda_l2"], storedAs: "lambdaL2", placeholder: "λ", default: 0,
                  check: .nonNegative, doc: "L2 regularisation of leaf values"),
        Parameter("min-gain", \.minGain, lightGBM: ["min_gain_to_split"], storedAs: "minGain", placeholder: "G",
                  default: 0, check: .nonNegative, doc: "minimum gain to split"),
        Parameter("max-bin", \.maxBin, lightGBM: ["max_bin"], storedAs: "maxBin", placeholder: "N", default: 255,
                  check: .within(2...255), doc: "histogram bins per feature (plus one for missing)"),
        Parameter("bagging-fraction", \.baggingFraction, lightGBM: ["bagging_fraction"], storedAs: "baggingFraction",
                  placeholder: "F", default: 1, check: .fraction, doc: "share of rows drawn (without replacement) per bag"),
        Parameter("bagging-freq", \.baggingFreq, lightGBM: ["bagging_freq"], storedAs: "baggingFreq", placeholder: "N",
                  default: 0, check: .atLeast(0), doc: "redraw the bag every N trees, 0 = no bagging"),
        Parameter("feature-fraction", \.featureFraction, lightGBM: ["feature_fraction"], storedAs: "featureFraction",
                  placeholder: "F", default: 1, check: .fraction, doc: "share of features drawn per tree"),
        Parameter("seed", \.seed, lightGBM: ["seed"], placeholder: "S", default: 42,
                  doc: "seed of every random choice (same seed, same model bytes)"),
        Parameter("early-stopping-rounds", \.earlyStoppingRounds, lightGBM: ["early_stopping_round"],
                  storedAs: "earlyStoppingRounds", placeholder: "N", default: 0, check: .atLeast(0),
                  doc: "stop after N rounds without validation improvement, 0 = off"),
        Parameter("scale-pos-weight", \.scalePosWeight, lightGBM: ["scale_pos_weight"], storedAs: "scalePosWeight",
                  placeholder: "W", default: 1, check: .positive, doc: "weight of positive rows' gradients"),
        Parameter("monotone", \.monotone, lightGBM: ["monotone_constraints"], placeholder: "LIST", default: [],
                  check: Check("-1, 0 or +1 each") { $0.allSatisfy { (-1...1).contains($0) } },
                  doc: "monotone constraints: name=+1,other=-1, or one -1/0/+1 per feature",
                  parse: { text, spelling in try monotone(text, featureNames: nil, spelling: spelling) }),
        Parameter("threads", \.threads, lightGBM: ["num_threads"], placeholder: "N", default: WorkerThreads.default,
                  check: .within(WorkerThreads.range), doc: WorkerThreads.doc),
    ])

    /// Monotone constraints from text: `name=+1,other=-1` (needs `featureNames`; nil = check the syntax and
    /// return `[]` until the names are known) or one -1/0/+1 per feature (`1,0,-1`).
    public static func monotone(_ text: String, featureNames: [String]?, spelling: String = "monotone") throws -> [Int] {
        if let positional = [Int](parameterText: text) { return positional }
        var pairs: [(String, Int)] = []
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", omittingEmptySubsequences: false)
            guard kv.count == 2, !kv[0].isEmpty, let dir = Int(kv[1].hasPrefix("+") ? String(kv[1].dropFirst()) : String(kv[1])),
                  (-1...1).contains(dir) else {
                throw ParameterError.malformed(spelling, "name=+1 or name=-1 pairs", got: String(part))
            }
            pairs.append((String(kv[0]), dir))
        }
        guard let featureNames else { return [] }
        var out = [Int](repeating: 0, count: featureNames.count)
        for (name, dir) in pairs {
            guard let at = featureNames.firstIndex(of: name) else { throw ParameterError("\(spelling): no feature named '\(name)'") }
            out[at] = dir
        }
        return out
    }
}
