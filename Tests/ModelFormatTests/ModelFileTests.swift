// The model file: round trips exactly, and refuses truncated, altered, too-new or foreign files by name.
import Foundation
import Testing
@testable import ModelFormat
import TenureCore

/// Rebuilds a file around a (possibly edited) body with a correct header, as a newer writer would.
private func reheader(_ body: [UInt8], version: Int = 1) -> [UInt8] {
    Array("TENURE-MODEL \(version) sha256=\(SHA256.hex(body)) bytes=\(body.count)\n".utf8) + body
}

private func split(_ file: [UInt8]) -> (header: [UInt8], body: [UInt8]) {
    let nl = file.firstIndex(of: 10)!
    return (Array(file[...nl]), Array(file[(nl + 1)...]))
}

private func replacing(_ bytes: [UInt8], _ old: String, with new: String) throws -> [UInt8] {
    let text = String(decoding: bytes, as: UTF8.self)
    let range = try #require(text.range(of: old), "'\(old)' not in the file")
    return Array(text.replacingCharacters(in: range, with: new).utf8)
}

@Suite("Model file round trip")
struct ModelFileRoundTripTests {
    @Test("encode → decode → encode gives an equal model and identical bytes", arguments: ["logistic-v1", "gbdt-v1"])
    func roundTrip(name: String) throws {
        let original = try Golden.model(name + ".tenure")
        let bytes = try ModelFile.encode(original)
        let decoded = try ModelFile.decode(bytes)
        #expect(try ModelFile.encode(decoded) == bytes)
        #expect(decoded.kind == original.kind)
        #expect(decoded.formatVersion == original.formatVersion)
        #expect(decoded.tenureVersion == original.tenureVersion)
        #expect(decoded.label == original.label)
        #expect(decoded.features == original.features)
        #expect(decoded.featureNames == original.featureNames)
        #expect(decoded.columns == original.columns)
        #expect(decoded.inputFormat == original.inputFormat)
        #expect(decoded.timeFormat == original.timeFormat)
        #expect(decoded.training == original.training)
        #expect(decoded.validation == original.validation)
        #expect(decoded.logistic == original.logistic)
        #expect(decoded.gbdt == original.gbdt)
    }

    @Test("header names the format, the body's SHA-256 and its length")
    func header() throws {
        let bytes = try Golden.bytes("logistic-v1.tenure")
        let (header, body) = split(bytes)
        let fields = String(decoding: header.dropLast(), as: UTF8.self).split(separator: " ").map(String.init)
        #expect(fields == ["TENURE-MODEL", "1", "sha256=\(SHA256.hex(body))", "bytes=\(body.count)"])
        // Sorted, pretty JSON ending in a newline.
        #expect(body.last == 10)
        #expect(String(decoding: body.prefix(32), as: UTF8.self).hasPrefix("{\n  \"columns\" : {"))
    }

    @Test("write then read through a file, replacing an existing one")
    func writeRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-mf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.tenure").path
        try Data("old junk".utf8).write(to: URL(fileURLWithPath: path))
        let model = try Golden.model("gbdt-v1.tenure")
        try ModelFile.write(model, to: path)
        #expect(Array(try #require(FileManager.default.contents(atPath: path))) == (try ModelFile.encode(model)))
        #expect(try ModelFile.read(path).gbdt == model.gbdt)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.tenure"])
    }
}

@Suite("Model file refusals")
struct ModelFileRefusalTests {
    let file: [UInt8]
    init() throws { file = try Golden.bytes("logistic-v1.tenure") }

    @Test("a truncated file is refused as truncated, with both sizes")
    func truncated() throws {
        let body = split(file).body.count
        for cut in [1, 100, body] {
            #expect {
                try ModelFile.decode(Array(file.dropLast(cut)), path: "m.tenure")
            } throws: { error in
                guard case let ModelFormatError.truncated(path, expected, found) = error else { return false }
                return path == "m.tenure" && expected == body && found == body - cut
                    && "\(error)".contains("truncated") && "\(error)".contains("\(body - cut) of \(body) bytes")
            }
        }
    }

    @Test("one altered byte in the body is a checksum mismatch", arguments: [0, 5000, 17000])
    func alteredByte(offset: Int) throws {
        var bytes = file
        let at = split(file).header.count + min(offset, split(file).body.count - 2)
        bytes[at] = bytes[at] == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7")
        #expect {
            try ModelFile.decode(bytes, path: "m.tenure")
        } throws: { error in
            guard case let ModelFormatError.checksumMismatch(_, expected, found) = error else { return false }
            return expected == SHA256.hex(split(file).body) && found != expected && "\(error)".contains("checksum mismatch")
        }
    }

    @Test("bytes after the model are refused")
    func trailingBytes() {
        #expect {
            try ModelFile.decode(file + [10], path: "m.tenure")
        } throws: { error in
            guard case ModelFormatError.malformed = error else { return false }
            return "\(error)".contains("1 bytes after the model")
        }
    }

    @Test("format version 99 is refused naming both versions")
    func newerFormat() throws {
        let bytes = reheader(split(file).body, version: 99)
        #expect {
            try ModelFile.decode(bytes, path: "future.tenure")
        } throws: { error in
            guard case let ModelFormatError.unsupportedFormatVersion(path, found, newest) = error else { return false }
            let text = "\(error)"
            return path == "future.tenure" && found == 99 && newest == TenureModel.currentFormatVersion
                && text.contains("version 99") && text.contains("format version \(TenureModel.currentFormatVersion)") && text.contains("upgrade")
        }
    }

    @Test("attributes (format 2) in a file that says format 1 are refused; format 1 files stay format 1")
    func attributesNeedFormat2() throws {
        let model = try ModelFile.decode(file)
        #expect(model.formatVersion == 1 && model.attributes == nil)
        #expect(Array(try ModelFile.encode(model).prefix(15)) == Array("TENURE-MODEL 1 ".utf8))
        let body = try replacing(split(file).body, "\"featureNames\"",
                                 with: "\"attributes\" : {\"columns\" : [{\"kind\" : \"numeric\", \"name\" : \"age\"}], \"pointInTime\" : false},\n  \"featureNames\"")
        #expect {
            try ModelFile.decode(reheader(body), path: "old.tenure")
        } throws: { error in
            "\(error)".contains("attributes need formatVersion 2")
        }
    }

    @Test("unknown extra JSON fields (top level and nested), re-checksummed, load and score the same")
    func unknownFields() throws {
        let original = try ModelFile.decode(file)
        var body = split(file).body
        body = try replacing(body, "{\n", with: "{\n  \"aNewTopLevelField\" : {\"x\" : [1, 2, 3]},\n")
        body = try replacing(body, "\"logistic\" : {\n", with: "\"logistic\" : {\n    \"zzFutureOption\" : \"on\",\n")
        let loaded = try ModelFile.decode(reheader(body))
        #expect(loaded.logistic == original.logistic)
        #expect(loaded.featureNames == original.featureNames)
        let row = [Double](repeating: .nan, count: original.featureCount)
        let p = row.withUnsafeBufferPointer { loaded.probability($0) }
        #expect(p == row.withUnsafeBufferPointer { original.probability($0) })
    }

    @Test("things that are not model files are refused as notAModel", arguments: [
        "user_id,timestamp,event\nu1,2026-01-01,login\n",
        "",
        "TENURE-MODEL\n{}\n",
        "TENURE-MODEL one sha256=00 bytes=3\n{}\n",
        "TENURE-MODEL 1 bytes=3\n{}\n",
        "NOT-TENURE 1 sha256=00 bytes=3\n{}\n",
        String(repeating: "x", count: 600) + "\n",
    ])
    func notAModel(text: String) {
        #expect {
            try ModelFile.decode(Array(text.utf8), path: "thing")
        } throws: { error in
            guard case ModelFormatError.notAModel(path: "thing") = error else { return false }
            return "\(error)".contains("not a Tenure model file")
        }
    }

    @Test("a well-checksummed body that is not a model is malformed, not a crash")
    func malformedBody() throws {
        for body in ["{}\n", "[1, 2]\n", "{\"kind\" : \"forest\"}\n"] {
            #expect(throws: ModelFormatError.self) { try ModelFile.decode(reheader(Array(body.utf8))) }
        }
        // A logistic file whose kind says gbdt must be refused, not scored with whichever payload is there.
        let body = try replacing(split(file).body, "\"kind\" : \"logistic\"", with: "\"kind\" : \"gbdt\"")
        #expect {
            try ModelFile.decode(reheader(body))
        } throws: { error in
            guard case ModelFormatError.malformed = error else { return false }
            return "\(error)".contains("kind is gbdt but the file holds a logistic model")
        }
    }

    @Test("a missing file is cannotRead naming the path")
    func missingFile() {
        #expect {
            try ModelFile.read("/nonexistent/dir/model.tenure")
        } throws: { error in
            guard case ModelFormatError.cannotRead(path: "/nonexistent/dir/model.tenure", reason: "no such file") = error else { return false }
            return true
        }
    }
}

@Suite("Model file: the header is read first")
struct ModelFileHeaderFirstTests {
    /// A sparse file of `size` bytes starting with `prefix` (nothing but the prefix is on disk).
    static func sparse(_ prefix: String, size: UInt64) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-sparse-\(UUID().uuidString)").path
        try Data(prefix.utf8).write(to: URL(fileURLWithPath: path))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: size)
        try handle.close()
        return path
    }

    @Test("a 2 GB non-model and a 2 GB file longer than its header says are refused without being read", arguments: [
        ("user_id,timestamp,event\n", "not a Tenure model file"),
        ("TENURE-MODEL 1 sha256=00 bytes=10\n", "bytes after the model"),
        ("TENURE-MODEL 7 sha256=00 bytes=10\n", "newer than this Tenure reads"),
    ])
    func bigFiles(prefix: String, message: String) throws {
        let path = try Self.sparse(prefix, size: 2 << 30)
        defer { unlink(path) }
        let start = Date()
        #expect {
            try ModelFile.read(path)
        } throws: { error in
            error is ModelFormatError && "\(error)".contains(message)
        }
        // Reading 2 GB would take seconds and 2 GB of memory; refusing from the header takes microseconds.
        #expect(Date().timeIntervalSince(start) < 0.5)
    }

    @Test("a header whose format version differs from the body's formatVersion is refused")
    func versionMismatch() throws {
        let file = try Golden.bytes("logistic-v1.tenure")
        let body = Array(file[(file.firstIndex(of: 10)! + 1)...])
        let text = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 0")
        let edited = Array(text.utf8)
        let bytes = Array("TENURE-MODEL 1 sha256=\(SHA256.hex(edited)) bytes=\(edited.count)\n".utf8) + edited
        #expect(throws: ModelFormatError.self) { try ModelFile.decode(bytes) }
    }

    @Test("every ModelFormatError is bad input (exit 2)")
    func category() {
        let errors: [ModelFormatError] = [.cannotRead(path: "p", reason: "r"), .notAModel(path: "p"),
                                          .unsupportedFormatVersion(path: "p", found: 2, newestSupported: 1),
                                          .checksumMismatch(path: "p", expected: "a", found: "b"),
                                          .truncated(path: "p", expectedBytes: 2, foundBytes: 1),
                                          .malformed(path: "p", reason: "r"), .featureCountMismatch(expected: 2, found: 1)]
        #expect(errors.allSatisfy { ErrorCategory.of($0) == .badInput })
    }
}
