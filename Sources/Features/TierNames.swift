// What a ranked list calls its three tiers, declared once per task: a churn list's risk (low, medium, high),
// an activation list's chance of doing the key event (unlikely, possible, likely).

public struct TierNames: Sendable, Equatable {
    public var bottom: String
    public var middle: String
    public var top: String

    public static let risk = TierNames(bottom: "low", middle: "medium", top: "high")
    public static let activation = TierNames(bottom: "unlikely", middle: "possible", top: "likely")

    /// Top first, as lists and reports show them.
    public var topFirst: [String] { [top, middle, bottom] }
}

extension PredictionTask {
    /// The tiers of this task's list (a model without a label is listed like a churn model).
    public var tierNames: TierNames { self == .activation ? .activation : .risk }
}
