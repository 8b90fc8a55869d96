internal import Linear
#if canImport(Glibc)
internal import Glibc
#endif

/// The behaviour model: how a person's attributes and tastes turn into true interest and observed interactions.
///
/// For user u and category c the true log-preference is
/// `ℓ_uc = base_c + Σ effects on c + τ_uc`, with τ_uc ~ N(0, category_taste_sd²) exogenous; an effect adds
/// `weight × term`, where a numeric attribute's term is its latent value (per standard deviation) and a level's
/// term is 1 for the people at that level (times every `when` condition). Exposure scales the chance that an
/// interest is observed: `e_uc = min(1, observation × Π factors)`.
///
/// - Implicit feedback: the user makes n_u draws (n_u from `interactions_per_user`); each picks a category with
///   probability π_uc ∝ share_c·exp(ℓ_uc), is observed with probability e_uc, picks a genre g of the category with
///   probability ∝ m_g·exp(s·ζ_ug) (m_g the genre's popularity, ζ_ug ~ N(0, 1) the user's genre taste, s
///   `genre_taste_sd`), and picks an item of the genre by popularity (alias table) accepted with probability
///   σ(p_u·q_i) (item taste). The weight is the number of observed draws of an item. Truth: π_uc, the share of the
///   user's true interest going to c (genre and item taste decide which items carry it, not how much).
/// - Ratings feedback (Yao & Huang 2017): every item i of category c is observed with probability e_uc and rated
///   +1 with probability σ(ℓ_uc + p_u·q_i), else −1. Truth: σ(ℓ_uc).
///
/// Draws are keyed by (user, draw index) or (user, item), so a counterfactual twin re-uses the same uniforms
/// (common random numbers) and its interactions differ only where its probabilities differ.
struct BehaviorModel: Sendable {
    let feedback: BehaviorSpec.Feedback
    let logShare: [Double]
    let base: [Double]
    let effects: [EffectSpec]
    let exposure: [ExposureSpec]
    let observation: Double
    let categoryTasteSD: Double
    let count: BehaviorSpec.CountDistribution
    let maximumInteractions: Int
    let dimensions: Int
    let tasteScale: Double
    let genreTasteSD: Double
    /// Whether any category has more than one genre.
    let hasGenres: Bool
    let catalog: ItemCatalog
    /// Whether each attribute is numeric (its term is the latent value).
    let isNumeric: [Bool]
    let normal = Ziggurat()
    static let maximumAttempts = 64

    init(spec: PopulationSpec, catalog: ItemCatalog) {
        let items = spec.items!
        feedback = spec.behavior.feedback
        logShare = items.categories.map { log($0.share) }
        base = items.categories.map(\.base)
        effects = spec.behavior.effects
        exposure = spec.behavior.exposure
        observation = spec.behavior.observation
        categoryTasteSD = spec.behavior.categoryTasteSD
        count = spec.behavior.interactionsPerUser
        maximumInteractions = spec.behavior.maximumInteractions
        dimensions = spec.behavior.latentDimensions
        tasteScale = dimensions > 0 ? pow(Double(dimensions), -0.25) : 0
        genreTasteSD = spec.behavior.genreTasteSD
        hasGenres = catalog.genreOffset.last! > items.categories.count
        self.catalog = catalog
        isNumeric = spec.attributes.map { if case .numeric = $0.kind { true } else { false } }
    }

    /// Per-thread working memory, reused across users.
    struct Scratch {
        var logit: [Double]
        var cumulative: [Double]
        var exposure: [Double]
        var truth: [Double]
        var taste: [Double]
        /// Per global genre: the user's cumulative genre probabilities within its category.
        var genreCumulative: [Double]
        var drawn: [Int32]

        init(model: BehaviorModel) {
            let c = model.base.count
            logit = [Double](repeating: 0, count: c)
            cumulative = [Double](repeating: 0, count: c)
            exposure = [Double](repeating: 0, count: c)
            truth = [Double](repeating: 0, count: c)
            taste = [Double](repeating: 0, count: model.dimensions)
            genreCumulative = [Double](repeating: 0, count: model.hasGenres ? model.catalog.genreMass.count : 0)
            drawn = []
        }
    }

    /// The value of a term for one person: latent value or indicator, times the conditions.
    @inline(__always)
    func termValue(_ term: AttributeTerm, latent: [Double], values: [Double]) -> Double {
        var v = 1.0
        if let a = term.attribute {
            if isNumeric[a] { v = latent[a] } else if Int(values[a]) != term.level! { return 0 }
        }
        for condition in term.conditions where Int(values[condition.attribute]) != condition.level { return 0 }
        return v
    }

    /// Computes truth, exposure and interactions of one user; appends the interactions (sorted by item).
    func simulate(
        user: Int, latent: [Double], values: [Double], rng: Philox, scratch s: inout Scratch,
        items: inout [Int32], weights: inout [Float]
    ) {
        let categories = base.count
        if categoryTasteSD > 0 {
            s.logit.withUnsafeMutableBufferPointer {
                normal.normals(rng, row: user, stream: RandomStream.categoryTaste.rawValue, into: $0)
            }
        }
        for c in 0..<categories {
            s.logit[c] = base[c] + (categoryTasteSD > 0 ? categoryTasteSD * s.logit[c] : 0)
            s.exposure[c] = observation
        }
        for e in effects { s.logit[e.category] += e.weight * termValue(e.term, latent: latent, values: values) }
        for e in exposure where termValue(e.term, latent: latent, values: values) != 0 {
            s.exposure[e.category] *= e.factor
        }
        for c in 0..<categories { s.exposure[c] = min(1, s.exposure[c]) }
        s.taste.withUnsafeMutableBufferPointer {
            normal.normals(rng, row: user, stream: RandomStream.userTaste.rawValue, into: $0)
        }
        for j in 0..<dimensions { s.taste[j] *= tasteScale }
        if hasGenres { genreProbabilities(user: user, rng: rng, s: &s) }  // the catalogue deals genres for implicit feedback only
        switch feedback {
        case .implicit: simulateImplicit(user: user, rng: rng, s: &s, items: &items, weights: &weights)
        case .ratings: simulateRatings(user: user, rng: rng, s: &s, items: &items, weights: &weights)
        }
    }

    @inline(__always)
    func tasteScore(_ s: Scratch, item: Int) -> Double {
        var dot = 0.0
        let offset = item * dimensions
        for j in 0..<dimensions { dot += s.taste[j] * Double(catalog.tastes[offset + j]) }
        return dot
    }

    /// The user's genre choice probabilities, cumulative within each category: ∝ m_g·exp(s·ζ_ug).
    func genreProbabilities(user: Int, rng: Philox, s: inout Scratch) {
        s.genreCumulative.withUnsafeMutableBufferPointer {
            normal.normals(rng, row: user, stream: RandomStream.genreTaste.rawValue, into: $0)
        }
        let offsets = catalog.genreOffset
        for c in 0..<(offsets.count - 1) {
            let range = offsets[c]..<offsets[c + 1]
            var top = -Double.infinity
            for g in range { top = max(top, genreTasteSD * s.genreCumulative[g]) }
            var total = 0.0
            for g in range {
                total += catalog.genreMass[g] * exp(genreTasteSD * s.genreCumulative[g] - top)
                s.genreCumulative[g] = total
            }
            for g in range { s.genreCumulative[g] /= total }
        }
    }

    func simulateImplicit(user: Int, rng: Philox, s: inout Scratch, items: inout [Int32], weights: inout [Float]) {
        // π_uc ∝ share_c · exp(ℓ_uc), computed stably.
        let categories = base.count
        var top = -Double.infinity
        for c in 0..<categories { top = max(top, logShare[c] + s.logit[c]) }
        var total = 0.0
        for c in 0..<categories {
            let w = exp(logShare[c] + s.logit[c] - top)
            total += w
            s.cumulative[c] = total
        }
        for c in 0..<categories { s.truth[c] = (s.cumulative[c] - (c > 0 ? s.cumulative[c - 1] : 0)) / total }
        for c in 0..<categories { s.cumulative[c] /= total }
        let draws: Int
        switch count {
        case .constant(let k): draws = k
        case .lognormal(let mu, let sigma):
            let z = normal.normal(rng, row: user, column: 0, stream: RandomStream.interactionCount.rawValue)
            draws = Int(min(exp(mu + sigma * z).rounded(), Double(maximumInteractions)))
        }
        s.drawn.removeAll(keepingCapacity: true)
        let stream = RandomStream.interactionDraw.rawValue
        let d = dimensions
        // Draw k: block (user, k) picks the category (word 0), decides observation (word 1) and, with genres, picks
        // the genre (word 3). Without genres or item tastes its words 2–3 pick the item; otherwise attempt a uses
        // block (user, k, a) — item from words 0–1, acceptance (with item tastes) from word 2.
        let genres = hasGenres
        let genreOffset = catalog.genreOffset, genreStart = catalog.genreStart
        catalog.genreItems.withUnsafeBufferPointer { positions in
        s.genreCumulative.withUnsafeBufferPointer { genreCumulative in
        catalog.aliasKeep.withUnsafeBufferPointer { keep in
            catalog.aliasIndex.withUnsafeBufferPointer { alias in
                catalog.tastes.withUnsafeBufferPointer { tastes in
                    s.taste.withUnsafeBufferPointer { taste in
                        s.cumulative.withUnsafeBufferPointer { cumulative in
                            s.exposure.withUnsafeBufferPointer { exposure in
                                @inline(__always) func pick(_ start: Int, _ size: Int, _ column: UInt32, _ coin: UInt32) -> Int {
                                    let k = start + Int((UInt64(column) &* UInt64(size)) >> 32)
                                    return Philox.unitInterval(coin) < keep[k] ? k : Int(alias[k])
                                }
                                for k in 0..<min(draws, maximumInteractions) {
                                    let first = rng.block(row: user, column: k, stream: stream)
                                    let u = Philox.unitInterval(first.0)
                                    var c = 0
                                    while c < categories - 1 && u >= cumulative[c] { c += 1 }
                                    guard Philox.unitInterval(first.1) < exposure[c] else { continue }
                                    var start = catalog.categoryStart[c]
                                    var size = catalog.categoryStart[c + 1] - start
                                    if genres {
                                        let v = Philox.unitInterval(first.3)
                                        var g = genreOffset[c]
                                        while g < genreOffset[c + 1] - 1 && v >= genreCumulative[g] { g += 1 }
                                        start = genreStart[g]
                                        size = genreStart[g + 1] - start
                                    }
                                    var item = 0
                                    if d == 0 && !genres {
                                        item = pick(start, size, first.2, first.3)
                                    } else if d == 0 {
                                        let b = rng.block(row: user, column: k, stream: stream | 1 << 8)
                                        item = Int(positions[pick(start, size, b.0, b.1)])
                                    } else {
                                        for attempt in 1...Self.maximumAttempts {
                                            let b = rng.block(row: user, column: k, stream: stream | UInt32(attempt) << 8)
                                            item = Int(positions[pick(start, size, b.0, b.1)])
                                            var dot = 0.0
                                            for j in 0..<d { dot += taste[j] * Double(tastes[item * d + j]) }
                                            if Philox.unitInterval(b.2) * (1 + exp(-dot)) < 1 { break }
                                        }
                                    }
                                    s.drawn.append(Int32(item))
                                }
                            }
                        }
                    }
                }
            }
        }
        }
        }
        s.drawn.sort()
        var i = 0
        while i < s.drawn.count {
            var j = i + 1
            while j < s.drawn.count && s.drawn[j] == s.drawn[i] { j += 1 }
            items.append(s.drawn[i])
            weights.append(Float(j - i))
            i = j
        }
    }

    func simulateRatings(user: Int, rng: Philox, s: inout Scratch, items: inout [Int32], weights: inout [Float]) {
        let categories = base.count
        for c in 0..<categories { s.truth[c] = 1 / (1 + exp(-s.logit[c])) }
        let stream = RandomStream.ratingDraw.rawValue
        for c in 0..<categories {
            for item in catalog.categoryStart[c]..<catalog.categoryStart[c + 1] {
                let b = rng.block(row: user, column: item, stream: stream)
                guard Philox.unitInterval(b.0) < s.exposure[c] else { continue }
                let logit = s.logit[c] + (dimensions > 0 ? tasteScore(s, item: item) : 0)
                let like = Philox.unitInterval(b.1, b.2) * (1 + exp(-logit)) < 1
                items.append(Int32(item))
                weights.append(like ? 1 : -1)
            }
        }
    }
}
