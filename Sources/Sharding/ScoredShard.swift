import Audit
import Statistics
public import FileSupport
import Linear

/// The first pass of a sharded audit: one shard's users and their twins, scored by the model under audit — the
/// expensive part, done once — kept with what the exact global cut-offs need: every ranking's records of this
/// shard, sorted, and every counterfactual world's score changes, sorted.
///
/// ```swift
/// var audit = try ModelAudit(directory: "world", model: model)
/// let shard = try AuditShard(parsing: "2/4")
/// audit.users = try shard.users(of: audit.directory.users)
/// let scored = try ScoredShard(shard: shard, data: try audit.data(threads: 2), world: audit.directory.users,
///                              configuration: AuditConfiguration())
/// try scored.write(to: "shard-2")
/// ```
///
/// The next steps are ``AuditCutoffs/init(shards:)`` over every scored shard, ``AuditPart`` per shard and
/// ``AuditPart/merge(_:subject:)``; the report they give is byte for byte the single-machine audit's.
public struct ScoredShard: Sendable {
    /// What a shard file says about itself.
    struct Header: Codable, Equatable, ArchiveHeader {
        var format = "fairground-audit-shard"
        var version = 1
        var shard: AuditShard
        /// What is audited (the report's subject).
        var subject: String
        /// This shard's users.
        var firstUser: Int, users: Int
        /// The whole world.
        var world: WorldIdentity
        var configuration: AuditConfiguration
        var model: ModelCard?
        var offers: [String]
        var attributes: [AuditReport.Attribute]
        var worlds: [World]
        /// The list length, when the model makes lists.
        var k: Int?
        var truth: Bool, observed: Bool
        /// Each ranking's name (offer/source), in the engine's order.
        var rankings: [String]
        /// Per offer, how many of this shard's users its local decision rule (a threshold) selects; `nil` when
        /// every offer's rule ranks the population.
        var modelSelected: [Int]?

        struct World: Codable, Equatable {
            var attribute: Int, level: Int, kind: CounterfactualWorld.Kind, kept: [String], lists: Bool
        }
    }

    /// The shard.
    public let shard: AuditShard
    /// The shard's audit data (its users only).
    public let data: AuditData
    /// The audit's configuration.
    public let configuration: AuditConfiguration
    let header: Header
    /// Per ranking, its records (value order, then tie key: best first) sorted, two words each.
    let rankingRecords: [[UInt64]]
    /// Per world and offer, the affected users' score changes as ordered bits, sorted.
    let deltaRecords: [[[UInt64]]]

    /// The file a shard directory holds.
    public static let fileName = "shard.fga"

    /// Scores a shard: `data` are the shard's users' (``ModelAudit/users`` set to ``AuditShard/users(of:)``) of the
    /// world whose users are `users` (a generated directory's, or — for a world generated in shards with
    /// `--first-user` — all of its shards').
    ///
    /// - Throws: ``FairgroundError`` when the data are not the shard's users of `directory`'s world, or carry the
    ///   privacy view (its probes fit one model over all users, which shards cannot merge).
    public init(shard: AuditShard, data: AuditData, world users: Range<Int>, configuration: AuditConfiguration,
                subject: String = "", threads: Int = 1) throws(FairgroundError)
    {
        try configuration.validate()
        try data.validate()
        let expected = try shard.users(of: users)
        guard data.userIDs.first == expected.lowerBound, data.userIDs.last == expected.upperBound - 1,
              data.userIDs.count == expected.count else {
            throw FairgroundError.parameter("shard", expected: "the users \(expected) of shard \(shard)",
                                       found: "\(data.userIDs.count) users from \(data.userIDs.first ?? 0)")
        }
        guard data.privacy == nil else {
            throw FairgroundError.parameter(
                "privacy", expected: "no privacy view in a sharded audit (its inference probes fit one model over all "
                    + "users, which shards cannot merge): audit with --privacy off, or on one machine",
                found: "the privacy view")
        }
        guard var world = data.world else {
            throw FairgroundError.parameter("data", expected: "audit data of a generated world (ModelAudit)", found: "no world")
        }
        world.firstUser = users.lowerBound
        world.users = users.count
        self.shard = shard
        self.data = data
        self.configuration = configuration
        try configuration.checkDecisionRules(offers: data.offers, attributes: data.attributes)
        let engine = AuditEngine(data: data, configuration: configuration, threads: 1)
        var header = Header(
            shard: shard, subject: subject, firstUser: expected.lowerBound, users: expected.count, world: world,
            configuration: configuration, model: data.model, offers: data.offers,
            attributes: data.attributes.map { a in
                .init(name: a.name, levels: a.levels, privileged: a.privileged.map { a.levels[$0] })
            },
            worlds: data.counterfactuals.map { .init(attribute: $0.attribute, level: $0.level, kind: $0.kind,
                                                     kept: $0.kept, lists: $0.lists != nil) },
            k: data.lists?.k, truth: data.truth != nil, observed: data.observed != nil,
            rankings: engine.rankings.map { "\(data.offers[$0.offer])/\($0.name)" })
        let local = (0..<engine.offers).map(engine.localDecision)
        if local.contains(where: { $0 != nil }) {
            var targeted = [Bool](repeating: false, count: engine.n * engine.offers)
            header.modelSelected = engine.decideLocally(local, keys: engine.tieKeys(), into: &targeted)
        }
        self.header = header
        (rankingRecords, deltaRecords) = Self.records(engine, threads: threads)
    }

    /// Sorted ranking records and score changes.
    static func records(_ engine: AuditEngine, threads: Int) -> ([[UInt64]], [[[UInt64]]]) {
        let keys = engine.tieKeys()
        let n = engine.n, offers = engine.offers, data = engine.data
        let rankings = engine.rankings
        let ranked = ParallelBlocks.map(count: rankings.count, threads: threads) { t -> [UInt64] in
            let r = rankings[t]
            var pairs = (0..<n).map { u in
                (UInt64(UInt32.max - OrderStatistic.ordered(engine.value(r, u))), keys[u * offers + r.offer])
            }
            pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            return pairs.flatMap { [$0.0, $0.1] }
        }
        let deltas = data.counterfactuals.map { w in
            let membership = data.attributes[w.attribute].membership
            return (0..<offers).map { o in
                var values: [UInt64] = []
                for u in 0..<n where Int(membership[u]) != w.level {
                    values.append(UInt64(OrderStatistic.ordered(w.scores[u * offers + o] - data.scores[u * offers + o])))
                }
                values.sort()
                return values
            }
        }
        return (ranked, deltas)
    }

    /// Writes `DIR/shard.fga` (committed whole, or not at all).
    ///
    /// - Throws: ``FairgroundError`` when it cannot be written.
    public func write(to directory: String) throws(FairgroundError) {
        var writer = ArrayArchive.Writer()
        for (i, a) in data.attributes.enumerated() { writer.add("attribute.\(i)", a.membership) }
        writer.add("scores", data.scores)
        if let truth = data.truth { writer.add("truth", truth) }
        if let observed = data.observed { writer.add("observed", observed) }
        if let lists = data.lists {
            writer.add("lists", lists.items)
            writer.add("offer_of_item", lists.offerOfItem)
        }
        for (w, world) in data.counterfactuals.enumerated() {
            writer.add("world.\(w).scores", world.scores)
            if let lists = world.lists { writer.add("world.\(w).lists", lists) }
        }
        for (r, records) in rankingRecords.enumerated() { writer.add("ranking.\(r)", records) }
        for (w, offers) in deltaRecords.enumerated() {
            for (o, records) in offers.enumerated() { writer.add("delta.\(w).\(o)", records) }
        }
        let output = try StagedOutput(directory: directory)
        let file = try output.open(Self.fileName)
        try writer.write(header: try JSONOutput.bytes(header, what: directory + "/" + Self.fileName), to: file)
        try file.close()
        try output.commit()
    }

    /// Reads the header of a shard directory's file, and the archive (mapped).
    static func open(_ directory: String) throws(FairgroundError) -> (Header, ArrayArchive) {
        let path = directory + "/" + fileName
        let archive = try ArrayArchive(path: path)
        let header = try archive.header(Header.self, format: "fairground-audit-shard", version: 1,
                                        what: "a scored shard of a Fairground audit")
        // The configuration decides who is targeted in every later step: check it as the audit did.
        do {
            try header.configuration.validate()
            try header.configuration.checkDecisionRules(offers: header.offers, attributes: header.shape.attributes)
        } catch {
            throw FairgroundError(file: path, field: "configuration." + error.source + (error.field.isEmpty ? "" : "." + error.field),
                             expected: error.expected, found: error.found)
        }
        return (header, archive)
    }

    /// Reads a shard directory written by ``write(to:)``.
    ///
    /// - Throws: ``FairgroundError`` naming the file when it is missing, of another kind, or truncated.
    public init(directory: String) throws(FairgroundError) {
        let (header, archive) = try Self.open(directory)
        let n = header.users, o = header.offers.count
        func read<T: ArchiveElement>(_ name: String, _ type: T.Type, _ count: Int) throws(FairgroundError) -> [T] {
            let values = try archive.array(name, as: type)
            guard values.count == count else {
                throw FairgroundError(file: archive.path, field: name, expected: "\(count) values", found: "\(values.count)")
            }
            return values
        }
        var attributes: [Grouping] = []
        for (i, a) in header.attributes.enumerated() {
            let membership = try read("attribute.\(i)", Int32.self, n)
            guard membership.allSatisfy({ $0 >= 0 && Int($0) < a.levels.count }) else {
                throw FairgroundError(file: archive.path, field: "attribute.\(i)", expected: "levels of \(a.name)")
            }
            var g = Grouping(name: a.name, levels: a.levels, membership: membership)
            g.privileged = a.privileged.flatMap { a.levels.firstIndex(of: $0) }
            attributes.append(g)
        }
        let k = header.k
        var lists: RankedLists?
        if let k {
            lists = RankedLists(k: k, items: try read("lists", Int32.self, n * k),
                                offerOfItem: try archive.array("offer_of_item", as: Int32.self))
        }
        var worlds: [CounterfactualWorld] = []
        for (w, m) in header.worlds.enumerated() {
            worlds.append(CounterfactualWorld(
                attribute: m.attribute, level: m.level, kind: m.kind, kept: m.kept,
                scores: try read("world.\(w).scores", Float.self, n * o),
                lists: m.lists ? try read("world.\(w).lists", Int32.self, n * (k ?? 0)) : nil))
        }
        var data = AuditData(
            userIDs: Array(header.firstUser..<(header.firstUser + n)), attributes: attributes, offers: header.offers,
            scores: try read("scores", Float.self, n * o),
            truth: header.truth ? try read("truth", Float.self, n * o) : nil,
            observed: header.observed ? try read("observed", Float.self, n * o) : nil,
            lists: lists, counterfactuals: worlds, model: header.model, world: header.world)
        data.world?.firstUser = header.firstUser
        data.world?.users = n
        try data.validate()
        self.shard = header.shard
        self.data = data
        self.configuration = header.configuration
        self.header = header
        rankingRecords = []
        deltaRecords = []
    }
}

extension ScoredShard.Header {
    /// Audit data of this audit's shape and no users: what an engine that only merges or selects needs.
    var shape: AuditData {
        let attributes = self.attributes.map { a in
            var g = Grouping(name: a.name, levels: a.levels, membership: [])
            g.privileged = a.privileged.flatMap { a.levels.firstIndex(of: $0) }
            return g
        }
        return AuditData(
            userIDs: [], attributes: attributes, offers: offers, scores: [], truth: truth ? [] : nil,
            observed: observed ? [] : nil, lists: k.map { RankedLists(k: $0, items: [], offerOfItem: []) },
            counterfactuals: worlds.map { CounterfactualWorld(attribute: $0.attribute, level: $0.level,
                                                             kind: $0.kind, kept: $0.kept, scores: []) },
            model: model, world: world)
    }
}
