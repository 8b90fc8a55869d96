import FileSupport
public import Linear
public import Recommender

/// The item side of differentially private ALS (Chien et al. 2021): a step between aggregating every user's
/// contributions and solving the items (``ItemStatisticsStep``) that bounds each user's contribution, clips their
/// factor row, and adds Gaussian noise to everything the item factors are solved from.
///
/// ## Sensitivity
/// Two training sets are neighbours when one holds one user's whole history more than the other. A user u
/// contributes, in every sweep, their clipped factor row x̄ (‖x̄‖ ≤ C) to
/// 1. the Gram matrix G = Σ x̄ x̄ᵀ over all users: removing u changes the released upper triangle by at most
///    ‖x̄ x̄ᵀ‖_F = ‖x̄‖² ≤ **C²**;
/// 2. the per-item blocks S_i = Σ w·x̄ x̄ᵀ (w = c − 1, |w| ≤ W) of the at most B items of their budget: the
///    released lower triangles change by at most √(Σ_B w²·‖x̄‖⁴) ≤ **√B·W·C²**;
/// 3. the per-item right-hand sides b_i = Σ c·p·x̄ (c·p ≤ T, the confidence cap): at most √B·T·C;
/// 4. with `tail` selection, once, the item counts of their uniform budget: at most **√B**.
///
/// Each release gets noise of standard deviation `noiseMultiplier` times its sensitivity — G's upper triangle,
/// every block's lower triangle and every right-hand side, independently — so each is a Gaussian mechanism with that
/// noise multiplier, and the run is their adaptive composition (``plan``), accounted by Rényi DP. The user's own
/// factors are solved from all their data against the released item factors (joint DP: nothing computed from u's
/// data reaches anybody else but through these releases). Symmetrising, the projection of the noisy Gram matrix
/// and of any indefinite item system onto the PSD cone, and the solves are post-processing. `PrivacyTests` checks
/// the three bounds on removing random users.
///
/// With W = 0 (a confidence cap of 1 under c = 1 + α·r) the blocks carry no user data and get no noise.
public struct PrivateItemSide: ItemStatisticsStep {
    /// The clip norm C.
    public let clip: Float
    /// The contribution bound.
    let budget: ContributionBudget
    /// Standard deviation over sensitivity, the same for every release.
    public let noiseMultiplier: Double

    /// The bound on |c − 1| of one entry (W).
    var blockWeight: Float {
        let cap = budget.confidenceCap
        return budget.rule.confidence == .onePlusAlpha ? cap - 1 : max(cap - 1, 1)
    }

    /// The three per-sweep sensitivities (Gram, blocks, right-hand sides).
    var sensitivities: (gram: Double, blocks: Double, rhs: Double) {
        let c = Double(clip), rootB = Double(budget.maxItems).squareRoot()
        return (c * c, rootB * Double(blockWeight) * c * c, rootB * Double(budget.confidenceCap) * c)
    }

    init(clip: Float, budget: ContributionBudget, noiseMultiplier: Double) {
        self.clip = clip
        self.budget = budget
        self.noiseMultiplier = noiseMultiplier
    }

    /// The model file's record: `dp_gaussian` with the noise multiplier, clip, budget and cap.
    public var record: ItemStatisticsStepRecord {
        .init(name: "dp_gaussian", parameters: [
            "noise_multiplier": noiseMultiplier, "clip": Double(clip), "max_items": Double(budget.maxItems),
            "confidence_cap": Double(budget.confidenceCap), "tail": budget.selection == .tail ? 1 : 0,
        ])
    }

    /// Adds noise: the step perturbs.
    public var perturbs: Bool { true }

    /// Each user's budget of B entries, weights capped.
    public func contributions(of matrix: CSRMatrix<Float>, seed: UInt64, threads: Int) throws(FairgroundError)
        -> CSRMatrix<Float>
    {
        budget.bound(matrix, seed: seed)
    }

    /// Clips every user row to norm C.
    public func prepare(userFactors: inout Matrix<Float>, context: ItemStatisticsStepContext) {
        let k = userFactors.columns, rows = userFactors.rows
        userFactors.elements.withUnsafeMutableBufferPointer { x in
            for u in 0..<rows {
                let row = x.baseAddress! + u * k
                let norm = VectorKernels.dot(row, row, k).squareRoot()
                if norm > clip {
                    let scale = clip / norm
                    for f in 0..<k { row[f] *= scale }
                }
            }
        }
    }

    /// Adds the Gaussian noise of one sweep to the Gram matrix (then projected onto the PSD cone), every item's
    /// block and every item's right-hand side.
    public func apply(to statistics: inout ItemStatistics, userGram: inout [Float], context: ItemStatisticsStepContext)
        throws(FairgroundError)
    {
        let k = statistics.factors, items = statistics.items
        let noise = GaussianNoise(seed: context.seed, sweep: context.sweep)
        let s = sensitivities
        // The Gram matrix: noise on the upper triangle (with the diagonal), mirrored, then projected.
        var upper = [Float](repeating: 0, count: k * (k + 1) / 2)
        upper.withUnsafeMutableBufferPointer {
            noise.add(scale: Float(noiseMultiplier * s.gram), row: -1, to: $0.baseAddress!, count: $0.count)
        }
        var n = 0
        for a in 0..<k {
            for b in a..<k {
                userGram[a * k + b] += upper[n]
                if b != a { userGram[b * k + a] = userGram[a * k + b] }
                n += 1
            }
        }
        let projected = userGram.withUnsafeMutableBufferPointer { PSDProjection.project($0.baseAddress!, n: k) }
        guard projected else {
            throw FairgroundError.numerical("syevr", expected: "a noisy Gram matrix LAPACK can project onto the PSD cone",
                                            found: "sweep \(context.sweep)")
        }
        // Blocks and right-hand sides, item by item (noise keyed by the item: the same on any thread count).
        let blockScale = Float(noiseMultiplier * s.blocks), rhsScale = Float(noiseMultiplier * s.rhs)
        let chunk = 64, chunks = (items + chunk - 1) / chunk
        statistics.gram.withUnsafeMutableBufferPointer { g in
            statistics.rhs.withUnsafeMutableBufferPointer { r in
                let shared = NoiseTargets(gram: g.baseAddress!, rhs: r.baseAddress!)
                _ = ParallelBlocks.map(count: chunks, threads: context.threads) { c -> Int in
                    var lower = [Float](repeating: 0, count: k * (k + 1) / 2 + k)
                    for i in (c * chunk)..<min((c + 1) * chunk, items) {
                        for j in lower.indices { lower[j] = 0 }
                        // One draw sequence per item: the block's lower triangle, then the right-hand side.
                        lower.withUnsafeMutableBufferPointer { noise.add(scale: 1, row: i, to: $0.baseAddress!, count: $0.count) }
                        let block = shared.gram + i * k * k
                        var m = 0
                        for a in 0..<k {
                            for b in 0...a {
                                block[a * k + b] += blockScale * lower[m]
                                m += 1
                            }
                        }
                        for f in 0..<k { shared.rhs[i * k + f] += rhsScale * lower[m + f] }
                    }
                    return 0
                }
            }
        }
    }
}

/// The buffers the noise workers write: disjoint items' blocks and right-hand sides.
private struct NoiseTargets: @unchecked Sendable {
    let gram: UnsafeMutablePointer<Float>
    let rhs: UnsafeMutablePointer<Float>
}
