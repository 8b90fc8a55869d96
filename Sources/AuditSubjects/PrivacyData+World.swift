import Audit
import FileSupport
public import Population

/// When the audit has a privacy view.
public enum PrivacyMode: String, Sendable, CaseIterable {
    /// When the world's spec declares a consent attribute, a sensitive attribute or a sensitive category.
    case auto
    /// Always: the protected attributes are probed even in a world with no consent or sensitive traits.
    case on
    /// Never.
    case off

    /// Whether a world of `spec` gets the privacy view.
    public func applies(to spec: PopulationSpec) -> Bool {
        switch self {
        case .on: true
        case .off: false
        case .auto:
            spec.consentAttribute != nil || !spec.sensitiveAttributes.isEmpty
                || !(spec.items?.sensitiveCategories.isEmpty ?? true)
        }
    }
}

extension PrivacyData {
    /// The privacy data of a generated world: its consent column, every protected and sensitive attribute's
    /// traits, the interaction counts per category, the sensitive categories, and what the model returned for
    /// the factual users (their factors, and the list opted-out users are served).
    init(world: World, factual: ModelOutput) {
        let spec = world.spec
        let inference = TraitInference(world: world)
        let consentIndex = spec.consentAttribute
        let consent = consentIndex.map { a in world.attributeValues[a].map { $0 != 0 } }
        var traits: [Trait] = []
        for (a, attribute) in spec.attributes.enumerated() where attribute.isProtected || attribute.isSensitive {
            for (trait, labels) in inference.traits(of: a) {
                traits.append(Trait(attribute: attribute.name, trait: trait, labels: labels,
                                    isSensitive: attribute.isSensitive))
            }
        }
        var sources: [Source] = []
        if let factors = factual.userFactors { sources.append(Source(name: "user_factors", features: factors)) }
        if let counts = inference.categoryCounts() { sources.append(Source(name: "interactions", features: counts)) }
        var categories: [(name: String, items: [Bool])] = []
        if let catalog = world.items, let items = spec.items {
            for c in items.sensitiveCategories {
                categories.append((catalog.categoryNames[c], catalog.category.map { Int($0) == c }))
            }
        }
        self.init(consent: consent, consentAttribute: consentIndex.map { spec.attributes[$0].name },
                  optedOutList: factual.optedOutList, traits: traits, sources: sources,
                  sensitiveCategories: categories)
    }
}
