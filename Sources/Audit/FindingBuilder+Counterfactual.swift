#if canImport(Glibc)
internal import Glibc
#endif
import Statistics

/// Counterfactual tests: flips, exposure changes and score changes of exact twins.
extension FindingBuilder {
    /// The interval of (up − down) / n for paired yes/no outcomes (each user counts +1, −1 or 0): normal, with
    /// the variance of Agresti & Min (2005), who add ½ to each cell of the paired table, so that no flips at all
    /// still give an interval around 0 instead of the single point 0.
    static func pairedDifference(up: Double, down: Double, of n: Double) -> IntervalMethod {
        guard n > 0 else { return .none }
        let a = (up + 0.5) / (n + 2), b = (down + 0.5) / (n + 2)
        return .normal(value: (up - down) / n, error: ((a + b - (a - b) * (a - b)) / n).squareRoot())
    }

    mutating func counterfactual(_ w: Int, _ world: CounterfactualWorld, quantiles: [[Double]])
        -> CounterfactualSummary
    {
        let g = world.attribute
        let lw = layout.worlds[w]
        let name = world.name(engine.data.attributes)
        let levels = groupings[g].levels.indices.filter { $0 != world.level }
        let a = lw.affected
        func total(_ r: Int, _ column: Int) -> Double { levels.reduce(0) { $0 + tallies.sum(r, g, $1, column) } }
        let affected = total(0, a)
        func share(_ column: Int) -> Estimate {
            let x = total(0, column)
            return interval(affected > 0 ? x / affected : nil, .wilson(successes: x, trials: affected))
        }
        /// The mean of a per-user column over affected users, with a normal interval from its moments.
        func mean(_ column: Int) -> Estimate {
            let m = levels.reduce(Significance.Moments(count: 0, sum: 0, sumOfSquares: 0)) { t, l in
                let x = tallies.moments(g, l, column, count: a)
                return .init(count: t.count + x.count, sum: t.sum + x.sum, sumOfSquares: t.sumOfSquares + x.sumOfSquares)
            }
            guard m.count > 0 else { return Estimate(value: nil) }
            let error = m.count > 1 ? (m.variance / m.count).squareRoot() : .infinity
            return interval(m.sum / m.count, .normal(value: m.sum / m.count, error: error))
        }
        let noneAffected = Significance.Outcome.insufficient(reason: "no user's attribute changes in this world")
        var offers: [CounterfactualSummary.Offer] = []
        for o in 0..<engine.offers {
            let c = lw.offers[o]
            let up = Int(total(0, c.up)), down = Int(total(0, c.down))
            let byGroup = rateValues(g, numerator: { [tallies] l in tallies.sum(0, g, l, c.up) + tallies.sum(0, g, l, c.down) },
                                     denominator: { [tallies] l in tallies.sum(0, g, l, a) })
                .filter { $0.group != groupings[g].levels[world.level] }
            let flips = Double(up + down)
            let flipRate = interval(affected > 0 ? flips / affected : nil, .wilson(successes: flips, trials: affected))
            let tolerance = configuration.flipTolerance
            if let metric = metric(.counterfactualFlipRate) {
                let flipTest = addTest(affected > 0
                    ? .tested(pValue: Significance.binomialUpperTail(up + down, of: Int(affected), rate: tolerance))
                    : noneAffected)
                let floor = tolerance > 0 ? "more than \(tolerance) of twins" : "any twin"
                add(metric, offer: o, attribute: g, world: name, value: flipRate.value,
                    interval: .wilson(successes: flips, trials: affected), undefined: "undefined: no affected users",
                    tests: [flipTest],
                    note: "; \(up + down) of \(Int(affected)) affected users' decisions differ from their twin's "
                        + "(tested against \(floor) flipping)", groups: byGroup)
            }
            if let metric = metric(.counterfactualNetFlipRate) {
                let directionTest = addTest(affected > 0 ? .tested(pValue: Significance.mcNemar(up: up, down: down))
                                            : noneAffected)
                let net = affected > 0 ? Double(up - down) / affected : nil
                add(metric, offer: o, attribute: g, world: name, value: net,
                    interval: Self.pairedDifference(up: Double(up), down: Double(down), of: affected),
                    undefined: "undefined: no affected users",
                    tests: [directionTest],
                    note: "; \(up) users targeted only as their twin, \(down) only as themselves", groups: [])
            }
            var exposureChange: Estimate?
            if let exposureUp = c.exposureUp, let exposureDown = c.exposureDown,
               let metric = metric(.counterfactualExposureChange) {
                let eu = Int(total(0, exposureUp)), ed = Int(total(0, exposureDown))
                // Entering and leaving exclude each other: each twin counts +1, −1 or 0, a paired difference.
                let value = affected > 0 ? Double(eu - ed) / affected : nil
                let method = Self.pairedDifference(up: Double(eu), down: Double(ed), of: affected)
                exposureChange = interval(value, method)
                let exposureTest = addTest(affected > 0 ? .tested(pValue: Significance.mcNemar(up: eu, down: ed))
                                           : noneAffected)
                add(metric, offer: o, attribute: g, world: name, value: value, interval: method,
                    undefined: "undefined: no affected users", tests: [exposureTest],
                    note: "; offer enters \(eu) twins' top-\(configuration.k) and leaves \(ed)", groups: [])
            }
            offers.append(CounterfactualSummary.Offer(
                offer: engine.data.offers[o], flipUp: share(c.up), flipDown: share(c.down), flipRate: flipRate,
                flipsUp: up, flipsDown: down, exposureChange: exposureChange,
                scoreDelta: mean(c.delta),
                scoreDeltaQuantiles: quantiles[o],
                byGroup: byGroup))
        }
        return CounterfactualSummary(
            world: name, kind: world.kind, attribute: groupings[g].name, level: groupings[g].levels[world.level],
            kept: world.kept, affected: Int(affected), topKJaccard: lw.jaccard.map { mean($0) },
            offers: offers)
    }
}
