import Audit

/// Where a selection-rate gap comes from, in words: each stage's direction, and which stage widens, narrows or
/// reverses it.
extension AuditAnswers {
    /// Where a gap comes from, stage by stage (truth, data, model), with the direction of each.
    static func attributionSentences(_ a: Attribution, level: String) -> [String] {
        guard let truth = a.truthGap.value, let observed = a.observedGap.value, let model = a.modelGap.value else {
            return []
        }
        let data = a.addedByData.value, added = a.addedByModel.value
        guard let pair = a.orientation, pair.count == 2 else {
            let modelInterval = a.addedByModel.lower.map {
                ", \(level) interval \(points($0)) to \(points(a.addedByModel.upper))"
            } ?? ""
            // More than two groups: spreads, with the groups each stage favours most and least.
            func lean(_ stage: Attribution.Stage, _ gap: Double, _ verb: String = "favours") -> String {
                guard let l = a.leaning(stage), let top = l.favoured, let bottom = l.leastFavoured else {
                    return "\(verb) no group"
                }
                return "\(verb) \(top) over \(bottom) by \(points(gap)) points"
            }
            return ["Where it comes from (highest − lowest group rate at each stage): true interest "
                    + "\(lean(.truth, truth)); the observed data \(lean(.observed, observed, "favour")); the model's targeting "
                    + "\(lean(.model, model))" + (added.map { " — the model \($0 >= 0 ? "widens" : "narrows") the "
                        + "spread by \(points(abs($0))) points\(modelInterval)" } ?? "") + "."]
        }
        let (first, second) = (pair[0], pair[1])
        func favours(_ gap: Double, _ verb: String = "favours") -> String {
            gap > 0 ? "\(verb) \(first) by \(points(gap)) points" : gap < 0 ? "\(verb) \(second) by \(points(-gap)) points"
                : "\(verb) neither group"
        }
        // The model's increment towards the group it moves the gap to, with its interval in the same direction.
        var modelInterval = ""
        if let added, let lo = a.addedByModel.lower, let hi = a.addedByModel.upper {
            modelInterval = added >= 0 ? " (\(level) interval \(points(lo)) to \(points(hi)))"
                : " (\(level) interval \(points(-hi)) to \(points(-lo)))"
        }
        func towards(_ x: Double) -> String { x >= 0 ? first : second }
        /// How a stage changes the gap it receives: reverses, widens or narrows it.
        func change(_ before: Double, _ after: Double) -> String {
            if before != 0 && after != 0 && (before > 0) != (after > 0) { return "reverses" }
            return abs(after) > abs(before) ? "widens" : abs(after) < abs(before) ? "narrows" : "keeps"
        }
        var sentence = "Where it comes from: true interest \(favours(truth)); the observed data \(favours(observed, "favour"))"
        if let data {
            let verb = change(truth, observed)
            sentence += " (the data \(verb == "keeps" ? "keep" : String(verb.dropLast())) the gap, moving it "
                + "\(points(abs(data))) points towards \(towards(data)))"
        }
        sentence += "; the model's targeting \(favours(model))"
        let verb = change(observed, model)
        if let added {
            sentence += verb == "reverses"
                ? " — **the model reverses the gap**, moving it \(points(abs(added))) points towards \(towards(added))\(modelInterval)"
                : " — the model \(verb) it, moving it \(points(abs(added))) points towards \(towards(added))\(modelInterval)"
        }
        // The stages add up to the model's gap: the largest contribution in its direction is where it comes from
        // (a stage that pushed the other way is not credited with it).
        let parts = [(truth, "mostly in the world: true interest differs"), (data ?? 0, "mostly the data's"),
                     (added ?? 0, "mostly the model's")]
        let direction: Double = model >= 0 ? 1 : -1
        sentence += ". The gap is " + parts.max { direction * $0.0 < direction * $1.0 }!.1 + "."
        return [sentence]
    }
}
