// JSON Lines reading: keys in any order, nested values skipped, string escapes, numeric ids and times, null.
import Foundation
import Testing
@testable import EventLog

@Suite("JSON Lines")
struct JSONLinesTests {
    private func read(_ text: String, options: ReadOptions = ReadOptions()) throws -> (EventStore, IngestReport) {
        try readLog(text, name: "log.jsonl", options: options)
    }

    @Test("keys in any order, nested objects and arrays skipped, whitespace allowed")
    func keyOrder() throws {
        let text = """
        {"timestamp": "2026-01-02T00:00:00Z", "meta": {"a": [1, {"b": "}"}], "c": "x"}, "user_id": "u1", "value": 2.5, "event": "buy"}
        { "event" : "view" , "user_id":"u1","tags":["x","]"],"timestamp":"2026-01-01T00:00:00Z" }
        {"user_id":"u2","event":"view","timestamp":"2026-01-03T00:00:00Z","value":null,"ok":true}

        """
        var options = ReadOptions()
        options.columns = ColumnMapping(event: "event")
        let (store, report) = try read(text, options: options)
        #expect(report.format == .jsonl && report.badRowTotal == 0 && report.records == 3)
        let u1 = eventsOf(store, user: "u1")
        #expect(u1.map(\.event) == ["view", "buy"])
        #expect(u1[0].value.isNaN && u1[1].value == 2.5)
        #expect(eventsOf(store, user: "u2").first?.value.isNaN == true)   // null value = missing
    }

    @Test("the default event key is read without being named")
    func defaultEventKey() throws {
        let text = "{\"user_id\":\"u1\",\"timestamp\":\"2026-01-01\",\"event\":\"login\"}\n{\"user_id\":\"u1\",\"timestamp\":\"2026-01-02\",\"event\":\"buy\"}\n"
        let (store, report) = try read(text)
        #expect(report.hasEventColumn)
        #expect(eventsOf(store, user: "u1").map(\.event) == ["login", "buy"])
    }

    @Test("once the default event key is seen, a row without it is a bad row")
    func defaultEventKeyMissingLater() throws {
        var options = ReadOptions()
        options.badRows = .skip
        let text = "{\"user_id\":\"u1\",\"timestamp\":\"2026-01-01\",\"event\":\"a\"}\n{\"user_id\":\"u2\",\"timestamp\":\"2026-01-02\"}\n"
        let (store, report) = try read(text, options: options)
        #expect(store.userIDs == ["u1"] && store.eventNames == ["a"])
        #expect(report.badRows == [.missingField: 1])
    }

    @Test("a log without event keys has one event type")
    func noEventKey() throws {
        let (store, report) = try read("{\"user_id\":\"u1\",\"timestamp\":\"2026-01-01\",\"value\":3}\n")
        #expect(!report.hasEventColumn)
        #expect(store.eventNames == ["event"] && store.values == [3])
    }

    @Test("string escapes: quotes, backslash, control escapes, \\u00e9 and surrogate pairs")
    func escapes() throws {
        let text = #"""
        {"user_id":"caf\u00e9","timestamp":"2026-01-01","event":"say \"hi\"\\\/\n\t"}
        {"user_id":"\ud83d\ude00","timestamp":"2026-01-02","event":"\u00C9t\u00e9"}
        {"user_id":"plain-é","timestamp":"2026-01-03","event":"x"}

        """#
        let (store, report) = try read(text)
        #expect(report.badRowTotal == 0)
        #expect(store.userIDs == ["café", "😀", "plain-é"])
        #expect(store.eventNames == ["say \"hi\"\\/\n\t", "Été", "x"])
    }

    @Test("numeric user ids and epoch times")
    func numericFields() throws {
        let text = "{\"user_id\":42,\"timestamp\":1780235130,\"event\":\"a\",\"value\":-1.5e2}\n{\"user_id\":7,\"timestamp\":1780235131.5,\"event\":\"a\"}\n"
        let (store, report) = try read(text)
        #expect(report.timeFormat == .epochSeconds)
        #expect(store.userIDs == ["42", "7"])
        #expect(eventsOf(store, user: "42").map(\.time) == [1_780_235_130_000])
        #expect(eventsOf(store, user: "42").map(\.value) == [-150])
        #expect(eventsOf(store, user: "7").map(\.time) == [1_780_235_131_500])
    }

    @Test("a bad escape is malformed JSON")
    func badEscape() throws {
        var options = ReadOptions()
        options.badRows = .skip
        let text = "{\"user_id\":\"u\\q\",\"timestamp\":\"2026-01-01\"}\n{\"user_id\":\"\\ud83d\",\"timestamp\":\"2026-01-01\"}\n{\"user_id\":\"ok\",\"timestamp\":\"2026-01-01\"}\n"
        let (store, report) = try read(text, options: options)
        #expect(store.userIDs == ["ok"])
        #expect(report.records == 3 && report.badRows == [.malformedJSON: 2])
    }
}
