#if canImport(Glibc)
internal import Glibc
#endif

/// Attribution of a selection-rate gap to the world, the data and the model.
extension FindingBuilder {
    func attribution() -> [Attribution] {
        var result: [Attribution] = []
        for o in 0..<engine.offers {
            let c = layout.offers[o]
            guard let truthSelected = c.truthSelected, let observedSelected = c.observedSelected else { continue }
            for g in groupings.indices {
                func rate(_ column: Int) -> (Int, Int) -> Double? {
                    { r, l in
                        let m = tallies.sum(r, g, l, 0)
                        return m > 0 ? tallies.sum(r, g, l, column) / m : nil
                    }
                }
                func share(_ column: Int, _ l: Int) -> Estimate {
                    let x = tallies.sum(0, g, l, column), n = members(g, l)
                    return interval(n > 0 ? x / n : nil, .wilson(successes: x, trials: n))
                }
                /// A selection's gap (max − min of its rates) with its Wald-projection interval.
                func gap(_ column: Int) -> Estimate {
                    let groups = summaries(g) { Self.proportion(tallies.sum(0, g, $0, column), members(g, $0)) }
                    return interval(groups.flatMap(Self.spreadValue), groups.map { .spread($0) } ?? .none)
                }
                let truth = rate(truthSelected), observed = rate(observedSelected), model = rate(c.targeted)
                let rows = groupings[g].levels.indices.map { l in
                    Attribution.Row(group: groupings[g].levels[l], members: Int(members(g, l)),
                                    truth: share(truthSelected, l), observed: share(observedSelected, l),
                                    model: share(c.targeted, l))
                }
                // An increment is a difference of two gaps on the same users: its standard error comes from the
                // bootstrap replicates, which keep the two gaps' dependence.
                func increment(_ r: Int, _ a: (Int, Int) -> Double?, _ b: (Int, Int) -> Double?) -> Double? {
                    guard let x = spread(g, r, a), let y = spread(g, r, b) else { return nil }
                    return x - y
                }
                result.append(Attribution(
                    offer: engine.data.offers[o], attribute: groupings[g].name, groups: rows,
                    truthGap: gap(truthSelected), observedGap: gap(observedSelected), modelGap: gap(c.targeted),
                    addedByData: bootstrapNormal { increment($0, observed, truth) },
                    addedByModel: bootstrapNormal { increment($0, model, observed) }))
            }
        }
        return result
    }
}
