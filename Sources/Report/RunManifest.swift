// What the report shows of a scoring run's manifest (the one `RunManifest` type of module Manifest, written
// by `tenure score --out DIR/`): the split of every scored user in display order, and whether the run used
// the model the report is about.
import Features
import Manifest

extension RunManifest {
    /// name → count, tiers top → bottom when named so (risk or activation tiers), everything else by count
    /// descending then name.
    static func displayOrder(_ counts: [String: Int]) -> [(name: String, count: Int)] {
        let tierOrder = PredictionTask.allCases.flatMap(\.tierNames.topFirst)
        return counts.map { (name: $0.key, count: $0.value) }.sorted { a, b in
            let ia = tierOrder.firstIndex(of: a.name.lowercased()), ib = tierOrder.firstIndex(of: b.name.lowercased())
            if let ia, let ib { return ia < ib }
            if (ia == nil) != (ib == nil) { return ia != nil }
            return a.count != b.count ? a.count > b.count : a.name < b.name
        }
    }

    /// "scored with this model" when the run's model file has `sha256`, otherwise a sentence naming both.
    public func modelMatch(_ sha256: String?) -> String {
        let run = model.file.sha256
        guard let sha256 else { return "model SHA-256 \(run)" }
        return run.lowercased() == sha256.lowercased() ? "scored with this model"
            : "scored with a DIFFERENT model: \(model.file.path), SHA-256 \(run), where this model's is \(sha256)"
    }
}
