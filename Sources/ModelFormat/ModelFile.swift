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

    public static func read(_ path: String) throws -> TenureModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelFormatError.cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path) ? "unreadable" : "no such file")
        }
        return try decode(Array(data), path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String = "<model>") throws -> TenureModel {
        guard let newline = bytes.firstIndex(of: 10), newline < 512 else { throw ModelFormatError.notAModel(path: path) }
        let fields = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ").map(String.init)
        guard fields.count >= 4, fields[0] == magic, let version = Int(fields[1]) else { throw ModelFormatError.notAModel(path: path) }
        guard version <= TenureModel.currentFormatVersion else {
            throw ModelFormatError.unsupportedFormatVersion(path: path, found: version, newestSupported: TenureModel.currentFormatVersion)
        }
        var sum: String?, size: Int?
        for f in fields.dropFirst(2) {
            if f.hasPrefix("sha256=") { sum = String(f.dropFirst(7)) }
            if f.hasPrefix("bytes=") { size = Int(f.dropFirst(6)) }
        }
        guard let sum, let size else { throw ModelFormatError.notAModel(path: path) }
        let body = bytes[(newline + 1)...]
        guard body.count == size else {
            if body.count < size { throw ModelFormatError.truncated(path: path, expectedBytes: size, foundBytes: body.count) }
            throw ModelFormatError.malformed(path: path, reason: "\(body.count - size) bytes after the model")
        }
        let actual = SHA256.hex(body)
        guard actual == sum else { throw ModelFormatError.checksumMismatch(path: path, expected: sum, found: actual) }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let model: TenureModel
        do { model = try decoder.decode(TenureModel.self, from: Data(body)) } catch {
            throw ModelFormatError.malformed(path: path, reason: "\(error)")
        }
        switch model.kind {
        case .logistic:
            guard let lr = model.logistic, lr.inputCount == model.featureCount else {
                throw ModelFormatError.malformed(path: path, reason: "logistic model missing or of the wrong width")
            }
        case .gbdt:
            guard let g = model.gbdt, g.featureCount == model.featureCount else {
                throw ModelFormatError.malformed(path: path, reason: "tree model missing or of the wrong width")
            }
        }
        return model
    }
}
