import FileSupport
/// Everything an audit examines, already computed: who belongs to which group, each user's offer scores in the
/// factual world and in counterfactual ones, the ground truth, and optionally the recommendation lists.
///
/// ``ModelAudit`` fills it from a generated world and a factor model; ``ScoreFile`` from an external model's
/// score files. A Swift test can also build one directly.
public struct AuditData: Sendable {
    /// Global user ids, one per row.
    public var userIDs: [Int]
    /// The protected attributes (intersections are formed by the audit).
    public var attributes: [Grouping]
    /// Offer names, one per score column.
    public var offers: [String]
    /// Factual offer scores, `users × offers`, row-major: higher means more likely to be targeted.
    public var scores: [Float]
    /// True interest, `users × offers` (from the generator's ground truth), when known.
    public var truth: [Float]?
    /// Observed interest, `users × offers` (interaction weight in the offer's items), when known.
    public var observed: [Float]?
    /// The factual recommendation lists, when the model makes them.
    public var lists: RankedLists?
    /// Counterfactual worlds, each scored by the same model.
    public var counterfactuals: [CounterfactualWorld]
    /// What was audited, when known.
    public var model: ModelCard?
    /// Which world the data come from, when known (recorded in the report; baselines are checked against it).
    public var world: WorldIdentity?
    /// What the privacy view examines (consent, served lists, traits and features to probe); `nil`: no privacy
    /// view.
    public var privacy: PrivacyData?

    /// Creates audit data.
    public init(userIDs: [Int], attributes: [Grouping], offers: [String], scores: [Float], truth: [Float]? = nil,
                observed: [Float]? = nil, lists: RankedLists? = nil, counterfactuals: [CounterfactualWorld] = [],
                model: ModelCard? = nil, world: WorldIdentity? = nil) {
        self.userIDs = userIDs
        self.attributes = attributes
        self.offers = offers
        self.scores = scores
        self.truth = truth
        self.observed = observed
        self.lists = lists
        self.counterfactuals = counterfactuals
        self.model = model
        self.world = world
    }

    /// Number of users.
    public var users: Int { userIDs.count }

    /// Checks that every table has one row per user.
    public func validate() throws(FairgroundError) {
        let n = users, o = offers.count
        func check(_ count: Int, _ expected: Int, _ field: String) throws(FairgroundError) {
            if count != expected {
                throw FairgroundError.parameter("data", field: field, expected: "\(expected) values", found: "\(count)")
            }
        }
        if n == 0 { throw FairgroundError.parameter("data", field: "users", expected: "at least one user") }
        if o == 0 { throw FairgroundError.parameter("data", field: "offers", expected: "at least one offer") }
        if attributes.isEmpty {
            throw FairgroundError.parameter("data", field: "attributes", expected: "at least one protected attribute")
        }
        for a in attributes { try check(a.membership.count, n, "attributes.\(a.name)") }
        try check(scores.count, n * o, "scores")
        if let truth { try check(truth.count, n * o, "truth") }
        if let observed { try check(observed.count, n * o, "observed") }
        if let lists { try check(lists.items.count, n * lists.k, "lists") }
        func finite(_ values: [Float], _ field: String) throws(FairgroundError) {
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw FairgroundError.parameter("data", field: field, expected: "finite values",
                                 found: "\(values[bad]) for user \(userIDs[bad / o])")
            }
        }
        try finite(scores, "scores")
        if let truth { try finite(truth, "truth") }
        if let observed { try finite(observed, "observed") }
        for w in counterfactuals {
            try check(w.scores.count, n * o, "counterfactual \(w.name(attributes)).scores")
            try finite(w.scores, "counterfactual \(w.name(attributes)).scores")
            if let l = w.lists, let lists { try check(l.count, n * lists.k, "counterfactual \(w.name(attributes)).lists") }
        }
        if let privacy {
            if let consent = privacy.consent { try check(consent.count, n, "privacy.consent") }
            if let list = privacy.optedOutList, let lists { try check(list.count, lists.k, "privacy.optedOutList") }
            for t in privacy.traits { try check(t.labels.count, n, "privacy.traits.\(t.attribute)") }
            for s in privacy.sources {
                try check(s.features.rows, n, "privacy.sources.\(s.name)")
                if let bad = s.features.elements.firstIndex(where: { !$0.isFinite }) {
                    throw FairgroundError.parameter("data", field: "privacy.sources.\(s.name)", expected: "finite values",
                                     found: "\(s.features.elements[bad]) for user \(userIDs[bad / max(1, s.features.columns)])")
                }
            }
            for c in privacy.sensitiveCategories {
                if let offerOfItem = lists?.offerOfItem { try check(c.items.count, offerOfItem.count, "privacy.sensitiveCategories.\(c.name)") }
            }
        }
    }
}

/// Top-K recommendation lists of every user, and which offer each item belongs to.
public struct RankedLists: Sendable {
    /// List length.
    public var k: Int
    /// `users × k` item indices, best first; −1 pads lists shorter than `k`.
    public var items: [Int32]
    /// Each item's offer index (into ``AuditData/offers``), or −1 for items that are not offers.
    public var offerOfItem: [Int32]

    /// Creates lists.
    public init(k: Int, items: [Int32], offerOfItem: [Int32]) {
        self.k = k
        self.items = items
        self.offerOfItem = offerOfItem
    }

    /// The number of items of each offer.
    func itemsPerOffer(_ offers: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: offers)
        for o in offerOfItem where o >= 0 { counts[Int(o)] += 1 }
        return counts
    }
}

/// One counterfactual world: every user's twin under `do(attribute = level)`, scored by the same model.
public struct CounterfactualWorld: Sendable {
    /// How the twin was made.
    public enum Kind: String, Sendable, Codable {
        /// The exact twin: the attribute changes and every descendant follows (same exogenous noise).
        case total
        /// The naive flip: the attribute changes and nothing else does.
        case naive
        /// The twin with named mediators held at their factual values.
        case pathSpecific = "path_specific"
    }

    /// Index into ``AuditData/attributes``.
    public var attribute: Int
    /// The level every twin takes.
    public var level: Int
    /// How the twin was made.
    public var kind: Kind
    /// Mediators held at factual values (path-specific twins).
    public var kept: [String]
    /// Twin offer scores, `users × offers`.
    public var scores: [Float]
    /// Twin top-K lists (`users × k`), when the model makes lists.
    public var lists: [Int32]?

    /// Creates a world.
    public init(attribute: Int, level: Int, kind: Kind, kept: [String] = [], scores: [Float], lists: [Int32]? = nil) {
        self.attribute = attribute
        self.level = level
        self.kind = kind
        self.kept = kept
        self.scores = scores
        self.lists = lists
    }

    /// "do(gender=male)", "naive(gender=male)" or "do(gender=male | keep income)".
    public func name(_ attributes: [Grouping]) -> String {
        let a = attributes[attribute]
        let assignment = "\(a.name)=\(a.levels[level])"
        switch kind {
        case .total: return "do(\(assignment))"
        case .naive: return "naive(\(assignment))"
        case .pathSpecific: return "do(\(assignment) | keep \(kept.joined(separator: ", ")))"
        }
    }
}
