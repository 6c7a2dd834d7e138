// CSV (RFC 4180) and TSV reading: quoting, line endings, BOM, column mapping, optional columns.
import Foundation
import Testing
@testable import EventLog

@Suite("CSV quoting")
struct CSVQuotingTests {
    @Test("embedded commas, escaped quotes and newlines inside quoted fields")
    func quotedFields() throws {
        let text = "user_id,timestamp,event,value\n"
            + "\"smith, j\",2026-01-01,\"say \"\"hi\"\"\",1.5\n"
            + "u2,2026-01-02,\"two\nlines\",\n"
            + "\"u3\",2026-01-03,plain,\"2\"\n"
        let (store, report) = try readLog(text)
        #expect(report.records == 3 && report.events == 3 && report.badRowTotal == 0)
        #expect(report.lines == 5)
        #expect(store.userIDs == ["smith, j", "u2", "u3"])
        #expect(store.eventNames == ["say \"hi\"", "two\nlines", "plain"])
        #expect(eventsOf(store, user: "smith, j").map(\.value) == [1.5])
        #expect(eventsOf(store, user: "u2").first?.value.isNaN == true)
        #expect(eventsOf(store, user: "u3").map(\.value) == [2])
    }

    @Test("CRLF line endings and a UTF-8 byte order mark")
    func crlfAndBOM() throws {
        let text = "\u{FEFF}user_id,timestamp,event,value\r\nu1,2026-01-01,\"a\r\nb\",3\r\nu2,2026-01-02,login,\r\n"
        let (store, report) = try readLog(text)
        #expect(report.badRowTotal == 0)
        #expect(store.userIDs == ["u1", "u2"])
        #expect(store.eventNames == ["a\r\nb", "login"])   // a quoted CRLF is data
        #expect(eventsOf(store, user: "u1").map(\.value) == [3])
        #expect(eventsOf(store, user: "u2").first?.value.isNaN == true)
    }

    @Test("a last line without a newline is read")
    func unterminatedLastLine() throws {
        let (store, report) = try readLog("user_id,timestamp\nu1,2026-01-01\nu2,2026-01-02")
        #expect(store.userIDs == ["u1", "u2"])
        #expect(report.lines == 3)
    }

    @Test("blank lines are counted, not rows")
    func blankLines() throws {
        let (store, report) = try readLog("user_id,timestamp\n\nu1,2026-01-01\r\n\r\nu2,2026-01-02\n")
        #expect(store.eventCount == 2)
        #expect(report.records == 2 && report.blankLines == 2)
    }
}

@Suite("Column mapping")
struct ColumnMappingTests {
    @Test("any column order; extra columns ignored")
    func order() throws {
        let text = "country,value,event,extra,timestamp,user_id\nDE,9.5,buy,\"x,y\",2026-01-02,u1\nFR,,view,z,2026-01-01,u1\n"
        let (store, report) = try readLog(text)
        #expect(report.hasEventColumn && report.hasValueColumn)
        let events = eventsOf(store, user: "u1")
        #expect(events.map(\.event) == ["view", "buy"])   // sorted by time
        #expect(events.map(\.time) == [utcMillis(2026, 1, 1), utcMillis(2026, 1, 2)])
        #expect(events[1].value == 9.5 && events[0].value.isNaN)
    }

    @Test("renamed columns")
    func renamed() throws {
        var options = ReadOptions()
        options.columns = ColumnMapping(user: "customer", time: "when", event: "action", value: "amount")
        let (store, _) = try readLog("when,customer,action,amount\n2026-01-01,c9,buy,4\n", options: options)
        #expect(store.userIDs == ["c9"] && store.eventNames == ["buy"] && store.values == [4])
    }

    @Test("without event and value columns: one event type, NaN values")
    func optionalColumnsAbsent() throws {
        let (store, report) = try readLog("user_id,timestamp\nu1,2026-01-01\nu1,2026-01-03\n")
        #expect(!report.hasEventColumn && !report.hasValueColumn)
        #expect(!store.hasEventColumn && !store.hasValueColumn)
        #expect(store.eventNames == ["event"])
        #expect(store.events == [0, 0])
        #expect(store.values.allSatisfy { $0.isNaN })
        #expect(report.eventNames == 0)
    }

    @Test("an explicitly named column that is absent is an error listing the header")
    func explicitMissing() throws {
        var options = ReadOptions()
        options.columns = ColumnMapping(event: "action")
        #expect {
            _ = try readLog("user_id,timestamp,event\nu1,2026-01-01,x\n", options: options)
        } throws: { error in
            guard case let EventLogError.missingColumn(_, column, header) = error else { return false }
            return column == "action" && header == ["user_id", "timestamp", "event"]
                && "\(error)".contains("the header has: user_id, timestamp, event")
        }
        #expect(throws: EventLogError.self) { _ = try readLog("user,timestamp\nu1,2026-01-01\n") }
    }

    @Test("a duplicated column is an error; an empty file is an error")
    func headerErrors() throws {
        #expect {
            _ = try readLog("user_id,timestamp,user_id\nu1,2026-01-01,u2\n")
        } throws: { error in
            guard case let EventLogError.duplicateColumn(_, column) = error else { return false }
            return column == "user_id"
        }
        #expect {
            _ = try readLog("")
        } throws: { error in
            guard case EventLogError.emptyInput = error else { return false }
            return true
        }
    }
}

@Suite("TSV and whitespace formats")
struct TSVTests {
    @Test("tab-separated with commas and spaces inside fields")
    func tsv() throws {
        let text = "user_id\ttimestamp\tevent\tvalue\nu 1\t2026-01-01\tbuy, now\t7\nu2\t2026-01-02\t\"quoted\ttab\"\t\n"
        let (store, report) = try readLog(text, name: "log.tsv")
        #expect(report.format == .tsv && report.badRowTotal == 0)
        #expect(store.userIDs == ["u 1", "u2"])
        #expect(store.eventNames == ["buy, now", "quoted\ttab"])
        #expect(store.values[0] == 7 && store.values[1].isNaN)
    }

    @Test("the format comes from the extension (through .gz) or must be given")
    func formatFromName() throws {
        #expect(LogFormat.fromExtension("a.CSV.gz") == .csv)
        #expect(LogFormat.fromExtension("a.tab") == .tsv)
        #expect(LogFormat.fromExtension("a.ndjson") == .jsonl)
        #expect(LogFormat.fromExtension("a.txt") == nil)
        #expect {
            _ = try readLog("user_id timestamp\nu1 2026-01-01\n", name: "log.txt")
        } throws: { error in
            guard case EventLogError.unknownFormat = error else { return false }
            return true
        }
        var options = ReadOptions()
        options.format = .whitespace
        let (store, _) = try readLog("  user_id   timestamp \nu1 \t 2026-01-01\r\n", name: "log.txt", options: options)
        #expect(store.userIDs == ["u1"] && store.times == [utcMillis(2026, 1, 1)])
    }
}
