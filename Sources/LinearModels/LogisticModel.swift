// A trained logistic regression: learned preprocessing, coefficients, fit report, and thread-safe scoring.
import Dispatch
import Foundation
import TenureCore

/// How training went; stored in the model so a reader can see whether the optimum was reached.
public struct LogisticFitReport: Codable, Sendable, Equatable {
    /// Outer iterations performed (Newton steps or quasi-Newton updates, including any fallback).
    public var iterations: Int
    /// True when ‖∇F‖∞ (minimum-norm subgradient with L1) fell to `tolerance`.
    public var converged: Bool
    /// Final ‖∇F‖∞ on the standardised scale.
    public var gradNorm: Double
    /// Final objective value F (weighted mean log-loss + penalty).
    public var objective: Double
    public var tolerance: Double
    public var maxIterations: Int
    /// Solver actually used (never `.auto`).
    public var solver: LogisticConfig.Solver
    /// Equivalent full passes over the training data (rows processed by objective/gradient/Hessian
    /// evaluations ÷ rows; subsample passes count fractionally). Excludes the preprocessing pass.
    public var dataPasses: Double
    /// Set when the requested solver could not finish (e.g. singular Newton system → OWL-QN).
    public var fallback: String?
}

/// Immutable trained model. Scoring applies exactly the train-time preprocessing (see `Preprocessing`):
///
///     raw(x) = b + Σⱼ [ βⱼ·(x̃ⱼ − meanⱼ)/scaleⱼ + γⱼ·1[xⱼ is NaN] ],   x̃ⱼ = xⱼ or medianⱼ if NaN,
///
/// where γⱼ = `indicatorCoefficients[j]` (0 for columns without a missing indicator). ±∞ inputs are not
/// imputed and propagate into the score. A categorical input (`oneHot`) instead adds γ_{j,k} − Σₖ' shareₖ'·γ_{j,k'}
/// for its code k (not an integer in 0..<K: the rare bucket, code K − 1), and when missing its indicator's
/// coefficient minus the same mean, or 0 (the training mix) when training had no missing value there.
/// All methods are thread-safe and the single-row ones allocate nothing.
public struct LogisticModel: Codable, Sendable, Equatable {
    public let inputCount: Int
    public let medians: [Double]
    public let hasIndicator: [Bool]
    public let means: [Double]
    public let scales: [Double]
    /// βⱼ, per input column, on the standardised scale.
    public let coefficients: [Double]
    /// γⱼ, the missing-indicator coefficient per input column (0 where `hasIndicator[j]` is false).
    public let indicatorCoefficients: [Double]
    public let intercept: Double
    public let config: LogisticConfig
    public let report: LogisticFitReport
    /// The one-hot encoded (categorical) inputs, ascending by column; nil when every input is numeric (so such
    /// models keep their bytes). A one-hot column's median, mean, coefficient are 0 and its scale 1.
    public let oneHot: [OneHot]?
    /// Derived: per input, its index in `oneHot` (−1 numeric; empty without one-hot inputs), and per one-hot
    /// input Σₖ shareₖ·γₖ, the training mix's contribution that each row's is measured from.
    private let oneHotIndex: [Int]
    private let oneHotMean: [Double]

    /// One categorical input: per code k (codes 0..<K, K − 1 the rare bucket) its training share and log-odds
    /// coefficient γₖ.
    public struct OneHot: Codable, Sendable, Equatable {
        public let column: Int
        public let shares: [Double]
        public let coefficients: [Double]
        public var codeCount: Int { shares.count }

        public init(column: Int, shares: [Double], coefficients: [Double]) {
            self.column = column; self.shares = shares; self.coefficients = coefficients
        }

        /// The code of a present value, by training's rule (not an integer in 0..<K: the rare bucket).
        @inline(__always)
        func code(_ v: Double) -> Int { Preprocessing.code(v, codeCount: codeCount) ?? codeCount - 1 }
    }

    public init(
        medians: [Double], hasIndicator: [Bool], means: [Double], scales: [Double], coefficients: [Double],
        indicatorCoefficients: [Double], intercept: Double, config: LogisticConfig, report: LogisticFitReport,
        oneHot: [OneHot]? = nil
    ) {
        let n = medians.count
        precondition([hasIndicator.count, means.count, scales.count, coefficients.count,
                      indicatorCoefficients.count].allSatisfy { $0 == n }, "LogisticModel: per-column arrays differ in length")
        inputCount = n
        self.medians = medians; self.hasIndicator = hasIndicator; self.means = means; self.scales = scales
        self.coefficients = coefficients; self.indicatorCoefficients = indicatorCoefficients
        self.intercept = intercept; self.config = config; self.report = report
        self.oneHot = oneHot
        (oneHotIndex, oneHotMean) = Self.derive(oneHot, inputCount: n)
    }

    private static func derive(_ oneHot: [OneHot]?, inputCount n: Int) -> ([Int], [Double]) {
        guard let oneHot else { return ([], []) }
        var index = [Int](repeating: -1, count: max(n, 0))
        for (e, c) in oneHot.enumerated() where c.column >= 0 && c.column < n { index[c.column] = e }
        return (index, oneHot.map { c in zip(c.shares, c.coefficients).reduce(0) { $0 + $1.0 * $1.1 } })
    }

    private enum CodingKeys: String, CodingKey {
        case inputCount, medians, hasIndicator, means, scales, coefficients, indicatorCoefficients, intercept, config, report
        case oneHot
    }

    /// Decodes and validates: one entry per input column in every per-column array, finite medians, means,
    /// coefficients and intercept, finite positive scales, γⱼ = 0 without an indicator, finite fit report and
    /// settings in range — so scoring, which indexes without checks, never reads past an array or yields NaN
    /// from the model itself.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inputCount = try c.decode(Int.self, forKey: .inputCount)
        medians = try c.decode([Double].self, forKey: .medians)
        hasIndicator = try c.decode([Bool].self, forKey: .hasIndicator)
        means = try c.decode([Double].self, forKey: .means)
        scales = try c.decode([Double].self, forKey: .scales)
        coefficients = try c.decode([Double].self, forKey: .coefficients)
        indicatorCoefficients = try c.decode([Double].self, forKey: .indicatorCoefficients)
        intercept = try c.decode(Double.self, forKey: .intercept)
        config = try c.decode(LogisticConfig.self, forKey: .config)
        report = try c.decode(LogisticFitReport.self, forKey: .report)
        oneHot = try c.decodeIfPresent([OneHot].self, forKey: .oneHot)
        // Derived before validation (the checks below are closures over self); bad columns are skipped here and refused there.
        (oneHotIndex, oneHotMean) = Self.derive(oneHot, inputCount: medians.count)
        func bad(_ s: String, _ key: CodingKeys = .inputCount) -> DecodingError {
            .dataCorruptedError(forKey: key, in: c, debugDescription: s)
        }
        let n = inputCount
        let lengths = [medians.count, hasIndicator.count, means.count, scales.count, coefficients.count, indicatorCoefficients.count]
        guard n >= 1, lengths.allSatisfy({ $0 == n }) else {
            throw bad("per-column arrays (medians, hasIndicator, means, scales, coefficients, indicatorCoefficients) have lengths \(lengths), expected inputCount \(n)")
        }
        for (key, values) in [(CodingKeys.medians, medians), (.means, means), (.coefficients, coefficients),
                              (.indicatorCoefficients, indicatorCoefficients)] {
            if let j = values.firstIndex(where: { !$0.isFinite }) { throw bad("\(key.stringValue)[\(j)] is \(values[j])", key) }
        }
        guard intercept.isFinite else { throw bad("intercept is \(intercept)", .intercept) }
        if let j = scales.firstIndex(where: { !($0.isFinite && $0 > 0) }) { throw bad("scales[\(j)] is \(scales[j]); scales are finite and > 0", .scales) }
        if let j = (0..<n).first(where: { !hasIndicator[$0] && indicatorCoefficients[$0] != 0 }) {
            throw bad("indicatorCoefficients[\(j)] is \(indicatorCoefficients[j]) for a column without a missing indicator", .indicatorCoefficients)
        }
        guard [report.gradNorm, report.objective, report.tolerance, report.dataPasses].allSatisfy(\.isFinite),
              report.iterations >= 0, report.maxIterations >= 0 else { throw bad("the fit report holds a non-finite or negative number", .report) }
        if let oneHot {
            guard !oneHot.isEmpty, zip(oneHot, oneHot.dropFirst()).allSatisfy({ $0.column < $1.column }),
                  let first = oneHot.first, let last = oneHot.last, first.column >= 0, last.column < n else {
                throw bad("oneHot columns must be distinct, ascending and below inputCount \(n)", .oneHot)
            }
            for e in oneHot {
                let j = e.column
                guard e.codeCount >= 1, e.codeCount <= 1 << 16, e.coefficients.count == e.codeCount,
                      e.shares.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 }), e.coefficients.allSatisfy(\.isFinite) else {
                    throw bad("oneHot column \(j): needs 1 to 65536 shares in [0, 1] and as many finite coefficients", .oneHot)
                }
                guard medians[j] == 0, means[j] == 0, scales[j] == 1, coefficients[j] == 0 else {
                    throw bad("oneHot column \(j) has a median, mean or coefficient other than 0 or a scale other than 1", .oneHot)
                }
            }
        }
        try config.validate()
    }

    /// Contribution of column j for raw value v (standardised term plus its missing-indicator term).
    @inline(__always)
    private func term(_ j: Int, _ raw: Double) -> Double {
        if raw.isNaN {
            return coefficients[j] * ((medians[j] - means[j]) / scales[j]) + indicatorCoefficients[j]
        }
        return coefficients[j] * ((raw - means[j]) / scales[j])
    }

    /// Contribution of column j when it may be one-hot encoded (models with `oneHot` only).
    @inline(__always)
    private func encodedTerm(_ j: Int, _ raw: Double) -> Double {
        let e = oneHotIndex[j]
        guard e >= 0 else { return term(j, raw) }
        if raw.isNaN { return hasIndicator[j] ? indicatorCoefficients[j] - oneHotMean[e] : 0 }
        let c = oneHot.unsafelyUnwrapped[e]
        return c.coefficients[c.code(raw)] - oneHotMean[e]
    }

    /// Log-odds for one row of `inputCount` raw values. O(inputCount), no allocation.
    public func rawScore(_ row: UnsafeBufferPointer<Double>) -> Double {
        precondition(row.count == inputCount, "rawScore: row has \(row.count) values, model expects \(inputCount)")
        var s = 0.0
        if oneHotIndex.isEmpty {
            for j in 0..<inputCount { s += term(j, row[j]) }
        } else {
            for j in 0..<inputCount { s += encodedTerm(j, row[j]) }
        }
        return s + intercept
    }

    /// P(y = 1 | row) = 1/(1+e^{−raw}).
    public func probability(_ row: UnsafeBufferPointer<Double>) -> Double {
        1 / (1 + exp(-rawScore(row)))
    }

    /// Per-column additive explanation: entry j is βⱼ·zⱼ (+ γⱼ when xⱼ is missing; a one-hot input's term as
    /// above), the last entry is the intercept. Summed left to right they reproduce `rawScore` bit-for-bit (same operation order).
    public func contributions(_ row: UnsafeBufferPointer<Double>) -> [Double] {
        precondition(row.count == inputCount, "contributions: row has \(row.count) values, model expects \(inputCount)")
        var out = [Double](repeating: 0, count: inputCount + 1)
        for j in 0..<inputCount { out[j] = oneHotIndex.isEmpty ? term(j, row[j]) : encodedTerm(j, row[j]) }
        out[inputCount] = intercept
        return out
    }

    public func rawScore(_ row: [Double]) -> Double { row.withUnsafeBufferPointer { rawScore($0) } }
    public func probability(_ row: [Double]) -> Double { row.withUnsafeBufferPointer { probability($0) } }
    public func contributions(_ row: [Double]) -> [Double] { row.withUnsafeBufferPointer { contributions($0) } }

    /// Probabilities for a row-major batch (`rows` × `inputCount`), split across cores. O(rows·inputCount).
    public func scoreBatch(x: [Double], rows: Int) -> [Double] {
        precondition(x.count == rows * inputCount, "scoreBatch: \(x.count) values for \(rows) rows × \(inputCount) columns")
        var out = [Double](repeating: 0, count: rows)
        guard rows > 0 else { return out }
        let cols = inputCount
        let chunks = max(1, min(rows / 1024, 4 * ProcessInfo.processInfo.activeProcessorCount))
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { opm in
                nonisolated(unsafe) let (xp, op) = (xp, opm)  // disjoint row ranges per chunk
                parallelChunks(rows, chunks: chunks) { c, range in
                    for i in range {
                        op[i] = probability(UnsafeBufferPointer(rebasing: xp[(i * cols)..<((i + 1) * cols)]))
                    }
                }
            }
        }
        return out
    }
}
