// The kinds of app the generator can imitate: the one declaration `tenure generate --shape` reads its choices from.

/// What kind of app a synthetic log comes from.
public enum LogShape: String, CaseIterable, Sendable, Equatable {
    /// A social app (posts, likes, comments, purchases with amounts, daily bonus): the built-in defaults' app.
    case social
    /// An e-commerce clickstream: 19 funnel event names, no value column, a `platform` column, and per-user
    /// attributes (platform, acquisition channel, plan) that change how fast users churn.
    case ecommerce

    public var summary: String {
        switch self {
        case .social: return "social app: session_start, page_view, post, comment, like, purchase (with value), daily_bonus, signup"
        case .ecommerce: return "e-commerce clickstream: product_view, add_to_cart, purchase, … (19 names), no value column, a platform column; --users-out writes per-user attributes"
        }
    }

    /// Whether the shape has per-user attributes to write (`--users-out`).
    public var hasUserAttributes: Bool { self == .ecommerce }
}
