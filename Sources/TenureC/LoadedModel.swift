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

    /// Loads through the one model loader (`Scorer(path:)` → `ModelFile.read`), which checks the header, the
    /// checksum and every consistency rule, so whatever loads here scores without a crash or a hang.
    init(path: String) throws {
        scorer = try Scorer(path: path)
        let model = scorer.model
        featureCount = model.featureCount
        featureNames = model.featureNames.map { CString.copy($0) }
        kind = CString.copy(model.kind.rawValue)
    }

    deinit {
        for p in featureNames { free(p) }
        free(kind)
    }
}
