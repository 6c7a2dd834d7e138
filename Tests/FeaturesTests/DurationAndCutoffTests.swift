// Durations (`30d`, `12h`, `2w`, `90m`) and cutoff schedules (a date, a list, or START..END/STEP).
import EventLog
import Foundation
import Testing
@testable import Features

@Suite("Durations and cutoff schedules")
struct DurationAndCutoffTests {
    @Test("durations parse to milliseconds and print back")
    func durations() throws {
        let cases: [(String, Int64)] = [("30d", 30 * 86_400_000), ("12h", 12 * 3_600_000), ("2w", 14 * 86_400_000),
                                        ("90m", 90 * 60_000), ("0d", 0), (" 7d ", 7 * 86_400_000)]
        for (text, millis) in cases {
            let d = try Duration(parsing: text)
            #expect(d.millis == millis, "\(text)")
            #expect(d.description == text.trimmingCharacters(in: .whitespaces))
        }
        #expect(Duration.days(3).millis == 3 * 86_400_000 && Duration.days(3).days == 3)
        for bad in ["", "d", "30", "30x", "-1d", "1.5d", "d30"] {
            #expect(throws: FeaturesError.self, "\(bad)") { try Duration(parsing: bad) }
        }
        let round = try JSONDecoder().decode(Duration.self, from: JSONEncoder().encode(try Duration(parsing: "2w")))
        #expect(round == (try Duration(parsing: "2w")))
    }

    @Test("cutoff schedules: one date, a list, a range with a step")
    func schedules() throws {
        #expect(try CutoffSchedule.parse("2026-05-31") == [ms("2026-05-31")])
        #expect(try CutoffSchedule.parse("2026-05-31, 20260601") == [ms("2026-05-31"), ms("2026-06-01")])
        #expect(try CutoffSchedule.parse("2026-03-01..2026-03-31/14d") == [ms("2026-03-01"), ms("2026-03-15"), ms("2026-03-29")])
        #expect(try CutoffSchedule.parse("2026-03-01..2026-03-01/1d") == [ms("2026-03-01")])
        #expect(try CutoffSchedule.parse("2026-03-01T00:00:00Z..2026-03-01T12:00:00Z/6h").count == 3)
        for bad in ["", "soon", "2026-03-31..2026-03-01/1d", "2026-03-01..2026-03-31", "2026-03-01..2026-03-31/0d",
                    "2026-02-30"] {
            #expect(throws: (any Error).self, "\(bad)") { try CutoffSchedule.parse(bad) }
        }
    }
}
