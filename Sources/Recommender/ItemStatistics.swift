public import Linear
import FileSupport
import Dispatch

/// The item side of an ALS sweep as sufficient statistics: for every item i, Σ_u (c_ui − 1)·x_u x_uᵀ and
/// Σ_u c_ui·p_ui·x_u over the users who interacted with it, and the count of positive interactions.
///
/// Each user contributes to the items they interacted with and nothing else (``add(user:items:weights:rule:)``),
/// and contributions add up (`+`), so the statistics can be gathered where the users' data live — per client in
/// federated training, with noise added before they are released in differentially private training — and the
/// server's solve (``solve(userGram:rule:threads:)``) sees only their sums. With every user's contribution and no
/// noise, the solve is the exact item half-sweep.
///
/// Storage is `items × k²` floats (a full row-major k × k block per item, lower triangle used), so this form suits
/// moderate catalogues; ``ImplicitALS`` solves the item side directly from the transposed matrix by default.
///
/// ```swift
/// var clientA = try ItemStatistics(items: 300, factors: 16)
/// clientA.add(user: x0, items: [3, 7], weights: [1, 2], rule: rule)
/// let all = clientA + clientB
/// let (itemFactors, unsolved) = all.solve(userGram: userFactors.gram().elements, rule: rule)
/// ```
public struct ItemStatistics: Sendable, Equatable {
    /// The number of items.
    public let items: Int
    /// The factor dimension k.
    public let factors: Int
    /// Per item, Σ (c − 1)·x xᵀ as a row-major k × k block (only the lower triangle is accumulated; a step
    /// that changes it keeps the lower triangle meaningful). `items × k²` values.
    public var gram: [Float]
    /// Per item, Σ c·p·x (k values). `items × k` values.
    public var rhs: [Float]
    /// Per item, the number of positive interactions (for λ scaled by the interaction count). `items` values.
    public var positives: [Int]

    /// Empty statistics.
    ///
    /// - Throws: ``FairgroundError`` naming `items` when the blocks would not fit in 4 GiB.
    public init(items: Int, factors: Int) throws(FairgroundError) {
        let floats = items.multipliedReportingOverflow(by: factors * factors + factors)
        guard items >= 0, factors >= 1, !floats.overflow, floats.partialValue <= 1 << 30 else {
            throw FairgroundError.parameter(
                "items", expected: "item statistics of at most 4 GiB (items × (k² + k) ≤ 2³⁰ floats)",
                found: "\(items) items × \(factors) factors")
        }
        self.items = items
        self.factors = factors
        gram = [Float](repeating: 0, count: items * factors * factors)
        rhs = [Float](repeating: 0, count: items * factors)
        positives = [Int](repeating: 0, count: items)
    }

    /// Adds one user's contributions: `x` (their k factors) to each item in `items` with its weight.
    ///
    /// - Precondition: `x.count == factors`; every item is in range.
    public mutating func add(user x: [Float], items userItems: [Int32], weights: [Float], rule: FoldInRule) {
        precondition(x.count == factors && userItems.count == weights.count, "Contribution shapes differ")
        let k = factors
        gram.withUnsafeMutableBufferPointer { g in
            rhs.withUnsafeMutableBufferPointer { b in
                for (item, r) in zip(userItems, weights) {
                    let i = Int(item)
                    precondition(i >= 0 && i < items, "Item out of range")
                    let w = rule.confidence(r) - 1, t = rule.target(r)
                    let block = g.baseAddress! + i * k * k
                    for row in 0..<k {
                        let scaled = w * x[row]
                        for column in 0...row { block[row * k + column] += scaled * x[column] }
                    }
                    if t != 0 { for f in 0..<k { b[i * k + f] += t * x[f] } }
                    if r > 0 { positives[i] += 1 }
                }
            }
        }
    }

    /// Every row's contributions, users in order: the aggregation a server performs over all clients.
    public static func aggregate(_ matrix: CSRMatrix<Float>, userFactors: Matrix<Float>, rule: FoldInRule)
        throws(FairgroundError) -> ItemStatistics
    {
        precondition(userFactors.rows == matrix.rows, "One factor row per user")
        var statistics = try ItemStatistics(items: matrix.columns, factors: userFactors.columns)
        let k = userFactors.columns
        for u in 0..<matrix.rows {
            let entries = matrix.rowPointers[u]..<matrix.rowPointers[u + 1]
            statistics.add(user: Array(userFactors.elements[(u * k)..<((u + 1) * k)]),
                           items: Array(matrix.columnIndices[entries]), weights: Array(matrix.values[entries]),
                           rule: rule)
        }
        return statistics
    }

    /// Every user's contributions gathered item by item from the transposed matrix (items × users) on `threads`
    /// workers: the statistics of ``aggregate(_:userFactors:rule:)`` up to the order of the sums, at the speed of
    /// the exact direct solve (each item's Σ (c − 1)·x xᵀ is one `ssyrk` over its gathered, weighted user rows).
    /// The result is identical on any thread count.
    public static func aggregate(
        transposed: CSRMatrix<Float>, userFactors: Matrix<Float>, rule: FoldInRule, threads: Int = 1
    ) throws(FairgroundError) -> ItemStatistics {
        precondition(userFactors.rows == transposed.columns, "One factor row per user")
        var statistics = try ItemStatistics(items: transposed.rows, factors: userFactors.columns)
        let k = userFactors.columns, items = transposed.rows
        let chunk = 32, chunks = (items + chunk - 1) / chunk, gather = 256
        statistics.gram.withUnsafeMutableBufferPointer { g in
        statistics.rhs.withUnsafeMutableBufferPointer { b in
        statistics.positives.withUnsafeMutableBufferPointer { counts in
        userFactors.elements.withUnsafeBufferPointer { x in
        transposed.columnIndices.withUnsafeBufferPointer { users in
        transposed.values.withUnsafeBufferPointer { values in
            let shared = Targets(gram: g.baseAddress!, rhs: b.baseAddress!, positives: counts.baseAddress!,
                                 factors: x.baseAddress!, users: users.baseAddress!, values: values.baseAddress!)
            _ = ParallelBlocks.map(count: chunks, threads: threads) { c -> Int in
                var positive = [Float](repeating: 0, count: gather * k), negative = positive
                positive.withUnsafeMutableBufferPointer { pos in
                negative.withUnsafeMutableBufferPointer { neg in
                    for i in (c * chunk)..<min((c + 1) * chunk, items) {
                        let block = shared.gram + i * k * k, target = shared.rhs + i * k
                        var weighted = WeightedGram(k: k, capacity: gather, positive: pos.baseAddress!,
                                                    negative: neg.baseAddress!)
                        var seen = 0
                        for p in transposed.rowPointers[i]..<transposed.rowPointers[i + 1] {
                            let xu = shared.factors + Int(shared.users[p]) * k
                            let r = shared.values[p]
                            let t = rule.target(r)
                            if t != 0 { VectorKernels.axpy(t, xu, target, k) }
                            if r > 0 { seen += 1 }
                            weighted.add(xu, weight: rule.confidence(r) - 1, into: block)
                        }
                        weighted.flush(into: block)
                        shared.positives[i] = seen
                    }
                }
                }
                return 0
            }
        }
        }
        }
        }
        }
        }
        return statistics
    }

    /// The sum of two partial statistics over disjoint users.
    ///
    /// - Precondition: the same shape.
    public static func + (a: ItemStatistics, b: ItemStatistics) -> ItemStatistics {
        precondition(a.items == b.items && a.factors == b.factors, "Item statistics of different shapes")
        var sum = a
        for j in sum.gram.indices { sum.gram[j] += b.gram[j] }
        for j in sum.rhs.indices { sum.rhs[j] += b.rhs[j] }
        for j in sum.positives.indices { sum.positives[j] += b.positives[j] }
        return sum
    }

    /// The item factors: every item's `(XᵀX + Σ (c − 1)·x xᵀ + λ_i I) y = Σ c·p·x`, solved exactly eight at a
    /// time, with λ_i = λ or λ·(positives of i) as the rule says.
    ///
    /// - Parameters:
    ///   - userGram: XᵀX over all users, row-major k × k.
    ///   - threads: Worker threads; the factors are identical for every value.
    /// - Returns: `items × k` factors, and the items whose system was not positive definite (their factors
    ///   are zero).
    ///   - projectingIndefinite: Project an item's system that is not positive definite onto the positive
    ///     semi-definite cone — XᵀX + Σ (c − 1)·x xᵀ with its negative eigenvalues set to 0, then λ_i I added — and
    ///     solve that, as differentially private training does with systems its noise made indefinite (the
    ///     projection is post-processing: it costs no privacy). An item whose projected system still fails is
    ///     unsolved.
    public func solve(userGram: [Float], rule: FoldInRule, threads: Int = 1, projectingIndefinite: Bool = false)
        -> (factors: Matrix<Float>, unsolved: [Int])
    {
        let k = factors
        precondition(userGram.count == k * k, "The Gram matrix is k × k")
        var out = Matrix<Float>(rows: items, columns: k)
        let width = SPDKernel.batchWidth
        let batches = (items + width - 1) / width
        let unsolved = out.elements.withUnsafeMutableBufferPointer { target -> [[Int]] in
            let shared = UnsafeSendable(target.baseAddress!)
            return ParallelBlocks.map(count: batches, threads: threads) { batch in
                let lo = batch * width, count = min(width, items - lo)
                var a = [Float](repeating: 0, count: count * k * k), b = [Float](repeating: 0, count: count * k)
                for r in 0..<count {
                    let i = lo + r
                    let lambda = rule.scaling == .perInteraction ? rule.regularization * Float(positives[i])
                        : rule.regularization
                    for p in 0..<(k * k) { a[r * k * k + p] = userGram[p] + gram[i * k * k + p] }
                    for f in 0..<k { a[r * k * k + f * k + f] += lambda }
                    for f in 0..<k { b[r * k + f] = rhs[i * k + f] }
                }
                let solved = a.withUnsafeMutableBufferPointer { ap in
                    b.withUnsafeMutableBufferPointer { bp in
                        SPDKernel.solveBatch(ap.baseAddress!, bp.baseAddress!, n: k, count: count)
                    }
                }
                var failed: [Int] = []
                for r in 0..<count {
                    if solved & (1 << r) != 0 {
                        for f in 0..<k { shared.pointer[(lo + r) * k + f] = b[r * k + f] }
                    } else if projectingIndefinite, let x = projectedSolution(item: lo + r, userGram: userGram, rule: rule) {
                        for f in 0..<k { shared.pointer[(lo + r) * k + f] = x[f] }
                    } else {
                        failed.append(lo + r)
                    }
                }
                return failed
            }
        }
        return (out, unsolved.flatMap { $0 })
    }
}

extension ItemStatistics {
    /// The solution of item `i`'s system with XᵀX + Σ (c − 1)·x xᵀ projected onto the positive semi-definite cone
    /// before λ_i I is added; `nil` when the decomposition or the projected system fails.
    func projectedSolution(item i: Int, userGram: [Float], rule: FoldInRule) -> [Float]? {
        let k = factors
        var a = [Float](repeating: 0, count: k * k)
        for r in 0..<k {
            for c in 0...r { a[r * k + c] = userGram[r * k + c] + gram[i * k * k + r * k + c] }
        }
        let lambda = rule.scaling == .perInteraction ? rule.regularization * Float(positives[i]) : rule.regularization
        var b = Array(rhs[(i * k)..<((i + 1) * k)])
        let solved = a.withUnsafeMutableBufferPointer { ap -> Bool in
            guard PSDProjection.project(ap.baseAddress!, n: k) else { return false }
            for f in 0..<k { ap[f * k + f] += lambda }
            return b.withUnsafeMutableBufferPointer { SPDKernel.solve(ap.baseAddress!, $0.baseAddress!, n: k) }
        }
        return solved && b.allSatisfy(\.isFinite) ? b : nil
    }
}

/// The buffers the item-major aggregation's workers write: disjoint items' blocks, right-hand sides and counts.
private struct Targets: @unchecked Sendable {
    let gram: UnsafeMutablePointer<Float>
    let rhs: UnsafeMutablePointer<Float>
    let positives: UnsafeMutablePointer<Int>
    let factors: UnsafePointer<Float>
    let users: UnsafePointer<Int32>
    let values: UnsafePointer<Float>
}

/// A pointer handed to workers that write disjoint rows.
private struct UnsafeSendable: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}
