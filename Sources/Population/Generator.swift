#if canImport(Glibc)
internal import Glibc
#endif

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

    /// Prepares generation: validates the correlation matrix, factors it, and builds the item catalogue.
    ///
    /// - Parameters:
    ///   - spec: A parsed spec.
    ///   - seed: Overrides the spec's seed.
    ///   - repairCorrelations: Use the nearest correlation matrix when the declared one is not positive
    ///     semi-definite (the change is reported in ``World/repairs``).
    /// - Throws: ``SpecError`` when the correlations cannot hold together and no repair was asked for.
    public init(spec: PopulationSpec, seed: UInt64? = nil, repairCorrelations: Bool = false) throws(SpecError) {
        self.spec = spec
        self.seed = seed ?? spec.seed
        correlations = try CorrelationModel(spec: spec, repair: repairCorrelations)
        marginals = spec.attributes.map(Marginal.init)
        rng = Philox(seed: self.seed)
        var position = [Int](repeating: 0, count: spec.attributes.count)
        for (p, a) in spec.causalOrder.enumerated() { position[a] = p }
        self.position = position
        if let itemSpec = spec.items {
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
    /// - Returns: The generated world.
    /// - Complexity: O(users × (attributes² + interactions per user × latent dimensions)); ratings feedback adds
    ///   O(users × items).
    public func generate(
        users: Range<Int>, intervention: Intervention? = nil, threads: Int = 1,
        progress: (@Sendable (Int) -> Void)? = nil
    ) -> World {
        precondition(users.lowerBound >= 0, "User ids start at 0")
        let blocks = (users.count + Self.blockSize - 1) / Self.blockSize
        let results = parallelBlocks(count: blocks, threads: threads) { b in
            let lo = users.lowerBound + b * Self.blockSize
            let block = generateBlock(lo..<min(lo + Self.blockSize, users.upperBound), intervention: intervention)
            progress?(block.userCount)
            return block
        }
        return assemble(results, users: users, intervention: intervention)
    }

    // MARK: - One block of users

    struct Block: Sendable {
        var userCount: Int
        /// Observed values, attribute-major: `values[a * userCount + row]`.
        var values: [Double]
        var interactionCounts: [Int]
        var items: [Int32]
        var weights: [Float]
        /// Truth, offer-major: `truth[o * userCount + row]`.
        var truth: [Double]
        /// Per declared pair: Σx, Σy, Σx², Σy², Σxy of the latent values.
        var moments: [[Double]]
    }

    func generateBlock(_ users: Range<Int>, intervention: Intervention?) -> Block {
        let n = users.count
        let a = spec.attributes.count
        let order = spec.causalOrder
        let offers = spec.items?.offerCategories ?? []
        var block = Block(
            userCount: n, values: [Double](repeating: 0, count: a * n), interactionCounts: [], items: [],
            weights: [], truth: [Double](repeating: 0, count: offers.count * n),
            moments: [[Double]](repeating: [0, 0, 0, 0, 0], count: spec.correlations.count))
        block.interactionCounts.reserveCapacity(n)
        var noise = [Double](repeating: 0, count: a)
        var latent = [Double](repeating: 0, count: a)
        var twin = [Double](repeating: 0, count: a)
        var changed = [Bool](repeating: false, count: a)
        var listingLatent = [Double](repeating: 0, count: a)
        var listingValue = [Double](repeating: 0, count: a)
        var scratch = behavior.map { BehaviorModel.Scratch(model: $0) }
        for (row, user) in users.enumerated() {
            for p in 0..<a {
                noise[p] = rng.normal(row: user, column: order[p], stream: RandomStream.attributeNoise.rawValue)
            }
            noise.withUnsafeBufferPointer { u in
                latent.withUnsafeMutableBufferPointer { z in correlations.latent(noise: u, into: z) }
            }
            if let intervention {
                applyIntervention(intervention, noise: noise, factual: latent, twin: &twin, changed: &changed)
            } else {
                twin = latent
            }
            for p in 0..<a {
                let attribute = order[p]
                listingLatent[attribute] = twin[p]
                let v = marginals[attribute].value(latent: twin[p])
                listingValue[attribute] = v
                block.values[attribute * n + row] = v
            }
            for (k, c) in spec.correlations.enumerated() {
                let x = listingLatent[c.first], y = listingLatent[c.second]
                block.moments[k][0] += x
                block.moments[k][1] += y
                block.moments[k][2] += x * x
                block.moments[k][3] += y * y
                block.moments[k][4] += x * y
            }
            if let behavior {
                let start = block.items.count
                behavior.simulate(
                    user: user, latent: listingLatent, values: listingValue, rng: rng, scratch: &scratch!,
                    items: &block.items, weights: &block.weights)
                block.interactionCounts.append(block.items.count - start)
                for (o, c) in offers.enumerated() { block.truth[o * n + row] = scratch!.truth[c] }
            } else {
                block.interactionCounts.append(0)
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
            } else if correlations.parents[p].contains(where: { changed[$0.position] }) {
                var s = correlations.noiseScale[p] * noise[p]
                for (m, b) in correlations.parents[p] { s += b * twin[m] }
                twin[p] = s
            } else {
                twin[p] = factual[p]
            }
            changed[p] = twin[p].bitPattern != factual[p].bitPattern
        }
    }

    // MARK: - Assembly

    func assemble(_ blocks: [Block], users: Range<Int>, intervention: Intervention?) -> World {
        let n = users.count
        let a = spec.attributes.count
        let offers = spec.items?.offerCategories ?? []
        var columns = [[Double]](repeating: [], count: a)
        var truth = [[Double]](repeating: [], count: offers.count)
        for i in 0..<a { columns[i].reserveCapacity(n) }
        for o in offers.indices { truth[o].reserveCapacity(n) }
        let total = blocks.reduce(0) { $0 + $1.items.count }
        var offsets = [0]
        offsets.reserveCapacity(n + 1)
        var items: [Int32] = []
        var weights: [Float] = []
        items.reserveCapacity(total)
        weights.reserveCapacity(total)
        var moments = [[Double]](repeating: [0, 0, 0, 0, 0], count: spec.correlations.count)
        for block in blocks {
            let m = block.userCount
            for i in 0..<a { columns[i].append(contentsOf: block.values[(i * m)..<((i + 1) * m)]) }
            for o in offers.indices { truth[o].append(contentsOf: block.truth[(o * m)..<((o + 1) * m)]) }
            for c in block.interactionCounts { offsets.append(offsets.last! + c) }
            items.append(contentsOf: block.items)
            weights.append(contentsOf: block.weights)
            for k in moments.indices { for j in 0..<5 { moments[k][j] += block.moments[k][j] } }
        }
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
            spec: spec, seed: seed, users: users, intervention: intervention, attributeValues: columns,
            items: self.items,
            interactions: InteractionTable(userOffsets: offsets, items: items, weights: weights),
            truth: truth, offerCategories: offers, correlations: achieved, repairs: correlations.repairs)
    }
}
