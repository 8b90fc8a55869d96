#if canImport(Glibc)
internal import Glibc
#endif
import Statistics
import Linear
import FileSupport

/// Computes one audit: per-user decisions, per-cell sums and their bootstrap replicates, then findings.
package struct AuditEngine {
    package let data: AuditData
    package let configuration: AuditConfiguration
    package let threads: Int
    package let n: Int
    package let offers: Int
    /// Protected attributes, then their intersection when there are several.
    package let groupings: [Grouping]
    /// The metrics this audit reports (defaults and opted-in ones).
    package let metrics: [MetricDescriptor]

    /// An engine over `data`; `users` overrides its number of users (a merge of shards holds no per-user data).
    package init(data: AuditData, configuration: AuditConfiguration, threads: Int, users: Int? = nil) {
        self.data = data
        self.configuration = configuration
        self.threads = threads
        n = users ?? data.users
        offers = data.offers.count
        groupings = data.attributes.count >= 2 ? data.attributes + [Grouping.intersection(of: data.attributes)]
            : data.attributes
        metrics = MetricDescriptor.active(extra: configuration.metrics ?? [])
    }

    // MARK: - Columns (decisions and rankings: AuditEngine+Decisions.swift)

    /// Per-user inputs to the sums, all `users × offers` unless noted.
    package struct Columns: Sendable {
        package var targeted: [Bool]
        package var interested: [Bool]?
        package var truthSelected: [Bool]?
        package var observedSelected: [Bool]?
        package var exposed: [Bool]?
        package var position: [Float]?
        /// Per user; NaN when undefined.
        package var ndcg: [Float]?
        package var worlds: [World]
        /// Per user, whether they consent (the privacy view).
        package var consenting: [Bool]?
        /// Per user, the NDCG of the list an opted-out user is served (NaN when undefined or consenting).
        package var servedNdcg: [Float]?

        package struct World: Sendable {
            package var affected: [Bool]
            package var twinTargeted: [Bool]
            package var delta: [Float]
            package var twinExposed: [Bool]?
            /// Per user.
            package var jaccard: [Float]?
        }
    }

    /// The columns: each offer decided by its rule, and each ranking cut at its own count of these users or, for
    /// a shard, at the whole population's cut-off (`cutoffs`, one per ``rankings`` entry; a local rule's model
    /// entry is not read).
    package func columns(keys: [UInt64], cutoffs given: [Cutoff]? = nil) -> Columns {
        let data = self.data, offers = self.offers, n = self.n
        var targeted = [Bool](repeating: false, count: n * offers)
        var interested: [Bool]? = data.truth.map { _ in [Bool](repeating: false, count: n * offers) }
        var truthSelected = interested
        var observedSelected: [Bool]? = data.observed.map { _ in [Bool](repeating: false, count: n * offers) }
        // Local rules (thresholds) decide each user alone, first: the other rankings select as many users.
        var decisions = (0..<offers).map(localDecision)
        let modelSelected = decideLocally(decisions, keys: keys, into: &targeted)
        // Every other ranking is independent: sort them (or compare with the given cut-offs) in parallel.
        let tasks = rankings
        let engine = self
        let local = decisions.map { $0 != nil }
        let selections = ParallelBlocks.map(count: tasks.count, threads: threads) { t -> (selected: [Bool], cutoff: (value: Float, key: UInt64))? in
            let r = tasks[t]
            if case .model = r.source, local[r.offer] { return nil }
            if let given {
                let c = given[t]
                let selected = (0..<n).map { u in
                    let v = engine.value(r, u)
                    return v > c.value || (v == c.value && keys[u * offers + r.offer] <= c.key)
                }
                return (selected: selected, cutoff: (value: c.value, key: c.key))
            }
            let count = Self.selectedCount(r, rule: engine.rule(r.offer), users: n, modelSelected: modelSelected[r.offer])
            return Self.selectTop(count: count, users: n, keys: keys, offer: r.offer, offers: offers) {
                engine.value(r, $0)
            }
        }
        for (r, ranking) in zip(tasks, selections) {
            guard let ranking else { continue }
            let o = r.offer
            for u in 0..<n {
                let at = u * offers + o
                switch r.source {
                case .model: targeted[at] = ranking.selected[u]
                case .truth:
                    truthSelected![at] = ranking.selected[u]
                    if truthIsInterest(o) { interested![at] = ranking.selected[u] }
                case .interest: interested![at] = ranking.selected[u]
                case .observed: observedSelected![at] = ranking.selected[u]
                }
            }
            if case .model = r.source {
                decisions[o] = Decision(attribute: nil, cutoffs: [Cutoff(value: ranking.cutoff.value, key: ranking.cutoff.key)])
            }
        }
        if case .threshold(let t) = configuration.interest, let truth = data.truth {
            for at in 0..<(n * offers) { interested![at] = Double(truth[at]) >= t }
        }
        var exposed: [Bool]?, position: [Float]?, ndcg: [Float]?, servedNdcg: [Float]?
        if let lists = data.lists {
            let k = lists.k
            var e = [Bool](repeating: false, count: n * offers)
            var p = [Float](repeating: 0, count: n * offers)
            let perOffer = lists.itemsPerOffer(offers)
            var g = [Float](repeating: .nan, count: n)
            let discount = (1...k).map { ExposureMetrics.positionWeight(rank: $0) }
            for u in 0..<n {
                let list = lists.items[(u * k)..<((u + 1) * k)]
                for (rank, item) in list.enumerated() where item >= 0 {
                    let o = Int(lists.offerOfItem[Int(item)])
                    if o >= 0 {
                        e[u * offers + o] = true
                        p[u * offers + o] += Float(discount[rank])
                    }
                }
                if let interested, let value = Self.ndcg(list, user: u, interested: interested, lists: lists,
                                                          offers: offers, itemsPerOffer: perOffer) {
                    g[u] = Float(value)
                }
            }
            exposed = e
            position = p
            ndcg = interested == nil ? nil : g
            if let interested, let consent = data.privacy?.consent, let served = data.privacy?.optedOutList {
                var s = [Float](repeating: .nan, count: n)
                for u in 0..<n where !consent[u] {
                    if let value = Self.ndcg(served[...], user: u, interested: interested, lists: lists,
                                             offers: offers, itemsPerOffer: perOffer) {
                        s[u] = Float(value)
                    }
                }
                servedNdcg = s
            }
        }
        var worlds: [Columns.World] = []
        for w in data.counterfactuals {
            let membership = data.attributes[w.attribute].membership
            let affected = membership.map { Int($0) != w.level }
            var twin = targeted
            var delta = [Float](repeating: 0, count: n * offers)
            for u in 0..<n where affected[u] {
                for o in 0..<offers {
                    let at = u * offers + o
                    let s = w.scores[at], decision = decisions[o]!
                    // The twin's own group: the world's level when the rule is by the intervened attribute.
                    let level = decision.attribute.map { $0 == w.attribute ? w.level : Int(data.attributes[$0].membership[u]) } ?? 0
                    twin[at] = decision.selects(s, key: keys[at], level: level)
                    delta[at] = s - data.scores[at]
                }
            }
            var twinExposed: [Bool]?, jaccard: [Float]?
            if let lists = data.lists, let twinLists = w.lists {
                let k = lists.k
                var te = exposed!
                var j = [Float](repeating: 1, count: n)
                for u in 0..<n where affected[u] {
                    for o in 0..<offers { te[u * offers + o] = false }
                    for item in twinLists[(u * k)..<((u + 1) * k)] where item >= 0 {
                        let o = Int(lists.offerOfItem[Int(item)])
                        if o >= 0 { te[u * offers + o] = true }
                    }
                    j[u] = Float(Self.jaccard(lists.items[(u * k)..<((u + 1) * k)], twinLists[(u * k)..<((u + 1) * k)]))
                }
                twinExposed = te
                jaccard = j
            }
            worlds.append(Columns.World(affected: affected, twinTargeted: twin, delta: delta,
                                        twinExposed: twinExposed, jaccard: jaccard))
        }
        return Columns(targeted: targeted, interested: interested, truthSelected: truthSelected,
                       observedSelected: observedSelected, exposed: exposed, position: position, ndcg: ndcg,
                       worlds: worlds, consenting: data.privacy?.consent, servedNdcg: servedNdcg)
    }

    /// NDCG@k of `list` for user `u` with binary gains: the items of the offers the user is truly interested in
    /// (`nil` when there are none).
    package static func ndcg(_ list: ArraySlice<Int32>, user u: Int, interested: [Bool], lists: RankedLists, offers: Int,
                     itemsPerOffer: [Int]) -> Double? {
        var relevantCount = 0
        for o in 0..<offers where interested[u * offers + o] { relevantCount += itemsPerOffer[o] }
        return ExposureMetrics.ndcg(
            ranked: list.lazy.filter { $0 >= 0 }.map { Int($0) },
            relevant: { i in
                let o = Int(lists.offerOfItem[i])
                return o >= 0 && interested[u * offers + o]
            }, relevantCount: relevantCount, k: lists.k)
    }

    /// Jaccard overlap of two top-k lists of distinct items (−1 pads), without allocating: O(k²) for small k.
    package static func jaccard(_ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>) -> Double {
        var common = 0, sizeA = 0, sizeB = 0
        for x in a where x >= 0 {
            sizeA += 1
            for y in b where y == x { common += 1 }
        }
        for y in b where y >= 0 { sizeB += 1 }
        let union = sizeA + sizeB - common
        return union == 0 ? 1 : Double(common) / Double(union)
    }

    // MARK: - Running

    /// The quantiles of the score changes the report lists.
    package static let deltaQuantiles = [0.05, 0.25, 0.5, 0.75, 0.95]

    /// The q-quantile of `count` sorted values read through `value(i)` (the i-th smallest), linear between order
    /// statistics (NumPy's default); the order statistics it reads are ``quantilePositions(count:q:)``.
    package static func quantile(count: Int, _ q: Double, value: (Int) -> Double) -> Double {
        let (lo, hi) = quantilePositions(count: count, q)
        let h = q * Double(count - 1)
        let a = value(lo), b = value(hi)
        return a + (h - Double(lo)) * (b - a)
    }

    /// The two order statistics (0-based) the q-quantile of `count` values lies between.
    package static func quantilePositions(count: Int, _ q: Double) -> (lo: Int, hi: Int) {
        let lo = Int((q * Double(count - 1)).rounded(.down))
        return (lo, min(lo + 1, count - 1))
    }

    /// Per counterfactual world and offer, the quantiles of the affected users' score changes (empty when none is
    /// affected).
    package func deltaQuantiles(_ c: Columns) -> [[[Double]]] {
        c.worlds.map { w in
            (0..<offers).map { o in
                var changes: [Double] = []
                for u in 0..<n where w.affected[u] { changes.append(Double(w.delta[u * offers + o])) }
                changes.sort()
                return changes.isEmpty ? [] : Self.deltaQuantiles.map { q in
                    Self.quantile(count: changes.count, q) { changes[$0] }
                }
            }
        }
    }

    /// Refuses an audit whose bootstrap sums would not fit in memory — every replicate holds a sum per group cell
    /// (the intersection of the protected attributes) and column (per offer and counterfactual world), so an
    /// attribute with a thousand levels asks for gigabytes — naming the attribute with the most levels.
    ///
    /// - Throws: ``FairgroundError`` on the field `attributes`, with the estimate and the way out.
    package func checkMemory(_ l: Layout) throws(FairgroundError) {
        let cells = groupings.last!.levels.count
        let replicates = configuration.bootstrapReplicates
        // Exact sums (16 bytes) and their doubles (8) for the data, the squares and every replicate.
        let bytes = 24 * Double(replicates + 2) * Double(cells) * Double(l.width)
        let widest = groupings.filter { !$0.isIntersection }.max { $0.levels.count < $1.levels.count }
        try MemoryBudget.check(
            bytes: bytes, file: "the audited data", field: "attributes",
            what: "\(replicates) bootstrap replicates of \(cells) groups × \(l.width) sums (\(widest?.name ?? "?") has "
                + "\(widest?.levels.count ?? 0) levels, and each level is a counterfactual world)",
            advice: "group rare levels together, or audit with fewer --bootstrap replicates")
    }

    /// The exact per-cell sums of every user's row and its bootstrap replicates.
    package func sums(_ c: Columns, _ l: Layout) -> PoissonBootstrap.ExactSums {
        let cells = groupings.last!
        let bootstrap = PoissonBootstrap(replicates: configuration.bootstrapReplicates, seed: configuration.seed)
        let offers = self.offers
        return bootstrap.sums(
            cells: cells.membership, cellCount: cells.levels.count, userIDs: data.userIDs, columns: l.width,
            threads: threads
        ) { u, row in Self.fill(c, l, offers: offers, user: u, into: row) }
    }

    package func run(subject: String) throws(FairgroundError) -> AuditResult {
        let keys = tieKeys()
        let c = columns(keys: keys)
        let l = layout(c)
        try checkMemory(l)
        let report = self.report(sums: sums(c, l).doubles, layout: l, quantiles: deltaQuantiles(c), subject: subject)
        return AuditResult(report: report, targeted: c.targeted, twinTargeted: c.worlds.map(\.twinTargeted))
    }

    /// The report from the per-cell sums (of this engine's users or of every shard's) and the score-change
    /// quantiles.
    package func report(sums: PoissonBootstrap.Sums, layout l: Layout, quantiles: [[[Double]]], subject: String) -> AuditReport {
        let tallies = Tallies(sums: sums, groupings: groupings, cells: groupings.last!, columns: l.width,
                              replicates: configuration.bootstrapReplicates)
        var builder = FindingBuilder(engine: self, tallies: tallies, layout: l)
        builder.campaign()
        if data.lists != nil { builder.recommendation() }
        var summaries: [CounterfactualSummary] = []
        for (w, world) in data.counterfactuals.enumerated() {
            summaries.append(builder.counterfactual(w, world, quantiles: quantiles[w]))
        }
        let attribution = builder.attribution()
        let privacy = data.privacy.map { builder.privacy($0) }
        let findings = builder.finish()
        var report = AuditReport(
            configuration: configuration, subject: subject, users: n, offers: data.offers,
            attributes: data.attributes.map { a in
                .init(name: a.name, levels: a.levels, privileged: a.privileged.map { a.levels[$0] })
            },
            tests: builder.tests.count, findings: findings, attribution: attribution, counterfactuals: summaries,
            model: data.model, world: data.world)
        report.privacy = privacy
        if let warnings = privacy?.warnings, !warnings.isEmpty { report.warnings = (report.warnings ?? []) + warnings }
        return report
    }
}
