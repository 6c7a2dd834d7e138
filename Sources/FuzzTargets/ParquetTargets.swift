// Parquet targets: any bytes as a .parquet event log (and as a users table, the other Parquet reader), and
// structure-aware edits of the pages of a valid file, its footer kept so the edits reach the page headers,
// levels, encodings and codecs instead of stopping at the footer.
import EventLog
import Features
import Foundation

enum ParquetTargets {
    /// The input is the file.
    static func file(_ bytes: [UInt8]) throws { try read(bytes) }

    /// The input is a program on a base file (fuzz/base/pages-*.parquet): the first byte picks the base, then
    /// 3 bytes per edit: a 16-bit position in the bytes between the magic and the footer, and a byte to XOR in.
    static func pages(_ bytes: [UInt8]) throws {
        guard let selector = bytes.first else { return }
        let base = Base.all[Int(selector) % Base.all.count]
        var file = base.bytes
        var k = 1
        while k + 2 < bytes.count {
            file[base.pages.lowerBound + (Int(bytes[k]) << 8 | Int(bytes[k + 1])) % base.pages.count] ^= bytes[k + 2]
            k += 3
        }
        try read(file)
    }

    /// Reads `file` as an event log on two threads (row groups decode in parallel) and as a users table; each
    /// either succeeds with what a read promises or refuses with a categorized bad-input error.
    static func read(_ file: [UInt8]) throws {
        var settings = ReaderTargets.Settings(0x10, format: .parquet)   // bad rows skipped and counted
        settings.options.threads = 2
        let outcome = try ReaderTargets.readChecked(file, name: "log.parquet", settings)
        if case let .success((store, _)) = outcome.result {
            try check(!store.userIDs.contains { $0.utf8.contains(0) }, "a user id with a NUL byte was accepted")
        }
        let path = Scratch.path("log.parquet")
        do {
            let table = try ParquetTable.read(path, threads: 2)
            try check(table.cells.count == table.columns.count, "\(table.cells.count) cell columns for \(table.columns.count) names")
            try check(table.cells.allSatisfy { $0.count == table.rowCount }, "columns of different lengths")
        } catch {
            try checkRefusal(error, "reading a Parquet table")
        }
        do {
            let users = try UserTable.read(path, badRows: .skip)
            try check(users.rowStart.count == users.users.count + 1 && users.rowStart.last == users.rowCount, "users' row ranges")
            try check(users.cells.count == users.rowCount * users.columns.count, "users' cells")
        } catch {
            try checkRefusal(error, "reading a Parquet users table")
        }
    }

    /// A valid file to edit and the range its pages occupy.
    struct Base: Sendable {
        let bytes: [UInt8]
        let pages: Range<Int>

        static let all: [Base] = ["dictionary", "delta", "snappy"].map { kind in
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("fuzz/base/pages-\(kind).parquet")
            guard let data = try? Data(contentsOf: url), data.count > 12 else { fatalError("cannot read the fuzzing base file \(url.path)") }
            let b = Array(data), n = b.count
            let footer = Int(b[n - 8]) | Int(b[n - 7]) << 8 | Int(b[n - 6]) << 16 | Int(b[n - 5]) << 24
            guard footer > 0, n - 8 - footer > 4 else { fatalError("the fuzzing base file \(url.path) has no footer") }
            // Unedited, the base must read: else every program would test only the footer checks.
            do { _ = try EventLogReader.read(Scratch.write(b, as: "base.parquet")) } catch {
                fatalError("the fuzzing base file \(url.path) does not read: \(error)")
            }
            return Base(bytes: b, pages: 4..<(n - 8 - footer))
        }
    }
}
