// Per-row sample weights for training: taken from a column of a feature CSV, validated, and summarised for
// the model's training info.
import Features
import Foundation

/// Sample weights as LightGBM and CatBoost users know them: one non-negative number per row, from a column
/// of the training matrix (`tenure train --features FILE.csv --weight-col NAME`). A row of weight w counts
/// like w copies of itself in the training loss of both trainers (logistic: weighted mean log loss;
/// gbdt: gradients and hessians scaled by w). Weight 0 keeps a row out of the fit. Validation metrics and
/// GBDT early stopping stay unweighted, like `tenure evaluate`.
public enum SampleWeights {
    /// Removes column `column` from `matrix` (it is no longer a feature) and returns its values.
    /// Throws `TrainingError.missingWeightColumn` when the header lacks it (or it is the label column), and
    /// `TrainingError.invalidWeight` with the file and line of the first row whose weight is missing, NaN,
    /// infinite or negative. O(rows·cols).
    public static func extract(from matrix: inout FeatureMatrix, column: String, path: String,
                               labelColumn: String) throws -> [Double] {
        guard column != labelColumn, let at = matrix.names.firstIndex(of: column) else {
            throw TrainingError.missingWeightColumn(path: path, column: column,
                                                    reason: column == labelColumn ? "it is the label column" : "no such column")
        }
        let width = matrix.names.count, rows = matrix.rows
        var weights = [Double](repeating: 0, count: rows)
        var kept = [Double]()
        kept.reserveCapacity(rows * (width - 1))
        matrix.values.withUnsafeBufferPointer { v in
            for r in 0..<rows {
                let base = r * width
                weights[r] = v[base + at]
                kept.append(contentsOf: UnsafeBufferPointer(rebasing: v[base..<(base + at)]))
                kept.append(contentsOf: UnsafeBufferPointer(rebasing: v[(base + at + 1)..<(base + width)]))
            }
        }
        if let bad = weights.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw TrainingError.invalidWeight(path: path, line: lineNumber(ofRow: bad, in: path) ?? bad + 2,
                                              column: column, value: weights[bad])
        }
        matrix.values = kept
        matrix.names.remove(at: at)
        return weights
    }

    /// The 1-based file line of data row `row` (0-based), as `FeatureMatrixReader` reads the file.
    static func lineNumber(ofRow row: Int, in path: String) -> Int? { FeatureMatrixReader.lineNumber(ofRow: row, in: path) }

    /// One line for the model's training settings: "sum S over N rows (min a, max b, Z at zero)".
    public static func summary(_ weights: [Double]) -> String {
        var sum = 0.0, lo = Double.infinity, hi = -Double.infinity, zeros = 0
        for w in weights { sum += w; lo = min(lo, w); hi = max(hi, w); if w == 0 { zeros += 1 } }
        if weights.isEmpty { lo = 0; hi = 0 }
        return "sum \(sum) over \(weights.count) rows (min \(lo), max \(hi), \(zeros) at zero)"
    }
}
