#if canImport(Glibc)
internal import Glibc
#endif
public import FileSupport
import Linear
public import Recommender
import Statistics
public import TrainingData

/// A user-level membership inference attack on a released factor model: given the histories of the users it was
/// trained on (members) and of users of the same population it never saw (non-members), how well can an attacker
/// who knows a user's history tell whether that history trained the model?
///
/// Every user gets one score, higher meaning "more likely a member"; the attack is judged by the area under its
/// ROC curve (0.5: it cannot tell) and by the **empirical lower bound on ε** its best threshold proves
/// (``EmpiricalEpsilon``, after Jagielski et al. 2020 and Nasr et al. 2021). An (ε, δ)-differentially private
/// release bounds every attack: TPR ≤ e^ε·FPR + δ. So on a private model the empirical ε must stay below the
/// promised one — if it ever exceeds it, the implementation or the accounting is wrong.
///
/// Two attackers (``Variant``):
/// - ``Variant/factors``: the attacker has the item factors and the model's fold-in rule (what a user-level
///   differentially private release publishes). They fold the user in from their history and score the share of
///   the fold-in's weighted loss that the best user vector explains, `1 − J(x*)/J(0)`. At the solution of
///   `(YᵀC Y + λI) x = YᵀC p`, `J(x*) = Σ c·p − bᵀx*`, so the share is `Σ c·p·ŝ / Σ c·p` over the user's positive
///   entries: the confidence-weighted mean folded-in score of their own items, in [0, 1] whatever the history's
///   length. Members' histories shaped the item factors, so they tend to be explained better.
/// - ``Variant/lists``: the attacker sees only the top-K list the service serves the user (over the whole
///   catalogue, items the user already has included) beside the user's history, as in Zhang et al. 2021 (CCS).
///   Every user — member or not — is served by folding their history into the released item factors, as a
///   service does for a user whose history it holds, so the two groups differ only by what the item factors
///   learned from the members. The score is the share of the list the history fills, `|list ∩ history| / min(K,
///   |history|)`. (Serving members from the model's stored user factors would compare two different services:
///   those factors come from an earlier item-side sweep, and under joint DP they are the user's own, outside the
///   promise — a private model's members then score *below* non-members, an artefact, not a leak.)
///
/// Members and non-members are sampled to equal numbers by a seeded hash of their ids
/// (``Linear/RandomStream/membershipSample``); members with no user factors (left out of training by its
/// selection) and users without a positive interaction are not scored. The result depends only on the inputs and
/// the seed, never on the thread count.
///
/// ```swift
/// let attack = try MembershipAttack(variant: .factors, seed: 7)
/// let outcome = try attack.run(model: model, members: world, nonMembers: fresh)
/// print(outcome.area, outcome.epsilon.value)
/// ```
public struct MembershipAttack: Sendable, Equatable {
    /// What the attacker observes besides a user's history.
    public enum Variant: String, Sendable, Equatable, Codable, CaseIterable {
        /// The item factors and the fold-in rule: scores the share of the user's fold-in loss they explain.
        case factors
        /// Only the top-K list served to the user: scores the share of it their history fills.
        case lists
    }

    /// The δ assumed when neither the caller nor the model's privacy guarantee gives one.
    public static let defaultDelta = 1e-5

    /// The attacker.
    public var variant: Variant
    /// K, the length of the lists the ``Variant/lists`` attacker sees.
    public var listLength: Int
    /// The seed of the sample (equal numbers of members and non-members) and of its two halves.
    public var seed: UInt64
    /// δ of the empirical bound; `nil`: the model's promised δ, or ``defaultDelta`` for a model without one.
    public var delta: Double?
    /// Confidence level of the AUC's interval and of the empirical ε (each Clopper–Pearson bound is one-sided at
    /// 1 − (1 − level)/2, so both hold together with probability at least `level`).
    public var level: Double
    /// Worker threads (the result does not depend on it).
    public var threads: Int

    /// Creates an attack, checking its parameters.
    ///
    /// - Throws: ``FairgroundError`` for the parameter `delta` outside (0, 1), `listLength` below 1 or `level`
    ///   outside (0, 1).
    public init(variant: Variant = .factors, listLength: Int = 10, seed: UInt64 = 0, delta: Double? = nil,
                level: Double = 0.95, threads: Int = 1) throws(FairgroundError) {
        if let delta, !(delta > 0 && delta < 1) {
            throw FairgroundError.parameter("delta", expected: "δ in (0, 1), e.g. 1e-5", found: "\(delta)")
        }
        guard listLength >= 1 else {
            throw FairgroundError.parameter("listLength", expected: "a list length of at least 1", found: "\(listLength)")
        }
        guard level > 0, level < 1 else {
            throw FairgroundError.parameter("level", expected: "a confidence level in (0, 1)", found: "\(level)")
        }
        self.variant = variant
        self.listLength = listLength
        self.seed = seed
        self.delta = delta
        self.level = level
        self.threads = max(1, threads)
    }

    /// Runs the attack: scores every eligible member and non-member, samples equal numbers of each, and measures
    /// the AUC (DeLong interval), the ROC curve and the empirical ε.
    ///
    /// - Parameters:
    ///   - model: The released model; its user rows are `members`' rows.
    ///   - members: The data the model was trained on (rows in the model's order; what training left out already
    ///     removed, e.g. by ``Recommender/TrainingSelection/masked(_:)``).
    ///   - nonMembers: Users of the same population the model never saw (ids disjoint from the members').
    ///   - modelFile: The model's file, for messages.
    ///   - progress: Called with each stage's name.
    /// - Throws: ``FairgroundError`` naming the data's source when the members are not the model's users or either
    ///   side has other items than the model, when a user id is on both sides, or when fewer than 4 users of a side
    ///   can be scored.
    /// - Complexity: one fold-in per user and, for lists, one top-K per user.
    public func run(model: FactorModel, members: InteractionData, nonMembers: InteractionData,
                    modelFile: String = "the model", progress: (@Sendable (String) -> Void)? = nil)
        throws(FairgroundError) -> Outcome
    {
        try check(model: model, members: members, nonMembers: nonMembers, modelFile: modelFile)
        progress?("scoring members")
        let memberScores = scores(model: model, data: members, members: true)
        progress?("scoring non-members")
        let nonMemberScores = scores(model: model, data: nonMembers, members: false)
        progress?("measuring the attack")
        let m = eligible(memberScores, ids: members.userIDs), n = eligible(nonMemberScores, ids: nonMembers.userIDs)
        let count = min(m.count, n.count)
        guard count >= 4 else {
            let short = m.count < n.count ? members.source : nonMembers.source
            throw FairgroundError(file: short, field: "users",
                                  expected: "at least 4 members and 4 non-members with a positive interaction "
                                      + "(and, for members, user factors)",
                                  found: "\(m.count) members and \(n.count) non-members")
        }
        let memberSample = sample(m, count: count), nonMemberSample = sample(n, count: count)
        let scores = memberSample.map(\.score) + nonMemberSample.map(\.score)
        let labels = [Bool](repeating: true, count: count) + [Bool](repeating: false, count: count)
        let curve = ReceiverOperatingCurve(scores: scores, labels: labels)!
        let interval = curve.interval(level: level)
        let usedDelta: Double, deltaSource: EmpiricalEpsilon.DeltaSource
        if let delta {
            (usedDelta, deltaSource) = (delta, .given)
        } else if let promised = model.privacy?.delta {
            (usedDelta, deltaSource) = (promised, .model)
        } else {
            (usedDelta, deltaSource) = (Self.defaultDelta, .default)
        }
        let epsilon = EmpiricalEpsilon(members: halves(memberSample), nonMembers: halves(nonMemberSample),
                                       delta: usedDelta, deltaSource: deltaSource, level: level)
        return Outcome(
            variant: variant, listLength: variant == .lists ? listLength : nil, seed: seed, level: level,
            members: count, nonMembers: count, eligibleMembers: m.count, eligibleNonMembers: n.count,
            area: curve.area, lower: interval.low, upper: interval.high, standardError: curve.standardError,
            pValue: curve.pValue, roc: Self.curve(members: memberSample.map(\.score),
                                                  nonMembers: nonMemberSample.map(\.score)),
            epsilon: epsilon, promisedEpsilon: model.privacy?.epsilon, promisedDelta: model.privacy?.delta)
    }

    /// Refuses inputs the attack cannot be run on.
    func check(model: FactorModel, members: InteractionData, nonMembers: InteractionData, modelFile: String)
        throws(FairgroundError)
    {
        guard members.users == model.users, members.items == model.items else {
            throw FairgroundError(file: members.source, field: "shape",
                                  expected: "the \(model.users) users × \(model.items) items \(modelFile) was trained "
                                      + "on (the members are the model's own users)",
                                  found: "\(members.users) users × \(members.items) items")
        }
        guard nonMembers.items == model.items else {
            throw FairgroundError(file: nonMembers.source, field: "items",
                                  expected: "the \(model.items) items of \(modelFile) (non-members of the same "
                                      + "population see the same catalogue)", found: "\(nonMembers.items) items")
        }
        let memberIDs = Set(members.userIDs)
        if let shared = nonMembers.userIDs.first(where: memberIDs.contains) {
            throw FairgroundError(file: nonMembers.source, field: "user ids",
                                  expected: "users the model never saw (ids disjoint from the members' in "
                                      + "\(members.source))", found: "user \(shared) on both sides")
        }
    }

    /// Each row's attack score (higher: more likely a member), `nil` for a row that cannot be scored — no positive
    /// interaction, or, for `members`, no user factors (left out of training).
    ///
    /// - Parameter members: Whether the rows are the model's own users (a member without user factors was left
    ///   out of training and is not scored).
    public func scores(model: FactorModel, data: InteractionData, members: Bool) -> [Double?] {
        let rule = model.configuration.foldInRule, k = model.factors
        let trained: [Bool] = (0..<data.users).map { row in
            !members || model.userFactors.elements[(row * k)..<((row + 1) * k)].contains { $0 != 0 }
        }
        let positives: [[(item: Int, weight: Float)]] = (0..<data.users).map { row in
            model.history(ofRow: row, in: data).filter { rule.target($0.weight) > 0 }
        }
        switch variant {
        case .factors:
            let folded = model.foldIn(data, threads: threads).factors
            return (0..<data.users).map { row -> Double? in
                guard trained[row], !positives[row].isEmpty else { return nil }
                var explained = 0.0, total = 0.0
                folded.elements.withUnsafeBufferPointer { x in
                    model.itemFactors.elements.withUnsafeBufferPointer { y in
                        for term in positives[row] {
                            let c = Double(rule.target(term.weight))
                            let s = ScoreKernel.score(x.baseAddress! + row * k, y.baseAddress! + term.item * k, k: k)
                            explained += c * Double(s)
                            total += c
                        }
                    }
                }
                return explained / total
            }
        case .lists:
            let users = model.foldIn(data, threads: threads).factors
            let served = FactorModel(userFactors: users, itemFactors: model.itemFactors,
                                     configuration: model.configuration, iterationsRun: model.iterationsRun)
            let lists = TopKRecommender(scorer: .model(served)).recommend(users: 0..<data.users, k: listLength,
                                                                          threads: threads)
            return (0..<data.users).map { row -> Double? in
                guard trained[row], !positives[row].isEmpty else { return nil }
                let history = Set(positives[row].map(\.item))
                let hits = lists[row].filter { history.contains($0.item) }.count
                return Double(hits) / Double(min(listLength, history.count))
            }
        }
    }

    /// A scored user: its id, score and its sampling keys.
    struct Scored {
        var id: Int
        var score: Double
        /// Orders the sample (which users are kept).
        var order: UInt64
        /// Orders the halves (which kept users calibrate the threshold).
        var half: UInt64
    }

    /// The rows that have a score, with their keys.
    func eligible(_ scores: [Double?], ids: [Int]) -> [Scored] {
        let key = CounterHash.mix(seed ^ UInt64(RandomStream.membershipSample.rawValue))
        return zip(ids, scores).compactMap { id, score in
            score.map { s in
                let base = CounterHash.mix(key ^ UInt64(bitPattern: Int64(id)))
                return Scored(id: id, score: s, order: CounterHash.mix(base ^ 1), half: CounterHash.mix(base ^ 2))
            }
        }
    }

    /// `count` users chosen by their seeded order (ties by id).
    func sample(_ users: [Scored], count: Int) -> [Scored] {
        Array(users.sorted { ($0.order, $0.id) < ($1.order, $1.id) }.prefix(count))
    }

    /// The sample's two halves by the second key: the first calibrates the threshold, the second evaluates it.
    func halves(_ users: [Scored]) -> (calibration: [Double], evaluation: [Double]) {
        let sorted = users.sorted { ($0.half, $0.id) < ($1.half, $1.id) }
        let cut = sorted.count / 2
        return (sorted[..<cut].map(\.score), sorted[cut...].map(\.score))
    }

    /// The ROC curve of "score ≥ t ⇒ member" over every distinct score t, from (0, 0) to (1, 1); with more than
    /// 400 thresholds, 400 of them evenly spaced in rank (and both ends).
    static func curve(members: [Double], nonMembers: [Double]) -> [Outcome.Point] {
        let p = Double(members.count), n = Double(nonMembers.count)
        let points = [Outcome.Point(falsePositiveRate: 0, truePositiveRate: 0, threshold: nil)]
            + EmpiricalEpsilon.operatingPoints(members: members, nonMembers: nonMembers).map {
                Outcome.Point(falsePositiveRate: Double($0.fp) / n, truePositiveRate: Double($0.tp) / p,
                              threshold: $0.threshold)
            }
        guard points.count > 402 else { return points }
        let step = Double(points.count - 1) / 401
        return (0...401).map { points[Int((Double($0) * step).rounded())] }
    }
}
