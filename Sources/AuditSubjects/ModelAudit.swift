public import Audit
import FileSupport
public import Population
public import Recommender
import Linear

/// Builds ``AuditData`` for a model under audit on a generated world: regenerates the world (or takes it from
/// memory) and, for every protected attribute and level, each user's exact twin (same exogenous noise), and asks
/// the model (``AuditedModel``) to score the factual users and every twin. Only world regeneration and twin
/// orchestration live here; how a model scores users is the model's.
///
/// ```swift
/// let audit = try ModelAudit(directory: "out/world", model: try FactorModel.read(path: "out/model.fgm"))
/// let data = try audit.data(threads: 2)
/// ```
public struct ModelAudit: Sendable {
    /// The generated world.
    public let directory: GeneratedDirectory
    /// The model under audit.
    public let model: any AuditedModel
    /// The factual world when it is already in memory (it must be the directory's: same spec, seed and users);
    /// `nil`: regenerated from the directory.
    public var factualWorld: World?
    /// Top-K list length.
    public var k = 10
    /// Mediators to hold at factual values in additional path-specific worlds (none: no such worlds).
    public var keep: [String] = []
    /// Whether to add the naive flip beside each exact twin.
    public var naive = true
    /// Privileged level per attribute name, for AIF360's directional values.
    public var privileged: [String: String] = [:]
    /// When to add the privacy view's data (consent, served lists, probes); by default when the spec declares
    /// consent or sensitive traits.
    public var privacy = PrivacyMode.auto
    /// The users to audit, a part of the directory's (a shard, ``AuditShard/users(of:)``); `nil`: all of them.
    public var users: Range<Int>?
    /// The membership attack to add to the privacy view (given a non-member world); `nil`: none. With it the audit
    /// has a privacy view even when ``privacy`` would give none (then holding the attack alone).
    public var membership: MembershipAudit?

    /// Opens a generated directory for auditing `model`.
    ///
    /// - Throws: ``FairgroundError`` when the directory cannot be opened or the model does not fit its items.
    public init(directory path: String, auditing model: any AuditedModel) throws(FairgroundError) {
        directory = try WorldTables.open(path)
        self.model = model
        let catalog = directory.generator.items!
        if let items = model.items, catalog.count != items {
            throw FairgroundError(file: path, field: "items",
                             expected: "a model over the world's \(catalog.count) items", found: "\(items) items")
        }
    }

    /// Opens a generated directory for auditing a factor model, folded in under its own training rule.
    ///
    /// - Throws: ``FairgroundError`` when the directory cannot be opened or the model does not fit its items.
    public init(directory path: String, model: FactorModel) throws(FairgroundError) {
        try self.init(directory: path, auditing: FoldedInFactorModel(model))
    }

    /// The model's output for `rows` of `world` (all when `nil`) with the given protected attributes.
    func score(_ world: World, attributes: [Grouping], label: AuditedWorld, rows: [Int]? = nil, threads: Int)
        throws(FairgroundError) -> ModelOutput
    {
        let catalog = directory.generator.items!
        let offers = world.offerCategories.map { c in catalog.categoryStart[c]..<catalog.categoryStart[c + 1] }
        let users = AuditedUsers(
            interactions: world.interactionData(rows: rows),
            attributes: rows.map { rows in attributes.map { a in
                var g = a
                g.membership = rows.map { a.membership[$0] }
                return g
            } } ?? attributes,
            world: label)
        let output = try model.output(for: users, offers: offers, k: k, threads: threads)
        if let first = output.unsolvedRows.first {
            let id = users.interactions.userIDs[first]
            throw FairgroundError.parameter(
                "model", expected: "scores for every user (a positive-definite fold-in: λ > 0)",
                found: "\(output.unsolvedRows.count) users left unsolved in \(world.intervention == nil ? "the factual world" : "a twin world"), the first user \(id)")
        }
        return output
    }

    /// Replaces the factual output of `rows` by `changed` (whose row i is `rows[i]`).
    func merge(_ factual: ModelOutput, _ changed: ModelOutput, rows: [Int], offers: Int) -> ModelOutput {
        var result = factual
        for (i, r) in rows.enumerated() {
            for o in 0..<offers { result.scores[r * offers + o] = changed.scores[i * offers + o] }
            if let lists = changed.lists {
                for j in 0..<k { result.lists?[r * k + j] = lists[i * k + j] }
            }
        }
        return result
    }

    /// Scores a twin world: users whose level is already `level` or whose interactions did not change (and,
    /// for a model that reads attributes, whose attributes did not either) are their factual selves; only the
    /// others are scored.
    func scoreTwins(_ twin: World, factualWorld: World, factual: ModelOutput, attributes: [Grouping],
                    attribute a: Int, level: Int, label: AuditedWorld, threads: Int) throws(FairgroundError) -> ModelOutput {
        let membership = attributes[a].membership
        let rows = (0..<twin.userCount).filter {
            Int(membership[$0]) != level
                && (model.readsAttributes || !twin.interactions.sameEntries(row: $0, as: factualWorld.interactions))
        }
        // A twin's protected attributes are the twin world's own (the intervened one, and any that descend from it).
        let twinAttributes = model.readsAttributes
            ? try WorldTables.groupings(twin, directory: directory, privileged: privileged) : attributes
        let changed = try score(twin, attributes: twinAttributes, label: label, rows: rows, threads: threads)
        return merge(factual, changed, rows: rows, offers: twin.offerCategories.count)
    }

    /// The attributes with attribute `a` set to `level` for everyone (a twin's or a naive flip's view).
    static func setting(_ attributes: [Grouping], _ a: Int, to level: Int) -> [Grouping] {
        var result = attributes
        result[a].membership = [Int32](repeating: Int32(level), count: attributes[a].membership.count)
        return result
    }

    /// Regenerates the world and its twins and scores them all.
    ///
    /// - Parameters:
    ///   - threads: Worker threads; the data are identical for every value.
    ///   - progress: Called with a short description before each stage.
    public func data(threads: Int = 1, progress: (String) -> Void = { _ in }) throws(FairgroundError) -> AuditData {
        let items = directory.generator.items!.count
        guard k >= 1, k <= items else {
            throw FairgroundError.parameter("k", expected: "a list length from 1 to the world's \(items) items", found: "\(k)")
        }
        try MemoryBudget.check(bytes: 4 * Double(k) * Double(directory.users.count) * 3, file: directory.path,
                               field: "k", what: "top-\(k) lists for \(directory.users.count) users and their twins",
                               advice: "use a shorter --k")
        // The attack first: a non-member world that does not pair with this one is refused before any twin.
        let evidence = try membership.map { m throws(FairgroundError) in
            guard self.users == nil else {
                throw FairgroundError.parameter("membership", expected: "no membership attack when auditing a part of "
                                                + "the users (the attack needs every member)")
            }
            progress("membership attack against \(m.nonMembers)")
            return try m.evidence(members: directory.path, threads: threads)
        }
        let world: World
        let users = self.users ?? directory.users
        guard users.lowerBound >= directory.users.lowerBound && users.upperBound <= directory.users.upperBound,
              !users.isEmpty else {
            throw FairgroundError.parameter("users", expected: "users of \(directory.path) (\(directory.users))",
                                       found: "\(users)")
        }
        if let factualWorld {
            guard factualWorld.seed == directory.manifest.seed && factualWorld.users == directory.users,
                  factualWorld.intervention == nil, factualWorld.spec.name == directory.spec.name else {
                throw FairgroundError.parameter("factualWorld", expected: "the world of \(directory.path)",
                                           found: "seed \(factualWorld.seed), users \(factualWorld.users)")
            }
            guard self.users == nil else {
                throw FairgroundError.parameter("factualWorld", expected: "no world in memory when auditing a part of the users")
            }
            world = factualWorld
        } else {
            progress("regenerating the factual world")
            world = directory.generator.generate(users: users, intervention: nil, threads: threads)
        }
        let tables = try WorldTables(directory: directory, world: world, privileged: privileged)
        let attributes = tables.attributes
        progress("scoring the factual world")
        let factual = try score(world, attributes: attributes, label: .factual, threads: threads)
        let lists = factual.lists.map { RankedLists(k: k, items: $0, offerOfItem: tables.offerOfItem) }
        var worlds: [CounterfactualWorld] = []
        for (a, attribute) in attributes.enumerated() {
            for level in attribute.levels.indices {
                let assignment = "\(attribute.name)=\(attribute.levels[level])"
                var variants: [(CounterfactualWorld.Kind, [String])] = [(.total, [])]
                if !keep.isEmpty { variants.append((.pathSpecific, keep)) }
                for (kind, kept) in variants {
                    let intervention = try directory.intervention(set: [assignment], keep: kept)
                    progress("twins under \(intervention.description(in: directory.spec))")
                    let twin = directory.generator.generate(users: users, intervention: intervention, threads: threads,
                                                           reusing: world)
                    let scored = try scoreTwins(
                        twin, factualWorld: world, factual: factual, attributes: attributes, attribute: a, level: level,
                        label: .counterfactual(attribute: attribute.name, level: attribute.levels[level], kind: kind,
                                               kept: kept),
                        threads: threads)
                    worlds.append(CounterfactualWorld(attribute: a, level: level, kind: kind, kept: kept,
                                                      scores: scored.scores, lists: scored.lists))
                }
                if naive {
                    // The attribute alone changes. A model that does not read it scores the naive twin exactly
                    // like the factual user; one that does is asked.
                    var flipped = factual
                    if model.readsAttributes {
                        let rows = (0..<world.userCount).filter { Int(attribute.membership[$0]) != level }
                        let changed = try score(
                            world, attributes: Self.setting(attributes, a, to: level),
                            label: .counterfactual(attribute: attribute.name, level: attribute.levels[level],
                                                   kind: .naive, kept: []),
                            rows: rows, threads: threads)
                        flipped = merge(factual, changed, rows: rows, offers: world.offerCategories.count)
                    }
                    worlds.append(CounterfactualWorld(attribute: a, level: level, kind: .naive,
                                                      scores: flipped.scores, lists: flipped.lists))
                }
            }
        }
        var data = AuditData(
            userIDs: Array(world.users), attributes: attributes, offers: tables.offers, scores: factual.scores,
            truth: tables.truth, observed: tables.observed, lists: lists, counterfactuals: worlds, model: model.card,
            world: WorldIdentity(world))
        if privacy.applies(to: directory.spec) { data.privacy = PrivacyData(world: world, factual: factual) }
        if let evidence {
            var view = data.privacy ?? PrivacyData(consent: nil)
            view.membership = evidence
            data.privacy = view
        }
        return data
    }
}
