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
                let truth = rate(truthSelected), observed = rate(observedSelected), model = rate(c.targeted)
                let rows = groupings[g].levels.indices.map { l in
                    Attribution.Row(group: groupings[g].levels[l], members: Int(members(g, l)),
                                    truth: estimate { truth($0, l) }, observed: estimate { observed($0, l) },
                                    model: estimate { model($0, l) })
                }
                func gap(_ r: Int, _ f: (Int, Int) -> Double?) -> Double? { spread(g, r, f) }
                func increment(_ r: Int, _ a: (Int, Int) -> Double?, _ b: (Int, Int) -> Double?) -> Double? {
                    guard let x = gap(r, a), let y = gap(r, b) else { return nil }
                    return x - y
                }
                result.append(Attribution(
                    offer: engine.data.offers[o], attribute: groupings[g].name, groups: rows,
                    truthGap: estimate { gap($0, truth) }, observedGap: estimate { gap($0, observed) },
                    modelGap: estimate { gap($0, model) },
                    addedByData: estimate { increment($0, observed, truth) },
                    addedByModel: estimate { increment($0, model, observed) }))
            }
        }
        return result
    }
}
