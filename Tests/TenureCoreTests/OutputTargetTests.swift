// AtomicOutput against what a path can name: a regular file is replaced by rename, a FIFO or character device
// is written through (renaming over /dev/null would replace the system's: tested on a device node made in a
// scratch directory, never on the real one), a symlink keeps its link; temporaries of dead runs are removed;
// an output that is an input is refused.
import Foundation
import Testing
import TenureCore

/// A fresh directory removed when the test is done with it.
final class TempDir {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-core-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }
}

func fileType(_ path: String) -> mode_t? {
    var st = stat()
    return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : nil
}

func inode(_ path: String) -> ino_t? {
    var st = stat()
    return stat(path, &st) == 0 ? st.st_ino : nil
}

func write(_ text: String, to path: String) throws {
    let out = try AtomicOutput(path: path)
    out.write(text)
    try out.commit()
}

@Suite("AtomicOutput respects what the path names")
struct OutputTargetTests {
    @Test("a regular file is replaced by a new one (rename), whole")
    func regularFileReplaced() throws {
        let dir = try TempDir()
        let path = try dir.write("out.csv", "old\n")
        let before = try #require(inode(path))
        try write("new\n", to: path)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) == "new\n")
        #expect(inode(path) != before, "renamed into place, not rewritten")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
    }

    @Test("a FIFO is written through: the reader gets the bytes and the FIFO stays")
    func fifoWrittenThrough() throws {
        let dir = try TempDir()
        let fifo = dir.file("pipe")
        try #require(mkfifo(fifo, 0o600) == 0)
        // The read end opened first (non-blocking, so neither side waits): the writer finds its reader, and a
        // writer that renamed over the FIFO instead leaves the reader an empty pipe, so the test fails, not hangs.
        let fd = open(fifo, O_RDONLY | O_NONBLOCK)
        try #require(fd >= 0)
        defer { close(fd) }
        try write("through the pipe\n", to: fifo)
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 4096)
        while case let n = read(fd, &chunk, chunk.count), n > 0 { bytes += chunk[..<n] }
        #expect(String(decoding: bytes, as: UTF8.self) == "through the pipe\n")
        #expect(fileType(fifo) == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["pipe"], "no temporary file left")
    }

    @Test("a character device is written through, never renamed over", .enabled(if: getuid() == 0, "mknod needs root"))
    func characterDeviceWrittenThrough() throws {
        let dir = try TempDir()
        let device = dir.file("null")
        // A null device of our own (major 1, minor 3), so the system's /dev/null is never at stake.
        let mknod = Process()
        mknod.executableURL = URL(fileURLWithPath: "/usr/bin/mknod")
        mknod.arguments = [device, "c", "1", "3"]
        try mknod.run(); mknod.waitUntilExit()
        try #require(mknod.terminationStatus == 0 && fileType(device) == S_IFCHR)
        try OutputPath.checkWritable(device)
        try write("discarded\n", to: device)
        #expect(fileType(device) == S_IFCHR, "still the device, not a regular file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["null"])
    }

    @Test("a symlink's target is replaced and the link kept, also through a relative chain")
    func symlinkKept() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("real"), withIntermediateDirectories: true)
        let target = try dir.write("real/list.csv", "old\n")
        try #require(symlink("real/list.csv", dir.file("hop")) == 0 && symlink("hop", dir.file("latest.csv")) == 0)
        try OutputPath.checkWritable(dir.file("latest.csv"))
        try write("new\n", to: dir.file("latest.csv"))
        #expect(fileType(dir.file("latest.csv")) == S_IFLNK && fileType(dir.file("hop")) == S_IFLNK)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: target)), as: UTF8.self) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("real")) == ["list.csv"])
    }

    @Test("a dangling symlink gets its target created")
    func danglingSymlink() throws {
        let dir = try TempDir()
        try #require(symlink("made.csv", dir.file("link.csv")) == 0)
        try write("made\n", to: dir.file("link.csv"))
        #expect(fileType(dir.file("link.csv")) == S_IFLNK)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.file("made.csv"))), as: UTF8.self) == "made\n")
    }

    @Test("a directory is refused")
    func directoryRefused() throws {
        let dir = try TempDir()
        #expect(throws: OutputError.self) { try AtomicOutput(path: dir.path) }
        #expect(throws: OutputError.self) { try OutputPath.checkWritable(dir.path) }
    }

    @Test("a dead run's temporary file is removed, a live process's kept")
    func staleTemporaries() throws {
        let dir = try TempDir()
        // The largest PID Linux can hand out: no process has it.
        let dead: pid_t = 4_194_304
        try #require(kill(dead, 0) != 0 && errno == ESRCH)
        let stale = try dir.write("scores.csv.tmp-\(dead)", "half a list")
        let live = try dir.write("scores.csv.tmp-\(getppid())", "another run, writing now")
        let unrelated = try dir.write("other.csv.tmp-\(dead)", "not ours")
        try write("list\n", to: dir.file("scores.csv"))
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live))
        #expect(FileManager.default.fileExists(atPath: unrelated))
    }

    @Test("staged bytes are on disk under the temporary name; nothing is replaced until commit")
    func stageThenCommit() throws {
        let dir = try TempDir()
        let path = try dir.write("out.csv", "old\n")
        let out = try AtomicOutput(path: path)
        out.write("new\n")
        let staged = try #require(try out.stage())
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: staged)), as: UTF8.self) == "new\n")
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) == "old\n")
        try out.commit()
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) == "new\n")
        #expect(!FileManager.default.fileExists(atPath: staged))
    }
}

@Suite("An output that is an input is refused")
struct SameFileTests {
    @Test("the same path, spelled differently")
    func samePath() throws {
        let dir = try TempDir()
        let events = try dir.write("events.csv", "x\n")
        #expect(throws: SameFileError.self) {
            try OutputPath.checkDistinct(outputs: [("--out", dir.path + "/./events.csv")], inputs: [("--events", events)])
        }
        // A path that does not exist yet is still the same path.
        #expect(throws: SameFileError.self) {
            try OutputPath.checkDistinct(outputs: [("--out", dir.file("new.csv"))], inputs: [("--spec", dir.file("new.csv"))])
        }
    }

    @Test("a hard link or a symlink to the input")
    func sameInode() throws {
        let dir = try TempDir()
        let events = try dir.write("events.csv", "x\n")
        try #require(link(events, dir.file("hard.csv")) == 0 && symlink("events.csv", dir.file("soft.csv")) == 0)
        for alias in ["hard.csv", "soft.csv"] {
            #expect(throws: SameFileError.self) {
                try OutputPath.checkDistinct(outputs: [("--out", dir.file(alias))], inputs: [("--events", events)])
            }
        }
    }

    @Test("two outputs naming one file")
    func twoOutputs() throws {
        let dir = try TempDir()
        #expect(throws: SameFileError.self) {
            try OutputPath.checkDistinct(outputs: [("--out", dir.file("a.csv")), ("quarantine", dir.file("a.csv"))], inputs: [])
        }
    }

    @Test("different files, stdout and stdin pass")
    func distinct() throws {
        let dir = try TempDir()
        let events = try dir.write("events.csv", "x\n")
        let copy = try dir.write("copy.csv", "x\n")
        try OutputPath.checkDistinct(outputs: [("--out", copy), ("--predictions", "-")], inputs: [("--events", events), ("--model", "-")])
        try OutputPath.checkDistinct(outputs: [("--out", "-")], inputs: [("--events", "-")])
        let e = SameFileError(output: "--out", other: "--events", path: events)
        #expect(e.category == .usage && "\(e)".contains("--out") && "\(e)".contains("--events"))
    }
}
