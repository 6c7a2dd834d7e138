// Per-user reasons: the features that pushed this user's probability up the most (TreeSHAP or coefficient ×
// value), or moved it most either way.
import Dispatch
import Features
import Foundation
import GradientBoosting
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

    /// The same for rows of any row-major matrix in the model's feature order (`tenure predict`). A tree model's
    /// rows are explained by one `TreeSHAPMemoExplainer` per core (rows alike in a tree share its walk; the
    /// numbers are those of the per-row explainer, bit for bit).
    public static func topReasons(model: TenureModel, values: [Double], width: Int, rows selected: [Int], count: Int,
                                  signs: ReasonSigns = .raising) -> [[Reason]] {
        guard count > 0 else { return selected.map { _ in [] } }
        let explainer = model.gbdt?.shapExplainer()
        var out = [[Reason]](repeating: [], count: selected.count)
        out.withUnsafeMutableBufferPointer { o in
            let sink = ReasonSink(out: o)
            values.withUnsafeBufferPointer { v in
                let rows = ValuesView(v: v)
                // One chunk per core: each chunk's memo sees as many rows as it can.
                let chunks = max(1, min(selected.count / 256, ProcessInfo.processInfo.activeProcessorCount))
                parallelChunks(selected.count, chunks: chunks) { c, range in
                    let memo = explainer.map { TreeSHAPMemoExplainer($0) }
                    var contrib = [Double](repeating: 0, count: width + 1)
                    for i in range {
                        let r = selected[i]
                        let row = UnsafeBufferPointer(rebasing: rows.v[(r * width)..<((r + 1) * width)])
                        if let memo {
                            contrib.withUnsafeMutableBufferPointer { memo.contributions(row, into: $0) }
                        } else {
                            // An uplift model's reasons explain the uplift (contributions to the difference, margin scale).
                            contrib = model.uplift.map { $0.upliftContributions(row) } ?? model.contributions(row)
                        }
                        sink.out[i] = largest(contrib, features: width, count: count, signs: signs).map {
                            Reason(feature: model.featureNames[$0], value: row[$0], contribution: contrib[$0])
                        }
                    }
                }
            }
        }
        return out
    }

    /// Indices among the first `features` contributions of the `count` largest by `signs` (positive ones only for
    /// .raising, nonzero for .either), largest first, ties by index.
    static func largest(_ contrib: [Double], features: Int, count: Int, signs: ReasonSigns) -> [Int] {
        guard count > 0 else { return [] }
        var best: [(size: Double, index: Int)] = []
        best.reserveCapacity(count + 1)
        for j in 0..<features {
            let size = signs == .raising ? contrib[j] : abs(contrib[j])
            // Strictly larger than the k-th so far (equal sizes keep the lower index first).
            guard size > 0, best.count < count || size > best[best.count - 1].size else { continue }
            var k = best.count
            while k > 0, best[k - 1].size < size { k -= 1 }
            best.insert((size, j), at: k)
            if best.count > count { best.removeLast() }
        }
        return best.map(\.index)
    }
}

private struct ReasonSink: @unchecked Sendable { let out: UnsafeMutableBufferPointer<[Reason]> }
private struct ValuesView: @unchecked Sendable { let v: UnsafeBufferPointer<Double> }
