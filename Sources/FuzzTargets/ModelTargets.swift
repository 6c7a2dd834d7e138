// Model loader targets: whole files, bodies under a correct header, and structure-aware edits of valid models.
// Everything runs on bytes in memory (`ModelFile.decode`): no file I/O per input.
import Foundation
import ModelFormat
import TenureCore

enum ModelTargets {
    static func file(_ bytes: [UInt8]) throws {
        try loadChecked(bytes)
    }

    /// The input is the JSON body; the header's size and checksum are made to match, so the fuzzer's bytes
    /// reach the decoder and the validation rather than stopping at the checksum.
    static func body(_ bytes: [UInt8]) throws {
        try loadChecked(withHeader(bytes))
    }

    /// The input is a program of edits on a valid model (first byte: which base; then 6 bytes per edit).
    static func splice(_ bytes: [UInt8]) throws {
        guard let selector = bytes.first else { return }
        let base = Base.all[Int(selector) % Base.all.count]
        var tree = base.tree
        var k = 1
        while k + 6 <= bytes.count {
            let b = bytes[k..<(k + 6)].map(Int.init)
            let target = base.paths[(b[1] << 8 | b[2]) % base.paths.count]
            let source = base.paths[(b[3] << 8 | b[4]) % base.paths.count]
            tree = Edit.apply(op: b[0], target: target, source: source, value: b[5], to: tree)
            k += 6
        }
        // An edit may leave a root that is no object (a number); that is no model file to try.
        guard case .object = tree else { return }
        var body: [UInt8] = []
        tree.write(into: &body)
        try loadChecked(withHeader(body))
    }

    static func withHeader(_ body: [UInt8]) -> [UInt8] {
        Array("TENURE-MODEL 1 sha256=\(SHA256.hex(body)) bytes=\(body.count)\n".utf8) + body
    }

    /// A refusal must be the loader's bad-input error; an accepted model must score every row to a probability,
    /// explain it with contributions that add up, and save and load again.
    static func loadChecked(_ bytes: [UInt8]) throws {
        let model: TenureModel
        do { model = try ModelFile.decode(bytes) } catch {
            return try checkRefusal(error, "loading a model")
        }
        let n = model.featureCount
        try check(model.payload.featureCount == n, "the payload takes \(model.payload.featureCount) features, the model names \(n)")
        let rows: [[Double]] = [
            Array(repeating: 0, count: n), Array(repeating: .nan, count: n), Array(repeating: 1e300, count: n),
            Array(repeating: -1e300, count: n), (0..<n).map { Double($0 % 7) - 2.5 },
        ]
        for row in rows {
            try row.withUnsafeBufferPointer { r in
                let p = model.probability(r)
                try check(p >= 0 && p <= 1, "an accepted model scores \(p)")
                let c = model.contributions(r)
                try check(c.count == n + 1, "\(c.count) contributions for \(n) features")
                let raw = model.rawScore(r), sum = c.reduce(0, +)
                if raw.isFinite && c.allSatisfy(\.isFinite) {
                    let scale = max(1, c.reduce(0) { $0 + abs($1) })
                    try check(abs(sum - raw) <= 1e-6 * scale, "contributions sum to \(sum), the raw score is \(raw)")
                }
            }
        }
        let batch = model.probabilities(x: rows.flatMap { $0 }, rows: rows.count)
        try check(batch.count == rows.count, "batch scoring returned \(batch.count) scores for \(rows.count) rows")
        do {
            _ = try ModelFile.decode(ModelFile.encode(model))
        } catch {
            throw InvariantViolation("an accepted model does not load after saving: \(error)")
        }
    }

    /// A JSON value, typed (Foundation's `Any` trees cost more to write than everything else a run does).
    enum JSON: Decodable {
        case bool(Bool), int(Int), number(Double), string(String), null, array([JSON]), object([String: JSON])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let i = try? c.decode(Int.self) { self = .int(i) } else if let d = try? c.decode(Double.self) { self = .number(d) }
            else if let s = try? c.decode(String.self) { self = .string(s) } else if let a = try? c.decode([JSON].self) { self = .array(a) }
            else { self = .object(try c.decode([String: JSON].self)) }
        }

        /// Compact JSON with sorted keys (finite numbers only: the model file spells NaN and ±∞ as strings).
        func write(into out: inout [UInt8]) {
            switch self {
            case let .bool(b): out += Array((b ? "true" : "false").utf8)
            case let .int(i): out += Array(String(i).utf8)
            case let .number(d): out += Array((d.isFinite ? "\(d)" : "0").utf8)
            case .null: out += Array("null".utf8)
            case let .string(s):
                out.append(34)
                for b in s.utf8 {
                    if b == 34 || b == 92 { out += [92, b] } else if b < 32 { out += Array(String(format: "\\u%04x", b).utf8) } else { out.append(b) }
                }
                out.append(34)
            case let .array(a):
                out.append(91)
                for (k, v) in a.enumerated() { if k > 0 { out.append(44) }; v.write(into: &out) }
                out.append(93)
            case let .object(o):
                out.append(123)
                for (k, key) in o.keys.sorted().enumerated() {
                    if k > 0 { out.append(44) }
                    JSON.string(key).write(into: &out); out.append(58); o[key]!.write(into: &out)
                }
                out.append(125)
            }
        }
    }

    /// A valid model to edit, parsed once, with the path of every node in it.
    struct Base: Sendable {
        let tree: JSON
        let paths: [[Edit.Step]]

        static let all: [Base] = ["gbdt", "logistic"].map { kind in
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("fuzz/base/\(kind).tenure")
            guard let data = try? Data(contentsOf: url), let newline = data.firstIndex(of: 10),
                  let tree = try? JSONDecoder().decode(JSON.self, from: data[(newline + 1)...]) else {
                fatalError("cannot read the fuzzing base model \(url.path)")
            }
            // Written back unedited, the base must load: else every edit program would test only the writer.
            var body: [UInt8] = []
            tree.write(into: &body)
            do { _ = try ModelFile.decode(withHeader(body)) } catch { fatalError("the fuzzing base model \(url.path) does not load when rewritten: \(error)") }
            var paths: [[Edit.Step]] = []
            Edit.collect(tree, [], into: &paths)
            return Base(tree: tree, paths: paths)
        }
    }

    /// One edit of a JSON tree at a path (a path that no longer exists after earlier edits is left alone).
    enum Edit {
        enum Step: Sendable { case key(String), index(Int) }

        /// Values a model must survive or refuse: signs, zero, subnormals, huge, integer edges, non-finite
        /// (spelled as the model file spells them), wrong types.
        static let values: [JSON] = [
            .int(0), .number(-0.0), .int(1), .int(-1), .int(2), .int(3), .number(0.5), .int(-2), .int(7), .int(31), .int(255),
            .int(256), .int(65_535), .number(1e-320), .number(1e-300), .number(1e15), .number(1e300), .number(-1e300),
            .number(1.7976931348623157e308), .int(2_147_483_647), .int(-2_147_483_648), .int(4_294_967_296),
            .int(9_007_199_254_740_993), .int(Int.max), .int(Int.min), .string("nan"), .string("inf"), .string("-inf"),
            .string(""), .string("x"), .null, .bool(true), .array([]), .object([:]),
        ]

        static func collect(_ node: JSON, _ path: [Step], into paths: inout [[Step]]) {
            paths.append(path)
            if case let .array(a) = node {
                // Long arrays: their ends and a few inside are enough targets.
                let picks = a.count <= 16 ? Array(a.indices) : Array(Set([0, 1, 2, a.count / 2, a.count - 2, a.count - 1])).sorted()
                for i in picks { collect(a[i], path + [.index(i)], into: &paths) }
            } else if case let .object(o) = node {
                for key in o.keys.sorted() { collect(o[key]!, path + [.key(key)], into: &paths) }
            }
        }

        static func get(_ node: JSON, _ path: ArraySlice<Step>) -> JSON? {
            guard let step = path.first else { return node }
            switch (step, node) {
            case let (.index(i), .array(a)) where a.indices.contains(i): return get(a[i], path.dropFirst())
            case let (.key(k), .object(o)): return o[k].flatMap { get($0, path.dropFirst()) }
            default: return nil
            }
        }

        /// Replaces the node at `path` by `f(node)` (nil removes it from its parent).
        static func modify(_ node: JSON, _ path: ArraySlice<Step>, _ f: (JSON) -> JSON?) -> JSON? {
            guard let step = path.first else { return f(node) }
            switch (step, node) {
            case (.index(let i), .array(var a)) where a.indices.contains(i):
                if let v = modify(a[i], path.dropFirst(), f) { a[i] = v } else { a.remove(at: i) }
                return .array(a)
            case (.key(let k), .object(var o)):
                guard let child = o[k] else { return node }
                o[k] = modify(child, path.dropFirst(), f)
                return .object(o)
            default: return node
            }
        }

        static func apply(op: Int, target: [Step], source: [Step], value: Int, to tree: JSON) -> JSON {
            let number = values[value % values.count]
            let copied = get(tree, source[...])
            let edited: JSON?
            switch op % 8 {
            case 0: edited = modify(tree, target[...]) { _ in number }
            case 1: edited = modify(tree, target[...]) { old in copied ?? old }               // splice a subtree
            case 2: edited = modify(tree, target[...]) { if case let .array(a) = $0 { return .array(Array(a.dropLast())) }; return $0 }
            case 3: edited = modify(tree, target[...]) { if case let .array(a) = $0 { return .array(a + [copied ?? number]) }; return $0 }
            case 4: edited = modify(tree, target[...]) { _ in nil }                            // remove
            case 5:                                                                            // swap two subtrees
                let old = get(tree, target[...])
                let once = modify(tree, target[...]) { o in copied ?? o } ?? tree
                edited = modify(once, source[...]) { o in old ?? o }
            case 6: edited = modify(tree, target[...]) { o in
                switch o {
                case let .number(d): return .number(nudge(d, value))
                case let .int(i): return .int(Int(exactly: nudge(Double(i), value)) ?? i)
                default: return o
                }
            }
            default: edited = modify(tree, target[...]) { if case let .array(a) = $0 { return .array(a.reversed()) }; return $0 }
            }
            return edited ?? tree
        }
        /// Small moves of a number: off by one, sign, doubling, the next representable value.
        static func nudge(_ x: Double, _ how: Int) -> Double {
            switch how % 6 {
            case 0: return x + 1
            case 1: return x - 1
            case 2: return -x
            case 3: return x * 2
            case 4: return x.nextUp
            default: return x.nextDown
            }
        }
    }
}
