// Per-user reasons: the features that pushed this user's probability up the most (TreeSHAP or coefficient ×
// value), or moved it most either way.
import Dispatch
import Features
import ModelFormat
import TenureCore

public struct Reason: Sendable, Codable, Equatable {
    public var feature: String
    public var value: Double
    /// Contribution to the raw score (log-odds); positive = raises the probability (churn: risk; activation: chance).
    public var contribution: Double
}

/// Which contributions count as reasons.
public enum ReasonSigns: Sendable {
    /// Only those pushing the probability up (a churn list: what raises this user's risk).
    case raising
    /// Both ways, largest |contribution| first (an activation list: what raises and what lowers the chance).
    case either
}

public enum ReasonFinder {
    /// The `count` largest positive contributions of each user's row (`signs` .either: largest in size), on both cores.
    public static func topReasons(model: TenureModel, table: FeatureTable, users: [ScoredUser], count: Int,
                                  signs: ReasonSigns = .raising) -> [[Reason]] {
        topReasons(model: model, values: table.values, width: table.width, rows: users.map(\.row), count: count, signs: signs)
    }

    /// The same for rows of any row-major matrix in the model's feature order (`tenure predict`).
    public static func topReasons(model: TenureModel, values: [Double], width: Int, rows selected: [Int], count: Int,
                                  signs: ReasonSigns = .raising) -> [[Reason]] {
        guard count > 0 else { return selected.map { _ in [] } }
        var out = [[Reason]](repeating: [], count: selected.count)
        out.withUnsafeMutableBufferPointer { o in
            let sink = ReasonSink(out: o)
            values.withUnsafeBufferPointer { v in
                let rows = ValuesView(v: v)
                let chunks = max(1, min(selected.count / 256, 16))
                parallelChunks(selected.count, chunks: chunks) { c, range in
                    for i in range {
                        let r = selected[i]
                        let row = UnsafeBufferPointer(rebasing: rows.v[(r * width)..<((r + 1) * width)])
                        // An uplift model's reasons explain the uplift (contributions to the difference, margin scale).
                        let contrib = model.uplift.map { $0.upliftContributions(row) } ?? model.contributions(row)
                        let size: (Int) -> Double = signs == .raising ? { contrib[$0] } : { abs(contrib[$0]) }
                        let best = (0..<width).filter { size($0) > 0 }.sorted { size($0) != size($1) ? size($0) > size($1) : $0 < $1 }.prefix(count)
                        sink.out[i] = best.map { Reason(feature: model.featureNames[$0], value: row[$0], contribution: contrib[$0]) }
                    }
                }
            }
        }
        return out
    }
}

private struct ReasonSink: @unchecked Sendable { let out: UnsafeMutableBufferPointer<[Reason]> }
private struct ValuesView: @unchecked Sendable { let v: UnsafeBufferPointer<Double> }
