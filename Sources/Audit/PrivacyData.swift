import Statistics
public import Linear

/// What the audit's privacy view examines besides the campaign and the lists: who consented, what opted-out
/// users are served, which traits to probe and from which per-user features, and which items reveal a sensitive
/// trait.
///
/// ``ModelAudit`` fills it from a generated world whose spec declares a consent attribute or sensitive attributes
/// or categories (or when asked to), and adds ``membership`` when given a non-member world (alone, when the world
/// has no privacy view otherwise); a Swift test can build one directly.
public struct PrivacyData: Sendable {
    /// A yes/no trait of every user, to be probed.
    public struct Trait: Sendable {
        /// The attribute (protected, sensitive or both).
        public var attribute: String
        /// The trait: a level (against the other levels), `true`, or `above median`.
        public var trait: String
        /// One label per user.
        public var labels: [Bool]
        /// Whether the attribute is sensitive (its sensitive categories' exposure is compared by it).
        public var isSensitive: Bool

        /// Creates a trait.
        public init(attribute: String, trait: String, labels: [Bool], isSensitive: Bool) {
            self.attribute = attribute
            self.trait = trait
            self.labels = labels
            self.isSensitive = isSensitive
        }
    }

    /// Per-user features a trait is probed from, one row per user.
    public struct Source: Sendable {
        /// `user_factors`, `interactions` (counts per category) or another name.
        public var name: String
        /// `users × d`.
        public var features: Matrix<Float>

        /// Creates a source.
        public init(name: String, features: Matrix<Float>) {
            self.name = name
            self.features = features
        }
    }

    /// Per user, whether they consent to personalised marketing; `nil` when the world has no consent attribute.
    public var consent: [Bool]?
    /// The consent attribute's name, for the report.
    public var consentAttribute: String?
    /// The one list every opted-out user is served (−1 pads), when the model honours consent; `nil` when
    /// opted-out users are served their personalised lists like everyone else.
    public var optedOutList: [Int32]?
    /// The traits to probe.
    public var traits: [Trait]
    /// The features to probe them from (the model's user factors, when it has them, are added by the audit).
    public var sources: [Source]
    /// Sensitive item categories: each name and, per item, whether it belongs to the category.
    public var sensitiveCategories: [(name: String, items: [Bool])]
    /// The probes' settings (folds, seed, λ; the level is the audit's).
    public var probe = InferenceProbe()
    /// What a membership inference attack found, when a non-member world was given (`nil`: no attack, and no
    /// `membership_auc` or `empirical_epsilon` findings).
    public var membership: MembershipEvidence?

    /// Creates privacy data.
    public init(consent: [Bool]?, consentAttribute: String? = nil, optedOutList: [Int32]? = nil,
                traits: [Trait] = [], sources: [Source] = [],
                sensitiveCategories: [(name: String, items: [Bool])] = []) {
        self.consent = consent
        self.consentAttribute = consentAttribute
        self.optedOutList = optedOutList
        self.traits = traits
        self.sources = sources
        self.sensitiveCategories = sensitiveCategories
    }

    /// The rows the probes use: the users the model holds factors for (the consenting ones when the model
    /// honours consent, everyone otherwise).
    var probedRows: [Int]? {
        guard optedOutList != nil, let consent else { return nil }
        return consent.indices.filter { consent[$0] }
    }
}
