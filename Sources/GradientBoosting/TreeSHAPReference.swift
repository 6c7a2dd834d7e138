// TreeSHAPReference: the original exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2),
// recursive, O(trees · leaves · depth²) per row. Kept only as the oracle the fast explainer is tested and
// benchmarked against (SPI `TreeSHAPReference`); the product uses `TreeSHAPExplainer`.

/// One element of the unique feature path (Algorithm 2's m): feature d, zero fraction z,
/// one fraction o, and the permutation weight w.
private struct PathElement {
    var feature: Int = -1
    var zeroFraction: Double = 0
    var oneFraction: Double = 0
    var pweight: Double = 0
}

extension GBDTModel {
    /// The original recursive Algorithm 2 (O(trees · leaves · depth²), allocates per tree), kept only as the
    /// reference the fast `TreeSHAPExplainer` is tested and benchmarked against. Same output layout.
    @_spi(TreeSHAPReference)
    public func referenceContributions(_ row: UnsafeBufferPointer<Double>, cover: TreeSHAPCover = .hessian) -> [Double] {
        precondition(row.count >= featureCount, "row has \(row.count) values, model needs \(featureCount)")
        var phi = [Double](repeating: 0, count: featureCount + 1)
        phi[featureCount] = initScore
        for var tree in trees {
            if cover == .rowCount {
                tree.internalWeight = tree.internalCount.map(Double.init)
                tree.leafWeight = tree.leafCount.map(Double.init)
            }
            if tree.numLeaves == 1 { phi[featureCount] += tree.leafValue[0]; continue }
            phi[featureCount] += tree.expectedValue
            let d = tree.maxDepth + 2
            var path = [PathElement](repeating: PathElement(), count: d * (d + 1) / 2 + d)
            path.withUnsafeMutableBufferPointer { p in
                phi.withUnsafeMutableBufferPointer { ph in
                    referenceRecurse(tree, row, ph, node: 0, uniqueDepth: 0, path: p.baseAddress!,
                                     parentZero: 1, parentOne: 1, parentFeature: -1)
                }
            }
        }
        return phi
    }

    private func referenceCover(_ tree: GBDTTree, _ child: Int) -> Double {
        child >= 0 ? tree.internalWeight[child] : tree.leafWeight[~child]
    }

    /// Recursive Algorithm 2 RECURSE. `path` points at this call's private copy area; the parent's
    /// `uniqueDepth` elements are copied in front of the new element.
    private func referenceRecurse(_ tree: GBDTTree, _ x: UnsafeBufferPointer<Double>,
                                  _ phi: UnsafeMutableBufferPointer<Double>, node: Int, uniqueDepth: Int,
                                  path parentPath: UnsafeMutablePointer<PathElement>,
                                  parentZero: Double, parentOne: Double, parentFeature: Int) {
        var depth = uniqueDepth
        let path = parentPath + depth
        if depth > 0 { path.update(from: parentPath, count: depth) }
        referenceExtend(path, depth, parentZero, parentOne, parentFeature)
        if node < 0 {
            let value = tree.leafValue[~node]
            if depth >= 1 {
                for i in 1...depth {
                    let w = referenceUnwoundSum(path, depth, i)
                    let el = path[i]
                    phi[el.feature] += w * (el.oneFraction - el.zeroFraction) * value
                }
            }
            return
        }
        let f = tree.splitFeature[node]
        let v = x[f]
        let goLeft = tree.goesLeft(node, v)
        let hot = goLeft ? tree.leftChild[node] : tree.rightChild[node]
        let cold = goLeft ? tree.rightChild[node] : tree.leftChild[node]
        let w = tree.internalWeight[node]
        let hotZero = referenceCover(tree, hot) / w
        let coldZero = referenceCover(tree, cold) / w
        var incomingZero = 1.0, incomingOne = 1.0
        var k = 0
        while k <= depth { if path[k].feature == f { break }; k += 1 }
        if k != depth + 1 {
            incomingZero = path[k].zeroFraction
            incomingOne = path[k].oneFraction
            referenceUnwind(path, depth, k)
            depth -= 1
        }
        referenceRecurse(tree, x, phi, node: hot, uniqueDepth: depth + 1, path: path,
                         parentZero: hotZero * incomingZero, parentOne: incomingOne, parentFeature: f)
        referenceRecurse(tree, x, phi, node: cold, uniqueDepth: depth + 1, path: path,
                         parentZero: coldZero * incomingZero, parentOne: 0, parentFeature: f)
    }

    private func referenceExtend(_ p: UnsafeMutablePointer<PathElement>, _ d: Int, _ zero: Double, _ one: Double, _ f: Int) {
        p[d] = PathElement(feature: f, zeroFraction: zero, oneFraction: one, pweight: d == 0 ? 1 : 0)
        var i = d - 1
        while i >= 0 {
            p[i + 1].pweight += one * p[i].pweight * Double(i + 1) / Double(d + 1)
            p[i].pweight = zero * p[i].pweight * Double(d - i) / Double(d + 1)
            i -= 1
        }
    }

    private func referenceUnwind(_ p: UnsafeMutablePointer<PathElement>, _ d: Int, _ k: Int) {
        let one = p[k].oneFraction, zero = p[k].zeroFraction
        var next = p[d].pweight
        var i = d - 1
        while i >= 0 {
            if one != 0 {
                let tmp = p[i].pweight
                p[i].pweight = next * Double(d + 1) / (Double(i + 1) * one)
                next = tmp - p[i].pweight * zero * Double(d - i) / Double(d + 1)
            } else {
                p[i].pweight = p[i].pweight * Double(d + 1) / (zero * Double(d - i))
            }
            i -= 1
        }
        for j in k..<d {
            p[j].feature = p[j + 1].feature
            p[j].zeroFraction = p[j + 1].zeroFraction
            p[j].oneFraction = p[j + 1].oneFraction
        }
    }

    private func referenceUnwoundSum(_ p: UnsafeMutablePointer<PathElement>, _ d: Int, _ k: Int) -> Double {
        let one = p[k].oneFraction, zero = p[k].zeroFraction
        var next = p[d].pweight
        var total = 0.0
        var i = d - 1
        while i >= 0 {
            if one != 0 {
                let tmp = next * Double(d + 1) / (Double(i + 1) * one)
                total += tmp
                next = p[i].pweight - tmp * zero * Double(d - i) / Double(d + 1)
            } else if zero != 0 {
                total += (p[i].pweight / zero) / (Double(d - i) / Double(d + 1))
            }
            i -= 1
        }
        return total
    }
}
