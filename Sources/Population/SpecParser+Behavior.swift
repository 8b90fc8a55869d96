import FileSupport

extension SpecParser {
    // MARK: Behaviour (the `behavior` section of the schema)

    func parseBehavior(_ node: SpecNode?, attributes: [AttributeSpec], items: ItemsSpec?, root: SpecNode)
        throws(FairgroundError) -> BehaviorSpec
    {
        var behavior = BehaviorSpec(
            feedback: .implicit, latentDimensions: 8, interactionsPerUser: .lognormal(mu: 3, sigma: 0.8),
            maximumInteractions: 100_000, popularityExponent: 1, categoryTasteSD: 0.5,
            genres: BehaviorSpec.defaultGenres, genreTasteSD: BehaviorSpec.defaultGenreTasteSD, observation: 1,
            effects: [], exposure: [])
        guard let node else { return behavior }
        guard let items else { throw node.error("an 'items' section before behaviour can be described") }
        let f = try node.fields(allowed: [
            "feedback", "latent_dims", "interactions_per_user", "max_interactions", "popularity_exponent",
            "category_taste_sd", "genres", "genre_taste_sd", "observation", "effects", "exposure",
        ])
        if let n = f["feedback"] {
            guard let fb = BehaviorSpec.Feedback(rawValue: try n.string()) else {
                throw n.error("one of: implicit, ratings")
            }
            behavior.feedback = fb
            if fb == .ratings { behavior.genres = 0 }
        }
        for key in ["genres", "genre_taste_sd"] where behavior.feedback == .ratings {
            if let n = f[key] {
                throw n.error("no \(key) with feedback: ratings (genres shape implicit draws; every item is rated)")
            }
        }
        if let n = f["genres"] { behavior.genres = try n.int(minimum: 0, maximum: 1 << 16) }
        if let n = f["genre_taste_sd"] {
            behavior.genreTasteSD = try n.double({ $0 >= 0 && $0 <= 5 }, "a number in [0, 5]")
        }
        if let n = f["latent_dims"] { behavior.latentDimensions = try n.int(minimum: 0, maximum: 1024) }
        if let n = f["interactions_per_user"] {
            guard behavior.feedback == .implicit else {
                throw n.error("no interactions_per_user with feedback: ratings (every item is a candidate)")
            }
            let cf = try n.fields(allowed: ["distribution", "mu", "sigma", "value"], required: ["distribution"])
            switch try cf["distribution"]!.string() {
            case "lognormal":
                guard let mu = cf["mu"], let sigma = cf["sigma"] else { throw n.error("both 'mu' and 'sigma'") }
                behavior.interactionsPerUser = .lognormal(
                    mu: try mu.double(), sigma: try sigma.double({ $0 >= 0 }, "a number ≥ 0"))
            case "constant":
                guard let v = cf["value"] else { throw n.error("the field 'value'") }
                behavior.interactionsPerUser = .constant(try v.int(minimum: 0))
            default:
                throw cf["distribution"]!.error("one of: lognormal, constant")
            }
        }
        if let n = f["max_interactions"] { behavior.maximumInteractions = try n.int(minimum: 1, maximum: 1 << 31) }
        if let n = f["popularity_exponent"] {
            behavior.popularityExponent = try n.double({ $0 >= 0 && $0 <= 10 }, "a number in [0, 10]")
        }
        if let n = f["category_taste_sd"] {
            behavior.categoryTasteSD = try n.double({ $0 >= 0 && $0 <= 10 }, "a number in [0, 10]")
        }
        if let n = f["observation"] {
            behavior.observation = try n.double({ $0 > 0 && $0 <= 1 }, "a probability in (0, 1]")
        }
        let categoryNames = items.categories.map(\.name)
        for e in try f["effects"]?.sequence() ?? [] {
            let ef = try e.fields(allowed: ["attribute", "level", "when", "category", "weight"],
                                  required: ["category", "weight"])
            behavior.effects.append(EffectSpec(
                term: try parseTerm(ef, node: e, attributes: attributes, allowNumeric: true),
                category: try categoryIndex(ef["category"]!, names: categoryNames),
                weight: try ef["weight"]!.double()))
        }
        for e in try f["exposure"]?.sequence() ?? [] {
            let ef = try e.fields(allowed: ["attribute", "level", "when", "category", "factor"],
                                  required: ["category", "factor"])
            behavior.exposure.append(ExposureSpec(
                term: try parseTerm(ef, node: e, attributes: attributes, allowNumeric: false),
                category: try categoryIndex(ef["category"]!, names: categoryNames),
                factor: try ef["factor"]!.double({ $0 > 0 }, "a positive factor")))
        }
        return behavior
    }

    func categoryIndex(_ node: SpecNode, names: [String]) throws(FairgroundError) -> Int {
        let name = try node.string()
        guard let i = names.firstIndex(of: name) else {
            throw node.error("a declared item category (one of: \(names.joined(separator: ", ")))")
        }
        return i
    }

    func parseTerm(_ f: [String: SpecNode], node: SpecNode, attributes: [AttributeSpec], allowNumeric: Bool)
        throws(FairgroundError) -> AttributeTerm
    {
        let names = attributes.map(\.name)
        var term = AttributeTerm(attribute: nil, level: nil, conditions: [])
        if let a = f["attribute"] {
            let i = try attributeIndex(a, names: names)
            term.attribute = i
            switch attributes[i].kind {
            case .numeric:
                guard allowNumeric else { throw a.error("a categorical or boolean attribute (exposure selects groups)") }
                if let l = f["level"] { throw l.error("no level for the numeric attribute '\(names[i])'") }
            case .categorical, .boolean:
                term.level = try levelIndex(f["level"], of: attributes[i], missing: node)
            }
        } else if let l = f["level"] {
            throw l.error("a level only together with 'attribute'")
        }
        if let w = f["when"] {
            for (name, levelNode) in try w.mapping(allowed: []) {
                guard let i = names.firstIndex(of: name) else {
                    throw levelNode.error("a declared attribute (one of: \(names.joined(separator: ", ")))", found: name)
                }
                if case .numeric = attributes[i].kind {
                    throw levelNode.error("a categorical or boolean attribute in 'when'", found: name)
                }
                term.conditions.append((i, try levelIndex(levelNode, of: attributes[i], missing: levelNode)))
            }
        }
        guard term.attribute != nil || !term.conditions.isEmpty else {
            throw node.error("an 'attribute' or a 'when' condition")
        }
        return term
    }

    func levelIndex(_ node: SpecNode?, of attribute: AttributeSpec, missing: SpecNode) throws(FairgroundError) -> Int {
        switch attribute.kind {
        case .boolean:
            guard let node else { return 1 }
            guard case .scalar = node.node, let b = node.node.bool else { throw node.error("true or false") }
            return b ? 1 : 0
        case .categorical(let levels, _):
            guard let node else {
                throw missing.error("a level of '\(attribute.name)' (one of: \(levels.joined(separator: ", ")))")
            }
            let name = try node.string()
            guard let i = levels.firstIndex(of: name) else {
                throw node.error("a level of '\(attribute.name)' (one of: \(levels.joined(separator: ", ")))")
            }
            return i
        case .numeric:
            fatalError("numeric attributes have no levels")
        }
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}
