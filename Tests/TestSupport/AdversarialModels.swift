// Crafted model files for the adversarial-model suites (ModelFormat/Scoring, CLI, C library): each case takes a
// shipped model's JSON, breaks one thing, and writes it back with a correct header and checksum, so only the
// loader's own validation can refuse it. One table; adding a case is one line.
import Foundation
import TenureCore

public enum AdversarialModels {
    /// Which shipped model a case starts from.
    public enum Base: String, Sendable {
        case gbdt = "demo-churn-gbdt", logistic = "demo-churn-logistic"
    }

    /// One step of a path into the JSON: an object key or an array index (negative: from the end).
    public enum Step: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, Sendable {
        case key(String), index(Int)
        public init(stringLiteral s: String) { self = .key(s) }
        public init(integerLiteral i: Int) { self = .index(i) }
    }

    /// What a case does to the JSON object.
    public enum Edit: Sendable {
        /// Sets the value at the path (a NaN or infinity is the string the writer uses: "nan", "inf", "-inf").
        case set([Step], JSONValue)
        /// Drops the last element of the array at the path.
        case dropLast([Step])
        /// Removes the key at the end of the path.
        case remove([Step])
        /// Appends a value to the array at the path.
        case append([Step], JSONValue)
        /// Swaps the first two elements of the array at the path.
        case swapFirstTwo([Step])
    }

    /// A JSON value a case writes (Sendable, unlike `Any`).
    public enum JSONValue: Sendable {
        case number(Double), int(Int), string(String), object, array
        var any: Any {
            switch self {
            case let .number(d): return d
            case let .int(i): return i
            case let .string(s): return s
            case .object: return [String: Any]()
            case .array: return [Any]()
            }
        }
    }

    public struct Case: Sendable {
        public let name: String
        public let base: Base
        public let edits: [Edit]
        /// The header's format version (the body's `formatVersion` is left alone unless an edit changes it).
        public let headerVersion: Int
        init(_ name: String, _ base: Base, _ edits: Edit..., headerVersion: Int = 1) {
            self.name = name; self.base = base; self.edits = edits; self.headerVersion = headerVersion
        }
    }

    static let nan = JSONValue.string("nan"), inf = JSONValue.string("inf"), negInf = JSONValue.string("-inf")
    static let tree0: [Step] = ["gbdt", "trees", 0]
    static let lr: [Step] = ["logistic"]

    /// Every file that must be refused: the "Model validation" list, plus NaN/±∞ wherever a number lives.
    public static let refused: [Case] = [
        // The payload and its kind.
        Case("kind-logistic-holding-trees", .gbdt, .set(["kind"], .string("logistic"))),
        Case("kind-gbdt-holding-logistic", .logistic, .set(["kind"], .string("gbdt"))),
        Case("both-payloads", .logistic, .set(["gbdt"], .object)),
        Case("no-payload", .logistic, .remove(["logistic"])),
        Case("unknown-kind", .logistic, .set(["kind"], .string("forest"))),
        // Format versions: header against body, and a body version that does not exist.
        Case("body-format-0", .logistic, .set(["formatVersion"], .int(0))),
        Case("body-format-2-header-1", .logistic, .set(["formatVersion"], .int(2))),
        Case("header-format-0", .logistic, headerVersion: 0),
        // Trees: numbers.
        Case("leaf-nan", .gbdt, .set(tree0 + ["leafValue", 0], nan)),
        Case("leaf-inf", .gbdt, .set(tree0 + ["leafValue", 1], inf)),
        Case("leaf-neg-inf", .gbdt, .set(tree0 + ["leafValue", 1], negInf)),
        Case("threshold-nan", .gbdt, .set(tree0 + ["threshold", 0], nan)),
        Case("init-score-nan", .gbdt, .set(["gbdt", "initScore"], nan)),
        Case("init-score-inf", .gbdt, .set(["gbdt", "initScore"], inf)),
        Case("internal-value-nan", .gbdt, .set(tree0 + ["internalValue", 0], nan)),
        Case("internal-weight-nan", .gbdt, .set(tree0 + ["internalWeight", 0], nan)),
        Case("internal-weight-negative", .gbdt, .set(tree0 + ["internalWeight", 0], .number(-1))),
        Case("leaf-weight-inf", .gbdt, .set(tree0 + ["leafWeight", 0], inf)),
        Case("split-gain-nan", .gbdt, .set(tree0 + ["splitGain", 0], nan)),
        Case("leaf-count-negative", .gbdt, .set(tree0 + ["leafCount", 0], .int(-5))),
        Case("bin-bound-nan", .gbdt, .set(["gbdt", "binUpperBounds", 0, 0], nan)),
        Case("feature-min-inf", .gbdt, .set(["gbdt", "featureMin", 0], negInf)),
        Case("feature-max-nan", .gbdt, .set(["gbdt", "featureMax", 0], nan)),
        Case("train-loss-nan", .gbdt, .set(["gbdt", "trainingLog", "trainLoss", 0], nan)),
        Case("importance-gain-nan", .gbdt, .set(["gbdt", "importance", "gain", 0], nan)),
        Case("importance-gain-altered", .gbdt, .set(["gbdt", "importance", "gain", 0], .number(12345))),
        Case("learning-rate-nan", .gbdt, .set(["gbdt", "config", "learningRate"], nan)),
        // Trees: shapes and indices.
        Case("importance-short", .gbdt, .dropLast(["gbdt", "importance", "splitCount"])),
        Case("feature-min-short", .gbdt, .dropLast(["gbdt", "featureMin"])),
        Case("has-values-short", .gbdt, .dropLast(["gbdt", "featureHasValues"])),
        Case("bin-bounds-short", .gbdt, .dropLast(["gbdt", "binUpperBounds"])),
        Case("leaf-values-short", .gbdt, .dropLast(tree0 + ["leafValue"])),
        Case("child-out-of-range", .gbdt, .set(tree0 + ["leftChild", 0], .int(100_000))),
        Case("child-cycle", .gbdt, .set(tree0 + ["leftChild", 0], .int(0))),
        Case("leaf-index-out-of-range", .gbdt, .set(tree0 + ["rightChild", 0], .int(-100_000))),
        Case("split-feature-out-of-range", .gbdt, .set(tree0 + ["splitFeature", 0], .int(100_000))),
        Case("split-feature-negative", .gbdt, .set(tree0 + ["splitFeature", 0], .int(-1))),
        Case("feature-count-wrong", .gbdt, .set(["gbdt", "featureCount"], .int(3))),
        Case("best-iteration-beyond-trees", .gbdt, .set(["gbdt", "bestIteration"], .int(100_000))),
        // Logistic: numbers.
        Case("coefficient-nan", .logistic, .set(lr + ["coefficients", 0], nan)),
        Case("coefficient-inf", .logistic, .set(lr + ["coefficients", 0], inf)),
        Case("median-nan", .logistic, .set(lr + ["medians", 0], nan)),
        Case("mean-inf", .logistic, .set(lr + ["means", 0], inf)),
        Case("scale-zero", .logistic, .set(lr + ["scales", 0], .number(0))),
        Case("scale-negative", .logistic, .set(lr + ["scales", 0], .number(-2))),
        Case("scale-nan", .logistic, .set(lr + ["scales", 0], nan)),
        Case("scale-inf", .logistic, .set(lr + ["scales", 0], inf)),
        Case("indicator-coefficient-nan", .logistic, .set(lr + ["indicatorCoefficients", 0], nan)),
        Case("intercept-nan", .logistic, .set(lr + ["intercept"], nan)),
        Case("intercept-inf", .logistic, .set(lr + ["intercept"], negInf)),
        Case("grad-norm-nan", .logistic, .set(lr + ["report", "gradNorm"], nan)),
        Case("tolerance-nan", .logistic, .set(lr + ["config", "tolerance"], nan)),
        // Logistic: shapes.
        Case("coefficients-short", .logistic, .dropLast(lr + ["coefficients"])),
        Case("medians-short", .logistic, .dropLast(lr + ["medians"])),
        Case("means-short", .logistic, .dropLast(lr + ["means"])),
        Case("scales-short", .logistic, .dropLast(lr + ["scales"])),
        Case("has-indicator-short", .logistic, .dropLast(lr + ["hasIndicator"])),
        Case("indicator-coefficients-short", .logistic, .dropLast(lr + ["indicatorCoefficients"])),
        Case("input-count-wrong", .logistic, .set(lr + ["inputCount"], .int(3))),
        // Feature names against the stored spec.
        Case("spec-window-added", .logistic, .append(["features", "spec", "windows"], .int(14))),
        Case("names-permuted", .gbdt, .swapFirstTwo(["featureNames"])),
        Case("names-shortened", .logistic, .dropLast(["featureNames"])),
        Case("name-renamed", .logistic, .set(["featureNames", 0], .string("something_else"))),
        Case("names-empty", .logistic, .set(["featureNames"], .array)),
        // Label spans.
        Case("horizon-huge", .gbdt, .set(["label", "horizon"], .string("999999999999999d"))),
        Case("horizon-zero", .logistic, .set(["label", "horizon"], .string("0d"))),
        Case("lookback-huge", .logistic, .set(["label", "lookback"], .string("999999999999999d"))),
        Case("signup-window-zero", .logistic, .set(["label", "signupWindow"], .string("0d"))),
        // Reference distribution and score histogram.
        Case("reference-histogram-missing", .logistic, .dropLast(["reference", "features"])),
        Case("reference-shares-short", .logistic, .dropLast(["reference", "features", 0, "shares"])),
        Case("reference-cut-nan", .gbdt, .set(["reference", "features", 0, "cuts", 0], nan)),
        Case("reference-share-inf", .logistic, .set(["reference", "features", 0, "shares", 0], inf)),
        Case("score-quantile-nan", .logistic, .set(["reference", "scoreQuantiles", 0], nan)),
        Case("score-quantiles-unsorted", .logistic, .set(["reference", "scoreQuantiles", 0], .number(1))),
        Case("histogram-bins-disagree", .logistic, .set(["validationScores", "bins"], .int(7))),
        Case("histogram-count-negative", .logistic, .set(["validationScores", "positives", 0], .int(-1))),
        Case("histogram-count-huge", .gbdt, .set(["validationScores", "negatives", 0], .int(1 << 60))),
        // Validation metrics and training record.
        Case("metric-log-loss-nan", .logistic, .set(["validation", "logLoss"], nan)),
        Case("metric-auc-inf", .gbdt, .set(["validation", "rocAUC"], inf)),
        Case("train-rows-negative", .logistic, .set(["training", "trainRows"], .int(-1))),
    ]

    /// Files that must load although they look odd: the untouched re-serialized bases (so a refusal above is the
    /// edit's doing), ±∞ thresholds (every non-missing value goes left, or only −∞ does), and a 60,000-deep tree
    /// (the scoring and TreeSHAP walks are iterative).
    public static let accepted: [Case] = [
        Case("control-gbdt", .gbdt),
        Case("control-logistic", .logistic),
        Case("threshold-inf", .gbdt, .set(tree0 + ["threshold", 0], inf), .set(tree0 + ["threshold", 1], negInf)),
    ]

    /// Writes every case into `dir` as `<name>.tenure`; returns (case, path) in table order. The deep tree comes
    /// from `deepTreeModel`.
    public static func write(_ cases: [Case], into dir: URL) throws -> [(name: String, path: String)] {
        var bases: [Base: [String: Any]] = [:]
        return try cases.map { c in
            if bases[c.base] == nil { bases[c.base] = try json(c.base) }
            var object: Any = bases[c.base]!
            for e in c.edits { try apply(e, to: &object) }
            let path = dir.appendingPathComponent(c.name + ".tenure").path
            try rechecksummed(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
                              version: c.headerVersion, to: path)
            return (c.name, path)
        }
    }

    /// The gbdt demo model with its trees replaced by one chain of `depth` splits on feature 0 (node i: left to
    /// leaf i, right to node i + 1), consistent in every other respect, so it loads and must score and explain.
    public static func writeDeepTree(depth: Int, to path: String) throws {
        var object = try json(.gbdt)
        var gbdt = object["gbdt"] as! [String: Any]
        let n = depth, leaves = depth + 1
        let tree: [String: Any] = [
            "splitFeature": [Int](repeating: 0, count: n),
            "threshold": (0..<n).map { Double($0) },
            "defaultLeft": [Bool](repeating: true, count: n),
            "leftChild": (0..<n).map { ~$0 },
            "rightChild": (0..<n).map { $0 + 1 < n ? $0 + 1 : ~n },
            "splitGain": [Double](repeating: 0, count: n),
            "internalValue": [Double](repeating: 0, count: n),
            "internalWeight": (0..<n).map { Double(leaves - $0) },
            "internalCount": (0..<n).map { leaves - $0 },
            "leafValue": (0..<leaves).map { $0 % 2 == 0 ? 0.001 : -0.001 },
            "leafWeight": [Double](repeating: 1, count: leaves),
            "leafCount": [Int](repeating: 1, count: leaves),
        ]
        let features = (gbdt["featureCount"] as! NSNumber).intValue
        gbdt["trees"] = [tree]
        gbdt["bestIteration"] = 1
        gbdt["importance"] = ["splitCount": [n] + [Int](repeating: 0, count: features - 1),
                              "gain": [Double](repeating: 0, count: features)]
        object["gbdt"] = gbdt
        try rechecksummed(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), version: 1, to: path)
    }

    /// The JSON body of a shipped model.
    public static func json(_ base: Base) throws -> [String: Any] {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Repository.path("models/\(base.rawValue).tenure")))
        guard let newline = bytes.firstIndex(of: 10),
              let object = try JSONSerialization.jsonObject(with: bytes[(newline + 1)...]) as? [String: Any] else {
            throw SubprocessError("models/\(base.rawValue).tenure is not a model file")
        }
        return object
    }

    /// A model file with `body` as its JSON and a correct header: what a hand edit plus a re-checksum makes.
    public static func rechecksummed(_ body: Data, version: Int = 1, to path: String) throws {
        var file = Data("TENURE-MODEL \(version) sha256=\(SHA256.hex(Array(body))) bytes=\(body.count)\n".utf8)
        file.append(body)
        try file.write(to: URL(fileURLWithPath: path))
    }

    static func apply(_ edit: Edit, to root: inout Any) throws {
        switch edit {
        case let .set(path, value): try update(&root, path[...]) { $0 = value.any }
        case let .dropLast(path): try update(&root, path[...]) { v in v = (v as? [Any]).map { Array($0.dropLast()) } ?? v }
        case let .append(path, value): try update(&root, path[...]) { v in v = (v as? [Any]).map { $0 + [value.any] } ?? v }
        case let .swapFirstTwo(path): try update(&root, path[...]) { v in if var a = v as? [Any] { a.swapAt(0, 1); v = a } }
        case let .remove(path):
            try update(&root, path.dropLast()) { v in
                if case let .key(k)? = path.last, var o = v as? [String: Any] { o[k] = nil; v = o }
            }
        }
    }

    /// Runs `body` on the value at `path` (creating a missing last object key), writing the change back.
    static func update(_ value: inout Any, _ path: ArraySlice<Step>, _ body: (inout Any) -> Void) throws {
        guard let step = path.first else { body(&value); return }
        switch step {
        case let .key(k):
            guard var o = value as? [String: Any] else { throw SubprocessError("no object at '\(k)'") }
            var child: Any = o[k] ?? [String: Any]()
            try update(&child, path.dropFirst(), body)
            o[k] = child
            value = o
        case let .index(i):
            guard var a = value as? [Any], !a.isEmpty else { throw SubprocessError("no array at [\(i)]") }
            let at = i >= 0 ? i : a.count + i
            try update(&a[at], path.dropFirst(), body)
            value = a
        }
    }
}
