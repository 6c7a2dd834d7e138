// TreeSHAPMemoExplainer: TreeSHAP for many rows, sharing each tree's contributions between rows that go the same
// way at every node of that tree (a tree's path-dependent SHAP values depend on nothing else).

/// Explains rows one after another like `TreeSHAPExplainer.contributions(_:into:)`, with the same bits, but
/// remembers per tree the contributions of each decision pattern it has walked: the left/right choice of the row
/// at every internal node (64 bits for trees of up to 65 leaves; bigger trees are always walked). A later row with
/// the same pattern in a tree adds the remembered values instead of walking it. Rows of one population share
/// patterns heavily (a 31-leaf tree splits on a handful of features, and users alike in those go alike), so most
/// trees of most rows cost the pattern (one comparison per node) and a table lookup.
///
/// Not thread-safe: one per thread (or per chunk of rows). Memory: at most `budgetBytes` (or its first 768 bytes
/// when that is less) of remembered values and table; once full, new patterns are walked and not kept (results are unchanged, only the sharing stops).
public final class TreeSHAPMemoExplainer {
    public let explainer: TreeSHAPExplainer
    /// Trees walked (a pattern not seen before, or not kept) and trees replayed, over all rows so far.
    public private(set) var walks = 0
    public private(set) var replays = 0

    /// Open-addressing table keyed by (tree, pattern): `owner` = tree index + 1 (0: empty slot), `offset` into
    /// `store`, where the tree's `slots` values follow.
    private var patterns: UnsafeMutablePointer<UInt64>
    private var owners: UnsafeMutablePointer<Int32>
    private var offsets: UnsafeMutablePointer<Int32>
    private var capacity: Int
    private var entries = 0
    private var store: UnsafeMutablePointer<Double>
    private var storeCapacity: Int
    private var stored = 0
    private let budgetBytes: Int
    private var full = false

    /// Bytes per table entry (pattern, owner, offset).
    private static let entryBytes = MemoryLayout<UInt64>.stride + 2 * MemoryLayout<Int32>.stride

    public init(_ explainer: TreeSHAPExplainer, budgetBytes: Int = 64 << 20) {
        self.explainer = explainer
        self.budgetBytes = max(0, budgetBytes)
        capacity = 16
        patterns = .allocate(capacity: capacity)
        owners = .allocate(capacity: capacity)
        owners.initialize(repeating: 0, count: capacity)
        offsets = .allocate(capacity: capacity)
        storeCapacity = 64
        store = .allocate(capacity: storeCapacity)
        full = heldBytes > self.budgetBytes
    }

    deinit {
        patterns.deallocate()
        owners.deallocate()
        offsets.deallocate()
        store.deallocate()
    }

    /// Bytes held now (table and remembered values).
    public var heldBytes: Int { capacity * Self.entryBytes + storeCapacity * MemoryLayout<Double>.stride }

    /// SHAP contributions of one row into `out[0..<featureCount+1]`: bit for bit `explainer.contributions(row,
    /// into: out)`.
    public func contributions(_ row: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        let e = explainer
        let phi = e.start(row, out)
        guard !e.trees.isEmpty else { return }
        let x = row.baseAddress!
        e.withRowState { state in
            e.trees.withUnsafeBufferPointer { trees in
                for t in 0..<trees.count {
                    let tree = trees[t]
                    guard tree.nodeCount <= 64 else {
                        e.explain(tree, row: x, state: state)
                        state.accumulate(tree, state.sums, into: phi)
                        walks += 1
                        continue
                    }
                    let key = Self.pattern(tree, row: x, plan: state.plan)
                    let owner = Int32(t + 1)
                    var i = Self.hash(key, owner) & (capacity - 1)
                    while owners[i] != 0, owners[i] != owner || patterns[i] != key { i = (i + 1) & (capacity - 1) }
                    if owners[i] != 0 {
                        state.accumulate(tree, store + Int(offsets[i]), into: phi)
                        replays += 1
                        continue
                    }
                    e.explain(tree, row: x, state: state)
                    state.accumulate(tree, state.sums, into: phi)
                    walks += 1
                    remember(key, owner: owner, values: state.sums, count: Int(tree.slots), at: i)
                }
            }
        }
    }

    /// The row's choice at each internal node of `tree`, bit k for the k-th node in preorder (1 = left).
    @inline(__always)
    static func pattern(_ tree: SHAPTree, row x: UnsafePointer<Double>, plan: SHAPPlanPointers) -> UInt64 {
        let nodes = plan.nodes + Int(tree.root)
        var bits: UInt64 = 0
        for k in 0..<Int(tree.nodeCount) {
            let node = nodes[k]
            if node.goesLeft(x[Int(node.feature)], categoryMasks: plan.categoryMasks) { bits |= 1 << UInt64(k) }
        }
        return bits
    }

    @inline(__always)
    static func hash(_ key: UInt64, _ owner: Int32) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(UInt32(bitPattern: owner)) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    /// Keeps a tree's values for `key` in empty table slot `i` (found by the lookup), unless the budget is spent.
    private func remember(_ key: UInt64, owner: Int32, values: UnsafePointer<Double>, count: Int, at i: Int) {
        guard !full else { return }
        var i = i
        // Grow at half load, and the store by doubling, while both fit the budget.
        if 2 * (entries + 1) > capacity {
            guard 2 * capacity * Self.entryBytes + storeCapacity * MemoryLayout<Double>.stride <= budgetBytes else {
                full = true
                return
            }
            growTable()
            i = Self.hash(key, owner) & (capacity - 1)
            while owners[i] != 0 { i = (i + 1) & (capacity - 1) }
        }
        if stored + count > storeCapacity {
            let next = max(2 * storeCapacity, stored + count)
            guard capacity * Self.entryBytes + next * MemoryLayout<Double>.stride <= budgetBytes,
                  next <= Int(Int32.max) else {
                full = true
                return
            }
            let grown = UnsafeMutablePointer<Double>.allocate(capacity: next)
            grown.update(from: store, count: stored)
            store.deallocate()
            store = grown
            storeCapacity = next
        }
        (store + stored).update(from: values, count: count)
        patterns[i] = key
        owners[i] = owner
        offsets[i] = Int32(stored)
        stored += count
        entries += 1
    }

    private func growTable() {
        let (oldPatterns, oldOwners, oldOffsets, oldCapacity) = (patterns, owners, offsets, capacity)
        capacity *= 2
        patterns = .allocate(capacity: capacity)
        owners = .allocate(capacity: capacity)
        owners.initialize(repeating: 0, count: capacity)
        offsets = .allocate(capacity: capacity)
        for j in 0..<oldCapacity where oldOwners[j] != 0 {
            var i = Self.hash(oldPatterns[j], oldOwners[j]) & (capacity - 1)
            while owners[i] != 0 { i = (i + 1) & (capacity - 1) }
            patterns[i] = oldPatterns[j]
            owners[i] = oldOwners[j]
            offsets[i] = oldOffsets[j]
        }
        oldPatterns.deallocate()
        oldOwners.deallocate()
        oldOffsets.deallocate()
    }
}
