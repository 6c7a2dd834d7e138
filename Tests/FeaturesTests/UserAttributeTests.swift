// The users file (`--users`): reading CSV and JSON Lines, bad rows and repeats, kind detection and overrides,
// the vocabulary's rare bucket, and the point-in-time join (never a value from after the cutoff).
import EventLog
import Foundation
import Testing
@testable import Features

private func readUsers(_ name: String, _ text: String, policy: BadRowPolicy = .fail) throws -> UserTable {
    try withTempFile(name, Array(text.utf8)) { try UserTable.read($0, badRows: policy) }
}

private let events = """
user_id,timestamp,event
a,2026-02-01T10:00:00Z,login
a,2026-03-05T10:00:00Z,login
b,2026-02-15T08:00:00Z,login
c,2026-02-20T08:00:00Z,login

"""

@Suite("Per-user attributes (--users)")
struct UserAttributeTests {
    @Test("CSV: numbers are numeric, anything else categorical; empty cells are missing")
    func detection() throws {
        let t = try readUsers("u.csv", "user_id,acquisition_channel,age,plan\na,paid_social,31,pro\nb,organic,,free\nc,organic,45,\n")
        let s = try AttributeSchema.fit(t)
        #expect(s.columns.map(\.name) == ["acquisition_channel", "age", "plan"])
        #expect(s.columns.map(\.kind) == [.categorical, .numeric, .categorical])
        #expect(s.featureNames == ["attr_acquisition_channel", "attr_age", "attr_plan"])
        #expect(!s.pointInTime)
    }

    @Test("--categorical and --numeric override detection; a forced-numeric word is an error naming the line")
    func overrides() throws {
        let t = try readUsers("u.csv", "user_id,cohort,score\na,2024,1\nb,2025,x\n")
        let s = try AttributeSchema.fit(t, categorical: ["cohort"])
        #expect(s.columns[0].kind == .categorical)
        #expect(throws: UserTableError.self) { try AttributeSchema.fit(t, numeric: ["score"]) }
        do { _ = try AttributeSchema.fit(t, numeric: ["score"]) } catch { #expect("\(error)".contains(":3:")) }
        #expect(throws: UserTableError.self) { try AttributeSchema.fit(t, categorical: ["nope"]) }
        #expect(throws: UserTableError.self) { try AttributeSchema.fit(t, categorical: ["score"], numeric: ["score"]) }
    }

    @Test("categories below the row floor, and values never seen in training, share the rare bucket")
    func rareBucket() throws {
        let rows = (0..<12).map { "p\($0),organic\n" }.joined() + "q1,fax\n"
        let t = try readUsers("u.csv", "user_id,channel\n" + rows)
        let c = try AttributeSchema.fit(t).columns[0]
        #expect(c.categories == ["organic"])
        #expect(c.encode("organic") == 0)
        #expect(c.encode("fax") == Double(c.rareCode))
        #expect(c.encode("carrier_pigeon") == Double(c.rareCode))
        #expect(c.encode(nil)!.isNaN)
        #expect(c.describe(Double(c.rareCode)) == "other (rare or unseen)")
    }

    @Test("JSON Lines: strings, numbers, booleans and null")
    func jsonLines() throws {
        let t = try readUsers("u.jsonl", """
        {"user_id": "a", "platform": "ios", "age": 31, "trial": true}
        {"user_id": "b", "platform": null, "age": 40.5, "trial": false}

        """)
        #expect(t.users == ["a", "b"])
        let s = try AttributeSchema.fit(t)
        #expect(Dictionary(uniqueKeysWithValues: s.columns.map { ($0.name, $0.kind) })
                == ["platform": .categorical, "age": .numeric, "trial": .categorical])
    }

    @Test("a user twice without valid_from is an error naming both lines, whatever the bad-row policy")
    func duplicate() throws {
        for policy in [BadRowPolicy.fail, .skip] {
            do {
                _ = try readUsers("u.csv", "user_id,plan\na,pro\nb,free\na,free\n", policy: policy)
                Issue.record("a repeated user was accepted")
            } catch let e as UserTableError {
                guard case let .duplicateUser(_, line, first, user) = e else { Issue.record("\(e)"); continue }
                #expect(line == 4 && first == 2 && user == "a")
            }
        }
    }

    @Test("bad rows: fail names file and line; skip leaves them out and counts them")
    func badRows() throws {
        let text = "user_id,plan\na,pro\n,free\nc,pro,extra\nd,free\n"
        do {
            _ = try readUsers("u.csv", text)
            Issue.record("a bad row was accepted")
        } catch {
            #expect("\(error)".contains("u.csv:3: empty user_id"))
        }
        let t = try readUsers("u.csv", text, policy: .skip)
        #expect(t.users == ["a", "d"])
        #expect(t.badRows == 2)
        #expect(t.badRowNotes.count == 2 && t.badRowNotes[1].contains(":4: expected 2 fields, found 3"))
    }

    @Test("valid_from: each cutoff gets the value in force strictly before it, never a later one")
    func pointInTime() throws {
        let store = try readCSV(events)
        let t = try readUsers("u.csv", """
        user_id,valid_from,plan,seats
        a,2026-01-01,free,1
        a,2026-03-01,pro,5
        a,2026-04-01,enterprise,50
        b,2026-03-10,pro,3

        """)
        #expect(t.hasValidFrom)
        let users = try UserAttributes(schema: try AttributeSchema.fit(t, categorical: ["plan"]), table: t, badRows: .fail)
        let cutoffs = [ms("2026-02-28"), ms("2026-03-01"), ms("2026-03-02"), ms("2026-03-20")]
        let (events, _) = try buildRows(store, cutoffs: cutoffs)
        let (joined, coverage) = users.join(events, userIDs: store.userIDs)
        #expect(joined.names.suffix(2) == ["attr_plan", "attr_seats"])
        func seats(_ user: String, _ cutoff: String) -> Double? {
            let rows = joined.rows(of: user, in: store).filter { joined.cutoffs[$0] == ms(cutoff) }
            return rows.first.map { joined.row($0).last! }
        }
        #expect(seats("a", "2026-02-28") == 1)
        #expect(seats("a", "2026-03-01") == 1)   // valid from the cutoff itself: not yet in force
        #expect(seats("a", "2026-03-02") == 5)
        #expect(seats("a", "2026-03-20") == 5)   // the 2026-04-01 row is in the future at every cutoff
        #expect(seats("b", "2026-03-02")!.isNaN)  // b's only row starts later
        #expect(seats("b", "2026-03-20") == 3)
        #expect(seats("c", "2026-03-20")!.isNaN)  // no row at all
        #expect(coverage.eventUsersWithoutRow == 1)
        #expect(coverage.usersFileUnmatched == 0)
        #expect(coverage.rowsNotYetValid == 3)     // b at 02-28, 03-01, 03-02
        #expect(coverage.rowsJoined + coverage.rowsWithoutAttributes == joined.rows)
        // The same valid_from twice for one user is a repeat.
        #expect(throws: UserTableError.self) {
            try readUsers("u.csv", "user_id,valid_from,plan\na,2026-01-01,free\na,2026-01-01,pro\n")
        }
    }

    @Test("scoring with a model's schema: missing columns refused; unmatched users counted")
    func scoringSchema() throws {
        let training = try readUsers("u.csv", "user_id,plan,seats\na,pro,1\nz,free,2\n")
        let schema = try AttributeSchema.fit(training)
        let other = try readUsers("u.csv", "user_id,plan\na,pro\n")
        #expect(throws: UserTableError.self) { try UserAttributes(schema: schema, table: other, badRows: .fail) }
        let nonNumber = try readUsers("u.csv", "user_id,plan,seats\na,pro,many\n")
        #expect(throws: UserTableError.self) { try UserAttributes(schema: schema, table: nonNumber, badRows: .fail) }
        let skipped = try UserAttributes(schema: schema, table: nonNumber, badRows: .skip)
        #expect(skipped.table.badRows == 1)
        let store = try readCSV(events)
        let (table, _) = try buildRows(store, cutoffs: [ms("2026-03-20")])
        let (_, coverage) = try UserAttributes(schema: schema, table: training, badRows: .fail).join(table, userIDs: store.userIDs)
        #expect(coverage.usersFileUnmatched == 1)   // z
        #expect(coverage.eventUsersWithoutRow == 2) // b, c
    }
}
