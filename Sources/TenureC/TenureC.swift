// The C ABI of libtenurec (declared in include/tenure.h): load a model file, read its feature names, score
// one row or a batch. Every entry point checks its arguments and never traps on caller input or bad files.
import Features
import Foundation
import Scoring
import TenureCore

/// The version string, made once and never freed.
nonisolated(unsafe) let versionCString = CString.copy(TenureVersion.current)

@_cdecl("tenure_version")
public func tenure_version() -> UnsafePointer<CChar> {
    UnsafePointer(versionCString)
}

@_cdecl("tenure_status_message")
public func tenure_status_message(_ status: Int32) -> UnsafePointer<CChar> {
    UnsafePointer(statusMessages[status] ?? unknownStatusMessage)
}

@_cdecl("tenure_model_load")
public func tenure_model_load(_ path: UnsafePointer<CChar>?, _ err: UnsafeMutablePointer<CChar>?, _ errlen: Int) -> OpaquePointer? {
    do {
        guard let path, let text = String(validatingCString: path) else { throw TenureCError.badPath }
        let model = try LoadedModel(path: text)
        return OpaquePointer(Unmanaged.passRetained(model).toOpaque())
    } catch {
        CString.write("\(error)", to: err, capacity: errlen)
        return nil
    }
}

@_cdecl("tenure_model_free")
public func tenure_model_free(_ model: OpaquePointer?) {
    guard let model else { return }
    Unmanaged<LoadedModel>.fromOpaque(UnsafeRawPointer(model)).release()
}

/// Runs `body` on the model behind a handle without touching its reference count (no atomic traffic shared
/// between scoring threads). The handle is valid until `tenure_model_free`, which the C contract orders
/// after every use.
@inline(__always)
private func withModel<R>(_ handle: OpaquePointer, _ body: (LoadedModel) -> R) -> R {
    Unmanaged<LoadedModel>.fromOpaque(UnsafeRawPointer(handle))._withUnsafeGuaranteedRef(body)
}

@_cdecl("tenure_model_feature_count")
public func tenure_model_feature_count(_ model: OpaquePointer?) -> Int {
    guard let model else { return 0 }
    return withModel(model) { $0.featureCount }
}

@_cdecl("tenure_model_feature_name")
public func tenure_model_feature_name(_ model: OpaquePointer?, _ i: Int) -> UnsafePointer<CChar>? {
    guard let model else { return nil }
    return withModel(model) { m in
        // size_t arrives as Int: a value above Int.max reads as negative, which the range check refuses too.
        m.featureNames.indices.contains(i) ? UnsafePointer(m.featureNames[i]) : nil
    }
}

@_cdecl("tenure_model_kind")
public func tenure_model_kind(_ model: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let model else { return nil }
    return withModel(model) { UnsafePointer($0.kind) }
}

@_cdecl("tenure_model_score")
public func tenure_model_score(_ model: OpaquePointer?, _ row: UnsafePointer<Double>?, _ nFeatures: Int,
                               _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guard let model, let out else { return TenureStatus.nullArgument.rawValue }
    return withModel(model) { m in
        guard nFeatures == m.featureCount else { return TenureStatus.featureCount.rawValue }
        guard let row else { return TenureStatus.nullArgument.rawValue }
        out.pointee = m.scorer.probability(UnsafeBufferPointer(start: row, count: nFeatures))
        return TenureStatus.ok.rawValue
    }
}

@_cdecl("tenure_model_score_batch")
public func tenure_model_score_batch(_ model: OpaquePointer?, _ rows: UnsafePointer<Double>?, _ nRows: Int,
                                     _ nFeatures: Int, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guard let model else { return TenureStatus.nullArgument.rawValue }
    return withModel(model) { m in
        guard nFeatures == m.featureCount else { return TenureStatus.featureCount.rawValue }
        // size_t above Int.max arrives negative; a product that overflows cannot be a real buffer.
        let (cells, overflow) = nRows.multipliedReportingOverflow(by: nFeatures)
        guard nRows >= 0, !overflow, cells <= Int.max / MemoryLayout<Double>.stride else { return TenureStatus.size.rawValue }
        guard nRows > 0 else { return TenureStatus.ok.rawValue }
        guard let rows, let out else { return TenureStatus.nullArgument.rawValue }
        // One copy into a Swift array, then the same batch path as `tenure score` (identical per-row numbers).
        let x = Array(UnsafeBufferPointer(start: rows, count: cells))
        let p: [Double]
        do { p = try m.scorer.probabilities(rows: x, count: nRows) } catch {
            preconditionFailure("batch shape was checked above: \(error)")
        }
        p.withUnsafeBufferPointer { src in out.update(from: src.baseAddress!, count: nRows) }
        return TenureStatus.ok.rawValue
    }
}
