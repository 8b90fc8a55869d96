import FileSupport
#if canImport(Glibc)
internal import Glibc
#endif
internal import Linear

/// Generates synthetic populations, their behaviour and ground truth from a spec — factual or counterfactual.
///
/// Every random draw is a pure function of `(seed, stream, user, column)` (see ``Philox``), so the same spec and
/// seed give identical worlds on any thread count, any range of users can be generated alone and equals those
/// rows of a full run, and a counterfactual twin reuses exactly its original's exogenous noise.
///
/// ```swift
/// let spec = try PopulationSpec.load(path: "datasets/credit-offers.yaml")
/// let generator = try Generator(spec: spec)
/// let world = generator.generate(users: 0..<10_000, threads: 2)
/// let twin = generator.generate(users: 0..<10_000,
///                               intervention: try Intervention(spec: spec, assignments: ["gender=male"]))
/// ```
public struct Generator: Sendable {
    /// Users handled together by one task; results never depend on it.
    public static let blockSize = 4096
    /// The spec.
    public let spec: PopulationSpec
    /// The seed in use.
    public let seed: UInt64
    /// The latent correlation model (after any repair).
    public let correlations: CorrelationModel
    /// The item catalogue, when the spec has items.
    public let items: ItemCatalog?
    let marginals: [Marginal]
    let rng: Philox
    /// The causal position of each attribute (listing index → position).
    let position: [Int]
    let behavior: BehaviorModel?
    let normal = Ziggurat()

    /// Prepares generation: validates the correlation matrix, factors it, and builds the item catalogue.
    ///
    /// - Parameters:
    ///   - spec: A parsed spec.
    ///   - seed: Overrides the spec's seed.
    ///   - repairCorrelations: Use the nearest correlation matrix when the declared one is not positive
    ///     semi-definite (the change is reported in ``World/repairs``).
    /// - Throws: ``FairgroundError`` when the correlations cannot hold together and no repair was asked for.
    public init(spec: PopulationSpec, seed: UInt64? = nil, repairCorrelations: Bool = false) throws(FairgroundError) {
        self.spec = spec
        self.seed = seed ?? spec.seed
        correlations = try CorrelationModel(spec: spec, repair: repairCorrelations)
        marginals = spec.attributes.map(Marginal.init)
        rng = Philox(seed: self.seed)
        var position = [Int](repeating: 0, count: spec.attributes.count)
        for (p, a) in spec.causalOrder.enumerated() { position[a] = p }
        self.position = position
        if let itemSpec = spec.items {
            // The catalog holds about 64 bytes per item plus its taste vector (4 bytes per latent dimension).
            let d = spec.behavior.latentDimensions
            try MemoryBudget.check(bytes: Double(itemSpec.count) * Double(64 + 4 * d), file: spec.file,
                                   field: "items.count", what: "\(itemSpec.count) items × \(d) latent dimensions",
                                   advice: "use fewer items or latent dimensions")
            let catalog = ItemCatalog(spec: itemSpec, behavior: spec.behavior, rng: rng)
            items = catalog
            behavior = BehaviorModel(spec: spec, catalog: catalog)
        } else {
            items = nil
            behavior = nil
        }
    }

    /// Generates the users in `users`, in the factual world or under an intervention.
    ///
    /// - Parameters:
    ///   - users: Global user ids; any sub-range of a larger run gives exactly those rows of it.
    ///   - intervention: A counterfactual `do(…)`; `nil` for the factual world.
    ///   - threads: Worker threads; the result is identical for every value.
    ///   - progress: Called after each block with the number of users it finished (from worker threads).
    ///   - factual: The factual world of the same users, when at hand: a twin whose attributes the intervention
    ///     leaves unchanged (e.g. already at the level set) would be simulated exactly as in it, so its
    ///     interactions and truth are copied instead. The result is identical either way.
    /// - Returns: The generated world.
    /// - Complexity: O(users × (attributes² + interactions per user × latent dimensions)); ratings feedback adds
    ///   O(users × items).
    public func generate(
        users: Range<Int>, intervention: Intervention? = nil, threads: Int = 1,
        progress: (@Sendable (Int) -> Void)? = nil, reusing factual: World? = nil
    ) -> World {
        precondition(users.lowerBound >= 0, "User ids start at 0")
        precondition(factual.map { $0.users == users && $0.intervention == nil && $0.seed == seed } ?? true,
                     "The factual world must hold the same users, from the same seed, without intervention")
        let n = users.count
        let a = spec.attributes.count
        let offers = spec.items?.offerCategories.count ?? 0
        // Outputs are written in place by the workers (first touch of fresh memory is slow here, so it
        // happens once, in parallel); every slot is written exactly once.
        var values = [Float](unsafeUninitializedCapacity: a * n) { _, count in count = a * n }
        var truth = [Float](unsafeUninitializedCapacity: offers * n) { _, count in count = offers * n }
        let blocks = (n + Self.blockSize - 1) / Self.blockSize
        let results = values.withUnsafeMutableBufferPointer { v in
            truth.withUnsafeMutableBufferPointer { t in
                let output = BlockOutput(values: v, truth: t, rows: n)
                return ParallelBlocks.map(count: blocks, threads: threads) { b in
                    let lo = b * Self.blockSize
                    let block = generateBlock(
                        rows: lo..<min(lo + Self.blockSize, n), firstUser: users.lowerBound, output: output,
                        intervention: intervention, factual: intervention == nil ? nil : factual)
                    progress?(block.interactionCounts.count)
                    return block
                }
            }
        }
        return assemble(results, users: users, values: values, truth: truth, intervention: intervention)
    }

    // MARK: - One block of users

    /// Where workers write attribute values and truths: column-major, `rows` values per column.
    struct BlockOutput: @unchecked Sendable {
        let values: UnsafeMutableBufferPointer<Float>
        let truth: UnsafeMutableBufferPointer<Float>
        let rows: Int
    }

    struct Block: Sendable {
        var interactionCounts: [Int]
        var items: [Int32]
        var weights: [Float]
        /// Σx, Σy, Σx², Σy², Σxy of the latent values, five per declared pair.
        var moments: [Double]
    }

    func generateBlock(rows: Range<Int>, firstUser: Int, output: BlockOutput, intervention: Intervention?,
                       factual: World? = nil) -> Block {
        let a = spec.attributes.count
        let total = output.rows
        let order = spec.causalOrder
        let offers = spec.items?.offerCategories ?? []
        let pairs = spec.correlations.map { ($0.first, $0.second) }
        var block = Block(
            interactionCounts: [], items: [], weights: [],
            moments: [Double](repeating: 0, count: 5 * pairs.count))
        block.interactionCounts.reserveCapacity(rows.count)
        var rawNoise = [Double](repeating: 0, count: a)
        var noise = [Double](repeating: 0, count: a)
        var latent = [Double](repeating: 0, count: a)
        var twin = [Double](repeating: 0, count: a)
        var changed = [Bool](repeating: false, count: a)
        var listingLatent = [Double](repeating: 0, count: a)
        var listingValue = [Double](repeating: 0, count: a)
        var scratch = behavior.map { BehaviorModel.Scratch(model: $0) }
        marginals.withUnsafeBufferPointer { marginals in
            for row in rows {
                let user = firstUser + row
                rawNoise.withUnsafeMutableBufferPointer {
                    normal.normals(rng, row: user, stream: RandomStream.attributeNoise.rawValue, into: $0)
                }
                for p in 0..<a { noise[p] = rawNoise[order[p]] }
                noise.withUnsafeBufferPointer { u in
                    latent.withUnsafeMutableBufferPointer { z in correlations.latent(noise: u, into: z) }
                }
                if let intervention {
                    applyIntervention(intervention, noise: noise, factual: latent, twin: &twin, changed: &changed)
                }
                (intervention == nil ? latent : twin).withUnsafeBufferPointer { z in
                    for p in 0..<a {
                        let attribute = order[p]
                        listingLatent[attribute] = z[p]
                        let v = marginals[attribute].value(latent: z[p])
                        listingValue[attribute] = v
                        output.values[attribute * total + row] = Float(v)
                    }
                }
                block.moments.withUnsafeMutableBufferPointer { m in
                    for (k, (first, second)) in pairs.enumerated() {
                        let x = listingLatent[first], y = listingLatent[second]
                        m[5 * k] += x
                        m[5 * k + 1] += y
                        m[5 * k + 2] += x * x
                        m[5 * k + 3] += y * y
                        m[5 * k + 4] += x * y
                    }
                }
                if let factual, !changed.contains(true) {
                    // Nothing about this person changed: their behaviour is the factual one.
                    let entries = factual.interactions.entries(row: row)
                    block.items.append(contentsOf: factual.interactions.items[entries])
                    block.weights.append(contentsOf: factual.interactions.weights[entries])
                    block.interactionCounts.append(entries.count)
                    for o in offers.indices { output.truth[o * total + row] = Float(factual.truth[o][row]) }
                } else if let behavior {
                    let start = block.items.count
                    behavior.simulate(
                        user: user, latent: listingLatent, values: listingValue, rng: rng, scratch: &scratch!,
                        items: &block.items, weights: &block.weights)
                    block.interactionCounts.append(block.items.count - start)
                    for (o, c) in offers.enumerated() { output.truth[o * total + row] = Float(scratch!.truth[c]) }
                } else {
                    block.interactionCounts.append(0)
                }
            }
        }
        return block
    }

    /// Action and prediction for one person: `twin` receives the counterfactual latent values (causal positions).
    func applyIntervention(
        _ intervention: Intervention, noise: [Double], factual: [Double], twin: inout [Double], changed: inout [Bool]
    ) {
        for p in 0..<factual.count {
            let attribute = spec.causalOrder[p]
            if let assignment = intervention.assignments.first(where: { $0.attribute == attribute }) {
                let m = marginals[attribute]
                twin[p] = m.isDiscrete
                    ? m.latent(factual[p], movedTo: Int(assignment.value))
                    : m.latent(forValue: assignment.value)!
            } else if intervention.kept.contains(attribute) {
                twin[p] = factual[p]
            } else if correlations.hasParent(p, where: { changed[$0] }) {
                twin[p] = twin.withUnsafeBufferPointer { correlations.equation(p, noise: noise[p], parents: $0) }
            } else {
                twin[p] = factual[p]
            }
            changed[p] = twin[p].bitPattern != factual[p].bitPattern
        }
    }

    // MARK: - Assembly

    func assemble(
        _ blocks: [Block], users: Range<Int>, values: [Float], truth: [Float], intervention: Intervention?
    ) -> World {
        let n = users.count
        let a = spec.attributes.count
        let offers = spec.items?.offerCategories ?? []
        let total = blocks.reduce(0) { $0 + $1.items.count }
        var offsets = [0]
        offsets.reserveCapacity(n + 1)
        var items: [Int32] = []
        var weights: [Float] = []
        items.reserveCapacity(total)
        weights.reserveCapacity(total)
        var sums = [Double](repeating: 0, count: 5 * spec.correlations.count)
        for block in blocks {
            for c in block.interactionCounts { offsets.append(offsets.last! + c) }
            items.append(contentsOf: block.items)
            weights.append(contentsOf: block.weights)
            for k in sums.indices { sums[k] += block.moments[k] }
        }
        let moments = spec.correlations.indices.map { Array(sums[(5 * $0)..<(5 * $0 + 5)]) }
        let achieved = spec.correlations.enumerated().map { k, c in
            let m = moments[k], count = Double(n)
            let cov = m[4] / count - m[0] / count * m[1] / count
            let vx = m[2] / count - (m[0] / count) * (m[0] / count)
            let vy = m[3] / count - (m[1] / count) * (m[1] / count)
            let used = correlations.matrix[c.first][c.second]
            return AchievedCorrelation(
                first: spec.attributes[c.first].name, second: spec.attributes[c.second].name, target: c.r,
                used: used, achieved: n > 1 ? cov / (vx * vy).squareRoot() : .nan,
                standardError: (1 - used * used) / Double(max(n, 1)).squareRoot())
        }
        return World(
            spec: spec, seed: seed, users: users, intervention: intervention,
            attributeValues: ColumnTable(columns: a, rows: n, storage: values),
            items: self.items,
            interactions: InteractionTable(userOffsets: offsets, items: items, weights: weights),
            truth: ColumnTable(columns: offers.count, rows: n, storage: truth), offerCategories: offers, correlations: achieved, repairs: correlations.repairs)
    }
}
