// What a `tenure_model*` points to: the immutable Swift scorer plus the C strings handed out for it.
import Foundation
import ModelFormat
import Scoring

/// A loaded model behind the C ABI. Immutable after `init`, so any number of C threads may use it at once;
/// the C strings are allocated once here and freed in `deinit` (when `tenure_model_free` drops the last reference).
final class LoadedModel: @unchecked Sendable {  // unchecked: the C string pointers are written only in init
    let scorer: Scorer
    let featureCount: Int
    /// NUL-terminated copies of the feature names, in row order.
    let featureNames: [UnsafeMutablePointer<CChar>]
    let kind: UnsafeMutablePointer<CChar>

    /// Reads, checks and validates a model file; throws on anything it would not score safely.
    init(path: String) throws {
        let model = try ModelFile.read(path)
        try LoadedModel.validate(model, path: path)
        scorer = Scorer(model: model)
        featureCount = model.featureCount
        featureNames = model.featureNames.map { CString.copy($0) }
        kind = CString.copy(model.kind.rawValue)
    }

    deinit {
        for p in featureNames { free(p) }
        free(kind)
    }

    /// Refuses a model without features, and checks what scoring indexes without bounds checks of its own: the logistic per-column arrays must all
    /// be as long as the feature list (ModelFile checks the declared width; trees are validated on decoding).
    /// A file only fails this if it was edited and re-checksummed by hand, but loading must never lead to a crash.
    static func validate(_ model: TenureModel, path: String) throws {
        guard model.featureCount > 0 else { throw TenureCError.inconsistentModel(path: path, reason: "the model has no features") }
        guard model.kind == .logistic, let lr = model.logistic else { return }
        let n = model.featureCount
        let lengths = [lr.medians.count, lr.hasIndicator.count, lr.means.count, lr.scales.count,
                       lr.coefficients.count, lr.indicatorCoefficients.count]
        guard lr.inputCount == n, lengths.allSatisfy({ $0 == n }) else {
            throw TenureCError.inconsistentModel(path: path, reason: "logistic coefficient arrays have lengths \(lengths), expected \(n) (one per feature)")
        }
    }
}
