// The latent shopper model of the e-commerce shape: funnel event names, per-user attributes with their effect
// on churn, and the per-user state. Pure parameters, no I/O.

/// Event names of the e-commerce shape, in index order (the order `CSVSink` is given them).
enum ShopEvent: Int, CaseIterable {
    case sessionStart, homeView, search, categoryView, productView, reviewRead, addToWishlist, addToCart,
         removeFromCart, cartView, beginCheckout, addPaymentInfo, purchase, orderStatusView, couponView, pushOpen,
         reviewWrite, shareProduct, signup

    var name: String {
        switch self {
        case .sessionStart: return "session_start"
        case .homeView: return "home_view"
        case .search: return "search"
        case .categoryView: return "category_view"
        case .productView: return "product_view"
        case .reviewRead: return "review_read"
        case .addToWishlist: return "add_to_wishlist"
        case .addToCart: return "add_to_cart"
        case .removeFromCart: return "remove_from_cart"
        case .cartView: return "cart_view"
        case .beginCheckout: return "begin_checkout"
        case .addPaymentInfo: return "add_payment_info"
        case .purchase: return "purchase"
        case .orderStatusView: return "order_status_view"
        case .couponView: return "coupon_view"
        case .pushOpen: return "push_open"
        case .reviewWrite: return "review_write"
        case .shareProduct: return "share_product"
        case .signup: return "signup"
        }
    }
}

/// One categorical attribute: its values with population shares and churn-hazard multipliers.
struct ShopperAttribute {
    let column: String
    let values: [(name: String, share: Double, churn: Double)]

    /// The attributes written to the users file, in column order. The multipliers are the planted signal:
    /// paid-social sign-ups and web users churn much faster, referrals and members much slower.
    static let all: [ShopperAttribute] = [
        ShopperAttribute(column: "platform", values: [("ios", 0.4, 0.8), ("android", 0.4, 1.0), ("web", 0.2, 1.8)]),
        ShopperAttribute(column: "acquisition_channel",
                         values: [("organic", 0.35, 0.8), ("paid_search", 0.2, 1.0), ("paid_social", 0.2, 2.5),
                                  ("referral", 0.1, 0.45), ("email", 0.15, 0.9)]),
        ShopperAttribute(column: "plan", values: [("free", 0.8, 1.0), ("member", 0.2, 0.45)]),
    ]
}

/// Mutable simulation state of one shopper.
struct ShopperState {
    /// Index into each `ShopperAttribute.all[k].values`.
    var attributes: [Int]
    /// Product of the attributes' churn multipliers.
    var churnFactor: Double
    /// Mean sessions per day at level 1.
    var baseRate: Double
    /// Chance that a session puts something in the cart.
    var cartPropensity: Double
    var level: Double = 1
    var decay: Double = 1
    /// Day index of signup; negative for users who signed up before the period (no signup row then).
    var signupDay: Int
    var signupSecond: Int
    var churned = false
    var singleEvent = false
    var purchased = false
    var wroteRow = false
}
