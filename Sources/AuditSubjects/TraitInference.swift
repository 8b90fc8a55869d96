public import Audit
import Statistics
public import FileSupport
public import Linear
public import Population

/// The inference probes of a world: for each protected and sensitive attribute (or those named), how well each
/// trait can be predicted from each source of per-user features — a model's user factors, and the raw data's
/// interaction counts per item category (what the data itself reveals) — with Holm's correction over all probes.
///
/// Each probe is an `inference_auc` finding of the audit's own shape (``Audit/Finding``, the privacy view's:
/// `privacy/<attribute>/inference_auc/<trait>/<source>`), judged by ``materiality``.
///
/// ```swift
/// let findings = try TraitInference(world: world).run(sources: [("user_factors", factors)])
/// for f in findings where f.verdict == .material { print(f.attribute, f.trait!, f.source!, f.estimate.value!) }
/// ```
public struct TraitInference: Sendable {
    /// The world whose users are probed (rows of every feature matrix are its users, in order).
    public let world: World
    /// The probe's settings (its ``InferenceProbe/level`` is the findings' confidence level).
    public var probe = InferenceProbe()
    /// The family-wise error rate of the verdicts.
    public var alpha = 0.05
    /// The AUC above which a probe is material: the registry's for `inference_auc` unless set.
    public var materiality = MetricID.inferenceAUC.descriptor.materiality
    /// Groups (with or without a trait) below this size are flagged small.
    public var minimumGroupSize = AuditConfiguration().minimumGroupSize
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
    /// opted-out users' rows at zero: they are not probed), and judges each: Holm over the run's probes at
    /// ``alpha``, then ``materiality`` (a trait one class of which is empty among the probed users gives an
    /// undefined, inconclusive finding).
    ///
    /// - Parameter sources: Named feature matrices with one row per user of the world; the interaction counts per
    ///   category (`interactions`) are added when the world has items.
    /// - Throws: ``FairgroundError`` for a source with another row count than the world's users, a named attribute the
    ///   spec does not have, or a spec with neither protected nor sensitive attributes when none is named.
    /// - Returns: One finding per attribute, trait and source, in that order (the sources as given, then
    ///   `interactions`).
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
        var findings: [Finding] = [], intervals: [IntervalMethod] = [], tests: [Significance.Outcome] = []
        for (job, outcome) in zip(jobs, outcomes) {
            let made = Finding.inference(attribute: spec.attributes[job.attribute].name, trait: job.trait,
                                         source: all[job.source].name, outcome: outcome, level: probe.level,
                                         minimumGroupSize: minimumGroupSize)
            findings.append(made.finding)
            intervals.append(made.interval)
            tests.append(made.test)
        }
        let materiality = self.materiality
        Finding.conclude(&findings, intervals: intervals, tests: tests, level: probe.level, alpha: alpha,
                         materiality: { _ in materiality })
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
