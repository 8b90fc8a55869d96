public import Linear
public import TrainingData

extension FactorModel {
    /// Factors for new or changed users from their interactions, against the fixed item factors: one exact
    /// user-side solve each (Cholesky), no retraining. This is what counterfactual audits call for every twin.
    ///
    /// - Parameters:
    ///   - interactions: users × items weights (columns beyond the model's items are refused).
    ///   - rule: How weights become each row's problem; `nil`: the rule the model was trained with.
    ///   - threads: Worker threads; the result does not depend on it.
    /// - Returns: `interactions.rows × factors` user factors, and the rows whose system was not positive definite
    ///   (their factors are zero: no score preference at all), in increasing order.
    /// - Precondition: `interactions.columns <= items`.
    public func foldIn(_ interactions: CSRMatrix<Float>, rule: FoldInRule? = nil, threads: Int = 1)
        -> (factors: Matrix<Float>, unsolved: [Int])
    {
        precondition(interactions.columns <= items, "Fold-in data has more items than the model")
        let widened = interactions.columns == items ? interactions : CSRMatrix(
            rows: interactions.rows, columns: items, rowPointers: interactions.rowPointers,
            columnIndices: interactions.columnIndices, values: interactions.values)
        let solver = RowSolver(rule: rule ?? configuration.foldInRule, solver: .cholesky, threads: threads)
        var out = Matrix<Float>(rows: interactions.rows, columns: factors)
        let unsolved = solver.solve(rows: widened, fixed: itemFactors, into: &out)
        return (out, unsolved)
    }

    /// Factors for the users of `data`, as the fold-in of its matrix gives them, except
    /// that under a rule whose duplicates are ``FoldInRule/Duplicates/separateTerms`` (Spark's) the rows in which a
    /// (user, item) pair repeats (``InteractionData/duplicates``) are solved from their terms one by one.
    ///
    /// - Precondition: `data.matrix.columns <= items`.
    public func foldIn(_ data: InteractionData, rule: FoldInRule? = nil, threads: Int = 1)
        -> (factors: Matrix<Float>, unsolved: [Int])
    {
        let rule = rule ?? configuration.foldInRule
        var (out, unsolved) = foldIn(data.matrix, rule: rule, threads: threads)
        guard rule.duplicates == .separateTerms, let duplicates = data.duplicates else { return (out, unsolved) }
        precondition(duplicates.rows.last! < data.matrix.rows, "Duplicate terms of a row the matrix does not have")
        let solver = RowSolver(rule: rule, solver: .cholesky, threads: threads)
        var solved = Matrix<Float>(rows: duplicates.rows.count, columns: factors)
        let failed = Set(solver.solve(terms: SparseRows(duplicates), fixed: itemFactors, into: &solved).map {
            duplicates.rows[$0]
        })
        let k = factors
        for (i, row) in duplicates.rows.enumerated() {
            for f in 0..<k { out.elements[row * k + f] = failed.contains(row) ? 0 : solved.elements[i * k + f] }
        }
        unsolved = (unsolved.filter { duplicates.index(ofRow: $0) == nil } + failed).sorted()
        return (out, unsolved)
    }

    /// What fold-in reads of row `row` of `data` under this model's rule: its entries, or, when the rule counts
    /// duplicates as separate terms and the row repeats a pair, its terms one by one (the history
    /// ``explain(item:history:)`` takes).
    public func history(ofRow row: Int, in data: InteractionData) -> [(item: Int, weight: Float)] {
        if configuration.foldInRule.duplicates == .separateTerms, let terms = data.duplicates?.terms(ofRow: row) {
            return terms
        }
        let m = data.matrix
        return (m.rowPointers[row]..<m.rowPointers[row + 1]).map { (Int(m.columnIndices[$0]), m.values[$0]) }
    }

    /// Explains a score the way Hu, Koren & Volinsky (2008, §5) do: for a user folded in from `items`/`weights`,
    /// the score of `item` is Σ_j c_j·p_j · y_itemᵀ W y_j with W = (YᵀC Y + λI)⁻¹, a sum over the user's past items
    /// (under the model's own ``FoldInRule``). An item given more than once is summed under a rule that sums
    /// duplicates, and is as many separate terms under one that does not (``history(ofRow:in:)``).
    ///
    /// - Returns: The folded-in score and each past item's contribution, largest first; the contributions sum
    ///   to the score (up to rounding).
    public func explain(item: Int, history: [(item: Int, weight: Float)]) -> Explanation {
        precondition(item >= 0 && item < items, "Item out of range")
        precondition(history.allSatisfy { $0.item >= 0 && $0.item < items }, "History item out of range")
        let k = factors
        let rule = configuration.foldInRule
        // The terms by item: one per item when duplicates are summed (as the matrix holds them), else each as given.
        let sorted: [(item: Int, weight: Float)]
        if rule.duplicates == .summed {
            let row = CSRMatrix<Float>(rows: 1, columns: items, triplets: history.map { (0, $0.item, $0.weight) })
            sorted = zip(row.columnIndices, row.values).map { (Int($0), $1) }
        } else {
            sorted = history.enumerated().sorted { ($0.element.item, $0.offset) < ($1.element.item, $1.offset) }
                .map(\.element)
        }
        var user = Matrix<Float>(rows: 1, columns: k)
        RowSolver(rule: rule, solver: .cholesky, threads: 1).solve(terms: SparseRows(terms: sorted), fixed: itemFactors,
                                                                  into: &user)
        // z = W·y_item: solve the user's system with y_item as the right-hand side.
        var a = itemFactors.gram().elements
        var z = Array(itemFactors.elements[(item * k)..<((item + 1) * k)])
        var contributions: [(item: Int, contribution: Float)] = []
        itemFactors.elements.withUnsafeBufferPointer { y in
            a.withUnsafeMutableBufferPointer { ap in
                let lambda = sorted.map(\.weight).withUnsafeBufferPointer { rule.lambda($0.baseAddress!, count: $0.count) }
                for f in 0..<k { ap[f * k + f] += lambda }
                for h in sorted {
                    let w = rule.confidence(h.weight) - 1
                    let yj = y.baseAddress! + h.item * k
                    for r in 0..<k { for c in 0...r { ap[r * k + c] += w * yj[r] * yj[c] } }
                }
                _ = z.withUnsafeMutableBufferPointer { SPDKernel.solve(ap.baseAddress!, $0.baseAddress!, n: k) }
                for h in sorted {
                    let yj = y.baseAddress! + h.item * k
                    let dot = z.withUnsafeBufferPointer { VectorKernels.dot($0.baseAddress!, yj, k) }
                    let c = rule.target(h.weight) * dot
                    if let last = contributions.last, last.item == h.item {
                        contributions[contributions.count - 1].contribution += c
                    } else {
                        contributions.append((h.item, c))
                    }
                }
            }
        }
        let score = user.elements.withUnsafeBufferPointer { x in
            itemFactors.elements.withUnsafeBufferPointer { y in ScoreKernel.score(x.baseAddress!, y.baseAddress! + item * k, k: k) }
        }
        return Explanation(item: item, score: score,
                           contributions: contributions.sorted { $0.contribution > $1.contribution })
    }
}

/// Why an item was recommended: the past items whose contributions add up to its score.
public struct Explanation: Sendable {
    /// The recommended item.
    public var item: Int
    /// Its score for the folded-in user.
    public var score: Float
    /// Each past item's contribution, largest first.
    public var contributions: [(item: Int, contribution: Float)]

    /// A contribution as a share of the score.
    public func share(_ contribution: Float) -> Float { score == 0 ? 0 : contribution / score }
}
