// Event-log reader targets: every format, gzip, and the thread-count agreement.
import EventLog
import Foundation
import TenureCore

enum ReaderTargets {
    /// The reader's settings, picked by the input's first byte so the fuzzer explores them with the bytes.
    struct Settings {
        var options: ReadOptions
        var quarantine: Bool

        init(_ selector: UInt8, format: LogFormat) {
            options = ReadOptions(format: format)
            options.timeFormat = [TimeFormat.auto, .epochSeconds, .iso8601, .yyyymmdd][Int(selector >> 2 & 3)]
            quarantine = selector >> 4 & 3 == 2
            options.badRows = [BadRowPolicy.fail, .skip, .quarantine(path: Scratch.path("bad.csv")), .skip][Int(selector >> 4 & 3)]
            // A small runaway bound, sometimes, so a stray quote meets it inside a fuzz-sized file.
            if selector & 0x40 != 0 { options.maxRecordBytes = 64 }
            options.threads = selector & 0x80 != 0 ? 2 : 1
            options.blockBytes = 1 << 10
        }
    }

    static func delimited(_ bytes: [UInt8]) throws {
        guard let selector = bytes.first else { return }
        let format = [LogFormat.csv, .tsv, .whitespace, .csv][Int(selector & 3)]
        try readChecked(Array(bytes.dropFirst()), name: "log.\(format == .tsv ? "tsv" : "csv")", Settings(selector, format: format))
    }

    static func jsonl(_ bytes: [UInt8]) throws {
        guard let selector = bytes.first else { return }
        try readChecked(Array(bytes.dropFirst()), name: "log.jsonl", Settings(selector, format: .jsonl))
    }

    static func gzip(_ bytes: [UInt8]) throws {
        // The whole input is the .gz file; the reader's settings are the defaults but for bad rows (skipped).
        var settings = Settings(0x10, format: .csv)
        settings.options.threads = 2
        try readChecked(bytes, name: "log.csv.gz", settings)
    }

    /// Reads and checks what a successful read promises; a refusal must be a categorized bad-input error.
    @discardableResult
    static func readChecked(_ file: [UInt8], name: String, _ settings: Settings) throws -> Outcome {
        let path = Scratch.write(file, as: name)
        let outcome = Outcome(path: path, settings)
        switch outcome.result {
        case let .failure(error): try checkRefusal(error, "reading \(name)")
        case let .success((store, report)): try checkRead(store, report)
        }
        return outcome
    }

    /// The counts add up and the store is well formed.
    static func checkRead(_ store: EventStore, _ report: IngestReport) throws {
        try check(report.records == report.events + report.badRowTotal,
                  "records \(report.records) ≠ events \(report.events) + bad rows \(report.badRowTotal)")
        try check(report.events == store.eventCount && report.users == store.userCount && report.eventNames == (store.hasEventColumn ? store.eventNames.count : 0),
                  "the report's counts (\(report.events) events, \(report.users) users, \(report.eventNames) event names) differ from the store's (\(store.eventCount), \(store.userCount), \(store.eventNames.count))")
        try check(report.lines >= report.records, "\(report.records) records on \(report.lines) lines")
        try check(store.userOffsets.count == store.userCount + 1 && store.userOffsets.first == 0
                  && store.userOffsets.last == store.eventCount, "user offsets do not cover the events")
        for u in 0..<store.userCount {
            let r = store.range(ofUser: u)
            try check(!r.isEmpty, "user \(u) has no events")
            for i in r.dropFirst() where store.times[i - 1] > store.times[i] { throw InvariantViolation("user \(u)'s events are not sorted by time") }
        }
        try check(Set(store.userIDs).count == store.userCount, "a user id appears twice")
        try check(!store.userIDs.contains(""), "an empty user id was accepted")
        if store.hasEventColumn {
            try check(store.events.count == store.eventCount, "event column length")
            try check(store.events.allSatisfy { Int($0) < store.eventNames.count }, "an event id beyond the names")
        }
        if store.hasValueColumn { try check(store.values.count == store.eventCount, "value column length") }
    }

    /// What one read yields, comparable across thread counts and block sizes.
    struct Outcome {
        let result: Result<(EventStore, IngestReport), Error>
        let quarantine: [UInt8]

        init(path: String, _ settings: Settings) {
            unlink(Scratch.path("bad.csv"))
            result = Result { try EventLogReader.read(path, options: settings.options) }
            quarantine = settings.quarantine ? Scratch.contents("bad.csv") : []
        }

        /// nil when both reads agree, else what differs.
        func difference(from other: Outcome) -> String? {
            switch (result, other.result) {
            case let (.failure(a), .failure(b)):
                return "\(a)" == "\(b)" ? nil : "errors differ: \(a) | \(b)"
            case let (.success(a), .success(b)):
                if a.1 != b.1 { return "reports differ: \(a.1) | \(b.1)" }
                if quarantine != other.quarantine { return "quarantine bytes differ (\(quarantine.count) vs \(other.quarantine.count))" }
                let (s, t) = (a.0, b.0)
                if s.userIDs != t.userIDs || s.eventNames != t.eventNames || s.userOffsets != t.userOffsets || s.times != t.times
                    || s.events != t.events || !s.values.elementsEqual(t.values, by: { $0 == $1 || ($0.isNaN && $1.isNaN) }) {
                    return "stores differ"
                }
                return nil
            case let (.success, .failure(e)): return "only the second read fails: \(e)"
            case let (.failure(e), .success): return "only the first read fails: \(e)"
            }
        }
    }

    /// Serial in one block (64 KiB: more than any input) against two threads with 1 KiB blocks (the smallest the
    /// reader takes).
    static func threads(_ bytes: [UInt8]) throws {
        guard let selector = bytes.first else { return }
        let format: LogFormat = selector & 1 == 0 ? .csv : .tsv
        var settings = Settings(selector, format: format)
        settings.options.badRows = selector & 2 == 0 ? .quarantine(path: Scratch.path("bad.csv")) : .fail
        settings.quarantine = selector & 2 == 0
        settings.options.threads = 1
        settings.options.blockBytes = 64 << 10
        let serial = try readChecked(Array(bytes.dropFirst()), name: format == .csv ? "log.csv" : "log.tsv", settings)
        settings.options.threads = 2
        settings.options.blockBytes = 1 << 10
        let parallel = Outcome(path: Scratch.path(format == .csv ? "log.csv" : "log.tsv"), settings)
        if let d = serial.difference(from: parallel) { throw InvariantViolation("1 thread vs 2 threads with 1 KiB blocks: \(d)") }
    }
}
