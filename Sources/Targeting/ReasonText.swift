// A reason in words a marketer reads: "active days in the last 7 days: 0, usually 5". The "usually" is the
// user's own habit: the same measure over the longest window the model has, scaled to the shorter one.
import Features
import Foundation

public enum ReasonText {
    /// - Parameters: `feature` and `value` of the reason; `lookup` returns another feature of the same user
    ///   (nil when the model has no such feature).
    /// `attributes`: the model's users-file columns, named in words with their category ("acquisition channel:
    /// paid_social").
    public static func phrase(feature: String, value: Double, attributes: AttributeSchema? = nil,
                              lookup: (String) -> Double?) -> String {
        if let column = attributes?.columns.first(where: { $0.featureName == feature }) {
            return "\(column.words): \(column.describe(value))"
        }
        if let (family, days) = windowed(feature) {
            let show = family.prefix.hasPrefix("value") ? money : number
            var text = "\(family.label) in the last \(days == 1 ? "day" : "\(days) days"): \(show(value))"
            if let usual = usualRate(family: family.prefix, days: days, lookup: lookup) { text += ", usually \(show(usual))" }
            return text
        }
        switch feature {
        case "recency_days":
            guard !value.isNaN else { return "no activity yet" }
            var text = "days since last activity: \(days(value))"
            if let every = usualDaysBetweenActiveDays(lookup) { text += ", usually active every \(number(every)) days" }
            return text
        case "tenure_days": return "days since first seen: \(days(value))"
        case "gap_mean_days": return value.isNaN ? "too few events to know the rhythm" : "average days between events: \(number(value))"
        case "gap_std_days": return value.isNaN ? "too few events to know the rhythm" : "irregularity of visits (std. of days between events): \(number(value))"
        case "gap_max_days": return value.isNaN ? "too few events to know the rhythm" : "longest gap between events: \(number(value)) days"
        case "weekday_concentration": return "share of events on the busiest weekday: \(percent(value))"
        case "hour_concentration": return "share of events in the busiest hour: \(percent(value))"
        case "genuine_activity": return value == 0 ? "no genuine activity (no real spending, creation or interaction)" : "shows genuine activity"
        default: break
        }
        if feature.hasPrefix("genuine_") {
            let what = feature.dropFirst("genuine_".count)
            return value == 0 ? "no genuine \(what) signal" : "genuine \(what) signal present"
        }
        if feature.hasPrefix("recency_"), feature.hasSuffix("_days") {
            let group = feature.dropFirst("recency_".count).dropLast("_days".count)
            return value.isNaN ? "no \(group) yet" : "days since last \(group): \(days(value))"
        }
        if feature.hasPrefix("trend_"), feature.hasSuffix("d"), let days = Int(feature.dropFirst("trend_".count).dropLast()) {
            return value.isNaN ? "no activity in the \(days) days before the last \(days)"
                : "activity in the last \(days) days vs the \(days) before: \(number(value))×"
        }
        return "\(feature): \(value.isNaN ? "missing" : number(value))"
    }

    struct Family { let prefix: String; let label: String }

    /// `events_7d` → (events, 7); `count_purchase_30d` → ('purchase' events, 30).
    static func windowed(_ feature: String) -> (Family, Int)? {
        guard feature.hasSuffix("d"), let cut = feature.lastIndex(of: "_"),
              let days = Int(feature[feature.index(after: cut)...].dropLast()) else { return nil }
        let prefix = String(feature[..<cut])
        let label: String
        switch prefix {
        case "events": label = "events"
        case "active_days": label = "active days"
        case "sessions": label = "sessions"
        case "value": label = "value"
        default:
            if prefix.hasPrefix("count_") { label = "\(prefix.dropFirst("count_".count)) events" }
            else if prefix.hasPrefix("value_") { label = "\(prefix.dropFirst("value_".count)) value" }
            else { return nil }
        }
        return (Family(prefix: prefix, label: label), days)
    }

    /// The family's value over its longest window (up to 365 days) longer than `days`, scaled to `days`.
    static func usualRate(family: String, days: Int, lookup: (String) -> Double?) -> Double? {
        for longer in [365, 180, 90, 60, 30, 28, 14, 7] where longer > days {
            if let v = lookup("\(family)_\(longer)d"), v.isFinite { return v * Double(days) / Double(longer) }
        }
        return nil
    }

    /// Window length over active days in the longest active-days window: the user's usual rhythm.
    static func usualDaysBetweenActiveDays(_ lookup: (String) -> Double?) -> Double? {
        for window in [365, 180, 90, 60, 30, 28, 14] {
            if let active = lookup("active_days_\(window)d"), active.isFinite, active > 0 { return Double(window) / active }
        }
        return nil
    }

    /// Whole days elapsed (floored, as days_inactive is).
    static func days(_ v: Double) -> String { v.isNaN ? "n/a" : String(Int64(v.rounded(.down))) }

    /// Whole numbers from 10 up, one decimal below (halves round away from zero), no trailing ".0".
    static func number(_ v: Double) -> String {
        if v.isNaN { return "n/a" }
        guard abs(v) < 1e15 else { return "\(v)" }
        let r = abs(v) >= 10 ? v.rounded() : (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int64(r)) : String(format: "%.1f", r)
    }

    static func money(_ v: Double) -> String { v.isNaN ? "n/a" : String(format: "%.2f", (v * 100).rounded() / 100) }

    static func percent(_ v: Double) -> String { v.isNaN ? "n/a" : String(format: "%.0f%%", v * 100) }
}
