import Audit
import Statistics
public import FileSupport

/// The whole population's campaign cut-offs and score-change quantiles, found exactly from scored shards
/// (``ScoredShard``) without gathering their users: each is an order statistic of the shards' sorted records,
/// selected by bisection (``OrderStatistic``), which reads a few hundred records of each shard.
///
/// Every ``AuditPart`` of the audit is tallied against the same cut-offs; ``fingerprint`` ties the parts to them.
public struct AuditCutoffs: Sendable, Codable, Equatable {
    /// One ranking's cut-off: the last user it selects.
    public struct Cutoff: Sendable, Codable, Equatable {
        /// The ranking: `offer/model`, `offer/truth`, `offer/interest` or `offer/observed`.
        public var ranking: String
        /// How many users it selects.
        public var selected: Int
        /// For the model's ranking of an offer whose rule is a threshold: the rule, which decides each user alone
        /// (there is no cut-off to select; value and key are then 0).
        public var rule: DecisionRule?
        /// The last selected user's value (for people; `value_bits` is exact).
        public var value: Float
        /// The value's bits.
        public var valueBits: UInt32
        /// The last selected user's tie key, in hex.
        public var key: String
    }

    /// One world's score-change quantiles per offer.
    public struct Quantiles: Sendable, Codable, Equatable {
        /// The world, as the report names it.
        public var world: String
        /// Per offer, the affected users' score-change quantiles (5, 25, 50, 75, 95%; empty when none is
        /// affected), for people.
        public var values: [[Double]]
        /// The same, as hex bit patterns (exact).
        public var bits: [[String]]
    }

    /// `fairground-audit-cutoffs`.
    public var format = "fairground-audit-cutoffs"
    /// Format version.
    public var version = 1
    /// The number of shards.
    public var shards: Int
    /// The whole world.
    public var world: WorldIdentity
    /// The audit's configuration.
    public var configuration: AuditConfiguration
    /// The model's fingerprint.
    public var model: String?
    /// Users over all shards.
    public var users: Int
    /// Per ranking, in the engine's order.
    public var cutoffs: [Cutoff]
    /// Per counterfactual world.
    public var quantiles: [Quantiles]

    /// The cut-offs of the shard directories written by ``ScoredShard/write(to:)`` — all N shards of one audit.
    ///
    /// - Throws: ``FairgroundError`` naming a shard that belongs to another audit (world, configuration, model, shard
    ///   count), a shard given twice, or a missing shard.
    public init(shards paths: [String]) throws(FairgroundError) {
        var opened: [(ScoredShard.Header, ArrayArchive)] = []
        for path in paths { opened.append(try ScoredShard.open(path)) }
        let headers = opened.map(\.0)
        try Self.checkShards(headers.map { ShardIdentity($0) }, paths: paths.map { $0 + "/" + ScoredShard.fileName })
        let first = headers[0]
        shards = first.shard.count
        world = first.world
        configuration = first.configuration
        model = first.model?.fingerprint
        users = headers.reduce(0) { $0 + $1.users }
        // The archives stay open (mapped) while their records are read.
        let archives = opened.map(\.1)
        func arrays(_ name: String) throws(FairgroundError) -> [UnsafeBufferPointer<UInt64>] {
            var result: [UnsafeBufferPointer<UInt64>] = []
            for a in archives { result.append(try a.mapped(name, as: UInt64.self)) }
            return result
        }
        var cutoffs: [Cutoff] = []
        let engine = AuditEngine(data: first.shape, configuration: first.configuration, threads: 1, users: users)
        // A threshold's count is the sum of the shards' (each decides its users alone).
        var modelSelected = [Int](repeating: 0, count: first.offers.count)
        for h in headers { for (o, c) in (h.modelSelected ?? []).enumerated() { modelSelected[o] += c } }
        for (r, ranking) in engine.rankings.enumerated() {
            let rule = engine.rule(ranking.offer), name = first.rankings[r]
            if case .model = ranking.source, rule.isLocal {
                cutoffs.append(Cutoff(ranking: name, selected: modelSelected[ranking.offer], rule: rule, value: 0,
                                      valueBits: 0, key: "0"))
                continue
            }
            let count = AuditEngine.selectedCount(ranking, rule: rule, users: users,
                                                  modelSelected: modelSelected[ranking.offer])
            guard count > 0 else {
                // Nobody: a cut-off no finite value reaches (JSON holds no infinity: `value` says the largest float
                // for people, `value_bits` is exact).
                cutoffs.append(Cutoff(ranking: name, selected: 0, value: .greatestFiniteMagnitude,
                                      valueBits: Float.infinity.bitPattern, key: "0"))
                continue
            }
            let record = OrderStatistic.select(count - 1, in: try arrays("ranking.\(r)"), width: 2)
            let value = OrderStatistic.float(ordered: UInt32.max - UInt32(record.0))
            cutoffs.append(Cutoff(ranking: name, selected: count, value: value, valueBits: value.bitPattern,
                                  key: String(record.1, radix: 16)))
        }
        self.cutoffs = cutoffs
        let attributes = first.attributes.map { Grouping(name: $0.name, levels: $0.levels, membership: []) }
        var quantiles: [Quantiles] = []
        for (w, m) in first.worlds.enumerated() {
            var values: [[Double]] = []
            for o in first.offers.indices {
                let records = try arrays("delta.\(w).\(o)")
                let count = records.reduce(0) { $0 + $1.count }
                values.append(count == 0 ? [] : AuditEngine.deltaQuantiles.map { q in
                    AuditEngine.quantile(count: count, q) { i in
                        Double(OrderStatistic.float(ordered: UInt32(OrderStatistic.select(i, in: records, width: 1).0)))
                    }
                })
            }
            let world = CounterfactualWorld(attribute: m.attribute, level: m.level, kind: m.kind, kept: m.kept, scores: [])
            quantiles.append(Quantiles(world: world.name(attributes), values: values,
                                       bits: values.map { $0.map { String($0.bitPattern, radix: 16) } }))
        }
        self.quantiles = quantiles
        withExtendedLifetime(archives) {}
    }

    /// What ties a shard or a part to one audit.
    struct ShardIdentity: Equatable {
        var shard: AuditShard
        var firstUser: Int, users: Int
        var world: WorldIdentity
        var configuration: AuditConfiguration
        var model: String?

        init(_ h: ScoredShard.Header) {
            shard = h.shard
            firstUser = h.firstUser
            users = h.users
            world = h.world
            configuration = h.configuration
            model = h.model?.fingerprint
        }

        init(shard: AuditShard, firstUser: Int, users: Int, world: WorldIdentity, configuration: AuditConfiguration,
             model: String?) {
            self.shard = shard
            self.firstUser = firstUser
            self.users = users
            self.world = world
            self.configuration = configuration
            self.model = model
        }
    }

    /// Refuses shards of different audits, a shard given twice and a missing one; the shards must cover the world.
    static func checkShards(_ shards: [ShardIdentity], paths: [String]) throws(FairgroundError) {
        guard let first = shards.first else {
            throw FairgroundError(file: "the shards given", field: "shard", expected: "the N shards of one audit", found: "none")
        }
        var seen: [Int: String] = [:]
        for (s, path) in zip(shards, paths) {
            var differences: [String] = s.world.differences(from: first.world)
            if s.configuration != first.configuration { differences.append("another audit configuration") }
            if s.model != first.model {
                differences.append("model \(first.model ?? "unknown") → \(s.model ?? "unknown")")
            }
            if s.shard.count != first.shard.count { differences.append("\(first.shard.count) shards → \(s.shard.count)") }
            guard differences.isEmpty else {
                throw FairgroundError(file: path, field: "shard", expected: "a shard of the same audit as \(paths[0])",
                                 found: differences.joined(separator: "; "))
            }
            if let other = seen[s.shard.index] {
                throw FairgroundError(file: path, field: "shard", expected: "each shard once",
                                 found: "shard \(s.shard) again (also \(other))")
            }
            seen[s.shard.index] = path
            let expected = try s.shard.users(of: s.world.firstUser..<(s.world.firstUser + s.world.users))
            guard expected == s.firstUser..<(s.firstUser + s.users) else {
                throw FairgroundError(file: path, field: "users", expected: "the users \(expected) of shard \(s.shard)",
                                 found: "\(s.firstUser)..<\(s.firstUser + s.users)")
            }
        }
        let missing = (1...first.shard.count).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw FairgroundError(file: paths[0], field: "shard", expected: "all \(first.shard.count) shards of the audit",
                                       found: "shard " + missing.map { "\($0)/\(first.shard.count)" }
                                           .joined(separator: ", ") + " missing")
        }
    }

    /// The cut-offs as the engine uses them.
    var engineCutoffs: [AuditEngine.Cutoff] {
        cutoffs.map { AuditEngine.Cutoff(value: Float(bitPattern: $0.valueBits), key: UInt64($0.key, radix: 16) ?? 0) }
    }

    /// The exact quantiles per world and offer.
    var exactQuantiles: [[[Double]]] {
        quantiles.map { $0.bits.map { $0.map { Double(bitPattern: UInt64($0, radix: 16) ?? 0) } } }
    }

    /// A digest of the cut-offs (parts tallied against other cut-offs are refused by the merge).
    public var fingerprint: String {
        let bytes = (try? JSONOutput.bytes(self, pretty: false, what: "cut-offs")) ?? []
        return String(FNV1a.hash(bytes), radix: 16)
    }

    /// Writes the cut-offs as JSON.
    ///
    /// - Throws: ``FairgroundError`` when the file cannot be written.
    public func write(to path: String) throws(FairgroundError) {
        try writeAtomically(try JSONOutput.bytes(self, snakeCase: true, what: path), to: path)
    }

    /// Reads cut-offs written by ``write(to:)``.
    ///
    /// - Throws: ``FairgroundError`` naming the file when it is missing or not a cut-offs file.
    public static func read(path: String) throws(FairgroundError) -> AuditCutoffs {
        let bytes = try FileIO.readBytes(path, expecting: "a readable cut-offs file")
        let cutoffs: AuditCutoffs
        do { cutoffs = try JSONInput.decode(AuditCutoffs.self, from: bytes, snakeCase: true) } catch {
            throw FairgroundError(file: path, field: "document", expected: "the cut-offs of a sharded audit ('fairground audit-shard cutoffs')",
                             found: "\(error)")
        }
        guard cutoffs.format == "fairground-audit-cutoffs", cutoffs.version == 1 else {
            throw FairgroundError(file: path, field: "format", expected: "fairground-audit-cutoffs version 1",
                             found: "\(cutoffs.format) version \(cutoffs.version)")
        }
        for c in cutoffs.cutoffs where UInt64(c.key, radix: 16) == nil {
            throw FairgroundError(file: path, field: "cutoffs.\(c.ranking).key", expected: "a hex tie key", found: c.key)
        }
        return cutoffs
    }
}
