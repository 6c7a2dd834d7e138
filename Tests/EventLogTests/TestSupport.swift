// Shared helpers for the EventLog tests: temporary log files and store comparison.
import Foundation
import Testing
import TestSupport
@testable import EventLog

/// A fresh directory under the system temp dir, removed when the value is deinitialised.
final class TempDir {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "tenure-eventlog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` inside the directory and returns the full path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, bytes: Array(text.utf8)) }
}

/// Reads `text` as a log file named `name` (the extension picks the format unless `options.format` is set).
func readLog(_ text: String, name: String = "log.csv", options: ReadOptions = ReadOptions()) throws -> (EventStore, IngestReport) {
    let dir = try TempDir()
    let path = try dir.write(name, text)
    return try EventLogReader.read(path, options: options)
}

func readLog(bytes: [UInt8], name: String = "log.csv", options: ReadOptions = ReadOptions()) throws -> (EventStore, IngestReport) {
    let dir = try TempDir()
    let path = try dir.write(name, bytes: bytes)
    return try EventLogReader.read(path, options: options)
}

/// UTC milliseconds of a civil date-time, computed with Foundation's Gregorian calendar (independent of the
/// reader's own date arithmetic).
func utcMillis(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0, ms: Int = 0) -> Int64 {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = TimeZone(identifier: "UTC")!
    let date = cal.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))!
    return Int64((date.timeIntervalSince1970 * 1000).rounded()) + Int64(ms)
}

/// One user's events as (time, event name, value) in store order.
func eventsOf(_ store: EventStore, user: String) -> [(time: Int64, event: String, value: Double)] {
    guard let u = store.userIDs.firstIndex(of: user) else { return [] }
    return store.range(ofUser: u).map { (store.times[$0], store.eventNames[Int(store.events[$0])], store.values[$0]) }
}

/// Two stores hold the same events in the same layout (values compared by bit pattern, so NaN == NaN).
func expectSameStore(_ a: EventStore, _ b: EventStore, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.userIDs == b.userIDs, sourceLocation: sourceLocation)
    #expect(a.eventNames == b.eventNames, sourceLocation: sourceLocation)
    #expect(a.userOffsets == b.userOffsets, sourceLocation: sourceLocation)
    #expect(a.times == b.times, sourceLocation: sourceLocation)
    #expect(a.events == b.events, sourceLocation: sourceLocation)
    #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern), sourceLocation: sourceLocation)
    #expect(a.hasEventColumn == b.hasEventColumn, sourceLocation: sourceLocation)
    #expect(a.hasValueColumn == b.hasValueColumn, sourceLocation: sourceLocation)
    #expect(a.duplicateEvents == b.duplicateEvents, sourceLocation: sourceLocation)
}
