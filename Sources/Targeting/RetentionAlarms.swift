// The playbook's retention alarm lines: the share of a signup cohort that must come back on day N, under
// which `tenure retention --playbook` flags the cohort. `tenure profile` proposes lines from a log's own cohorts.

public struct RetentionAlarms: Codable, Sendable, Equatable {
    /// Day-1 retention alarm line (domain.md: 18%); nil = no day-1 alarm.
    public var day1: Double?
    public var day7: Double?
    public var day30: Double?

    public static let `default` = RetentionAlarms(day1: 0.18, day7: nil, day30: nil)

    public init(day1: Double?, day7: Double?, day30: Double?) {
        self.day1 = day1; self.day7 = day7; self.day30 = day30
    }

    /// The lines by day, as `RetentionOptions.alarmLines` takes them.
    public var byDay: [Int: Double] {
        var r: [Int: Double] = [:]
        if let d = day1 { r[1] = d }
        if let d = day7 { r[7] = d }
        if let d = day30 { r[30] = d }
        return r
    }

    func validate(fail: (String, String) -> TargetingError) throws {
        for (day, line) in byDay where !(line.isFinite && (0...1).contains(line)) {
            throw fail("alarms.day\(day)", "must be a share in [0, 1] (0.18 = 18%), got \(line)")
        }
    }
}
