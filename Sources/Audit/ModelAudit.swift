import FileSupport
public import Population
public import Recommender
import Linear

/// Builds ``AuditData`` for a factor model on a generated world: regenerates the world and, for every protected
/// attribute and level, each user's exact twin (same exogenous noise); folds factual and twin interactions into
/// the fixed item factors (no retraining); scores every offer and makes top-K lists.
///
/// Factual users are folded in too, not read from the model's user factors, so that factual and twin scores come
/// from the same computation and every difference between them is the intervention's.
///
/// ```swift
/// let audit = try ModelAudit(directory: "out/world", model: try FactorModel.read(path: "out/model.fgm"))
/// let data = try audit.data(threads: 2)
/// ```
public struct ModelAudit: Sendable {
    /// The generated world.
    public let directory: GeneratedDirectory
    /// The model under audit.
    public let model: FactorModel
    /// Top-K list length.
    public var k = 10
    /// Mediators to hold at factual values in additional path-specific worlds (none: no such worlds).
    public var keep: [String] = []
    /// Whether to add the naive flip beside each exact twin.
    public var naive = true
    /// Privileged level per attribute name, for AIF360's directional values.
    public var privileged: [String: String] = [:]

    /// Opens a generated directory for auditing `model`.
    ///
    /// - Throws: ``InputError`` when the directory cannot be opened or the model does not fit its items.
    public init(directory path: String, model: FactorModel) throws(InputError) {
        directory = try WorldTables.open(path)
        self.model = model
        let catalog = directory.generator.items!
        if catalog.count != model.items {
            throw InputError(file: path, field: "items",
                             expected: "a model over the world's \(catalog.count) items", found: "\(model.items) items")
        }
    }

    /// Offer scores (best item score within each offer, `rows × offers`) and top-K lists (`rows × k`) of `rows` of
    /// `world` (all when `nil`), each user folded in from their interactions.
    func score(_ world: World, rows: [Int]? = nil, threads: Int) -> (scores: [Float], lists: [Int32]) {
        let catalog = directory.generator.items!
        let interactions = world.interactionData(rows: rows).matrix
        let n = interactions.rows
        guard n > 0 else { return ([], []) }
        var folded = model
        folded.userFactors = model.foldIn(interactions, threads: threads)
        let ranges = world.offerCategories.map { c in catalog.categoryStart[c]..<catalog.categoryStart[c + 1] }
        let (lists, best) = Recommender(scorer: .model(folded), excluding: interactions)
            .recommend(users: 0..<n, k: k, threads: threads, bestWithin: ranges)
        var flat = [Int32](repeating: -1, count: n * k)
        for (u, list) in lists.enumerated() {
            for (r, entry) in list.enumerated() { flat[u * k + r] = Int32(entry.item) }
        }
        return (best, flat)
    }

    /// Scores a twin world: users whose level is already `level` or whose interactions did not change are
    /// their factual selves (same input, same scores); only the others are folded in and scored.
    func scoreTwins(_ twin: World, factualWorld: World, factual: (scores: [Float], lists: [Int32]),
                    membership: [Int32], level: Int, threads: Int) -> (scores: [Float], lists: [Int32]) {
        let offers = twin.offerCategories.count
        let rows = (0..<twin.userCount).filter {
            Int(membership[$0]) != level && !twin.interactions.sameEntries(row: $0, as: factualWorld.interactions)
        }
        let changed = score(twin, rows: rows, threads: threads)
        var scores = factual.scores, lists = factual.lists
        for (i, r) in rows.enumerated() {
            for o in 0..<offers { scores[r * offers + o] = changed.scores[i * offers + o] }
            for j in 0..<k { lists[r * k + j] = changed.lists[i * k + j] }
        }
        return (scores, lists)
    }

    /// Regenerates the world and its twins and scores them all.
    ///
    /// - Parameters:
    ///   - threads: Worker threads; the data are identical for every value.
    ///   - progress: Called with a short description before each stage.
    public func data(threads: Int = 1, progress: (String) -> Void = { _ in }) throws(InputError) -> AuditData {
        guard k >= 1 else { throw InputError.parameter("k", expected: "at least 1", found: "\(k)") }
        progress("regenerating the factual world")
        let world = directory.generate(intervention: nil, threads: threads)
        let tables = try WorldTables(directory: directory, world: world, privileged: privileged)
        let attributes = tables.attributes
        progress("scoring the factual world")
        let factual = score(world, threads: threads)
        let lists = RankedLists(k: k, items: factual.lists, offerOfItem: tables.offerOfItem)
        var worlds: [CounterfactualWorld] = []
        for (a, attribute) in attributes.enumerated() {
            for level in attribute.levels.indices {
                let assignment = "\(attribute.name)=\(attribute.levels[level])"
                var variants: [(CounterfactualWorld.Kind, [String])] = [(.total, [])]
                if !keep.isEmpty { variants.append((.pathSpecific, keep)) }
                for (kind, kept) in variants {
                    let intervention = try directory.intervention(set: [assignment], keep: kept)
                    progress("twins under \(intervention.description(in: directory.spec))")
                    let twin = directory.generate(intervention: intervention, threads: threads, reusing: world)
                    let scored = scoreTwins(twin, factualWorld: world, factual: factual,
                                            membership: attribute.membership, level: level, threads: threads)
                    worlds.append(CounterfactualWorld(attribute: a, level: level, kind: kind, kept: kept,
                                                      scores: scored.scores, lists: scored.lists))
                }
                if naive {
                    // The model's only input is the interaction history, which a flip of the attribute alone
                    // leaves unchanged: the naive twin is scored exactly like the factual user.
                    worlds.append(CounterfactualWorld(attribute: a, level: level, kind: .naive,
                                                      scores: factual.scores, lists: factual.lists))
                }
            }
        }
        return AuditData(
            userIDs: Array(world.users), attributes: attributes, offers: tables.offers, scores: factual.scores,
            truth: tables.truth, observed: tables.observed, lists: lists, counterfactuals: worlds)
    }
}
