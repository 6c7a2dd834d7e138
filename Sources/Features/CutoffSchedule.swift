// Cutoff schedules: one date (`2026-05-31`), a list (`d1,d2`), or a range START..END/STEP with a step in days
// (`14d`), weeks (`2w`) or calendar months (`1mo`: the same day of each month, clamped to the month's last day).
import EventLog
import Foundation
import TenureCore

/// The cutoffs at which rows are built.
public enum CutoffSchedule {
    /// More cutoffs than this is a typo (a step far too small for the range), not a training plan.
    public static let maxCutoffs = 1_000

    public static func parse(_ text: String) throws -> [Int64] {
        if let range = text.range(of: "..") {
            let start = String(text[..<range.lowerBound])
            let rest = text[range.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { throw FeaturesError.invalidCutoff(text) }
            let end = String(rest[..<slash]), step = String(rest[rest.index(after: slash)...])
            guard let s = parseTimestamp(start), let e = parseTimestamp(end), e >= s else { throw FeaturesError.invalidCutoff(text) }
            let cutoffs: [Int64]
            if step.hasSuffix("mo") {
                guard let months = Int(step.dropLast(2)), months >= 1, months <= 1200 else {
                    throw FeaturesError.invalidCutoffStep(text, reason: "a month step is a whole number ≥ 1, like 1mo")
                }
                cutoffs = try monthly(from: s, through: e, every: months, text: text)
            } else {
                let span: TimeSpan
                do { span = try TimeSpan(parsing: step) } catch {
                    throw FeaturesError.invalidCutoffStep(text, reason: "the step is a number of days (7d), weeks (2w) or calendar months (1mo)")
                }
                guard span.millis >= millisPerDay, span.millis % millisPerDay == 0 else {
                    throw FeaturesError.invalidCutoffStep(text, reason: "the step must be whole days, weeks or months (7d, 2w, 1mo), not '\(step)'")
                }
                let count = (e - s) / span.millis + 1
                guard count <= Int64(maxCutoffs) else { throw FeaturesError.tooManyCutoffs(text, count: Int(count), limit: maxCutoffs) }
                cutoffs = Array(stride(from: s, through: e, by: Int(span.millis)))
            }
            return cutoffs
        }
        let cutoffs = try text.split(separator: ",").map { part in
            guard let t = parseTimestamp(String(part).trimmingCharacters(in: .whitespaces)) else { throw FeaturesError.invalidCutoff(text) }
            return t
        }
        guard !cutoffs.isEmpty else { throw FeaturesError.invalidCutoff(text) }   // "" would build no rows at all
        guard cutoffs.count <= maxCutoffs else { throw FeaturesError.tooManyCutoffs(text, count: cutoffs.count, limit: maxCutoffs) }
        return cutoffs
    }

    /// The start's day and time of day in every `months`-th month through `end` (day 31 becomes the 30th,
    /// 28th or 29th in shorter months, and returns to 31 where the month has one).
    private static func monthly(from start: Int64, through end: Int64, every months: Int, text: String) throws -> [Int64] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let origin = Date(timeIntervalSince1970: Double(start) / 1000)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: origin)
        let timeOfDay = start - utcDay(start) * millisPerDay
        var out: [Int64] = []
        var k = 0
        while true {
            var first = DateComponents()
            first.year = parts.year; first.month = parts.month! + k * months; first.day = 1
            guard let monthStart = calendar.date(from: first),
                  let days = calendar.range(of: .day, in: .month, for: monthStart)?.count else { throw FeaturesError.invalidCutoff(text) }
            let day = min(parts.day!, days)
            let t = (Int64((monthStart.timeIntervalSince1970 * 1000).rounded()) / millisPerDay + Int64(day - 1)) * millisPerDay + timeOfDay
            if t > end { break }
            out.append(t)
            guard out.count <= maxCutoffs else { throw FeaturesError.tooManyCutoffs(text, count: out.count, limit: maxCutoffs) }
            k += 1
        }
        return out
    }
}
