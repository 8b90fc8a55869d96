public import Linear

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

    /// Explains a score the way Hu, Koren & Volinsky (2008, §5) do: for a user folded in from `items`/`weights`,
    /// the score of `item` is Σ_j c_j·p_j · y_itemᵀ W y_j with W = (YᵀC Y + λI)⁻¹, a sum over the user's past items
    /// (under the model's own ``FoldInRule``).
    ///
    /// - Returns: The folded-in score and each past item's contribution, largest first; the contributions sum
    ///   to the score (up to rounding).
    public func explain(item: Int, history: [(item: Int, weight: Float)]) -> Explanation {
        precondition(item >= 0 && item < items, "Item out of range")
        let k = factors
        let sorted = history.sorted { $0.item < $1.item }
        let row = CSRMatrix<Float>(rows: 1, columns: items, rowPointers: [0, sorted.count],
                                   columnIndices: sorted.map { Int32($0.item) }, values: sorted.map(\.weight))
        let user = foldIn(row).factors
        let rule = configuration.foldInRule
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
                    contributions.append((h.item, rule.target(h.weight) * dot))
                }
            }
        }
        let score = user.elements.withUnsafeBufferPointer { x in
            itemFactors.elements.withUnsafeBufferPointer { y in VectorKernels.dot(x.baseAddress!, y.baseAddress! + item * k, k) }
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
