// How much memory this process may still take before the kernel or the allocator stops it: the smallest of the
// cgroup's limit (less its usage), the address-space limit (less what is mapped) and MemAvailable. A reader
// compares its peak estimate with it before the work, so a night too big for the box ends with exit 2 and
// advice instead of an abort halfway through.
import Foundation

/// A byte count as people type it: 123456, 512K, 800M, 12G, 1.5T (binary units; a trailing B or iB is allowed).
public struct ByteSize: ParameterValue, Comparable, CustomStringConvertible {
    public var bytes: UInt64
    public init(bytes: UInt64) { self.bytes = bytes }

    public init?(parameterText text: String) {
        var t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if t.hasSuffix("IB") { t.removeLast(2) } else if t.hasSuffix("B") { t.removeLast() }
        var scale = 1.0
        if let last = t.last, let k = "KMGT".firstIndex(of: last) {
            scale = pow(1024, Double("KMGT".distance(from: "KMGT".startIndex, to: k) + 1))
            t.removeLast()
        }
        guard let v = Double(t), v.isFinite, v > 0, v * scale < 1.8e19 else { return nil }
        bytes = UInt64(v * scale)
    }

    public var parameterText: String { String(bytes) }
    public static var expectation: String { "a size in bytes (e.g. 8G, 512M)" }
    public static func < (a: ByteSize, b: ByteSize) -> Bool { a.bytes < b.bytes }

    /// "7.07 GB" style, binary units.
    public var description: String { ByteSize.format(Double(bytes)) }

    public static func format(_ b: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var v = b, u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        return u == 0 ? "\(Int(v)) bytes" : String(format: "%.2f %@", v, units[u])
    }
}

public enum MemoryBudget {
    /// The memory still available to this process, and what limits it ("cgroup memory.max", "RLIMIT_AS",
    /// "MemAvailable"); nil when none of them can be read.
    public static func available() -> (bytes: UInt64, source: String)? {
        var candidates: [(UInt64, String)] = []
        // cgroup v2, then v1: limit less current usage.
        if let max = number(at: "/sys/fs/cgroup/memory.max"), let used = number(at: "/sys/fs/cgroup/memory.current") {
            candidates.append((max > used ? max - used : 0, "the cgroup's memory.max"))
        } else if let max = number(at: "/sys/fs/cgroup/memory/memory.limit_in_bytes"), max < 1 << 60,
                  let used = number(at: "/sys/fs/cgroup/memory/memory.usage_in_bytes") {
            candidates.append((max > used ? max - used : 0, "the cgroup's memory limit"))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {   // RLIM_INFINITY
            let mapped = statusField("VmSize:") ?? 0, cap = UInt64(limit.rlim_cur)
            candidates.append((cap > mapped ? cap - mapped : 0, "the address-space limit (RLIMIT_AS, ulimit -v)"))
        }
        if let avail = meminfoField("MemAvailable:") { candidates.append((avail, "MemAvailable")) }
        return candidates.min(by: { $0.0 < $1.0 }).map { (bytes: $0.0, source: $0.1) }
    }

    /// Resident bytes of this process now (VmRSS).
    public static func resident() -> UInt64 { statusField("VmRSS:") ?? 0 }

    private static func number(at path: String) -> UInt64? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines))   // "max" → nil: no limit
    }

    /// A "Name:   1234 kB" line of a /proc file, in bytes.
    private static func kilobytes(_ path: String, _ name: String) -> UInt64? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let fields = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return fields.first.flatMap { UInt64($0) }.map { $0 * 1024 }
        }
        return nil
    }
    private static func statusField(_ name: String) -> UInt64? { kilobytes("/proc/self/status", name) }
    private static func meminfoField(_ name: String) -> UInt64? { kilobytes("/proc/meminfo", name) }
}

/// A run whose estimated peak does not fit the memory available: refused before the work, exit 2.
public struct MemoryBudgetError: CategorizedError, CustomStringConvertible, Sendable {
    public var what: String
    public var estimate: UInt64
    public var available: UInt64
    public var source: String

    public init(what: String, estimate: UInt64, available: UInt64, source: String) {
        self.what = what; self.estimate = estimate; self.available = available; self.source = source
    }

    public var category: ErrorCategory { .badInput }
    public var description: String {
        "\(what) needs about \(ByteSize.format(Double(estimate))), but only \(ByteSize.format(Double(available))) is available "
            + "(\(source)). Split the work: score with --partition i/n (n jobs, each about 1/n of the memory), or split the "
            + "log once with `tenure shard --events FILE --shards n --out DIR/` and give each job its shard; "
            + "--memory-limit SIZE overrides the available figure (--memory-limit none skips this check)."
    }
}

/// `--memory-limit`: declared once; `none` turns the check off.
public struct MemorySettings: Sendable, Equatable {
    public var memoryLimit: MemoryLimit

    public static var defaults: MemorySettings { parameters.defaults }
    private init(placeholders: Void) { memoryLimit = .detect }

    public static let parameters = ParameterTable<MemorySettings>(blank: { MemorySettings(placeholders: ()) }, [
        Parameter("memory-limit", \.memoryLimit, placeholder: "SIZE", default: .detect,
                  doc: "memory the run may use (e.g. 12G); default: the smallest of the cgroup limit, ulimit -v and MemAvailable; none: no check. A run estimated to need more exits 2 before reading"),
    ])

    /// The budget in force: the flag's, or the machine's (nil: no check).
    public func budget() -> (bytes: UInt64, source: String)? {
        switch memoryLimit {
        case .none: return nil
        case .bytes(let b): return (b.bytes, "--memory-limit")
        case .detect: return MemoryBudget.available()
        }
    }

    /// Throws when `estimate` exceeds the budget.
    public func check(_ what: String, estimate: UInt64) throws {
        guard let (bytes, source) = budget(), estimate > bytes else { return }
        throw MemoryBudgetError(what: what, estimate: estimate, available: bytes, source: source)
    }
}

public enum MemoryLimit: ParameterValue {
    case detect, none
    case bytes(ByteSize)

    public init?(parameterText text: String) {
        switch text {
        case "auto": self = .detect
        case "none": self = .none
        default:
            guard let b = ByteSize(parameterText: text) else { return nil }
            self = .bytes(b)
        }
    }
    public var parameterText: String {
        switch self {
        case .detect: return "auto"
        case .none: return "none"
        case .bytes(let b): return b.parameterText
        }
    }
    public static var expectation: String { "auto, none or a size in bytes (e.g. 8G, 512M)" }
}
