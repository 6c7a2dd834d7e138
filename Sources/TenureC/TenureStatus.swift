// The int codes the C scoring calls return (mirrors `enum tenure_status` in include/tenure.h).

enum TenureStatus: Int32 {
    case ok = 0
    case nullArgument = 1
    case featureCount = 2
    case size = 3

    /// What `tenure_status_message` says about `code`.
    static func message(_ code: Int32) -> String {
        switch TenureStatus(rawValue: code) {
        case .ok: return "ok"
        case .nullArgument: return "a required pointer argument was NULL"
        case .featureCount: return "the row length differs from the model's feature count (see tenure_model_feature_count)"
        case .size: return "n_rows x n_features is too large"
        case nil: return "unknown tenure status code"
        }
    }
}

/// The messages as C strings, made once (lazy global initialisation is thread-safe) and never freed.
nonisolated(unsafe) let statusMessages: [Int32: UnsafeMutablePointer<CChar>] = Dictionary(
    uniqueKeysWithValues: (0...3).map { (Int32($0), CString.copy(TenureStatus.message(Int32($0)))) })
nonisolated(unsafe) let unknownStatusMessage = CString.copy(TenureStatus.message(-1))
