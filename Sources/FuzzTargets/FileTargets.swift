// Targets for the other files a user hands Tenure: feature matrices, contact histories and JSON settings.
import Features
import Foundation
import GradientBoosting
import LinearModels
import Targeting
import TenureCore

enum FileTargets {
    /// The training reader and the scoring reader over the same matrix: shapes match the header and rows.
    static func matrix(_ bytes: [UInt8]) throws {
        let path = Scratch.write(bytes, as: "matrix.csv")
        do {
            let m = try FeatureMatrixReader.read(path, labelColumn: "label")
            try check(m.values.count == m.rows * m.names.count, "\(m.values.count) values for \(m.rows) rows × \(m.names.count) features")
            try check(m.labels.count == m.rows && m.labels.allSatisfy { $0 == 0 || $0 == 1 }, "labels")
            try check(m.cutoffs.map { $0.count == m.rows } ?? true, "cutoffs")
            try check(!m.names.contains("label") && !m.names.contains("user_id") && !m.names.contains("cutoff"), "an identifier became a feature")
            try check(Set(m.names).count == m.names.count, "two features of one name: \(m.names)")
            // Scoring the same file by the same names reads the same numbers.
            let s = try FeatureMatrixReader.read(path, features: m.names)
            try check(s.rows == m.rows, "the scoring reader found \(s.rows) rows, the training reader \(m.rows)")
            try check(s.values.elementsEqual(m.values, by: { $0 == $1 || ($0.isNaN && $1.isNaN) }), "the two readers read different numbers")
        } catch {
            try checkRefusal(error, "reading a feature matrix")
        }
        // The parallel block walk against the one scan from the start: the same rows, or the same refusal.
        let reference = Result { try FeatureMatrixReader.read(path, labelColumn: "label", walk: .sequential) }
        let scoringReference = Result { try FeatureMatrixReader.read(path, features: ["a", "b"], walk: .sequential) }
        for blocks in [2, 3, 7] {
            let m = Result { try FeatureMatrixReader.read(path, labelColumn: "label", walk: .blocks(blocks)) }
            try check(sameOutcome(m, reference) { a, b in
                a.names == b.names && a.rows == b.rows && sameNumbers(a.values, b.values) && a.labels == b.labels && a.cutoffs == b.cutoffs
            }, "\(blocks) blocks and one scan read the training matrix differently")
            let s = Result { try FeatureMatrixReader.read(path, features: ["a", "b"], walk: .blocks(blocks)) }
            try check(sameOutcome(s, scoringReference) { a, b in
                a.rows == b.rows && sameNumbers(a.values, b.values) && a.passthroughNames == b.passthroughNames && a.passthrough == b.passthrough
            }, "\(blocks) blocks and one scan read the scoring matrix differently")
        }
    }

    private static func sameNumbers(_ a: [Double], _ b: [Double]) -> Bool {
        a.elementsEqual(b, by: { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
    }

    /// Both read and agree, or both refused with the same message.
    private static func sameOutcome<T>(_ a: Result<T, Error>, _ b: Result<T, Error>, _ equal: (T, T) -> Bool) -> Bool {
        switch (a, b) {
        case let (.success(x), .success(y)): return equal(x, y)
        case let (.failure(x), .failure(y)): return "\(x)" == "\(y)"
        default: return false
        }
    }

    static func contacts(_ bytes: [UInt8]) throws {
        let path = Scratch.write(bytes, as: "contacts.csv")
        do {
            let h = try ContactHistory(path: path)
            try check(h.rows >= h.lastContact.count, "\(h.lastContact.count) users from \(h.rows) rows")
            try check(!h.lastContact.keys.contains(""), "an empty user id was accepted")
        } catch {
            try checkRefusal(error, "reading a contact history")
        }
    }

    /// The first byte picks the file kind; whatever loads must validate and survive a round trip.
    static func json(_ bytes: [UInt8]) throws {
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        switch selector % 4 {
        case 0:
            let path = Scratch.write(body, as: "spec.json")
            try roundTrip(what: "feature spec") { try FeatureSpec.load(path: path) } validate: { try $0.validate() }
        case 1:
            let path = Scratch.write(body, as: "playbook.json")
            try roundTrip(what: "playbook") { try Playbook.load(path: path) } validate: { try $0.validate() }
        case 2:
            // A stored config is decoded, then validated (as the model loader does): both are its loading.
            try roundTrip(what: "GBDT config") { let c = try decode(GBDTConfig.self, body); try c.validate(); return c } validate: { try $0.validate() }
        default:
            try roundTrip(what: "logistic config") {
                let c = try decode(LogisticConfig.self, body); try LogisticConfig.parameters.validate(c); return c
            } validate: { try LogisticConfig.parameters.validate($0) }
        }
    }

    /// Model files store configs as JSON objects; a refusal there is the model loader's bad input.
    private struct ConfigRefused: CategorizedError, CustomStringConvertible {
        var description: String
        var category: ErrorCategory { .badInput }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(body)) } catch let e as CategorizedError {
            throw e
        } catch {
            throw ConfigRefused(description: describeDecodingError(error))
        }
    }

    private static func roundTrip<T: Codable & Equatable>(what: String, load: () throws -> T, validate: (T) throws -> Void) throws {
        let value: T
        do { value = try load() } catch {
            return try checkRefusal(error, "loading a \(what)")
        }
        do { try validate(value) } catch { throw InvariantViolation("a \(what) that loads fails its own validation: \(error)") }
        let again: T
        do {
            again = try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
        } catch {
            throw InvariantViolation("a loaded \(what) does not load again after encoding: \(error)")
        }
        try check(again == value, "a \(what) changes in an encode/decode round trip")
    }
}
