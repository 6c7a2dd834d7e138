// tenure-bench read: times the event reader alone (file → EventStore) and prints one JSON line per run:
// throughput (MB/s, events/s), CPU seconds per million events (the fair figure on a shared machine), peak
// RSS, the store's bytes per event and the seconds of each phase (`ReadPhases`).
import EventLog
import Foundation

enum ReadBench {
    static let usage = "tenure-bench read --events LOG [--threads 2] [--runs 1]"

    static func run(_ args: [String]) throws {
        let o = try BenchOptions(args)
        let path = try o.string("events")
        var options = ReadOptions()
        options.threads = try o.int("threads", default: options.threads)
        MemoryPolicy.returnLargeBuffersToSystem()   // as the CLI does
        for run in 1...max(1, try o.int("runs", default: 1)) {
            let cpu0 = GBDTBench.cpuSeconds()
            let ((store, report, phases), wall) = try timed { try EventLogReader.readTimed(path, options: options) }
            let cpu = GBDTBench.cpuSeconds() - cpu0
            let events = Double(store.eventCount)
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            var load = [Double](repeating: 0, count: 3)
            _ = getloadavg(&load, 3)
            let phaseData = try JSONEncoder().encode(phases)
            let phaseObject = try JSONSerialization.jsonObject(with: phaseData)
            printJSON([
                "bench": "read", "run": run, "path": (path as NSString).lastPathComponent, "threads": options.threads,
                "bytes": report.bytes, "events": store.eventCount, "users": store.userCount,
                "wall_s": wall, "cpu_s": cpu, "mb_per_s": Double(report.bytes) / 1e6 / wall,
                "mevents_per_s": events / 1e6 / wall, "cpu_s_per_mevent": cpu / (events / 1e6),
                "peak_rss_mb": Double(usage.ru_maxrss) / 1024, "store_bytes_per_event": Double(store.byteSize) / events,
                "load1": load[0], "phases": phaseObject,
            ])
        }
    }
}
