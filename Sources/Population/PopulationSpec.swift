/// A parsed, validated population spec (schema version 1): attributes, their latent correlations and causal
/// order, the item catalogue, and the behaviour model.
///
/// Create one with ``parse(_:file:)`` or ``load(path:)``; every value in it has been checked, so the
/// generator can rely on it. See the README's spec reference for the YAML shape.
public struct PopulationSpec: Sendable, Equatable {
    /// The schema version; only 1 exists.
    public var version: Int
    /// A short name for the scenario.
    public var name: String
    /// The default seed (overridable at generation time).
    public var seed: UInt64
    /// The default number of users (overridable at generation time).
    public var users: Int
    /// The attributes, in the order they are listed (the column order of `population.csv`).
    public var attributes: [AttributeSpec]
    /// The declared latent correlations; unlisted pairs are 0.
    public var correlations: [CorrelationSpec]
    /// The causal order, as indices into ``attributes``.
    public var causalOrder: [Int]
    /// The item catalogue; `nil` when the spec describes people only.
    public var items: ItemsSpec?
    /// The behaviour model; used only when ``items`` is present.
    public var behavior: BehaviorSpec
    /// The spec's text as read, kept so that a generated directory can be regenerated exactly.
    public var source: String
    /// The file the spec was read from, for error messages.
    public var file: String

    /// The index of the attribute called `name`.
    public func attributeIndex(named name: String) -> Int? {
        attributes.firstIndex { $0.name == name }
    }

    /// The indices of the protected attributes, in listing order.
    public var protectedAttributes: [Int] {
        attributes.indices.filter { attributes[$0].isProtected }
    }

    /// The indices of the sensitive attributes, in listing order.
    public var sensitiveAttributes: [Int] {
        attributes.indices.filter { attributes[$0].isSensitive }
    }

    /// The index of the consent attribute (`role: consent`), if the spec has one.
    public var consentAttribute: Int? {
        attributes.firstIndex { $0.role == .consent }
    }
}

/// One attribute of a person: its name, its marginal distribution and whether it is protected.
public struct AttributeSpec: Sendable, Equatable {
    /// The column name.
    public var name: String
    /// The marginal distribution.
    public var kind: AttributeKind
    /// Whether audits treat this attribute as protected.
    public var isProtected: Bool
    /// Whether this is a sensitive trait (`sensitive: true`): one the business must not infer or act on, such as a
    /// pregnancy or a health condition. Independent of ``isProtected`` (an attribute may be both).
    public var isSensitive = false
    /// What the attribute means to training and serving, beyond being a trait.
    public enum Role: String, Sendable, Equatable {
        /// `role: consent` on a boolean: `false` means the person opted out of personalised marketing.
        case consent
    }
    /// The attribute's role (`role:` in the spec), if any; at most one attribute is the consent.
    public var role: Role?
}

/// The marginal distribution of an attribute.
public enum AttributeKind: Sendable, Equatable {
    /// Levels with probabilities summing to 1; level order as written is the latent order.
    case categorical(levels: [String], probabilities: [Double])
    /// A continuous distribution, optionally truncated.
    case numeric(NumericMarginal)
    /// `true` with probability `p`; `true` sits at the high end of the latent scale.
    case boolean(p: Double)
}

/// A continuous marginal, optionally truncated to `[minimum, maximum]`.
public struct NumericMarginal: Sendable, Equatable {
    /// The untruncated distribution.
    public enum Distribution: Sendable, Equatable {
        /// Normal with mean and standard deviation.
        case normal(mean: Double, sd: Double)
        /// exp(N(mu, sigma²)).
        case lognormal(mu: Double, sigma: Double)
        /// Uniform on [lower, upper].
        case uniform(lower: Double, upper: Double)
        /// Beta(alpha, beta) on [0, 1].
        case beta(alpha: Double, beta: Double)
    }
    /// The distribution before truncation.
    public var distribution: Distribution
    /// The lower truncation point, if any.
    public var minimum: Double?
    /// The upper truncation point, if any.
    public var maximum: Double?
}

/// A declared latent correlation between two attributes.
public struct CorrelationSpec: Sendable, Equatable {
    /// The first attribute's index.
    public var first: Int
    /// The second attribute's index.
    public var second: Int
    /// The target latent correlation, in [−1, 1].
    public var r: Double
}

/// The item catalogue.
public struct ItemsSpec: Sendable, Equatable {
    /// The number of items.
    public var count: Int
    /// The categories, in the order written.
    public var categories: [CategorySpec]

    /// The indices of offer categories, in order.
    public var offerCategories: [Int] { categories.indices.filter { categories[$0].isOffer } }
    /// The indices of the sensitive categories.
    public var sensitiveCategories: [Int] { categories.indices.filter { categories[$0].isSensitive } }
}

/// An item category.
public struct CategorySpec: Sendable, Equatable {
    /// The category name.
    public var name: String
    /// Its share of the items (shares sum to 1).
    public var share: Double
    /// Whether audits check the targeting of this category.
    public var isOffer: Bool
    /// A base log-preference (implicit feedback) or log-odds of liking (ratings) added to every user's effects.
    public var base: Double
    /// Whether purchases in this category reveal a sensitive trait (`sensitive: true`; baby products, pharmacy):
    /// what `train --minimise sensitive` leaves out.
    public var isSensitive = false
}

/// How users interact with items.
public struct BehaviorSpec: Sendable, Equatable {
    /// What an observed interaction is.
    public enum Feedback: String, Sendable, Equatable {
        /// Implicit counts: users draw categories and items; weights are how often an item was drawn.
        case implicit
        /// Explicit ±1 ratings over the whole catalogue, observed with a probability (Yao & Huang 2017).
        case ratings
    }
    /// A distribution of interaction counts per user.
    public enum CountDistribution: Sendable, Equatable {
        /// round(exp(N(mu, sigma²))).
        case lognormal(mu: Double, sigma: Double)
        /// Always the same count.
        case constant(Int)
    }
    /// The feedback model.
    public var feedback: Feedback
    /// The dimension of user and item taste vectors (0 switches item-level taste off).
    public var latentDimensions: Int
    /// The number of interaction draws per user (implicit feedback).
    public var interactionsPerUser: CountDistribution
    /// The largest number of draws for one user.
    public var maximumInteractions: Int
    /// Item popularity ∝ rank^(−exponent); 0 makes items equally popular.
    public var popularityExponent: Double
    /// The standard deviation of a user's taste for each category (log-preference scale).
    public var categoryTasteSD: Double
    /// The number of genres each category's items are split into (implicit feedback; at most the category's
    /// item count). A draw in a category picks one of its genres by the user's genre taste, then an item of that
    /// genre by popularity; 0 or 1 switches genres off.
    public var genres: Int
    /// The standard deviation of a user's log-preference for each genre (logistic-normal genre taste): how much
    /// personal taste competes with popularity. 0 makes every genre as likely as its popularity.
    public var genreTasteSD: Double
    /// The base probability that an interest is observed, before exposure factors.
    public var observation: Double

    /// Genres per category when a spec with implicit feedback names none: personal taste on by default.
    public static let defaultGenres = 16
    /// The genre-taste standard deviation when a spec names none.
    public static let defaultGenreTasteSD = 3.5
    /// Attribute effects on true affinity.
    public var effects: [EffectSpec]
    /// Attribute effects on the chance that an interest is observed.
    public var exposure: [ExposureSpec]
}

/// The group of people a rule applies to, and the value it scales with.
public struct AttributeTerm: Sendable, Equatable {
    /// The attribute whose value scales the rule (`nil`: only conditions).
    public var attribute: Int?
    /// For a categorical or boolean `attribute`, the level that switches the rule on; `nil` for numeric ones,
    /// which act per standard deviation of the latent value.
    public var level: Int?
    /// Further conditions `attribute == level`, all of which must hold.
    public var conditions: [(attribute: Int, level: Int)]

    /// Equality of the attribute, level and every condition.
    public static func == (a: AttributeTerm, b: AttributeTerm) -> Bool {
        a.attribute == b.attribute && a.level == b.level && a.conditions.count == b.conditions.count
            && zip(a.conditions, b.conditions).allSatisfy { $0.attribute == $1.attribute && $0.level == $1.level }
    }
}

/// An effect of attributes on the true affinity for a category: `weight × term`.
public struct EffectSpec: Sendable, Equatable {
    /// Who it applies to.
    public var term: AttributeTerm
    /// The category index.
    public var category: Int
    /// The weight on the log-preference (implicit) or log-odds (ratings) scale.
    public var weight: Double
}

/// A factor on the chance that an interest in a category is observed, for the people a term selects.
public struct ExposureSpec: Sendable, Equatable {
    /// Who it applies to (categorical or boolean terms only).
    public var term: AttributeTerm
    /// The category index.
    public var category: Int
    /// The multiplicative factor (> 0); the probability is capped at 1.
    public var factor: Double
}
