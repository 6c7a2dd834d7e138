// Tests of the generator's randomized campaigns (`generate --campaigns N --contacts-out FILE`): determinism, the
// arms' balance against the declared share, a log that is unchanged before the first campaign, and hidden
// uplift types that show in the behaviour a model sees before the contact.
import Foundation
import TenureCore
import Testing
@testable import Synthetic

private let campaignConfig: SyntheticLogConfig = {
    var c = SyntheticLogConfig(users: 4000, days: 120, seed: 31)
    c.campaigns = CampaignPlan(count: 2)
    return c
}()
private let campaignRun = Result { try SyntheticLog.generateWithContacts(config: campaignConfig) }

/// (user index, Unix seconds, event) of every row; the generator's own format, so a plain split is enough.
private func rows(_ bytes: [UInt8]) -> [(user: Int, time: Int64, event: Substring)] {
    let text = String(decoding: bytes, as: UTF8.self)
    var out: [(Int, Int64, Substring)] = []
    for line in text.split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
        let t = Array(f[1].utf8)
        func n(_ a: Int, _ b: Int) -> Int { t[a..<b].reduce(0) { $0 * 10 + Int($1 - 48) } }
        let day = daysFromCivil(n(0, 4), n(5, 7), n(8, 10))
        out.append((Int(f[0].dropFirst())!, day * 86_400 + Int64(n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)), f[2]))
    }
    return out
}

private func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    return Int64(era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468)
}

@Suite("Synthetic log: randomized campaigns")
struct SyntheticCampaignTests {
    @Test("same seed, same log and contacts; the file written equals the memory; another seed draws other arms")
    func determinism() throws {
        var small = SyntheticLogConfig(users: 600, days: 60, seed: 9)
        small.campaigns = CampaignPlan(count: 1, controlShare: 0.3)
        let a = try SyntheticLog.generateWithContacts(config: small), b = try SyntheticLog.generateWithContacts(config: small)
        #expect(a.events == b.events && a.contacts == b.contacts && !a.contacts.isEmpty)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-campaigns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("e.csv").path, contacts = dir.appendingPathComponent("c.csv").path
        let summary = try SyntheticLog.write(config: small, to: log, contactsTo: contacts)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: log))) == a.events)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: contacts))) == SyntheticContact.csv(a.contacts))
        #expect(summary == a.summary && summary.campaigns.count == 1)
        small.seed = 10
        #expect(try SyntheticLog.generateWithContacts(config: small).contacts != a.contacts)
        // A contacts file without campaigns (or campaigns without one) is refused, nothing written.
        #expect(throws: SyntheticError.self) { try SyntheticLog.write(config: SyntheticLogConfig(users: 5, days: 5, seed: 1), to: log + "2", contactsTo: contacts + "2") }
        #expect(!FileManager.default.fileExists(atPath: log + "2"))
    }

    @Test("the contacts file: header, one row per contacted user and campaign, the campaign days spaced through the log")
    func contactsFormat() throws {
        let run = try campaignRun.get()
        let text = String(decoding: SyntheticContact.csv(run.contacts), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "user_id,contacted_at,campaign,group,action")
        #expect(lines.count == run.contacts.count + 1)
        #expect(lines[1].hasPrefix(run.contacts[0].userID + ",2026-"))
        #expect(Set(run.contacts.map { "\($0.campaign) \($0.userID)" }).count == run.contacts.count)
        // 120 days, 2 campaigns: days 40 and 80 (2026-02-10 and 2026-03-22).
        let start = campaignConfig.start
        #expect(run.summary.campaigns.map(\.contactedAt) == [start + 40 * 86_400, start + 80 * 86_400])
        #expect(run.summary.campaigns.map(\.name) == ["recall-1", "recall-2"])
        #expect(lines.contains { $0.hasSuffix(",2026-02-10T00:00:00Z,recall-1,control,in_app_prompt_coupon") })
        #expect(lines.contains { $0.hasSuffix(",2026-03-22T00:00:00Z,recall-2,treatment,in_app_prompt_coupon") })
    }

    @Test("the arms are balanced to the declared share (within 4 standard errors)", arguments: [0.5, 0.2])
    func armsBalanced(share: Double) throws {
        var c = campaignConfig
        c.campaigns.controlShare = share
        let contacts = share == 0.5 ? try campaignRun.get().contacts : try SyntheticLog.generateWithContacts(config: c).contacts
        for name in ["recall-1", "recall-2"] {
            let arm = contacts.filter { $0.campaign == name }
            let n = Double(arm.count), control = Double(arm.filter { !$0.treated }.count)
            try #require(n > 150, "\(name): only \(arm.count) contacts")
            #expect(abs(control - share * n) <= 4 * (n * share * (1 - share)).squareRoot(), "\(name): \(control) control of \(n), share \(share)")
        }
    }

    @Test("nothing changes before the first campaign: the log is byte-identical to the one without campaigns up to that day")
    func unchangedBeforeTheFirstCampaign() throws {
        var plain = campaignConfig
        plain.campaigns = .none
        let without = try SyntheticLog.csv(config: plain).bytes, with = try campaignRun.get().events
        let campaignStart = try campaignRun.get().summary.campaigns[0].contactedAt
        var common = 0
        while common < min(with.count, without.count) && with[common] == without[common] { common += 1 }
        // Offset of the first row (in file order) dated on or after the first campaign day.
        let all = rows(with)
        let firstLate = try #require(all.firstIndex { $0.time >= campaignStart })
        var offset = 0, line = -1
        for (i, b) in with.enumerated() where b == 10 {
            line += 1
            if line == firstLate { offset = i + 1; break }
        }
        #expect(common >= offset && offset > with.count / 4, "identical for \(common) bytes, the first campaign-day row starts at \(offset)")
        #expect(with != without, "the campaigns changed what treated users did afterwards")
    }

    @Test("hidden types show in what users did in the weeks before the contact")
    func typesTiedToObservableBehaviour() throws {
        let run = try campaignRun.get()
        let log = rows(run.events)
        var byUser: [Int: [(time: Int64, event: Substring)]] = [:]
        for r in log { byUser[r.user, default: []].append((r.time, r.event)) }
        struct Stats { var n = 0, bonusOnly = 0; var interactions = 0.0, recentShare = 0.0 }
        var stats: [UpliftType: Stats] = [:]
        let interactions: Set<Substring> = ["comment", "post", "purchase"], bonusOnly: Set<Substring> = ["session_start", "daily_bonus", "signup"]
        for c in run.contacts {
            let before = (byUser[Int(c.userID.dropFirst())!] ?? []).filter { $0.time < c.contactedAt }
            let events = before.filter { $0.time >= c.contactedAt - 28 * 86_400 }
            let sessions = before.filter { $0.event == "session_start" && $0.time >= c.contactedAt - 35 * 86_400 }
            let recent = sessions.filter { $0.time >= c.contactedAt - 7 * 86_400 }.count
            var s = stats[c.type, default: Stats()]
            s.n += 1
            if events.allSatisfy({ bonusOnly.contains($0.event) }) { s.bonusOnly += 1 }
            // Comments, posts and purchases per session (likes leave casual users and others less apart).
            let sessions28 = events.filter { $0.event == "session_start" }.count
            s.interactions += sessions28 == 0 ? 0 : Double(events.filter { interactions.contains($0.event) }.count) / Double(sessions28)
            // Share of the last 5 weeks' sessions in the last 1 (about 0.2 for steady activity, less when it fell).
            s.recentShare += sessions.isEmpty ? 0 : Double(recent) / Double(sessions.count)
            stats[c.type] = s
        }
        func share(_ t: UpliftType, _ k: KeyPath<Stats, Int>) -> Double { Double(stats[t]![keyPath: k]) / Double(stats[t]!.n) }
        func perSession(_ t: UpliftType) -> Double { stats[t]!.interactions / Double(stats[t]!.n) }
        func recent(_ t: UpliftType) -> Double { stats[t]!.recentShare / Double(stats[t]!.n) }
        for t in UpliftType.allCases { try #require((stats[t]?.n ?? 0) >= 25, "\(t): \(stats[t]?.n ?? 0) contacts") }
        // Sleeping dogs are bonus hunters: nothing but sessions and bonuses; nobody else looks like that.
        #expect(share(.sleepingDog, \.bonusOnly) > 0.9)
        for t in [UpliftType.persuadable, .sureThing, .lostCause] { #expect(share(t, \.bonusOnly) < 0.2, "\(t)") }
        // Persuadables interact; lost causes (casual users) much less.
        #expect(perSession(.persuadable) > 2 * perSession(.lostCause), "\(UpliftType.allCases.map { "\($0): \(perSession($0))" })")
        // Persuadables and lost causes are in a decline: their last week holds less of their last 5 weeks'
        // sessions than steady activity would (1/5); sure things are steady users the list picks after 7 idle days.
        let shares = "last-week share of 5 weeks' sessions: \(UpliftType.allCases.map { "\($0): \(recent($0))" })"
        #expect(recent(.persuadable) < 0.17 && recent(.lostCause) < 0.17, "\(shares)")
        #expect(recent(.sureThing) < 0.08, "\(shares)")
    }
}
