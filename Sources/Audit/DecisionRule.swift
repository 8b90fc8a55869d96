import FileSupport

/// Who a campaign targets for one offer: the decision the audit judges.
///
/// A rule is fitted once on the factual world and applied unchanged to every twin world and every shard: a top
/// share or a budget becomes the factual world's cut-off (the last user selected: score and tie key), a threshold
/// is its own cut-off. So a twin is targeted exactly when its score would have passed the factual world's bar — the
/// test of whether the same person, changed in one attribute, is treated differently.
///
/// ```swift
/// var configuration = AuditConfiguration()
/// configuration.decisionRules = [OfferRule(offer: "premium_credit", rule: .scoreThreshold(0.42)),
///                                 OfferRule(offer: "payday_loan", rule: .budget(5_000))]
/// ```
///
/// The selection by true interest and by observed interactions that the attribution compares with selects as many
/// users as the model does in the factual world, so the three stages are compared like with like.
public enum DecisionRule: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The top share of users by score (today's campaign; ties broken by a seeded key per user and offer).
    case topShare(Double)
    /// Every user whose score is at least the threshold (the share targeted follows from the scores).
    case scoreThreshold(Float)
    /// The top N users by score.
    case budget(Int)
    /// A score threshold per level of a protected attribute: a user is targeted when their score reaches their
    /// group's threshold (a twin is judged by its own, changed, group's threshold). It uses the protected
    /// attribute at decision time.
    case groupThresholds(attribute: String, thresholds: [String: Float])

    /// Whether the rule decides each user alone (a threshold), with no ranking of the population.
    public var isLocal: Bool {
        switch self {
        case .scoreThreshold, .groupThresholds: true
        case .topShare, .budget: false
        }
    }

    /// The number of users the rule selects among `users`, when it follows from the rule alone (a share or a
    /// budget; `nil` for thresholds).
    public func selectedCount(users n: Int) -> Int? {
        switch self {
        case .topShare(let q): max(1, min(n, Int((q * Double(n) - 1e-9).rounded(.up))))
        case .budget(let b): min(n, b)
        case .scoreThreshold, .groupThresholds: nil
        }
    }

    /// The rule in words: `top 10.0% by score`, `score ≥ 0.42`, `top 5000 users by score`,
    /// `score ≥ its gender group's threshold (female 0.4, male 0.5)`.
    public var description: String {
        switch self {
        case .topShare(let q): "top \(Self.number(q * 100))% by score"
        case .scoreThreshold(let t): "score ≥ \(t)"
        case .budget(let b): "top \(b) users by score"
        case .groupThresholds(let attribute, let thresholds):
            "score ≥ its \(attribute) group's threshold ("
                + thresholds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                    .joined(separator: ", ") + ")"
        }
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? "\(Int(x)).0" : "\(x)"
    }

    /// Checks the rule's own values.
    ///
    /// - Throws: ``FairgroundError`` for the parameter `decisionRules` naming the offer.
    func validate(offer: String) throws(FairgroundError) {
        func fail(_ expected: String, _ found: String) -> FairgroundError {
            FairgroundError.parameter("decisionRules", expected: "for \(offer): " + expected, found: found)
        }
        switch self {
        case .topShare(let q): if !(q > 0 && q < 1) { throw fail("a share in (0, 1)", "\(q)") }
        case .scoreThreshold(let t): if !t.isFinite { throw fail("a finite score threshold", "\(t)") }
        case .budget(let b): if b < 1 { throw fail("a budget of at least 1 user", "\(b)") }
        case .groupThresholds(let attribute, let thresholds):
            if thresholds.isEmpty { throw fail("a threshold for every level of \(attribute)", "none") }
            for (level, t) in thresholds where !t.isFinite {
                throw fail("a finite threshold for \(attribute)=\(level)", "\(t)")
            }
        }
    }

    // MARK: - Coding

    enum CodingKeys: String, CodingKey { case kind, share, threshold, users, attribute, thresholds }

    /// One level's threshold, as files hold them (a list, so level names are never rewritten as keys).
    struct LevelThreshold: Codable {
        var level: String
        var threshold: Float
    }

    /// Decodes `{"kind": "top_share", "share": 0.1}`, `{"kind": "score_threshold", "threshold": 0.4}`,
    /// `{"kind": "budget", "users": 500}` or `{"kind": "group_thresholds", "attribute": "gender", "thresholds":
    /// [{"level": "female", "threshold": 0.4}, {"level": "male", "threshold": 0.5}]}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "top_share": self = .topShare(try c.decode(Double.self, forKey: .share))
        case "score_threshold": self = .scoreThreshold(try c.decode(Float.self, forKey: .threshold))
        case "budget": self = .budget(try c.decode(Int.self, forKey: .users))
        case "group_thresholds":
            let list = try c.decode([LevelThreshold].self, forKey: .thresholds)
            self = .groupThresholds(attribute: try c.decode(String.self, forKey: .attribute),
                                    thresholds: Dictionary(list.map { ($0.level, $0.threshold) }) { $1 })
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c,
                debugDescription: "expected top_share, score_threshold, budget or group_thresholds, found \(other)")
        }
    }

    /// Encodes the form ``init(from:)`` reads.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .topShare(let q):
            try c.encode("top_share", forKey: .kind)
            try c.encode(q, forKey: .share)
        case .scoreThreshold(let t):
            try c.encode("score_threshold", forKey: .kind)
            try c.encode(t, forKey: .threshold)
        case .budget(let b):
            try c.encode("budget", forKey: .kind)
            try c.encode(b, forKey: .users)
        case .groupThresholds(let attribute, let thresholds):
            try c.encode("group_thresholds", forKey: .kind)
            try c.encode(attribute, forKey: .attribute)
            try c.encode(thresholds.sorted { $0.key < $1.key }.map { LevelThreshold(level: $0.key, threshold: $0.value) },
                         forKey: .thresholds)
        }
    }
}

/// An offer's decision rule, as a configuration lists it.
public struct OfferRule: Sendable, Equatable, Codable {
    /// The offer.
    public var offer: String
    /// Its rule.
    public var rule: DecisionRule

    /// Creates an entry.
    public init(offer: String, rule: DecisionRule) {
        self.offer = offer
        self.rule = rule
    }
}
