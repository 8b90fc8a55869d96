import FileSupport
public import Linear
public import TrainingData
import Dispatch

/// Trains implicit-feedback factor models by alternating least squares (Hu, Koren & Volinsky 2008).
///
/// Each sweep fixes the item factors Y and solves, for every user u,
/// `(YᵀY + Yᵀ(C_u − I)Y + λI) x_u = YᵀC_u p_u` with p = 1 on positive entries (``FoldInRule`` says how ratings
/// and zeros count) — then the same for items. The
/// shared Gram matrix YᵀY is computed once per sweep by BLAS `ssyrk`; the per-row systems are solved either
/// exactly (Cholesky, eight rows per SIMD batch) or by a few conjugate-gradient steps warm-started from the previous factors.
/// Rows are solved in parallel with OpenBLAS pinned to one thread, and each row's arithmetic is independent of
/// the others, so the factors are identical on any thread count.
///
/// ```swift
/// let data = try InteractionReader.read(path: "train.mtx")
/// let result = try ImplicitALS(configuration: config).train(data)
/// ```
public struct ImplicitALS: Sendable {
    /// One sweep's timing and (when asked for) loss.
    public struct IterationReport: Sendable, Equatable, Codable {
        /// 1-based iteration number.
        public var iteration: Int
        /// Wall-clock seconds of the sweep (users and items).
        public var seconds: Double
        /// The weighted squared loss plus regularisation, when ``ALSConfiguration/computeLoss`` is set.
        public var loss: Double?
        /// Rows (users, then items) whose system was not positive definite this sweep; they kept their previous
        /// factors. Always 0 with λ > 0; only the exact solver can fail.
        public var unsolvedRows = 0
    }

    /// How the item half of each sweep is computed (``ItemSide``).
    public typealias ItemSide = Recommender.ItemSide

    /// The hyper-parameters.
    public var configuration: ALSConfiguration
    /// How the item half of each sweep is computed: the configuration's, so a model file records it.
    public var itemSide: ItemSide {
        get { configuration.itemSide ?? .direct }
        set { configuration.itemSide = newValue == .direct ? nil : newValue }
    }
    /// Steps applied to the aggregated item statistics in every sweep, in order (e.g. noise for differential
    /// privacy). With any step the item side is aggregated whatever ``itemSide`` says, and the model records the
    /// steps in its configuration.
    public var itemStatisticsSteps: [any ItemStatisticsStep] = []
    /// How users take part in each sweep and how their contributions reach the item side (federated training);
    /// `nil`: every user in every sweep, aggregated centrally. With rounds the item side is aggregated, and the
    /// model records the rounds first among its item-statistics steps.
    public var rounds: (any ClientRounds)? = nil

    /// Creates a trainer.
    public init(configuration: ALSConfiguration) { self.configuration = configuration }

    /// Trains on interaction data (users × items weights).
    ///
    /// - Parameters:
    ///   - data: The training data; validated first (``InteractionData/validate()``).
    ///   - threads: Worker threads; the factors are identical for every value.
    ///   - progress: Called after each sweep.
    /// - Returns: The model and one report per sweep.
    /// - Throws: ``FairgroundError`` for an invalid configuration or invalid data.
    /// - Complexity: per sweep, O(nnz·k·(steps + 1) + (users + items)·k²·(steps + 1)) for CG and
    ///   O(nnz·k² + (users + items)·k³/3) for Cholesky.
    public func train(
        _ data: InteractionData, threads: Int = 1, progress: (@Sendable (IterationReport) -> Void)? = nil
    )
        throws(FairgroundError) -> (model: FactorModel, reports: [IterationReport])
    {
        var configuration = self.configuration
        let records = (rounds.map { [$0.record] } ?? []) + itemStatisticsSteps.map(\.record)
        // A configuration read from a model file records steps that only their code can apply: never train
        // without them while claiming them.
        if let recorded = configuration.itemStatisticsSteps, recorded != records {
            throw FairgroundError.parameter(
                "itemStatisticsSteps", expected: "the steps the configuration records ("
                    + recorded.map(\.name).joined(separator: ", ") + ") given to the trainer",
                found: records.isEmpty ? "none" : records.map(\.name).joined(separator: ", "))
        }
        if !records.isEmpty {
            configuration.itemSide = .aggregated
            configuration.itemStatisticsSteps = records
        }
        try configuration.validate()
        try data.validate()
        let matrix = data.matrix
        let k0 = Double(configuration.factors), sides = Double(matrix.rows) + Double(matrix.columns)
        try MemoryBudget.check(bytes: 8 * k0 * sides + 12 * Double(matrix.values.count) + 8 * sides, file: data.source,
                               field: "items", what: "\(matrix.rows) users and \(matrix.columns) items × "
                                   + "\(configuration.factors) factors", advice: "use fewer factors or fewer users")
        let solver = RowSolver(rule: configuration.foldInRule, solver: configuration.solver, threads: threads)
        let k = configuration.factors
        let transposed = matrix.transposed()
        // What reaches the item side: every entry, unless a step bounds each user's contribution.
        var contributions = matrix
        for step in itemStatisticsSteps {
            contributions = try step.contributions(of: contributions, seed: configuration.seed, threads: threads)
        }
        let itemSideMatrix = rounds != nil ? transposed
            : contributions == matrix ? transposed : contributions.transposed()
        let projecting = itemStatisticsSteps.contains { $0.perturbs }
        var x = Matrix(rows: matrix.rows, columns: k,
                       elements: FactorInitialization.factors(rows: matrix.rows, columns: k, seed: configuration.seed, side: 1))
        var y = Matrix(rows: matrix.columns, columns: k,
                       elements: FactorInitialization.factors(rows: matrix.columns, columns: k, seed: configuration.seed, side: 2))
        var reports: [IterationReport] = []
        let clock = ContinuousClock()
        for iteration in 1...max(configuration.iterations, 1) where configuration.iterations > 0 {
            let start = clock.now
            let context = ItemStatisticsStepContext(sweep: iteration, seed: configuration.seed, users: matrix.rows,
                                                    threads: threads)
            let participants = rounds?.participants(of: data, context: context)
            var unsolved = participants.map { Self.solve(rows: $0, of: matrix, fixed: y, into: &x, solver: solver) }
                ?? solver.solve(rows: matrix, fixed: y, into: &x).count
            switch configuration.itemSide ?? .direct {
            case .direct: unsolved += solver.solve(rows: transposed, fixed: x, into: &y).count
            case .aggregated:
                var seen = x  // the user factors as the item side sees them (a step may clip them)
                for step in itemStatisticsSteps { step.prepare(userFactors: &seen, context: context) }
                var statistics: ItemStatistics, gram: [Float]
                if let rounds, let participants {
                    (statistics, gram) = try rounds.aggregate(contributions: contributions, userFactors: seen,
                                                              participants: participants,
                                                              rule: configuration.foldInRule, context: context)
                } else {
                    statistics = try ItemStatistics.aggregate(transposed: itemSideMatrix, userFactors: seen,
                                                              rule: configuration.foldInRule, threads: threads)
                    gram = seen.gram().elements
                }
                for step in itemStatisticsSteps {
                    try step.apply(to: &statistics, userGram: &gram, context: context)
                }
                let solved = statistics.solve(userGram: gram, rule: configuration.foldInRule, threads: threads,
                                              projectingIndefinite: projecting)
                var next = solved.factors
                for i in solved.unsolved {  // as in the direct solve, an unsolved item keeps its factors
                    for f in 0..<k { next.elements[i * k + f] = y.elements[i * k + f] }
                }
                if let rounds, let participants,
                   rounds.keepsUntouchedItems(participants: participants.count, users: matrix.rows) {
                    next.elements.withUnsafeMutableBufferPointer { out in
                        for i in 0..<statistics.items where statistics.positives[i] == 0 {
                            for f in 0..<k { out[i * k + f] = y.elements[i * k + f] }
                        }
                    }
                }
                y = next
                unsolved += solved.unsolved.count
            }
            let elapsed = clock.now - start
            var report = IterationReport(
                iteration: iteration,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                loss: nil, unsolvedRows: unsolved)
            if configuration.computeLoss { report.loss = Self.loss(matrix, x, y, configuration) }
            reports.append(report)
            progress?(report)
        }
        // Confidences beyond Float's range (a huge α or weight) give non-finite factors: refuse, never write them.
        if let bad = (x.elements.firstIndex { !$0.isFinite }).map({ ("user", $0 / k) })
            ?? (y.elements.firstIndex { !$0.isFinite }).map({ ("item", $0 / k) }) {
            throw FairgroundError.parameter("alpha", expected: "a training whose factors stay finite (α = "
                                           + "\(configuration.alpha) and weights up to \(matrix.values.max() ?? 0) "
                                           + "overflow single precision: lower α or the weights)",
                                       found: "non-finite factors, first in \(bad.0) row \(bad.1)")
        }
        let model = FactorModel(userFactors: x, itemFactors: y, configuration: configuration,
                                iterationsRun: reports.count)
        return (model, reports)
    }

    /// Solves only `rows` (increasing) of `matrix` against `fixed`, warm-started from and written into their rows of
    /// `target`; every other row keeps its factors. Returns the number of unsolved rows.
    static func solve(rows: [Int], of matrix: CSRMatrix<Float>, fixed: Matrix<Float>, into target: inout Matrix<Float>,
                      solver: RowSolver) -> Int {
        if rows.count == matrix.rows { return solver.solve(rows: matrix, fixed: fixed, into: &target).count }
        let k = target.columns
        var pointers = [0], columns: [Int32] = [], values: [Float] = [], start = [Float]()
        start.reserveCapacity(rows.count * k)
        for u in rows {
            let entries = matrix.rowPointers[u]..<matrix.rowPointers[u + 1]
            columns += matrix.columnIndices[entries]
            values += matrix.values[entries]
            pointers.append(columns.count)
            start += target.elements[(u * k)..<((u + 1) * k)]
        }
        let sub = CSRMatrix(rows: rows.count, columns: matrix.columns, rowPointers: pointers, columnIndices: columns,
                            values: values)
        var solved = Matrix(rows: rows.count, columns: k, elements: start)
        let unsolved = solver.solve(rows: sub, fixed: fixed, into: &solved).count
        target.elements.withUnsafeMutableBufferPointer { out in
            solved.elements.withUnsafeBufferPointer { rowsSolved in
                for (i, u) in rows.enumerated() {
                    for f in 0..<k { out[u * k + f] = rowsSolved[i * k + f] }
                }
            }
        }
        return unsolved
    }

    /// The objective Σ_all c·(p − s)² + λ(‖X‖² + ‖Y‖²), computed without visiting unobserved cells:
    /// Σ_all s² = Σ_u x_uᵀ(YᵀY)x_u, so the loss is Σ_u x_uᵀ(YᵀY)x_u + Σ_obs [c·(p − s)² − s²] + λ(‖X‖² + ‖Y‖²).
    public static func loss(
        _ matrix: CSRMatrix<Float>, _ x: Matrix<Float>, _ y: Matrix<Float>, _ configuration: ALSConfiguration
    ) -> Double {
        let k = x.columns
        let gram = y.gram()
        var total = 0.0
        x.elements.withUnsafeBufferPointer { xp in
            y.elements.withUnsafeBufferPointer { yp in
                gram.elements.withUnsafeBufferPointer { g in
                    for u in 0..<matrix.rows {
                        let xu = xp.baseAddress! + u * k
                        var quadratic = 0.0
                        for a in 0..<k {
                            var row: Float = 0
                            for b in 0..<k { row += g[a * k + b] * xu[b] }
                            quadratic += Double(xu[a] * row)
                        }
                        total += quadratic
                        for p in matrix.rowPointers[u]..<matrix.rowPointers[u + 1] {
                            let yi = yp.baseAddress! + Int(matrix.columnIndices[p]) * k
                            var s: Float = 0
                            for f in 0..<k { s += xu[f] * yi[f] }
                            let v = matrix.values[p], preference: Float = v > 0 ? 1 : 0
                            let c = Double(configuration.foldInRule.confidence(v))
                            total += c * Double((preference - s) * (preference - s)) - Double(s * s)
                        }
                    }
                }
            }
        }
        let norms = x.elements.reduce(0.0) { $0 + Double($1 * $1) } + y.elements.reduce(0.0) { $0 + Double($1 * $1) }
        return total + Double(configuration.regularization) * norms
    }
}
