// How a training users file's categorical columns get their vocabulary: declared once here, read by
// `features --users` and `train --users` (the fitted vocabulary is stored in the model, so scoring needs neither).
import TenureCore

public struct AttributeSettings: Sendable, Equatable {
    /// A category needs this many users-file rows to get a code of its own; fewer go to the rare bucket.
    public var minCategoryRows: Int
    /// At most this many categories per column get a code (the most frequent; the rest share the rare bucket).
    public var maxCategories: Int

    public static var defaults: AttributeSettings { parameters.defaults }

    private init(placeholders: Void) { minCategoryRows = 0; maxCategories = 0 }

    public static let parameters = ParameterTable<AttributeSettings>(blank: { AttributeSettings(placeholders: ()) }, [
        Parameter("min-category-rows", \.minCategoryRows, placeholder: "N", default: 10, check: .atLeast(1),
                  doc: "a --users category needs this many rows of the training file for a code of its own; rarer ones share the rare bucket"),
        // GBDT histograms hold 255 bins: the categories, the rare bucket and missing must fit.
        Parameter("max-categories", \.maxCategories, placeholder: "N", default: AttributeSchema.maxCategories,
                  check: .within(1...AttributeSchema.maxCategories),
                  doc: "at most this many categories per --users column get a code (the most frequent); the rest share the rare bucket"),
    ])
}
