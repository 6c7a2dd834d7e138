// Computes one user's feature vector at one cutoff, from events strictly before the cutoff, in one scan.
import EventLog
import Foundation
import TenureCore

/// Per-event-id lookups and row offsets derived from a plan, shared read-only by all workers.
struct ExtractorLayout: Sendable {
    let windowMillis: [Int64]           // spec order
    let blockSize: Int
    let valueSlot: Int                  // within a block, or -1
    let groupBase: Int                  // within a block
    let countBase: Int                  // within a block
    let groupBits: [UInt64]             // per event id
    let countSlot: [Int]                // per event id, -1 = not counted
    let groupCount: Int
    let tail: Int                       // index of recency_days
    let scanMillis: Int64               // how far back window statistics need to look
    let gapMillis: Int64
    /// Per genuine-activity signal: its group's bit, window, threshold, whether it sums values (else counts)
    /// and whether its support column is written.
    let signals: [(bit: UInt64, w: Int64, min: Double, byValue: Bool, emit: Bool)]

    init(_ plan: FeaturePlan, eventNameCount: Int) {
        let spec = plan.resolved.spec
        windowMillis = spec.windows.map { Int64($0) * millisPerDay }
        groupCount = spec.groups.count
        precondition(groupCount <= 64, "at most 64 event groups")
        valueSlot = plan.resolved.includeValue ? 3 : -1
        groupBase = plan.resolved.includeValue ? 4 : 3
        countBase = groupBase + groupCount
        blockSize = countBase + plan.resolved.eventCounts.count
        tail = blockSize * spec.windows.count
        var bits = [UInt64](repeating: 0, count: eventNameCount)
        for (g, mask) in plan.groupMasks.enumerated() { for id in 0..<eventNameCount where mask[id] { bits[id] |= 1 << UInt64(g) } }
        groupBits = bits
        var slots = [Int](repeating: -1, count: eventNameCount)
        for (k, id) in plan.eventCountIDs.enumerated() { if let id { slots[Int(id)] = k } }
        countSlot = slots
        signals = plan.signals.map { s in
            (1 << UInt64(s.group), Int64(s.signal.windowDays) * millisPerDay, s.signal.minValue ?? Double(s.signal.minCount ?? 0),
             s.signal.minValue != nil, s.emitSupport)
        }
        let longest = max(spec.windows.max()!, 60, plan.signals.map(\.signal.windowDays).max() ?? 0)
        scanMillis = Int64(longest) * millisPerDay
        gapMillis = Int64(spec.sessionGapMinutes) * 60_000
    }

    /// Writes the features of events `lo..<end` (all before `cutoff`, `end > lo`) into `row`.
    /// - Complexity: O(events of the user before the cutoff).
    func extract(_ s: StoreColumns, lo: Int, end: Int, cutoff c: Int64, into row: UnsafeMutablePointer<Double>, width: Int) {
        row.update(repeating: 0, count: width)
        let windows = windowMillis.count
        let recencyBase = tail + 1
        for g in 0..<groupCount { row[recencyBase + g] = .nan }  // last time per group; NaN = none yet
        let scanFrom = c - scanMillis
        var gapSum = 0.0, gapSumSq = 0.0, gapMax = 0.0
        var last7 = 0.0, prev7 = 0.0, last30 = 0.0, prev30 = 0.0
        var support = (0.0, 0.0, 0.0)   // per signal (at most three)
        let signalCount = signals.count
        let longest = windowMillis.max()!
        var histogramTotal = 0.0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 31) { hist in
            hist.initialize(repeating: 0)
            var prevTime = Int64.min
            for k in lo..<end {
                let t = s.times[k]
                let e = Int(s.events[k])
                let bits = groupBits[e]
                if bits != 0 {
                    var b = bits
                    while b != 0 {
                        let g = b.trailingZeroBitCount
                        row[recencyBase + g] = Double(t)
                        b &= b - 1
                    }
                }
                if k > lo {
                    let gap = Double(t - prevTime)
                    gapSum += gap; gapSumSq += gap * gap
                    if gap > gapMax { gapMax = gap }
                }
                defer { prevTime = t }
                if t < scanFrom { continue }
                let age = c - t
                let v = s.values[k]
                let value = v.isNaN ? 0 : v
                let day = utcDay(t)
                let prevDay = prevTime == Int64.min ? Int64.min : utcDay(prevTime)
                let newSession = prevTime == Int64.min || t - prevTime > gapMillis
                let slot = countSlot[e]
                for w in 0..<windows where age <= windowMillis[w] {
                    let block = row + w * blockSize
                    block[0] += 1
                    if day != prevDay || c - prevTime > windowMillis[w] { block[1] += 1 }
                    if newSession { block[2] += 1 }
                    if valueSlot >= 0 { block[valueSlot] += value }
                    var b = bits
                    while b != 0 { block[groupBase + b.trailingZeroBitCount] += 1; b &= b - 1 }
                    if slot >= 0 { block[countBase + slot] += 1 }
                }
                if age <= 7 * millisPerDay { last7 += 1 } else if age <= 14 * millisPerDay { prev7 += 1 }
                if age <= 30 * millisPerDay { last30 += 1 } else if age <= 60 * millisPerDay { prev30 += 1 }
                if bits != 0 {
                    withUnsafeMutableBytes(of: &support) { raw in
                        let acc = raw.bindMemory(to: Double.self)
                        for k in 0..<signalCount where age <= signals[k].w && bits & signals[k].bit != 0 {
                            acc[k] += signals[k].byValue ? value : 1
                        }
                    }
                }
                if age <= longest {
                    let secondsOfDay = Int((t - day * millisPerDay) / 1000)
                    hist[Int((day + 3) % 7 + 7) % 7] += 1      // 1970-01-01 was a Thursday; Monday = 0
                    hist[7 + secondsOfDay / 3600] += 1
                    histogramTotal += 1
                }
            }
            var i = tail
            let dayMs = Double(millisPerDay)
            let n = end - lo
            row[i] = Double(c - s.times[end - 1]) / dayMs; i += 1                  // recency_days
            for _ in 0..<groupCount {                                             // recency_<group>_days
                let lastTime = row[i]
                row[i] = lastTime.isNaN ? .nan : (Double(c) - lastTime) / dayMs
                i += 1
            }
            row[i] = Double(c - s.times[lo]) / dayMs; i += 1                       // tenure_days
            if n >= 2 {
                let mean = gapSum / Double(n - 1)
                row[i] = mean / dayMs
                row[i + 1] = n >= 3 ? sqrt(max(0, gapSumSq / Double(n - 1) - mean * mean)) / dayMs : .nan
                row[i + 2] = gapMax / dayMs
            } else {
                row[i] = .nan; row[i + 1] = .nan; row[i + 2] = .nan
            }
            i += 3
            row[i] = prev7 > 0 ? last7 / prev7 : .nan; i += 1
            row[i] = prev30 > 0 ? last30 / prev30 : .nan; i += 1
            if histogramTotal > 0 {
                var wd = 0.0, hr = 0.0
                for d in 0..<7 { wd = max(wd, hist[d]) }
                for h in 7..<31 { hr = max(hr, hist[h]) }
                row[i] = wd / histogramTotal; row[i + 1] = hr / histogramTotal
            } else {
                row[i] = .nan; row[i + 1] = .nan
            }
            i += 2
            withUnsafeBytes(of: &support) { raw in
                let acc = raw.bindMemory(to: Double.self)
                for k in 0..<signalCount where signals[k].emit { row[i] = acc[k]; i += 1 }
                var any = false
                for k in 0..<signalCount {
                    let holds = signals[k].byValue ? acc[k] > signals[k].min : acc[k] >= signals[k].min
                    row[i] = holds ? 1 : 0
                    any = any || holds
                    i += 1
                }
                // No signal to judge by: unknown, not "fake" (nobody can be suspected on it).
                row[i] = signalCount == 0 ? .nan : any ? 1 : 0
            }
            precondition(i + 1 == width, "feature layout out of step with the plan")
        }
    }
}
