#if canImport(Glibc)
internal import Glibc
#endif
import Linear
import Population

/// Computes one audit: per-user decisions, per-cell sums and their bootstrap replicates, then findings.
struct AuditEngine {
    let data: AuditData
    let configuration: AuditConfiguration
    let threads: Int
    let n: Int
    let offers: Int
    /// Protected attributes, then their intersection when there are several.
    let groupings: [Grouping]
    /// The metrics this audit reports (defaults and opted-in ones).
    let metrics: [MetricDescriptor]

    init(data: AuditData, configuration: AuditConfiguration, threads: Int) {
        self.data = data
        self.configuration = configuration
        self.threads = threads
        n = data.users
        offers = data.offers.count
        groupings = data.attributes.count >= 2 ? data.attributes + [Grouping.intersection(of: data.attributes)]
            : data.attributes
        metrics = MetricDescriptor.active(extra: configuration.metrics ?? [])
    }

    // MARK: - Decisions

    /// A rank key per user and offer (`users × offers`, row-major) that breaks ties between equal values without
    /// favouring low ids — and independently per offer, so equal scores do not target the same users for every
    /// offer. Keyed by (seed, user id, offer index).
    func tieKeys() -> [UInt64] {
        let philox = Philox(seed: configuration.seed)
        var keys = [UInt64](repeating: 0, count: n * offers)
        for (u, id) in data.userIDs.enumerated() {
            for o in 0..<offers {
                let b = philox.block(row: id, column: o, stream: RandomStream.tieBreak.rawValue)
                keys[u * offers + o] = UInt64(b.0) << 32 | UInt64(b.1)
            }
        }
        return keys
    }

    /// A user's place in a ranking: higher value first, then the lower tie key.
    struct RankKey: Comparable {
        var value: Float
        var key: UInt64
        var user: Int32

        static func < (a: RankKey, b: RankKey) -> Bool { a.value != b.value ? a.value > b.value : a.key < b.key }
        static func == (a: RankKey, b: RankKey) -> Bool { a.value == b.value && a.key == b.key }
    }

    /// The top `share` of users by `value(u)` (ties by the offer's key): membership and the last selected
    /// (value, key). `keys` is `users × offers`, row-major.
    static func selectTop(share: Double, users n: Int, keys: [UInt64], offer o: Int, offers: Int,
                          value: (Int) -> Float) -> (selected: [Bool], cutoff: (value: Float, key: UInt64))
    {
        let count = max(1, min(n, Int((share * Double(n) - 1e-9).rounded(.up))))
        var ranking = (0..<n).map { RankKey(value: value($0), key: keys[$0 * offers + o], user: Int32($0)) }
        ranking.sort()
        var selected = [Bool](repeating: false, count: n)
        for r in ranking.prefix(count) { selected[Int(r.user)] = true }
        let last = ranking[count - 1]
        return (selected, (last.value, last.key))
    }

    /// Per-user inputs to the sums, all `users × offers` unless noted.
    struct Columns: Sendable {
        var targeted: [Bool]
        var interested: [Bool]?
        var truthSelected: [Bool]?
        var observedSelected: [Bool]?
        var exposed: [Bool]?
        var position: [Float]?
        /// Per user; NaN when undefined.
        var ndcg: [Float]?
        var worlds: [World]
        /// Per user, whether they consent (the privacy view).
        var consenting: [Bool]?
        /// Per user, the NDCG of the list an opted-out user is served (NaN when undefined or consenting).
        var servedNdcg: [Float]?

        struct World: Sendable {
            var affected: [Bool]
            var twinTargeted: [Bool]
            var delta: [Float]
            var twinExposed: [Bool]?
            /// Per user.
            var jaccard: [Float]?
        }
    }

    func columns(keys: [UInt64]) -> Columns {
        let data = self.data, offers = self.offers, n = self.n
        let share = configuration.targetShare
        var targeted = [Bool](repeating: false, count: n * offers)
        var interested: [Bool]? = data.truth.map { _ in [Bool](repeating: false, count: n * offers) }
        var truthSelected = interested
        var observedSelected: [Bool]? = data.observed.map { _ in [Bool](repeating: false, count: n * offers) }
        // Every ranking (model, truth, interest, observed, per offer) is independent: sort them in parallel.
        enum Source: Sendable { case model, truth, interest(Double), observed }
        var tasks: [(offer: Int, source: Source)] = []
        for o in 0..<offers {
            tasks.append((o, .model))
            if data.truth != nil {
                tasks.append((o, .truth))
                if case .topShare(let q) = configuration.interest { tasks.append((o, .interest(q))) }
            }
            if data.observed != nil { tasks.append((o, .observed)) }
        }
        let jobs = tasks
        let rankings = ParallelBlocks.map(count: jobs.count, threads: threads) { t in
            let (o, source) = jobs[t]
            switch source {
            case .model:
                return Self.selectTop(share: share, users: n, keys: keys, offer: o, offers: offers) { data.scores[$0 * offers + o] }
            case .truth:
                return Self.selectTop(share: share, users: n, keys: keys, offer: o, offers: offers) { data.truth![$0 * offers + o] }
            case .interest(let q):
                return Self.selectTop(share: q, users: n, keys: keys, offer: o, offers: offers) { data.truth![$0 * offers + o] }
            case .observed:
                return Self.selectTop(share: share, users: n, keys: keys, offer: o, offers: offers) { data.observed![$0 * offers + o] }
            }
        }
        var cutoffs = [(value: Float, key: UInt64)](repeating: (0, 0), count: offers)
        for ((o, source), ranking) in zip(tasks, rankings) {
            for u in 0..<n {
                let at = u * offers + o
                switch source {
                case .model: targeted[at] = ranking.selected[u]
                case .truth:
                    truthSelected![at] = ranking.selected[u]
                    if configuration.interest == nil { interested![at] = ranking.selected[u] }
                case .interest: interested![at] = ranking.selected[u]
                case .observed: observedSelected![at] = ranking.selected[u]
                }
            }
            if case .model = source { cutoffs[o] = ranking.cutoff }
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
                    let s = w.scores[at], c = cutoffs[o]
                    twin[at] = s > c.value || (s == c.value && keys[at] <= c.key)
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
    static func ndcg(_ list: ArraySlice<Int32>, user u: Int, interested: [Bool], lists: RankedLists, offers: Int,
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
    static func jaccard(_ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>) -> Double {
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

    func run(subject: String) -> AuditResult {
        let keys = tieKeys()
        let c = columns(keys: keys)
        let l = layout(c)
        let cells = groupings.last!
        let bootstrap = PoissonBootstrap(replicates: configuration.bootstrapReplicates, seed: configuration.seed)
        let offers = self.offers
        let sums = bootstrap.sums(
            cells: cells.membership, cellCount: cells.levels.count, userIDs: data.userIDs, columns: l.width,
            threads: threads
        ) { u, row in Self.fill(c, l, offers: offers, user: u, into: row) }
        let tallies = Tallies(sums: sums, groupings: groupings, cells: cells, columns: l.width,
                              replicates: configuration.bootstrapReplicates)
        var builder = FindingBuilder(engine: self, tallies: tallies, layout: l)
        builder.campaign()
        if data.lists != nil { builder.recommendation() }
        var summaries: [CounterfactualSummary] = []
        for (w, world) in data.counterfactuals.enumerated() {
            summaries.append(builder.counterfactual(w, world, deltas: c.worlds[w]))
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
        return AuditResult(report: report, targeted: c.targeted, twinTargeted: c.worlds.map(\.twinTargeted))
    }
}
