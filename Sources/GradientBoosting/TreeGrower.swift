// TreeGrower: grows one tree leaf-wise (best-first) from gradients and hessians over the binned matrix,
// with histogram subtraction, monotone output bounds and a row partition kept per leaf. Data-parallel over
// ranks (`Collective`): each rank holds some rows, every histogram and count is summed over the ranks before
// a split is chosen, so every rank grows the same tree (LightGBM's data-parallel learner, with exact sums).
import Foundation
import Dispatch
import TenureCore

/// A grown tree plus what the booster needs to update training scores cheaply.
struct GrownTree {
    var tree: GBDTTree
    /// Per internal node, the bin threshold (value bins 0...bin go left), for routing binned rows.
    var splitBin: [Int]
    /// Per internal node of a categorical split, which bins (NaN bin last) go left; nil for a threshold.
    var leftBins: [[Bool]?]
    /// Per leaf, this rank's rows are `rowOrder[leafBegin[l] ..< leafBegin[l] + localLeafCount[l]]`
    /// (`tree.leafCount` counts the rows of every rank).
    var leafBegin: [Int]
    var localLeafCount: [Int]

    /// The leaf a binned row reaches, `code(f)` giving its code of feature f: the tree's splits on bins
    /// (threshold bins, categorical bin sets, the NaN bin's default side).
    @inline(__always)
    func leaf(binned: BinnedMatrix, code: (Int) -> Int) -> Int {
        var node = 0
        if tree.splitFeature.isEmpty { return 0 }
        while node >= 0 {
            let f = tree.splitFeature[node]
            let c = code(f)
            let left = leftBins[node]?[c] ?? (c == binned.features[f].nanBin ? tree.defaultLeft[node] : c <= splitBin[node])
            node = left ? tree.leftChild[node] : tree.rightChild[node]
        }
        return ~node
    }
}

/// Reusable buffers and the growth loop. One instance per training run; not thread-safe itself,
/// it parallelises internally over features with `threads` workers (static feature striding and a
/// fixed-order reduction, so results never depend on scheduling).
final class TreeGrower {
    let binned: BinnedMatrix
    let config: GBDTConfig
    let gainModel: GainModel
    let threads: Int
    let monotone: [Int]
    /// Per feature: split by category (LightGBM's sorted many-vs-many scan) rather than by threshold.
    let categorical: [Bool]
    let categoricalSettings = CategoricalSplitSettings()
    let slotStride: Int
    /// numLeaves histograms of `totalBins * 2` fixed-point sums.
    let histPool: UnsafeMutablePointer<Int64>
    /// Private histograms of the workers, then added up (exact, so in any order).
    let workerHistograms: UnsafeMutablePointer<Int64>
    /// The ranks whose rows make up the training set.
    let collective: Collective
    /// Histogram workers at most (each has a private histogram in `workerHistograms`).
    static let maxWorkers = 8
    /// Rows per block a worker takes at a time while building one histogram.
    static let blockRows = 8192
    /// Workers building one histogram, for `threads` threads.
    static func histogramWorkers(threads: Int) -> Int { min(max(1, threads), maxWorkers) }
    /// Per feature, its first slot in a histogram (`histogramOffsets[f] * 2`).
    let slotBase: [Int]
    /// Row order: every leaf owns a contiguous segment.
    var rowOrder: [Int32]
    var scratch: [Int32]
    /// Staging buffers for gathered rows (codes row-major, gradients, hessians), indexed by segment position.
    let stagedCodes: UnsafeMutablePointer<UInt8>
    let stagedGrad: UnsafeMutablePointer<Int64>
    let stagedHess: UnsafeMutablePointer<Int64>
    /// For the sparse kernel: each row's (gradient, hessian), indexed by row, packed once per tree so a gathered
    /// row costs one pair's cache line.
    let rowGH: UnsafeMutablePointer<SIMD2<Int64>>
    /// Per histogram worker, staging room for `SparseRows.stageRows` gathered sparse rows (entries, their ends,
    /// their pairs).
    let sparseStageEntries: UnsafeMutablePointer<UInt16>
    let sparseStageEnds: UnsafeMutablePointer<Int>
    let sparseStagePairs: UnsafeMutablePointer<SIMD2<Int64>>
    var sparseStageCapacity: Int { SparseRows.stageRows * (binned.cols + SparseRows.padding) }

    init(binned: BinnedMatrix, config: GBDTConfig, quantiser: GradientQuantiser, collective: Collective = SingleProcess.shared) {
        self.binned = binned
        self.config = config
        self.collective = collective
        self.threads = max(1, config.threads)
        self.monotone = config.monotone.isEmpty ? [Int](repeating: 0, count: binned.cols) : config.monotone
        self.categorical = binned.categoryCounts.map { $0 > 0 }
        self.gainModel = GainModel(lambdaL1: config.lambdaL1, lambdaL2: config.lambdaL2,
                                   minDataInLeaf: Double(config.minDataInLeaf),
                                   minHessianInLeaf: config.minHessianInLeaf, minGain: config.minGain,
                                   unit: quantiser.unit)
        self.slotStride = binned.totalBins * Histogram.stride
        self.histPool = .allocate(capacity: slotStride * config.numLeaves)
        self.workerHistograms = .allocate(capacity: slotStride * Self.histogramWorkers(threads: config.threads))
        self.slotBase = binned.histogramOffsets.map { $0 * Histogram.stride }
        self.rowOrder = [Int32](repeating: 0, count: binned.rows)
        self.scratch = [Int32](repeating: 0, count: binned.rows)
        self.stagedCodes = .allocate(capacity: binned.rows * binned.rowStride)
        self.stagedGrad = .allocate(capacity: binned.rows)
        self.stagedHess = .allocate(capacity: binned.rows)
        self.rowGH = .allocate(capacity: binned.sparse == nil ? 0 : binned.rows)
        let staging = binned.sparse == nil ? 0 : Self.histogramWorkers(threads: config.threads)
        self.sparseStageEntries = .allocate(capacity: staging * SparseRows.stageRows * (binned.cols + SparseRows.padding))
        self.sparseStageEnds = .allocate(capacity: staging * SparseRows.stageRows)
        self.sparseStagePairs = .allocate(capacity: staging * SparseRows.stageRows)
    }

    deinit {
        histPool.deallocate()
        workerHistograms.deallocate()
        stagedCodes.deallocate()
        stagedGrad.deallocate()
        stagedHess.deallocate()
        rowGH.deallocate()
        sparseStageEntries.deallocate()
        sparseStageEnds.deallocate()
        sparseStagePairs.deallocate()
    }

    /// Grows a tree on the rows `bag` (nil = all rows, in order) using only `features`; `grad`, `hess` are
    /// fixed-point (`GradientQuantiser`).
    /// Leaf values include `learningRate`. Cost per tree: O(rows·features) for the root histogram plus
    /// O(smaller-child rows · features) per split, O(bins·features) split scans per new leaf.
    func grow(grad: UnsafePointer<Int64>, hess: UnsafePointer<Int64>, bag: [Int32]?, features: [Int]) -> GrownTree {
        let maxLeaves = config.numLeaves
        let n = bag?.count ?? binned.rows
        // Leaf state: this rank's row segment (begin, local) and the row count over all ranks (count).
        var begin = [Int](repeating: 0, count: maxLeaves)
        var local = [Int](repeating: 0, count: maxLeaves)
        var count = [Int](repeating: 0, count: maxLeaves)
        var stats = [NodeStats](repeating: NodeStats(), count: maxLeaves)
        var depth = [Int](repeating: 0, count: maxLeaves)
        var lo = [Double](repeating: -.infinity, count: maxLeaves)
        var hi = [Double](repeating: .infinity, count: maxLeaves)
        var output = [Double](repeating: 0, count: maxLeaves)
        var parent = [Int](repeating: -1, count: maxLeaves)
        var parentLeftSide = [Bool](repeating: false, count: maxLeaves)
        var slot = Array(0..<maxLeaves)
        var best = [SplitInfo](repeating: SplitInfo(), count: maxLeaves)
        // Tree under construction.
        var tree = GBDTTree(splitFeature: [], threshold: [], defaultLeft: [], leftChild: [], rightChild: [],
                            splitGain: [], internalValue: [], internalWeight: [], internalCount: [],
                            leafValue: [], leafWeight: [], leafCount: [])
        var splitBin: [Int] = []
        var leftBins: [[Bool]?] = []
        var isCategorical: [Bool] = [], categoryLeft: [[Int]] = []

        // Root: the row order and this rank's sums, in parallel row chunks (integer sums: the same for any chunks).
        let rootChunks = n < 65536 ? 1 : threads
        var partial = [SIMD2<Int64>](repeating: SIMD2(0, 0), count: rootChunks)
        (bag ?? []).withUnsafeBufferPointer { bagRows in
            rowOrder.withUnsafeMutableBufferPointer { o in
                partial.withUnsafeMutableBufferPointer { p in
                    let bagged = bag != nil
                    parallelChunks(n, chunks: rootChunks) { c, range in
                        var sum = SIMD2<Int64>(0, 0)
                        if bagged {
                            for i in range { let r = bagRows[i]; o[i] = r; sum &+= SIMD2(grad[Int(r)], hess[Int(r)]) }
                        } else {
                            for i in range { o[i] = Int32(truncatingIfNeeded: i); sum &+= SIMD2(grad[i], hess[i]) }
                        }
                        p[c] = sum
                    }
                }
            }
        }
        if binned.sparse != nil {
            let gh = rowGH, rows = binned.rows
            parallelChunks(rows, chunks: rows < 65536 ? 1 : threads) { _, range in
                for r in range { gh[r] = SIMD2(grad[r], hess[r]) }
            }
        }
        let rootSum = partial.reduce(SIMD2<Int64>(0, 0), &+)
        var sums: [Int64] = [rootSum[0], rootSum[1], Int64(n)]
        collective.sum(&sums)
        let total = NodeStats(g: Double(sums[0]) * gainModel.unit, h: Double(sums[1]) * gainModel.unit, count: Double(sums[2]))
        local[0] = n
        count[0] = Int(sums[2])
        stats[0] = total
        output[0] = gainModel.output(total, lo: -.infinity, hi: .infinity)
        var rootSplits = [SplitInfo](repeating: SplitInfo(), count: binned.cols)
        buildAndFind(leafA: (slot: 0, begin: 0, count: n, stats: total, lo: -.infinity, hi: .infinity,
                             canSplit: canSplit(count: count[0], depth: 0, stats: total)),
                     leafB: nil, parentSlot: nil, contiguousRoot: bag == nil,
                     grad: grad, hess: hess, features: features, outA: &rootSplits, outB: nil)
        best[0] = reduce(rootSplits, features)

        var numLeaves = 1
        while numLeaves < maxLeaves {
            // Best leaf: highest gain, lowest index on ties.
            var l = -1
            for i in 0..<numLeaves where best[i].isValid && (l < 0 || best[i].gain > best[l].gain) { l = i }
            if l < 0 { break }
            let s = best[l]
            let node = numLeaves - 1
            let bins = binned.features[s.feature]
            tree.splitFeature.append(s.feature)
            tree.threshold.append(s.leftCodes != nil ? 0 : s.bin < bins.upperBounds.count ? bins.upperBounds[s.bin] : Double.greatestFiniteMagnitude)
            isCategorical.append(s.leftCodes != nil)
            categoryLeft.append(s.leftCodes ?? [])
            leftBins.append(s.leftCodes.map { codes in
                var m = [Bool](repeating: false, count: bins.nanBin + 1)
                for c in codes { m[c] = true }
                m[bins.nanBin] = s.defaultLeft
                return m
            })
            tree.defaultLeft.append(s.defaultLeft)
            tree.splitGain.append(s.gain)
            tree.internalValue.append(output[l] * config.learningRate)
            tree.internalWeight.append(stats[l].h)
            tree.internalCount.append(count[l])
            tree.leftChild.append(~l)
            tree.rightChild.append(~numLeaves)
            splitBin.append(s.bin)
            if parent[l] >= 0 {
                if parentLeftSide[l] { tree.leftChild[parent[l]] = node } else { tree.rightChild[parent[l]] = node }
            }
            let newLeaf = numLeaves
            // Partition this rank's segment (stable); the counts over all ranks follow from one sum.
            let leftLocal = partition(begin: begin[l], count: local[l], feature: s.feature, bin: s.bin,
                                      nanBin: bins.nanBin, defaultLeft: s.defaultLeft, leftBins: leftBins[node])
            begin[newLeaf] = begin[l] + leftLocal
            local[newLeaf] = local[l] - leftLocal
            local[l] = leftLocal
            let leftCount = collective.sum(leftLocal)
            count[newLeaf] = count[l] - leftCount
            count[l] = leftCount
            stats[l] = s.left; stats[newLeaf] = s.right
            // Split finding estimated the counts; the partition knows them exactly.
            stats[l].count = Double(count[l]); stats[newLeaf].count = Double(count[newLeaf])
            output[l] = s.leftOutput; output[newLeaf] = s.rightOutput
            depth[l] += 1; depth[newLeaf] = depth[l]
            parent[l] = node; parentLeftSide[l] = true
            parent[newLeaf] = node; parentLeftSide[newLeaf] = false
            lo[newLeaf] = lo[l]; hi[newLeaf] = hi[l]
            let mono = monotone[s.feature]
            if mono != 0 {
                let mid = (s.leftOutput + s.rightOutput) / 2
                if mono > 0 { hi[l] = min(hi[l], mid); lo[newLeaf] = max(lo[newLeaf], mid) } else {
                    lo[l] = max(lo[l], mid); hi[newLeaf] = min(hi[newLeaf], mid)
                }
            }
            numLeaves += 1
            best[l] = SplitInfo(); best[newLeaf] = SplitInfo()
            let canL = canSplit(count: count[l], depth: depth[l], stats: stats[l])
            let canR = canSplit(count: count[newLeaf], depth: depth[newLeaf], stats: stats[newLeaf])
            if !canL && !canR { continue }
            // Smaller child is built into the fresh slot; the larger takes parent − smaller in place.
            let parentSlot = slot[l]
            let leftSmaller = count[l] <= count[newLeaf]
            let small = leftSmaller ? l : newLeaf, large = leftSmaller ? newLeaf : l
            slot[small] = newLeaf
            slot[large] = parentSlot
            var splitsSmall = [SplitInfo](repeating: SplitInfo(), count: binned.cols)
            var splitsLarge = [SplitInfo](repeating: SplitInfo(), count: binned.cols)
            let canSmall = leftSmaller ? canL : canR, canLarge = leftSmaller ? canR : canL
            buildAndFind(leafA: (slot: slot[small], begin: begin[small], count: local[small], stats: stats[small],
                                 lo: lo[small], hi: hi[small], canSplit: canSmall),
                         leafB: (slot: slot[large], begin: begin[large], count: local[large], stats: stats[large],
                                 lo: lo[large], hi: hi[large], canSplit: canLarge),
                         parentSlot: parentSlot, contiguousRoot: false,
                         grad: grad, hess: hess, features: features, outA: &splitsSmall, outB: &splitsLarge)
            best[small] = reduce(splitsSmall, features)
            best[large] = reduce(splitsLarge, features)
        }
        for i in 0..<numLeaves {
            tree.leafValue.append(output[i] * config.learningRate)
            tree.leafWeight.append(stats[i].h)
            tree.leafCount.append(count[i])
        }
        if isCategorical.contains(true) { tree.isCategorical = isCategorical; tree.categoryLeft = categoryLeft }
        return GrownTree(tree: tree, splitBin: splitBin, leftBins: leftBins, leafBegin: Array(begin[0..<numLeaves]),
                         localLeafCount: Array(local[0..<numLeaves]))
    }

    private func canSplit(count: Int, depth: Int, stats: NodeStats) -> Bool {
        if count < 2 * config.minDataInLeaf { return false }
        if config.maxDepth > 0 && depth >= config.maxDepth { return false }
        return stats.h >= 2 * config.minHessianInLeaf
    }

    private func reduce(_ splits: [SplitInfo], _ features: [Int]) -> SplitInfo {
        var best = SplitInfo()
        for f in features where splits[f].isValid && splits[f].isBetter(than: best) { best = splits[f] }
        return best
    }

    /// A leaf to build: its histogram slot, this rank's rows (`begin`, `count`), its totals over all ranks.
    typealias LeafJob = (slot: Int, begin: Int, count: Int, stats: NodeStats, lo: Double, hi: Double, canSplit: Bool)

    /// Builds leaf A's histogram directly from its rows, derives leaf B = parent − A when given, and
    /// scans every selected feature of both for the best split.
    /// Phase 1 splits A's rows into chunks with private histograms, distributed over the workers; phase 2,
    /// per feature, adds the chunks, subtracts, and scans. With several ranks, the chunks are added first and
    /// A's histogram is summed over the ranks between the phases (B = parent − A needs no exchange: every rank
    /// holds the parent's sum). Integer sums make the result independent of threads, chunks and ranks.
    private func buildAndFind(leafA: LeafJob, leafB: LeafJob?, parentSlot: Int?, contiguousRoot: Bool,
                              grad: UnsafePointer<Int64>, hess: UnsafePointer<Int64>, features: [Int],
                              outA: inout [SplitInfo], outB: UnsafeMutablePointer<[SplitInfo]>?) {
        let n = leafA.count
        let pool = histPool, stride = slotStride, workerHistograms = workerHistograms
        let histA = pool + leafA.slot * stride
        let histB: UnsafeMutablePointer<Int64>? = leafB.map { pool + $0.slot * stride }
        precondition(leafB == nil || parentSlot == leafB!.slot, "larger child must reuse the parent's slot")
        let featureBins = binned.features
        let cols = binned.cols
        let gm = gainModel, mono = monotone, categorical = categorical, catSettings = categoricalSettings
        let featureCount = features.count
        let distributed = collective.isDistributed
        // Row blocks, taken by whichever worker is free, so a worker slowed by another process or by denser rows
        // does not hold the other up. A one-block leaf is built straight into A.
        let blocks = n < Self.blockRows ? 1 : max(2, n / Self.blockRows)
        let pooled = blocks > 1
        let workers1 = min(Self.histogramWorkers(threads: threads), blocks)
        let allFeatures = featureCount == cols
        var resA = [SplitInfo](repeating: SplitInfo(), count: featureCount)
        var resB = [SplitInfo](repeating: SplitInfo(), count: featureCount)
        // Sparse rows need every feature's slots zeroed (they write all of them) and the leaf's totals.
        let sparse = allFeatures ? binned.sparse : nil
        var workerTotals = [SIMD2<Int64>](repeating: SIMD2(0, 0), count: workers1)
        // Which workers took a block (and so zeroed and filled their histogram).
        var started = [Bool](repeating: false, count: workers1)
        let emptyStart: [UInt32] = [], emptyEntries: [UInt16] = [], noModes: [Int] = []
        (sparse?.rowStart ?? emptyStart).withUnsafeBufferPointer { sparseStart in
        (sparse?.entries ?? emptyEntries).withUnsafeBufferPointer { sparseEntries in
        (sparse?.modeBin ?? noModes).withUnsafeBufferPointer { modeBin in
        workerTotals.withUnsafeMutableBufferPointer { totals in
        started.withUnsafeMutableBufferPointer { started in
        binned.rowCodes.withUnsafeBufferPointer { codes in
            rowOrder.withUnsafeBufferPointer { order in
                slotBase.withUnsafeBufferPointer { base in
                    features.withUnsafeBufferPointer { feats in
                        resA.withUnsafeMutableBufferPointer { ra in
                            resB.withUnsafeMutableBufferPointer { rb in
                                let idx: UnsafePointer<Int32>? = contiguousRoot ? nil : order.baseAddress! + leafA.begin
                                let staged = (codes: stagedCodes, grad: stagedGrad, hess: stagedHess)
                                // Phase 1: each worker adds the blocks it takes into its own histogram.
                                parallelTasks(workers: workers1, tasks: blocks) { w, block in
                                    let target = pooled ? workerHistograms + w * stride : histA
                                    if !started[w] {
                                        started[w] = true
                                        if allFeatures {
                                            target.initialize(repeating: 0, count: stride)
                                        } else {
                                            for f in feats {
                                                target.advanced(by: base[f])
                                                    .initialize(repeating: 0, count: (featureBins[f].valueBins + 1) * Histogram.stride)
                                            }
                                        }
                                    }
                                    let lo = n * block / blocks, hi = n * (block + 1) / blocks
                                    if sparse != nil {
                                        Histogram.accumulateSparse(rowStart: sparseStart.baseAddress!,
                                                                   entries: sparseEntries.baseAddress!,
                                                                   rowIndices: idx, lo: lo, hi: hi,
                                                                   gh: rowGH, into: target, total: &totals[w],
                                                                   stage: (entries: sparseStageEntries + w * sparseStageCapacity,
                                                                           ends: sparseStageEnds + w * SparseRows.stageRows,
                                                                           pairs: sparseStagePairs + w * SparseRows.stageRows))
                                    } else {
                                        Histogram.accumulateRows(rowCodes: codes.baseAddress!, cols: cols,
                                                                 rowStride: binned.rowStride,
                                                                 slotBase: base.baseAddress!,
                                                                 features: feats.baseAddress!, featureCount: featureCount,
                                                                 rowIndices: idx, lo: lo, hi: hi,
                                                                 grad: grad, hess: hess, staged: staged, into: target)
                                    }
                                }
                                let filled = (0..<workers1).filter { started[$0] }
                                @inline(__always) func addWorkerHistograms(_ f: Int) {
                                    let len = (featureBins[f].valueBins + 1) * Histogram.stride
                                    let ha = histA + base[f]
                                    let c0 = workerHistograms + filled[0] * stride + base[f]
                                    for i in 0..<len { ha[i] = c0[i] }
                                    for c in filled.dropFirst() {
                                        let src = workerHistograms + c * stride + base[f]
                                        for i in 0..<len { ha[i] &+= src[i] }
                                    }
                                }
                                // This rank's leaf totals, from which the sparse kernel's mode bins are recovered.
                                let leafTotal = totals.reduce(SIMD2<Int64>(0, 0), &+)
                                @inline(__always) func recoverModeBin(_ f: Int) {
                                    Histogram.recoverModeBin(histA + base[f], bins: featureBins[f].valueBins + 1,
                                                             mode: modeBin[f], total: leafTotal)
                                }
                                if distributed {
                                    if pooled { for f in feats { addWorkerHistograms(f) } }
                                    if sparse != nil { for f in feats { recoverModeBin(f) } }
                                    sumOverRanks(histA, features: feats)
                                }
                                // Phase 2: per feature reduce, subtract, scan; features taken as workers free up,
                                // as their bins (3 to 256) make their costs uneven. Each writes only its own result.
                                let workers2 = n < 2048 ? 1 : threads
                                parallelTasks(workers: workers2, tasks: featureCount) { _, k in
                                    let f = feats[k]
                                    let fb = featureBins[f]
                                    let ha = histA + base[f]
                                    if pooled && !distributed { addWorkerHistograms(f) }
                                    if sparse != nil && !distributed { recoverModeBin(f) }
                                    @inline(__always) func find(_ h: UnsafeMutablePointer<Int64>, _ leaf: LeafJob) -> SplitInfo {
                                        categorical[f]
                                            ? gm.bestCategoricalSplit(feature: f, hist: h, valueBins: fb.valueBins,
                                                                      total: leaf.stats, settings: catSettings)
                                            : gm.bestSplit(feature: f, hist: h, valueBins: fb.valueBins,
                                                           total: leaf.stats, lo: leaf.lo, hi: leaf.hi, mono: mono[f])
                                    }
                                    if leafA.canSplit { ra[k] = find(ha, leafA) }
                                    if let histB, let leafB, leafB.canSplit {
                                        let hb = histB + base[f]
                                        Histogram.subtract(ha, from: hb, slots: fb.valueBins + 1)
                                        rb[k] = find(hb, leafB)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        }
        }
        }
        }
        }
        for (k, f) in features.enumerated() {
            outA[f] = resA[k]
            outB?.pointee[f] = resB[k]
        }
    }

    /// Replaces the histogram's slots of `features` with their sums over all ranks (one exchange of the
    /// selected features' slots, contiguous when all features are selected).
    private func sumOverRanks(_ hist: UnsafeMutablePointer<Int64>, features: UnsafeBufferPointer<Int>) {
        var buffer: [Int64] = []
        buffer.reserveCapacity(slotStride)
        for f in features {
            let start = slotBase[f], len = (binned.features[f].valueBins + 1) * Histogram.stride
            buffer.append(contentsOf: UnsafeBufferPointer(start: hist + start, count: len))
        }
        collective.sum(&buffer)
        var at = 0
        for f in features {
            let start = slotBase[f], len = (binned.features[f].valueBins + 1) * Histogram.stride
            buffer.withUnsafeBufferPointer { (hist + start).update(from: $0.baseAddress! + at, count: len) }
            at += len
        }
    }

    /// Stable partition of `rowOrder[begin..<begin+count]`: rows with bin <= `bin` (NaN → `defaultLeft`)
    /// first. Returns the left count. Large segments are split into 2 or 4 chunks (by size only, so the
    /// result never depends on threads) partitioned in parallel, then concatenated in chunk order. O(count).
    private func partition(begin: Int, count: Int, feature: Int, bin: Int, nanBin: Int, defaultLeft: Bool,
                           leftBins: [Bool]?) -> Int {
        // Which bin codes go left (1) or right (0), as one lookup table for threshold and categorical splits alike.
        var side = [Int](repeating: 0, count: 256)
        for c in 0...nanBin { side[c] = leftBins?[c] ?? (c == nanBin ? defaultLeft : c <= bin) ? 1 : 0 }
        let rows = binned.rows
        let chunks = count < 65536 ? 1 : (count < 262_144 ? 2 : 4)
        var lefts = [Int](repeating: 0, count: chunks)
        var rights = [Int](repeating: 0, count: chunks)
        side.withUnsafeBufferPointer { sideTable in
        binned.codes.withUnsafeBufferPointer { codes in
            rowOrder.withUnsafeMutableBufferPointer { order in
                scratch.withUnsafeMutableBufferPointer { tmp in
                    lefts.withUnsafeMutableBufferPointer { lc in
                        rights.withUnsafeMutableBufferPointer { rc in
                            let col = codes.baseAddress! + feature * rows
                            let seg = order.baseAddress! + begin
                            let tmpSeg = tmp.baseAddress! + begin
                            // Each chunk writes its lefts in place (front of its range) and its rights to scratch.
                            parallelFor(min(chunks, threads)) { w in
                                var c = w
                                while c < chunks {
                                    let lo = count * c / chunks, hi = count * (c + 1) / chunks
                                    // Branch-free: each row is written to both sides and only its side's cursor
                                    // moves (the other copy is overwritten later), since a split's sides are too
                                    // mixed for the branch predictor. In place is safe: l ≤ i.
                                    var l = lo, r = lo
                                    for i in lo..<hi {
                                        let row = seg[i]
                                        let left = sideTable[Int(col[Int(row)])]
                                        seg[l] = row; tmpSeg[r] = row
                                        l &+= left; r &+= 1 &- left
                                    }
                                    lc[c] = l - lo; rc[c] = r - lo
                                    c += min(chunks, threads)
                                }
                            }
                            // Concatenate: lefts of every chunk, then rights of every chunk.
                            var pos = lc[0]
                            for c in 1..<max(chunks, 1) where chunks > 1 {
                                let lo = count * c / chunks
                                for i in 0..<lc[c] { seg[pos + i] = seg[lo + i] }  // forward copy: pos <= lo
                                pos += lc[c]
                            }
                            for c in 0..<chunks {
                                let lo = count * c / chunks
                                (seg + pos).update(from: tmpSeg + lo, count: rc[c])
                                pos += rc[c]
                            }
                        }
                    }
                }
            }
        }
        }
        return lefts.reduce(0, +)
    }
}
