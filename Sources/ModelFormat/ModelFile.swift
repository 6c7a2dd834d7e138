// The model file: one header line `TENURE-MODEL <format> sha256=<hex> bytes=<n>`, then the model as sorted,
// pretty-printed JSON. The checksum refuses damaged files; unknown JSON fields are ignored (newer minor
// additions load); a newer format version is refused by name.
import EventLog
import Foundation
import TenureCore

public enum ModelFile {
    static let magic = "TENURE-MODEL"

    /// The exact bytes of a model file: the same model always gives the same bytes.
    public static func encode(_ model: TenureModel) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let body = Array(try encoder.encode(model)) + [10]
        let header = "\(magic) \(model.formatVersion) sha256=\(SHA256.hex(body)) bytes=\(body.count)\n"
        return Array(header.utf8) + body
    }

    public static func write(_ model: TenureModel, to path: String) throws {
        let bytes = try encode(model)
        let out = try AtomicOutput(path: path)
        out.write(bytes: bytes)
        try out.commit()
    }

    /// The longest header line accepted (newline included); a file without one in its first bytes is no model.
    static let maxHeaderBytes = 512

    /// The parsed first line: format version, checksum and body size.
    struct Header {
        let version: Int
        let sha256: String
        let bodyBytes: Int
        /// Bytes of the header line, newline included: the body starts here.
        let length: Int

        /// Parses the header from the first bytes of a file (at most `maxHeaderBytes` are looked at).
        init(_ prefix: some Collection<UInt8>, path: String) throws {
            let head = Array(prefix.prefix(ModelFile.maxHeaderBytes))
            guard let newline = head.firstIndex(of: 10) else { throw ModelFormatError.notAModel(path: path) }
            let fields = String(decoding: head[..<newline], as: UTF8.self).split(separator: " ").map(String.init)
            guard fields.count >= 4, fields[0] == magic, let version = Int(fields[1]), version >= 1 else {
                throw ModelFormatError.notAModel(path: path)
            }
            guard version <= TenureModel.currentFormatVersion else {
                throw ModelFormatError.unsupportedFormatVersion(path: path, found: version, newestSupported: TenureModel.currentFormatVersion)
            }
            var sum: String?, size: Int?
            for f in fields.dropFirst(2) {
                if f.hasPrefix("sha256=") { sum = String(f.dropFirst(7)) }
                if f.hasPrefix("bytes=") { size = Int(f.dropFirst(6)) }
            }
            guard let sum, let size, size >= 0 else { throw ModelFormatError.notAModel(path: path) }
            self.version = version; sha256 = sum; bodyBytes = size; length = newline + 1
        }

        /// Refuses a body of the wrong size (before it is read, when only its size is known).
        func checkBodySize(_ found: Int, path: String) throws {
            if found < bodyBytes { throw ModelFormatError.truncated(path: path, expectedBytes: bodyBytes, foundBytes: found) }
            if found > bodyBytes { throw ModelFormatError.malformed(path: path, reason: "\(found - bodyBytes) bytes after the model") }
        }
    }

    /// Reads a model file: the header first, then (when the file is a model of the size it declares) the body.
    /// A non-model or a file longer than its header says is refused after reading at most `maxHeaderBytes`.
    public static func read(_ path: String) throws -> TenureModel {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ModelFormatError.cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path) ? "unreadable" : "no such file")
        }
        defer { try? handle.close() }
        do {
            let prefix = try handle.read(upToCount: maxHeaderBytes) ?? Data()
            let header = try Header(prefix, path: path)
            let fileSize = try handle.seekToEnd()
            try header.checkBodySize(Int(clamping: fileSize) - header.length, path: path)
            try handle.seek(toOffset: UInt64(header.length))
            let body = try handle.read(upToCount: header.bodyBytes) ?? Data()
            return try decodeBody(Array(body), header: header, path: path)
        } catch let error as ModelFormatError {
            throw error
        } catch {
            throw ModelFormatError.cannotRead(path: path, reason: "\(error.localizedDescription)")
        }
    }

    /// Decodes a whole model file held in memory (header and body), as `read` does from disk.
    public static func decode(_ bytes: [UInt8], path: String = "<model>") throws -> TenureModel {
        let header = try Header(bytes, path: path)
        try header.checkBodySize(bytes.count - header.length, path: path)
        return try decodeBody(Array(bytes[header.length...]), header: header, path: path)
    }

    /// Checks the body against the header's size and checksum, decodes it and validates it (every payload and
    /// cross-check; see TenureModel and ModelValidation.swift).
    static func decodeBody(_ body: [UInt8], header: Header, path: String) throws -> TenureModel {
        try header.checkBodySize(body.count, path: path)
        let actual = SHA256.hex(body)
        guard actual == header.sha256 else { throw ModelFormatError.checksumMismatch(path: path, expected: header.sha256, found: actual) }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let model: TenureModel
        do { model = try decoder.decode(TenureModel.self, from: Data(body)) } catch {
            throw ModelFormatError.malformed(path: path, reason: reason(error))
        }
        guard model.formatVersion == header.version else {
            throw ModelFormatError.malformed(path: path, reason: "the header says format \(header.version) but the model says formatVersion \(model.formatVersion)")
        }
        return model
    }

    /// A decoding failure in a sentence: where in the JSON and why (payload and consistency checks throw their
    /// own errors, whose descriptions already say so).
    static func reason(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : "at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + ": "
        }
        switch e {
        case let .dataCorrupted(c): return at(c.codingPath) + c.debugDescription
        case let .keyNotFound(key, c): return at(c.codingPath) + "missing field '\(key.stringValue)'"
        case let .typeMismatch(_, c), let .valueNotFound(_, c): return at(c.codingPath) + c.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
