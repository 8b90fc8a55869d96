import Linear

/// Who is targeted: the tie keys, the rankings (the model's, true and observed interest), each offer's decision
/// rule fitted on the factual world (``Decision``), and the counts each ranking selects.
extension AuditEngine {
    /// A rank key per user and offer (`users × offers`, row-major) that breaks ties between equal values without
    /// favouring low ids — and independently per offer, so equal scores do not target the same users for every
    /// offer. Keyed by (seed, user id, offer index).
    package func tieKeys() -> [UInt64] {
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
    package struct RankKey: Comparable {
        package var value: Float
        package var key: UInt64
        package var user: Int32

        package static func < (a: RankKey, b: RankKey) -> Bool { a.value != b.value ? a.value > b.value : a.key < b.key }
        package static func == (a: RankKey, b: RankKey) -> Bool { a.value == b.value && a.key == b.key }
    }

    /// The top `count` users by `value(u)` (ties by the offer's key): membership and the last selected
    /// (value, key) — for no user, a cut-off nobody reaches. `keys` is `users × offers`, row-major.
    package static func selectTop(count: Int, users n: Int, keys: [UInt64], offer o: Int, offers: Int,
                          value: (Int) -> Float) -> (selected: [Bool], cutoff: (value: Float, key: UInt64))
    {
        var selected = [Bool](repeating: false, count: n)
        guard count > 0 else { return (selected, (.infinity, 0)) }
        var ranking = (0..<n).map { RankKey(value: value($0), key: keys[$0 * offers + o], user: Int32($0)) }
        ranking.sort()
        for r in ranking.prefix(count) { selected[Int(r.user)] = true }
        let last = ranking[count - 1]
        return (selected, (last.value, last.key))
    }

    /// One ranking of the users: per offer, by the model's score, by true interest (the top target share, and the
    /// interest share when it is one) and by observed interest.
    package struct Ranking: Sendable, Equatable {
        package enum Source: Sendable, Equatable { case model, truth, interest(Double), observed }
        package var offer: Int
        package var source: Source

        /// "model", "truth", "interest" or "observed".
        package var name: String {
            switch source {
            case .model: "model"
            case .truth: "truth"
            case .interest: "interest"
            case .observed: "observed"
            }
        }
    }

    /// The rankings the data and configuration call for, in a fixed order: per offer the model's, then (with a
    /// truth) true interest at the model's count and — when "truly interested" is another count — at the interest
    /// share, then observed interest at the model's count.
    package var rankings: [Ranking] {
        var result: [Ranking] = []
        for o in 0..<offers {
            result.append(Ranking(offer: o, source: .model))
            if data.truth != nil {
                result.append(Ranking(offer: o, source: .truth))
                switch configuration.interest {
                case .topShare(let q)?: result.append(Ranking(offer: o, source: .interest(q)))
                case nil where !truthIsInterest(o):
                    result.append(Ranking(offer: o, source: .interest(configuration.targetShare)))
                default: break
                }
            }
            if data.observed != nil { result.append(Ranking(offer: o, source: .observed)) }
        }
        return result
    }

    /// The decision rule of offer `o`.
    package func rule(_ o: Int) -> DecisionRule { configuration.decisionRule(forOffer: data.offers[o]) }

    /// Whether the truth ranking at the model's count is also "truly interested" (the top target share by
    /// interest): with no interest rule configured and the offer's campaign the top target share.
    package func truthIsInterest(_ o: Int) -> Bool {
        configuration.interest == nil && rule(o) == .topShare(configuration.targetShare)
    }

    /// The last user a ranking selects: its value and tie key.
    package struct Cutoff: Sendable, Equatable {
        package var value: Float
        package var key: UInt64

        /// A cut-off at `value` with tie key `key`.
        package init(value: Float, key: UInt64) {
            self.value = value
            self.key = key
        }
    }

    /// An offer's decision as fitted on the factual world and applied unchanged to every twin and shard: a user
    /// (or twin) is targeted when their score passes the cut-off — the one cut-off, or their group's.
    package struct Decision: Sendable, Equatable {
        /// The protected attribute (index into the data's attributes) whose level picks the cut-off, if any.
        package var attribute: Int?
        /// One cut-off, or one per level of ``attribute``.
        package var cutoffs: [Cutoff]

        /// Whether a score with this tie key, of a user at `level` of ``attribute``, is targeted.
        package func selects(_ value: Float, key: UInt64, level: Int) -> Bool {
            let c = attribute == nil ? cutoffs[0] : cutoffs[level]
            return value > c.value || (value == c.value && key <= c.key)
        }
    }

    /// The decision a local rule (a threshold) makes by itself, needing no ranking: a threshold is a cut-off
    /// every tie key passes.
    package func localDecision(_ o: Int) -> Decision? {
        switch rule(o) {
        case .scoreThreshold(let t): return Decision(attribute: nil, cutoffs: [Cutoff(value: t, key: .max)])
        case .groupThresholds(let attribute, let thresholds):
            let a = data.attributes.firstIndex { $0.name == attribute }!
            return Decision(attribute: a, cutoffs: data.attributes[a].levels.map { Cutoff(value: thresholds[$0]!, key: .max) })
        case .topShare, .budget: return nil
        }
    }

    /// Applies the local decisions (`nil`: a ranked offer, left alone) to these users' factual scores; returns how
    /// many each selects.
    package func decideLocally(_ decisions: [Decision?], keys: [UInt64], into targeted: inout [Bool]) -> [Int] {
        var selected = [Int](repeating: 0, count: offers)
        for o in 0..<offers {
            guard let decision = decisions[o] else { continue }
            let levels = decision.attribute.map { data.attributes[$0].membership }
            for u in 0..<n {
                let at = u * offers + o
                targeted[at] = decision.selects(data.scores[at], key: keys[at], level: levels.map { Int($0[u]) } ?? 0)
                if targeted[at] { selected[o] += 1 }
            }
        }
        return selected
    }

    /// The value ranking `r` orders user `u` by.
    package func value(_ r: Ranking, _ u: Int) -> Float {
        let at = u * offers + r.offer
        switch r.source {
        case .model: return data.scores[at]
        case .truth, .interest: return data.truth![at]
        case .observed: return data.observed![at]
        }
    }

    /// How many of `users` ranking `r` selects, under `rule` (its offer's), when the model selected
    /// `modelSelected` of them (for a local rule, whose count follows from the scores).
    package static func selectedCount(_ r: Ranking, rule: DecisionRule, users n: Int, modelSelected: Int) -> Int {
        if case .interest(let q) = r.source { return DecisionRule.topShare(q).selectedCount(users: n)! }
        return rule.selectedCount(users: n) ?? modelSelected
    }
}
