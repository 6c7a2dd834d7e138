// Mean absolute contribution per feature over scored rows (TreeSHAP for trees, coefficient × standardised
// value for logistic regression): how much each feature moves individual scores, in log-odds.
import Dispatch
import ModelFormat
import TenureCore

public enum FeatureAttribution {
    /// mean over rows of |φⱼ(row)| for each feature j (bias excluded), using at most `maxRows` rows taken at an
    /// even stride (deterministic). Cost O(rows · trees · leaves · depth²) for trees; runs on both cores.
    public static func meanAbsoluteContribution(model: TenureModel, x: [Double], rows: Int,
                                                maxRows: Int = 4000) throws -> [Double] {
        let width = model.featureCount
        guard x.count == rows * width else { throw ReportError.badFeatureRows(expected: width, got: x.count) }
        guard rows > 0 else { return [Double](repeating: 0, count: width) }
        let picked = rows <= maxRows ? Array(0..<rows) : (0..<maxRows).map { $0 * rows / maxRows }
        let chunks = max(1, min(8, picked.count / 64))
        var sums = [Double](repeating: 0, count: chunks * width)
        sums.withUnsafeMutableBufferPointer { out in
            x.withUnsafeBufferPointer { v in
                let shared = Shared(out: out, v: v)
                parallelChunks(picked.count, chunks: chunks) { c, range in
                    for i in range {
                        let r = picked[i]
                        let phi = model.contributions(UnsafeBufferPointer(rebasing: shared.v[(r * width)..<((r + 1) * width)]))
                        for j in 0..<width { shared.out[c * width + j] += abs(phi[j]) }
                    }
                }
            }
        }
        return (0..<width).map { j in (0..<chunks).reduce(0) { $0 + sums[$1 * width + j] } / Double(picked.count) }
    }
}

private struct Shared: @unchecked Sendable {
    let out: UnsafeMutableBufferPointer<Double>
    let v: UnsafeBufferPointer<Double>
}
