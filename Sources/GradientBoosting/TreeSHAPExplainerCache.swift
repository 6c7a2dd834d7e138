// TreeSHAPExplainerCache: the few most recent TreeSHAP plans, so `GBDTModel.contributions(_:cover:)` (one row per
// call, e.g. per-user reasons) does not rebuild the plan for every row.
import Foundation

/// Explainers keyed by the identity of a model's `trees` array storage (plus initScore, featureCount, cover).
///
/// Sound because the cache keeps that storage alive: while an entry exists no other array can occupy its address,
/// and a `[GBDTTree]` sharing the storage cannot change it in place (copy-on-write sees the second reference). So an
/// equal address means the same trees. Holds at most `capacity` plans (and their models' trees); thread-safe.
final class TreeSHAPExplainerCache: @unchecked Sendable {
    static let shared = TreeSHAPExplainerCache(capacity: 4)

    private struct Entry {
        let trees: [GBDTTree]
        let explainer: TreeSHAPExplainer
    }

    private let capacity: Int
    private let lock = NSLock()
    private var entries: [Entry] = []   // most recent first

    init(capacity: Int) {
        precondition(capacity >= 1, "an explainer cache holds at least one plan")
        self.capacity = capacity
    }

    /// The model's explainer for `cover`, built on first use. O(1) on a hit; O(trees · nodes · lanes) on a miss.
    func explainer(for model: GBDTModel, cover: TreeSHAPCover) -> TreeSHAPExplainer {
        let key = Self.storage(model.trees)
        func matches(_ e: Entry) -> Bool {
            Self.storage(e.trees) == key && e.explainer.cover == cover && e.explainer.featureCount == model.featureCount
                && e.explainer.initScore.bitPattern == model.initScore.bitPattern
        }
        lock.lock()
        if let hit = entries.first(where: matches) {
            lock.unlock()
            return hit.explainer
        }
        lock.unlock()
        let built = TreeSHAPExplainer(model: model, cover: cover)
        lock.lock()
        if !entries.contains(where: matches) {
            entries.insert(Entry(trees: model.trees, explainer: built), at: 0)
            if entries.count > capacity { entries.removeLast() }
        }
        lock.unlock()
        return built
    }

    /// Number of plans held (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    private static func storage(_ trees: [GBDTTree]) -> UnsafeRawPointer? {
        trees.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }
}
