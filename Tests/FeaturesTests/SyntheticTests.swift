// Tests of the Synthetic log generator: determinism, CSV format, realistic mess (duplicates, single-event
// users, unsorted rows) and the planted churn / activation signals, recomputed from the parsed rows.
import Foundation
import TenureCore
import Testing
@testable import Synthetic

/// One parsed CSV row.
private struct Row: Equatable {
    var user: Int
    var time: Int64
    var event: String
    var value: Double?
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil), for parsing.
private func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return Int64(era * 146_097 + doe - 719_468)
}

private let eventNames: Set<String> = [
    "session_start", "page_view", "purchase", "post", "comment", "like", "daily_bonus", "signup",
]

/// Strict parser: returns nil (and the test fails) on any malformed line.
private func parseLine(_ line: Substring) -> Row? {
    let f = line.split(separator: ",", omittingEmptySubsequences: false)
    guard f.count == 4 else { return nil }
    let id = f[0], ts = Array(f[1].utf8)
    guard id.count == 7, id.first == "u", let user = Int(id.dropFirst()) else { return nil }
    // YYYY-MM-DDTHH:MM:SSZ
    guard ts.count == 20, ts[4] == 45, ts[7] == 45, ts[10] == 84, ts[13] == 58, ts[16] == 58, ts[19] == 90
    else { return nil }
    func num(_ a: Int, _ b: Int) -> Int? {
        var v = 0
        for i in a..<b {
            guard ts[i] >= 48 && ts[i] <= 57 else { return nil }
            v = v * 10 + Int(ts[i] - 48)
        }
        return v
    }
    guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
          let s = num(17, 19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 60
    else { return nil }
    let time = daysFromCivil(y, mo, d) * 86_400 + Int64(h * 3600 + mi * 60 + s)
    let event = String(f[2])
    guard eventNames.contains(event) else { return nil }
    var value: Double?
    if event == "purchase" {
        // Exactly two decimals, amount in [5, 300].
        let parts = f[3].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let v = Double(f[3]), v >= 5, v <= 300 else { return nil }
        value = v
    } else if !f[3].isEmpty {
        return nil
    }
    return Row(user: user, time: time, event: event, value: value)
}

private struct ParsedLog {
    var header: Substring
    var lines: [Substring]
    var rows: [Row]
}

private struct MalformedLog: Error, CustomStringConvertible {
    var description: String
}

private func parse(_ bytes: [UInt8]) throws -> ParsedLog {
    guard let text = String(bytes: bytes, encoding: .utf8) else { throw MalformedLog(description: "not UTF-8") }
    guard text.hasSuffix("\n") else { throw MalformedLog(description: "no trailing newline") }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()[...]
    let header = lines.removeFirst()
    var rows: [Row] = []
    rows.reserveCapacity(lines.count)
    for line in lines {
        guard let row = parseLine(line) else { throw MalformedLog(description: "malformed line: \(line)") }
        rows.append(row)
    }
    return ParsedLog(header: header, lines: Array(lines), rows: rows)
}

/// A small log shared by the suites (generated and parsed once; ~90k rows).
private let config = SyntheticLogConfig(users: 700, days: 120, seed: 20_260_101)
private let generated: Result<(bytes: [UInt8], summary: SyntheticSummary), Error> = Result {
    try SyntheticLog.csv(config: config)
}
private let parsedLog: Result<ParsedLog, Error> = Result { try parse(try generated.get().bytes) }

@Suite("Synthetic log: determinism")
struct SyntheticDeterminismTests {
    @Test func sameSeedSameBytesAndFileMatchesMemory() throws {
        let small = SyntheticLogConfig(users: 120, days: 40, seed: 5)
        let a = try SyntheticLog.csv(config: small)
        let b = try SyntheticLog.csv(config: small)
        #expect(a.bytes == b.bytes)
        #expect(a.summary == b.summary)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tenure-synthetic-\(ProcessInfo.processInfo.processIdentifier).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let summary = try SyntheticLog.write(config: small, to: path)
        let fileBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(fileBytes == a.bytes)
        #expect(summary == a.summary)
    }

    @Test func differentSeedDifferentBytes() throws {
        let a = try SyntheticLog.csv(config: SyntheticLogConfig(users: 120, days: 40, seed: 5))
        let b = try SyntheticLog.csv(config: SyntheticLogConfig(users: 120, days: 40, seed: 6))
        #expect(a.bytes != b.bytes)
    }

    @Test func invalidConfigThrows() throws {
        #expect(throws: SyntheticError.self) { try SyntheticLog.csv(config: SyntheticLogConfig(users: 0, days: 5, seed: 1)) }
        #expect(throws: SyntheticError.self) { try SyntheticLog.csv(config: SyntheticLogConfig(users: 5, days: 0, seed: 1)) }
        #expect(throws: SyntheticError.self) {
            try SyntheticLog.csv(config: SyntheticLogConfig(users: 5, days: 5, seed: 1, duplicateRate: -0.1))
        }
        #expect(throws: OutputError.self) {   // written through AtomicOutput
            try SyntheticLog.write(config: SyntheticLogConfig(users: 5, days: 5, seed: 1),
                                   to: "/nonexistent-dir-tenure/x.csv")
        }
    }
}

@Suite("Synthetic log: format")
struct SyntheticFormatTests {
    @Test func headerAndEveryLineParse() throws {
        let summary = try generated.get().summary
        let log = try parsedLog.get()
        #expect(log.header == "user_id,timestamp,event,value")
        #expect(log.rows.count == summary.events)
        #expect(log.rows.count > 20_000)
        // All timestamps fall inside the period (plus at most one day of session spill-over).
        let end = config.start + Int64(config.days + 1) * 86_400
        #expect(log.rows.allSatisfy { $0.time >= config.start && $0.time < end })
        #expect(log.rows.allSatisfy { $0.user < config.users })
        #expect(Set(log.rows.map(\.event)) == eventNames)
        #expect(Set(log.rows.map(\.user)).count == summary.users)
    }

    @Test func dateFormattingMatchesFoundation() throws {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        for day in stride(from: Int64(0), to: 50_000, by: 97) {
            let (y, m, d) = civilFromDays(day)
            let s = formatter.string(from: Date(timeIntervalSince1970: Double(day * 86_400)))
            let mine = String(format: "%04d-%02d-%02dT00:00:00Z", y, m, d)
            #expect(s == mine)
        }
    }

    @Test func signupIsFirstEventOfItsUser() throws {
        let log = try parsedLog.get()
        var first: [Int: Row] = [:]
        var signup: [Int: Int64] = [:]
        for r in log.rows {
            if let f = first[r.user], f.time <= r.time {} else { first[r.user] = r }
            if r.event == "signup" {
                #expect(signup[r.user] == nil || signup[r.user] == r.time, "user \(r.user) has two signups")
                signup[r.user] = r.time
            }
        }
        #expect(!signup.isEmpty)
        for (user, time) in signup {
            #expect(first[user]?.time == time, "user \(user) has events before signup")
        }
        // Some users signed up before the period and have no signup row.
        #expect(signup.count < first.count)
    }
}

@Suite("Synthetic log: realistic mess")
struct SyntheticMessTests {
    @Test func exactDuplicatesPresent() throws {
        let summary = try generated.get().summary
        let log = try parsedLog.get()
        var adjacent = 0
        for i in 1..<log.lines.count where log.lines[i] == log.lines[i - 1] { adjacent += 1 }
        #expect(summary.duplicates > 0)
        #expect(adjacent >= summary.duplicates)
        // Rate ≈ 0.003 of rows: accept a factor-2 band.
        let rate = Double(summary.duplicates) / Double(summary.events)
        #expect(rate > 0.0015 && rate < 0.006)
    }

    @Test func someSingleEventUsers() throws {
        let summary = try generated.get().summary
        let log = try parsedLog.get()
        var distinct: [Int: Set<String>] = [:]
        for (line, row) in zip(log.lines, log.rows) { distinct[row.user, default: []].insert(String(line)) }
        let singles = distinct.values.filter { $0.count == 1 && $0.first?.hasSuffix(",signup,") == true }.count
        #expect(singles > 0)
        #expect(singles >= summary.singleEventUsers)
        #expect(Double(singles) / Double(distinct.count) < 0.03)
    }

    @Test func rowsAreNotTimeSorted() throws {
        let log = try parsedLog.get()
        var inversions = 0
        for i in 1..<log.rows.count where log.rows[i].time < log.rows[i - 1].time { inversions += 1 }
        #expect(inversions > log.rows.count / 100)
    }
}

@Suite("Synthetic log: planted signals")
struct SyntheticSignalTests {
    /// Users active in [T−30, T): those in the lower half by event count must churn (no event in [T, T+14))
    /// clearly more often than the upper half. Measured ≈ 0.4 vs 0.1 on the demo config.
    @Test func lowRecentActivityPredictsChurn() throws {
        let log = try parsedLog.get()
        let day = { (r: Row) in Int((r.time - config.start) / 86_400) }
        let cutoff = 90
        var before: [Int: Int] = [:]
        var after: Set<Int> = []
        for r in log.rows {
            let d = day(r)
            if d >= cutoff - 30 && d < cutoff { before[r.user, default: 0] += 1 }
            if d >= cutoff && d < cutoff + 14 { after.insert(r.user) }
        }
        let users = before.keys.sorted { (before[$0] ?? 0, $0) < (before[$1] ?? 0, $1) }
        #expect(users.count > 200)
        let half = users.count / 2
        func churnRate(_ group: ArraySlice<Int>) -> Double {
            Double(group.filter { !after.contains($0) }.count) / Double(group.count)
        }
        let low = churnRate(users[..<half]), high = churnRate(users[half...])
        #expect(low > high + 0.15, "churn low-activity \(low) vs high-activity \(high)")
        #expect(low > 1.8 * high, "churn low-activity \(low) vs high-activity \(high)")
    }

    /// New users with more sessions/posts/comments in their first 3 days purchase within 14 days more often.
    @Test func earlyEngagementPredictsActivation() throws {
        let log = try parsedLog.get()
        var signup: [Int: Int64] = [:]
        for r in log.rows where r.event == "signup" { signup[r.user] = r.time }
        var early: [Int: Int] = [:]
        var activated: Set<Int> = []
        for r in log.rows {
            guard let s = signup[r.user] else { continue }
            let age = r.time - s
            if age < 3 * 86_400 && ["session_start", "post", "comment"].contains(r.event) {
                early[r.user, default: 0] += 1
            }
            if age < 14 * 86_400 && r.event == "purchase" { activated.insert(r.user) }
        }
        let horizon = config.start + Int64(config.days - 14) * 86_400
        let cohort = signup.filter { $0.value < horizon }.keys.sorted {
            (early[$0] ?? 0, $0) < (early[$1] ?? 0, $1)
        }
        #expect(cohort.count > 200)
        let half = cohort.count / 2
        func rate(_ g: ArraySlice<Int>) -> Double {
            Double(g.filter { activated.contains($0) }.count) / Double(g.count)
        }
        let low = rate(cohort[..<half]), high = rate(cohort[half...])
        #expect(high > low + 0.1, "activation high-early \(high) vs low-early \(low)")
    }
}
