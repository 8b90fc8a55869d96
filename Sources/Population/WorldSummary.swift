public import TrainingData

/// A compact description of a generated world: marginals, correlations, and — per protected group — activity,
/// true interest in each offer, and the offer's share of observed interactions.
///
/// The last two side by side show at a glance where observed data already differ from the truth (exposure
/// bias) before any model is trained.
public struct WorldSummary: Sendable, CustomStringConvertible {
    /// One protected group's figures.
    public struct Group: Sendable {
        /// `attribute=level`.
        public var name: String
        /// Users in the group.
        public var users: Int
        /// Mean observed interactions per user.
        public var meanInteractions: Double
        /// Mean ground-truth interest per offer category.
        public var meanTruth: [Double]
        /// Share of the group's observed interactions that fall in each offer category.
        public var observedShare: [Double]
    }

    /// The world's scenario name.
    public var name: String
    /// Users, items and interactions.
    public var users: Int, items: Int, interactions: Int
    /// One line per attribute: level shares, or mean/sd/min/max.
    public var marginals: [String]
    /// Declared correlations with their achieved values.
    public var correlations: [AchievedCorrelation]
    /// Offer category names.
    public var offers: [String]
    /// Figures per level of each protected attribute.
    public var groups: [Group]
    /// The interactions' shape in the statistics published for real datasets (nil without items).
    public var statistics: InteractionStatistics?

    /// Summarises a world.
    public init(_ world: World) {
        let spec = world.spec
        let n = world.userCount
        name = spec.name
        users = n
        items = world.items?.count ?? 0
        interactions = world.interactions.count
        correlations = world.correlations
        offers = world.offerCategories.map { spec.items!.categories[$0].name }
        marginals = spec.attributes.enumerated().map { a, attribute in
            let column = world.attributeValues[a]
            switch attribute.kind {
            case .categorical(let levels, _):
                var counts = [Int](repeating: 0, count: levels.count)
                for v in column { counts[Int(v)] += 1 }
                return "\(attribute.name): " + levels.indices.map {
                    "\(levels[$0]) \(Self.fixed(Double(counts[$0]) / Double(max(n, 1)), 3))"
                }.joined(separator: ", ")
            case .boolean:
                let t = column.reduce(0, +)
                return "\(attribute.name): true \(Self.fixed(t / Double(max(n, 1)), 3))"
            case .numeric:
                let mean = column.reduce(0, +) / Double(max(n, 1))
                let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(n - 1, 1))).squareRoot()
                return "\(attribute.name): mean \(Self.fixed(mean, 3)), sd \(Self.fixed(sd, 3)), "
                    + "min \(Self.fixed(column.min() ?? 0, 3)), max \(Self.fixed(column.max() ?? 0, 3))"
            }
        }
        var groups: [Group] = []
        let table = world.interactions
        for a in spec.protectedAttributes {
            let levelNames: [String]
            switch spec.attributes[a].kind {
            case .categorical(let levels, _): levelNames = levels
            case .boolean: levelNames = ["false", "true"]
            case .numeric: continue
            }
            for (l, level) in levelNames.enumerated() {
                var count = 0, activity = 0
                var truth = [Double](repeating: 0, count: offers.count)
                var offerCount = [Double](repeating: 0, count: offers.count)
                var total = 0.0
                for row in 0..<n where Int(world.attributeValues[a][row]) == l {
                    count += 1
                    activity += table.entries(row: row).count
                    for o in offers.indices { truth[o] += world.truth[o][row] }
                    if let catalog = world.items {
                        for p in table.entries(row: row) {
                            let w = Double(abs(table.weights[p]))
                            total += w
                            if let o = world.offerCategories.firstIndex(of: Int(catalog.category[Int(table.items[p])])) {
                                offerCount[o] += w
                            }
                        }
                    }
                }
                groups.append(Group(
                    name: "\(spec.attributes[a].name)=\(level)", users: count,
                    meanInteractions: Double(activity) / Double(max(count, 1)),
                    meanTruth: truth.map { $0 / Double(max(count, 1)) },
                    observedShare: offerCount.map { $0 / max(total, 1) }))
            }
        }
        self.groups = groups
        statistics = world.items == nil ? nil : InteractionStatistics(world.interactionData().matrix)
    }

    /// A plain-text report.
    public var description: String {
        var lines = ["\(name): \(users) users, \(items) items, \(interactions) interactions"]
        if let s = statistics {
            lines.append("behaviour: \(Self.fixed(s.meanItemsPerUser, 1)) items per user (median "
                + "\(Self.fixed(s.medianItemsPerUser, 0))), \(Self.fixed(s.meanWeightPerUser, 1)) interactions per user; "
                + "item popularity Gini \(Self.fixed(s.itemGini, 3)), top 1% of items hold "
                + "\(Self.fixed(100 * s.topOnePercentShare, 1))% of user–item pairs")
        }
        lines.append("marginals:")
        lines += marginals.map { "  " + $0 }
        if !correlations.isEmpty {
            lines.append("latent correlations (target → achieved ± s.e.):")
            for c in correlations {
                lines.append("  \(c.first) ~ \(c.second): \(Self.fixed(c.used, 3)) → \(Self.fixed(c.achieved, 3)) "
                    + "± \(Self.fixed(c.standardError, 3))")
            }
        }
        if !groups.isEmpty, !offers.isEmpty {
            lines.append("protected groups (mean true interest | share of observed interactions):")
            for g in groups {
                let figures = offers.indices.map {
                    "\(offers[$0]) \(Self.fixed(g.meanTruth[$0], 4)) | \(Self.fixed(g.observedShare[$0], 4))"
                }
                lines.append("  \(g.name) (\(g.users) users, \(Self.fixed(g.meanInteractions, 1)) interactions each): "
                    + figures.joined(separator: "; "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `x` with `digits` decimals, without Foundation.
    static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return x.description }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let whole = Int(scaled / scale)
        var fraction = String(Int(scaled - Double(whole) * scale))
        while fraction.count < digits { fraction = "0" + fraction }
        let sign = x < 0 && scaled > 0 ? "-" : ""
        return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
}
