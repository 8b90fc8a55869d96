#if canImport(Glibc)
internal import Glibc
#endif

/// Counterfactual tests: flips, exposure changes and score changes of exact twins.
extension FindingBuilder {
    mutating func counterfactual(_ w: Int, _ world: CounterfactualWorld, deltas: AuditEngine.Columns.World)
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
            estimate { r in
                let d = total(r, a)
                return d > 0 ? total(r, column) / d : nil
            }
        }
        var offers: [CounterfactualSummary.Offer] = []
        for o in 0..<engine.offers {
            let c = lw.offers[o]
            let up = Int(total(0, c.up)), down = Int(total(0, c.down))
            let byGroup = groupValues(g, numerator: { [tallies] r, l in tallies.sum(r, g, l, c.up) + tallies.sum(r, g, l, c.down) },
                                      denominator: { [tallies] r, l in tallies.sum(r, g, l, a) })
                .filter { $0.group != groupings[g].levels[world.level] }
            let flipRate = estimate { r in
                let d = total(r, a)
                return d > 0 ? (total(r, c.up) + total(r, c.down)) / d : nil
            }
            let flipTest = addTest(affected > 0 ? .tested(pValue: Significance.mcNemar(up: up, down: down))
                                   : .insufficient(reason: "no user's attribute changes in this world"))
            if let metric = metric("counterfactual_flip_rate") {
                add(metric, offer: o, attribute: g, world: name, estimate: flipRate,
                    undefined: "undefined: no affected users", tests: [flipTest],
                    note: "; \(up) users targeted only as their twin, \(down) only as themselves", groups: byGroup)
            }
            var exposureChange: Estimate?
            if let exposureUp = c.exposureUp, let exposureDown = c.exposureDown,
               let metric = metric("counterfactual_exposure_change") {
                let change = estimate { r in
                    let d = total(r, a)
                    return d > 0 ? (total(r, exposureUp) - total(r, exposureDown)) / d : nil
                }
                exposureChange = change
                let eu = Int(total(0, exposureUp)), ed = Int(total(0, exposureDown))
                let exposureTest = addTest(affected > 0 ? .tested(pValue: Significance.mcNemar(up: eu, down: ed))
                                           : .insufficient(reason: "no user's attribute changes in this world"))
                add(metric, offer: o, attribute: g, world: name, estimate: change,
                    undefined: "undefined: no affected users", tests: [exposureTest],
                    note: "; offer enters \(eu) twins' top-\(configuration.k) and leaves \(ed)", groups: [])
            }
            var changes: [Double] = []
            for u in 0..<engine.n where deltas.affected[u] { changes.append(Double(deltas.delta[u * engine.offers + o])) }
            changes.sort()
            offers.append(CounterfactualSummary.Offer(
                offer: engine.data.offers[o], flipUp: share(c.up), flipDown: share(c.down), flipRate: flipRate,
                flipsUp: up, flipsDown: down, exposureChange: exposureChange,
                scoreDelta: share(c.delta),
                scoreDeltaQuantiles: changes.isEmpty ? [] : [0.05, 0.25, 0.5, 0.75, 0.95].map { Self.quantile(changes, $0) },
                byGroup: byGroup))
        }
        return CounterfactualSummary(
            world: name, kind: world.kind, attribute: groupings[g].name, level: groupings[g].levels[world.level],
            kept: world.kept, affected: Int(affected), topKJaccard: lw.jaccard.map { share($0) },
            offers: offers)
    }
}
