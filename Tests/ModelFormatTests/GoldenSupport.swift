// Loading the golden model files and their expected probabilities (the Golden/ resource directory).
import Foundation
import Testing
@testable import ModelFormat

enum Golden {
    struct ExpectedRow: Decodable {
        var source: String
        var features: [Double]
        var probability: Double
    }

    struct Expected: Decodable {
        var model: String
        var featureNames: [String]
        var rows: [ExpectedRow]
    }

    static func url(_ name: String) throws -> URL {
        let dir = try #require(Bundle.module.resourceURL).appendingPathComponent("Golden")
        return dir.appendingPathComponent(name)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        let path = try url(name).path
        return Array(try #require(FileManager.default.contents(atPath: path), "missing golden file \(path)"))
    }

    static func model(_ name: String) throws -> TenureModel { try ModelFile.decode(try bytes(name), path: name) }

    static func expected(_ name: String) throws -> Expected {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(Expected.self, from: Data(try bytes(name)))
    }
}
