// Raw little-endian float64 matrices, the exchange format of the bench stages (numpy's `tofile`): the
// stages hand the same bytes to Tenure and to the peers, so no CSV parsing is inside anyone's timing.
import Foundation

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum MatrixFile {
    /// Reads `path` as `rows × cols` row-major float64 (cols = 1 for a label or weight vector).
    static func read(_ path: String, cols: Int) throws -> (values: [Double], rows: Int) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let stride = MemoryLayout<Double>.size * cols
        guard cols > 0, data.count % stride == 0 else {
            throw BenchError("\(path): \(data.count) bytes is not a whole number of \(cols)-column float64 rows")
        }
        let rows = data.count / stride
        var values = [Double](repeating: 0, count: rows * cols)
        values.withUnsafeMutableBytes { dst in data.withUnsafeBytes { src in dst.copyMemory(from: src) } }
        return (values, rows)
    }
}

/// `--name value` pairs; every bench reads its own names.
struct BenchOptions {
    private var values: [String: String] = [:]

    init(_ args: [String]) throws {
        var i = 0
        while i < args.count {
            guard args[i].hasPrefix("--"), i + 1 < args.count else { throw BenchError("expected --name value, got '\(args[i])'") }
            values[String(args[i].dropFirst(2))] = args[i + 1]
            i += 2
        }
    }

    func string(_ name: String) throws -> String {
        guard let v = values[name] else { throw BenchError("missing --\(name)") }
        return v
    }

    func int(_ name: String, default d: Int) throws -> Int {
        guard let v = values[name] else { return d }
        guard let n = Int(v) else { throw BenchError("--\(name) takes an integer, not '\(v)'") }
        return n
    }

    func double(_ name: String, default d: Double) throws -> Double {
        guard let v = values[name] else { return d }
        guard let n = Double(v) else { throw BenchError("--\(name) takes a number, not '\(v)'") }
        return n
    }

    func optional(_ name: String) -> String? { values[name] }
}

/// Wall-clock seconds of `body`.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func printJSON(_ object: [String: Any]) {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    print(String(decoding: data, as: UTF8.self))
}
