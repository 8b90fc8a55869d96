#if canImport(Glibc)
internal import Glibc
#endif
import Statistics

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
                let columns: [Attribution.Stage: Int] = [.truth: truthSelected, .observed: observedSelected,
                                                          .model: c.targeted]
                let rows = groupings[g].levels.indices.map { l in
                    Attribution.Row(group: groupings[g].levels[l], members: Int(members(g, l)),
                                    truth: share(truthSelected, l), observed: share(observedSelected, l),
                                    model: share(c.targeted, l))
                }
                let populated = groupings[g].levels.indices.filter { members(g, $0) > 0 }
                func leaning(_ stage: Attribution.Stage) -> Attribution.Leaning {
                    let rated = populated.compactMap { l in rate(columns[stage]!)(0, l).map { (l, $0) } }
                    guard rated.count == populated.count, let top = rated.max(by: { $0.1 < $1.1 }),
                          let bottom = rated.min(by: { $0.1 < $1.1 }), top.1 > bottom.1 else {
                        return Attribution.Leaning(stage: stage, favoured: nil, leastFavoured: nil)
                    }
                    return Attribution.Leaning(stage: stage, favoured: groupings[g].levels[top.0],
                                               leastFavoured: groupings[g].levels[bottom.0])
                }
                let leanings = Attribution.Stage.allCases.map(leaning)
                if populated.count == 2 {
                    // Two groups: one oriented gap, rate(a) − rate(b), a being the group the model favours.
                    var (a, b) = (populated[0], populated[1])
                    if let favoured = leanings[2].favoured, favoured == groupings[g].levels[b] { swap(&a, &b) }
                    func signed(_ column: Int) -> (Int) -> Double? {
                        { r in
                            guard let x = rate(column)(r, a), let y = rate(column)(r, b) else { return nil }
                            return x - y
                        }
                    }
                    /// The signed gap with the Wald interval of a difference of two independent proportions.
                    func gap(_ column: Int) -> Estimate {
                        guard let x = Self.proportion(tallies.sum(0, g, a, column), members(g, a)),
                              let y = Self.proportion(tallies.sum(0, g, b, column), members(g, b)) else {
                            return Estimate(value: nil)
                        }
                        return interval(x.value - y.value,
                                        .normal(value: x.value - y.value, error: (x.variance + y.variance).squareRoot()))
                    }
                    let truth = signed(truthSelected), observed = signed(observedSelected), model = signed(c.targeted)
                    result.append(Attribution(
                        offer: engine.data.offers[o], attribute: groupings[g].name, groups: rows,
                        orientation: [groupings[g].levels[a], groupings[g].levels[b]],
                        truthGap: gap(truthSelected), observedGap: gap(observedSelected), modelGap: gap(c.targeted),
                        addedByData: bootstrapNormal { r in observed(r).flatMap { x in truth(r).map { x - $0 } } },
                        addedByModel: bootstrapNormal { r in model(r).flatMap { x in observed(r).map { x - $0 } } },
                        leaning: leanings))
                    continue
                }
                /// A selection's gap (max − min of its rates) with its Wald-projection interval.
                func gap(_ column: Int) -> Estimate {
                    let groups = summaries(g) { Self.proportion(tallies.sum(0, g, $0, column), members(g, $0)) }
                    return interval(groups.flatMap(Self.spreadValue), groups.map { .spread($0) } ?? .none)
                }
                let truth = rate(truthSelected), observed = rate(observedSelected), model = rate(c.targeted)
                // An increment is a difference of two gaps on the same users: its standard error comes from the
                // bootstrap replicates, which keep the two gaps' dependence.
                func increment(_ r: Int, _ x: (Int, Int) -> Double?, _ y: (Int, Int) -> Double?) -> Double? {
                    guard let u = spread(g, r, x), let v = spread(g, r, y) else { return nil }
                    return u - v
                }
                result.append(Attribution(
                    offer: engine.data.offers[o], attribute: groupings[g].name, groups: rows, orientation: nil,
                    truthGap: gap(truthSelected), observedGap: gap(observedSelected), modelGap: gap(c.targeted),
                    addedByData: bootstrapNormal { increment($0, observed, truth) },
                    addedByModel: bootstrapNormal { increment($0, model, observed) },
                    leaning: leanings))
            }
        }
        return result
    }
}
