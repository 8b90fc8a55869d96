import Dispatch
import Linear

/// Exact top-k for a factor model without scoring every item: items are visited in decreasing norm, tile by tile
/// through ``ScoreKernel``, and a user is finished once their k-th best score beats ‖x‖·‖y‖ for the largest item
/// norm not yet visited (Cauchy–Schwarz: no later item can score higher). Item norms of implicit-feedback models are
/// heavily skewed towards popular items, so most users stop after a few hundred of tens of thousands of items.
///
/// The result is the same as scoring everything: a visited item's score is the same ``ScoreKernel`` dot product
/// (which does not depend on the user's position in its block), ties are broken by item index, and the stop
/// condition keeps a relative margin far above float rounding.
struct NormOrderedScoring: Sendable {
    /// Users scored together; results never depend on it.
    static let blockUsers = 64
    /// The first tile of items; later tiles double, up to `maximumTile`.
    static let firstTile = 256
    static let maximumTile = 4096
    /// Relative margin of the stop condition over float rounding of the dot products and norms.
    static let margin: Float = 1e-4

    let model: FactorModel
    /// Item indices by decreasing norm (ties by index).
    let order: [Int32]
    /// Position of each item in `order`.
    let position: [Int32]
    /// Item factors permuted into `order`, row-major.
    let sortedFactors: [Float]
    /// Norms in `order` (non-increasing), with a trailing 0.
    let sortedNorms: [Float]

    init(model: FactorModel) {
        self.model = model
        let n = model.items, f = model.factors
        var norms = [Float](repeating: 0, count: n)
        model.itemFactors.elements.withUnsafeBufferPointer { y in
            for i in 0..<n {
                let row = y.baseAddress! + i * f
                norms[i] = VectorKernels.dot(row, row, f).squareRoot()
            }
        }
        let order = (0..<n).sorted { norms[$0] != norms[$1] ? norms[$0] > norms[$1] : $0 < $1 }
        var position = [Int32](repeating: 0, count: n)
        var sorted = [Float](repeating: 0, count: n * f)
        model.itemFactors.elements.withUnsafeBufferPointer { y in
            for (p, i) in order.enumerated() {
                position[i] = Int32(p)
                for j in 0..<f { sorted[p * f + j] = y[i * f + j] }
            }
        }
        self.order = order.map(Int32.init)
        self.position = position
        sortedFactors = sorted
        sortedNorms = order.map { norms[$0] } + [0]
    }

    /// Top-`k` lists of the model's users `users` (rows of its user factors), with seen items and the filter
    /// applied.
    func recommend(users: Range<Int>, k: Int, seen: CSRMatrix<Float>?, allowed: [Bool]?, threads: Int)
        -> [[(item: Int, score: Float)]]
    {
        let blocks = (users.count + Self.blockUsers - 1) / Self.blockUsers
        var lists = [[(item: Int, score: Float)]](repeating: [], count: users.count)
        lists.withUnsafeMutableBufferPointer { listOut in
            let out = Output(lists: listOut)
            let work: @Sendable (Int) -> Void = { w in
                var scratch = Scratch()
                for b in stride(from: w, to: blocks, by: max(1, threads)) {
                    let lo = users.lowerBound + b * Self.blockUsers
                    block(lo..<min(lo + Self.blockUsers, users.upperBound), first: users.lowerBound, k: k,
                          seen: seen, allowed: allowed, scratch: &scratch, out: out)
                }
            }
            if threads <= 1 || blocks <= 1 { work(0) } else {
                DispatchQueue.concurrentPerform(iterations: min(threads, blocks), execute: work)
            }
        }
        return lists
    }

    /// The best score of each user among the items of `range`, over all of them (nothing excluded): the top-1
    /// of a model restricted to the range, found the same norm-ordered way. `users.count` values.
    static func best(of model: FactorModel, users: Range<Int>, within range: Range<Int>, threads: Int) -> [Float] {
        guard !range.isEmpty else { return [Float](repeating: -.infinity, count: users.count) }
        let f = model.factors
        var restricted = model
        restricted.itemFactors = Matrix(
            rows: range.count, columns: f,
            elements: Array(model.itemFactors.elements[(range.lowerBound * f)..<(range.upperBound * f)]))
        return NormOrderedScoring(model: restricted)
            .recommend(users: users, k: 1, seen: nil, allowed: nil, threads: threads)
            .map { $0.first?.score ?? -.infinity }
    }

    struct Output: @unchecked Sendable {
        let lists: UnsafeMutableBufferPointer<[(item: Int, score: Float)]>
    }

    struct Scratch {
        var scores: [Float] = []
        /// Per user of the block: the positions (in norm order) of excluded items, sorted.
        var excluded: [[Int32]] = []
        /// The factors of the block's rows still searching, contiguous.
        var activeFactors: [Float] = []
    }

    func block(_ block: Range<Int>, first: Int, k: Int, seen: CSRMatrix<Float>?, allowed: [Bool]?,
               scratch: inout Scratch, out: Output) {
        let f = model.factors, items = model.items, m = block.count
        model.userFactors.elements.withUnsafeBufferPointer { x in
            let xBlock = x.baseAddress! + block.lowerBound * f
            guard k > 0 else { return }
            // Excluded positions per user: seen items and items outside the filter.
            scratch.excluded = block.map { user in
                var positions: [Int32] = []
                if let seen, user < seen.rows {
                    for p in seen.rowPointers[user]..<seen.rowPointers[user + 1] {
                        positions.append(position[Int(seen.columnIndices[p])])
                    }
                }
                return positions.sorted()
            }
            var norms = [Float](repeating: 0, count: m)
            for r in 0..<m {
                norms[r] = VectorKernels.dot(xBlock + r * f, xBlock + r * f, f).squareRoot()
            }
            var heaps = [TopK.Heap](repeating: TopK.Heap(capacity: k), count: m)
            var cursor = [Int](repeating: 0, count: m)
            // The rows still searching, in block order; only they are scored in later tiles (a score does not
            // depend on its row's position in the block, so compacting them changes no figure).
            var active = Array(0..<m)
            var start = 0, tile = Self.firstTile
            while start < items && !active.isEmpty {
                let width = min(tile, items - start), n = active.count
                if scratch.scores.count < n * width { scratch.scores = [Float](repeating: 0, count: n * width) }
                if n < m {
                    if scratch.activeFactors.count < n * f { scratch.activeFactors = [Float](repeating: 0, count: n * f) }
                    scratch.activeFactors.withUnsafeMutableBufferPointer { a in
                        for (q, r) in active.enumerated() { (a.baseAddress! + q * f).update(from: xBlock + r * f, count: f) }
                    }
                }
                let factors = scratch.activeFactors
                scratch.scores.withUnsafeMutableBufferPointer { s in
                    sortedFactors.withUnsafeBufferPointer { y in
                        factors.withUnsafeBufferPointer { a in
                            ScoreKernel.scores(n < m ? a.baseAddress! : xBlock, rows: n, y.baseAddress! + start * f,
                                               items: width, k: f, into: s.baseAddress!, ldc: width)
                        }
                    }
                    for (q, r) in active.enumerated() {
                        let row = s.baseAddress! + q * width
                        // Mask the user's excluded items inside this tile.
                        let ex = scratch.excluded[r]
                        while cursor[r] < ex.count && Int(ex[cursor[r]]) < start + width {
                            row[Int(ex[cursor[r]]) - start] = -.infinity
                            cursor[r] += 1
                        }
                        if let allowed {
                            for i in 0..<width where !allowed[Int(order[start + i])] { row[i] = -.infinity }
                        }
                        // The heap is moved out of the array while it is fed (no uniqueness check per score).
                        var heap = TopK.Heap(capacity: 0)
                        swap(&heap, &heaps[r])
                        order.withUnsafeBufferPointer { items in
                            Self.offer(row, items.baseAddress! + start, count: width, to: &heap)
                        }
                        swap(&heap, &heaps[r])
                    }
                }
                start += width
                tile = min(tile * 2, Self.maximumTile)
                // A row is finished when its k-th best beats the largest score any unvisited item could reach.
                let bound = sortedNorms[start]
                active.removeAll { r in heaps[r].count == k && heaps[r].minimum > norms[r] * bound * (1 + Self.margin) }
            }
            for r in 0..<m {
                out.lists[block.lowerBound - first + r] = heaps[r].sortedEntries().map { (Int($0.index), $0.score) }
            }
        }
    }

    /// Offers `count` scores (items `items[i]`) to a heap of capacity k: one by one until it is full, then sixteen
    /// at a time against its minimum, so that only blocks holding a candidate are examined one by one (an item
    /// whose score equals the minimum may still enter, on a lower index). −∞ (masked) and NaN never enter.
    @inline(__always)
    static func offer(_ row: UnsafePointer<Float>, _ items: UnsafePointer<Int32>, count: Int, to heap: inout TopK.Heap) {
        var i = 0
        while i < count && heap.count < heap.limit {
            let v = row[i]
            if v > -Float.infinity { heap.offer(v, items[i]) }
            i += 1
        }
        guard heap.limit > 0, heap.count == heap.limit else { return }  // every score was offered
        var threshold = heap.minimum
        while i + 16 <= count {
            var candidate = false
            for j in 0..<16 { candidate = candidate || row[i + j] >= threshold }
            if candidate {
                for j in i..<(i + 16) where row[j] >= threshold {
                    heap.offer(row[j], items[j])
                    threshold = heap.minimum
                }
            }
            i += 16
        }
        while i < count {
            if row[i] >= threshold {
                heap.offer(row[i], items[i])
                threshold = heap.minimum
            }
            i += 1
        }
    }
}
