// Durations (`30d`, `12h`, `2w`, `90m`) and cutoff schedules (a date, a list, or START..END/STEP).
import EventLog
import Foundation
import Testing
@testable import Features
import TenureCore

@Suite("Durations and cutoff schedules")
struct DurationAndCutoffTests {
    @Test("durations parse to milliseconds and print back")
    func durations() throws {
        let cases: [(String, Int64)] = [("30d", 30 * 86_400_000), ("12h", 12 * 3_600_000), ("2w", 14 * 86_400_000),
                                        ("90m", 90 * 60_000), ("0d", 0), (" 7d ", 7 * 86_400_000)]
        for (text, millis) in cases {
            let d = try TimeSpan(parsing: text)
            #expect(d.millis == millis, "\(text)")
            #expect(d.description == text.trimmingCharacters(in: .whitespaces))
        }
        #expect(TimeSpan.days(3).millis == 3 * 86_400_000 && TimeSpan.days(3).days == 3)
        // 999999999999999d overflowed Int64 milliseconds (a crash); anything past 100 years is refused by name.
        for bad in ["", "d", "30", "30x", "-1d", "1.5d", "d30", "999999999999999d", "36526d", "9223372036854775807w"] {
            #expect(throws: TimeSpanError.self, "\(bad)") { try TimeSpan(parsing: bad) }
        }
        let round = try JSONDecoder().decode(TimeSpan.self, from: JSONEncoder().encode(try TimeSpan(parsing: "2w")))
        #expect(round == (try TimeSpan(parsing: "2w")))
    }

    @Test("cutoff schedules: one date, a list, a range with a step")
    func schedules() throws {
        #expect(try CutoffSchedule.parse("2026-05-31") == [ms("2026-05-31")])
        #expect(try CutoffSchedule.parse("2026-05-31, 20260601") == [ms("2026-05-31"), ms("2026-06-01")])
        #expect(try CutoffSchedule.parse("2026-03-01..2026-03-31/14d") == [ms("2026-03-01"), ms("2026-03-15"), ms("2026-03-29")])
        #expect(try CutoffSchedule.parse("2026-03-01..2026-03-01/1d") == [ms("2026-03-01")])
        #expect(try CutoffSchedule.parse("2026-03-01..2026-03-29/2w") == [ms("2026-03-01"), ms("2026-03-15"), ms("2026-03-29")])
        for bad in ["", "soon", "2026-03-31..2026-03-01/1d", "2026-03-01..2026-03-31", "2026-03-01..2026-03-31/0d",
                    "2026-02-30", "2026-03-01..2026-03-31/0mo", "2026-03-01..2026-03-31/xmo"] {
            #expect(throws: (any Error).self, "\(bad)") { try CutoffSchedule.parse(bad) }
        }
    }

    @Test("calendar-month steps keep the day of the month, clamped to short months")
    func monthSteps() throws {
        #expect(try CutoffSchedule.parse("2026-01-31..2026-05-31/1mo")
                == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"].map(ms))
        #expect(try CutoffSchedule.parse("2024-01-29..2024-03-29/1mo") == ["2024-01-29", "2024-02-29", "2024-03-29"].map(ms))
        #expect(try CutoffSchedule.parse("2026-01-01..2026-12-31/3mo") == ["2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"].map(ms))
        #expect(try CutoffSchedule.parse("2026-11-15..2027-02-15/1mo") == ["2026-11-15", "2026-12-15", "2027-01-15", "2027-02-15"].map(ms))
    }

    @Test("sub-day steps and more than 1,000 cutoffs are refused with a message, not run for ever")
    func scheduleLimits() throws {
        // `/1m` once meant one minute: 131,041 cutoffs for three months, built without bound.
        for bad in ["2026-03-01..2026-05-31/1m", "2026-03-01T00:00:00Z..2026-03-01T12:00:00Z/6h", "2026-03-01..2026-03-02/25h"] {
            #expect(throws: FeaturesError.self, "\(bad)") { try CutoffSchedule.parse(bad) }
        }
        #expect(try CutoffSchedule.parse("2000-01-01..2002-09-26/1d").count == 1_000)
        do {
            _ = try CutoffSchedule.parse("2000-01-01..2002-09-27/1d")
            Issue.record("1,001 daily cutoffs were accepted")
        } catch let e as FeaturesError {
            #expect("\(e)".contains("1001 cutoffs, more than 1000"))
        }
        #expect(throws: FeaturesError.self) { try CutoffSchedule.parse(Array(repeating: "2026-01-01", count: 1_001).joined(separator: ",")) }
    }
}
