import Audit
import Statistics
public import FileSupport
public import Linear
public import Population

/// The inference probes of a world: for each protected and sensitive attribute (or those named), how well each
/// trait can be predicted from each source of per-user features — a model's user factors, and the raw data's
/// interaction counts per item category (what the data itself reveals) — with Holm's correction over all probes.
///
/// ```swift
/// let findings = try TraitInference(world: world).run(sources: [("user_factors", factors)])
/// ```
public struct TraitInference: Sendable {
    /// One probe of one trait from one source.
    public struct Finding: Sendable, Codable, Equatable {
        /// The attribute.
        public var attribute: String
        /// The trait predicted: `level` (against every other level), `true`, or `above median`.
        public var trait: String
        /// `user_factors` or `interactions` (or another name given to ``run(sources:)``).
        public var source: String
        /// The probe's outcome.
        public var outcome: InferenceProbe.Outcome
        /// Holm-adjusted p-value over all the probes of the run.
        public var holmPValue: Double
        /// Whether Holm's procedure rejects "nothing revealed" at ``TraitInference/alpha``.
        public var reveals: Bool
    }

    /// The world whose users are probed (rows of every feature matrix are its users, in order).
    public let world: World
    /// The probe's settings.
    public var probe = InferenceProbe()
    /// The family-wise error rate of the verdicts.
    public var alpha = 0.05
    /// The attributes probed; every protected or sensitive one when empty.
    public var attributes: [String] = []
    /// Worker threads for the probes; the findings are identical for every value.
    public var threads = 1

    /// Probes `world`'s users.
    public init(world: World) { self.world = world }

    /// Each user's interaction count per item category (users × categories): what the raw data reveals.
    public func categoryCounts() -> Matrix<Float>? {
        guard let items = world.items else { return nil }
        let c = items.categoryNames.count
        var m = [Float](repeating: 0, count: world.userCount * c)
        for u in 0..<world.userCount {
            for p in world.interactions.entries(row: u) { m[u * c + Int(items.category[Int(world.interactions.items[p])])] += 1 }
        }
        return Matrix(rows: world.userCount, columns: c, elements: m)
    }

    /// Runs every probe, on the users who hold factors in some source (a model trained honouring consent leaves
    /// opted-out users' rows at zero: they are not probed).
    ///
    /// - Parameter sources: Named feature matrices with one row per user of the world; the interaction counts per
    ///   category (`interactions`) are added when the world has items.
    /// - Throws: ``FairgroundError`` for a source with another row count than the world's users, a named attribute the
    ///   spec does not have, or a spec with neither protected nor sensitive attributes when none is named.
    public func run(sources: [(name: String, features: Matrix<Float>)]) throws(FairgroundError) -> [Finding] {
        let spec = world.spec
        for s in sources where s.features.rows != world.userCount {
            throw FairgroundError.parameter("factors", expected: "one row per user of the world (\(world.userCount))",
                                       found: "\(s.features.rows) rows")
        }
        var indices: [Int] = []
        if attributes.isEmpty {
            indices = spec.attributes.indices.filter { spec.attributes[$0].isProtected || spec.attributes[$0].isSensitive }
            guard !indices.isEmpty else {
                throw FairgroundError.parameter("attributes", expected: "a spec with protected or sensitive attributes, "
                                           + "or attributes named", found: "none in \(spec.name)")
            }
        } else {
            for name in attributes {
                guard let a = spec.attributeIndex(named: name) else {
                    throw FairgroundError.parameter("attributes", expected: "attributes of the world (one of: "
                                               + spec.attributes.map(\.name).joined(separator: ", ") + ")", found: name)
                }
                indices.append(a)
            }
        }
        var all = sources
        if let counts = categoryCounts() { all.append(("interactions", counts)) }
        // Users whose factor rows are all zero hold no factors (left out of training: opted out or excluded):
        // every source is probed on the others only.
        let rows = Self.rowsWithFactors(sources.map(\.features))
        let features = all.map { InferenceProbe.features($0.features, rows: rows) }
        var jobs: [(attribute: Int, trait: String, labels: [Bool], source: Int)] = []
        for a in indices {
            for (trait, everyone) in traits(of: a) {
                let labels = rows.map { $0.map { everyone[$0] } } ?? everyone
                for s in all.indices { jobs.append((a, trait, labels, s)) }
            }
        }
        // The probes are independent: in parallel, listed in order.
        let probe = self.probe, work = jobs
        let outcomes = ParallelBlocks.map(count: work.count, threads: threads) { j in
            probe.probe(features: features[work[j].source], labels: work[j].labels)
        }
        var findings: [Finding] = []
        for (job, outcome) in zip(jobs, outcomes) {
            guard let outcome else { continue }
            findings.append(Finding(attribute: spec.attributes[job.attribute].name, trait: job.trait,
                                    source: all[job.source].name, outcome: outcome, holmPValue: 1, reveals: false))
        }
        let adjusted = Significance.holm(findings.map(\.outcome.pValue))
        for i in findings.indices {
            findings[i].holmPValue = adjusted[i]
            findings[i].reveals = adjusted[i] < alpha
        }
        return findings
    }

    /// The rows where some matrix of `sources` is not all zero; `nil` when that is every row.
    static func rowsWithFactors(_ sources: [Matrix<Float>]) -> [Int]? {
        guard let first = sources.first else { return nil }
        let rows = (0..<first.rows).filter { r in
            sources.contains { m in (0..<m.columns).contains { m.elements[r * m.columns + $0] != 0 } }
        }
        return rows.count == first.rows ? nil : rows
    }

    /// The binary traits of attribute `a`: each level of a categorical one against the rest (one level for two),
    /// `true` for a boolean, above the median for a numeric one.
    func traits(of a: Int) -> [(String, [Bool])] {
        let values = (0..<world.userCount).map { world.attributeValues[a][$0] }
        switch world.spec.attributes[a].kind {
        case .categorical(let levels, _):
            let used = levels.count == 2 ? [0] : Array(levels.indices)
            return used.map { l in (levels[l], values.map { Int($0) == l }) }
        case .boolean:
            return [("true", values.map { $0 != 0 })]
        case .numeric:
            let sorted = values.sorted()
            let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
            return [("above median", values.map { $0 > median })]
        }
    }
}
