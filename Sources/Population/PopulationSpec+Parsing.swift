import FileSupport

internal import Yams

extension PopulationSpec {
    /// Parses and validates a spec from YAML (or JSON, which is YAML too).
    ///
    /// - Parameters:
    ///   - text: The spec's text.
    ///   - file: The name used in error messages.
    /// - Throws: ``InputError`` naming the file, the field, and what was expected, for malformed YAML, unknown keys,
    ///   unknown attributes, levels or categories, probabilities or shares that do not sum to 1, |r| > 1,
    ///   non-positive sizes and every other invalid value.
    public static func parse(_ text: String, file: String) throws(InputError) -> PopulationSpec {
        let text = YAMLText.withoutByteOrderMark(text)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InputError(file: file, field: "", expected: "a YAML or JSON mapping", found: "an empty document")
            }
            root = node
        } catch let error as InputError {
            throw error
        } catch {
            throw YAMLText.describe(error, file: file)
        }
        return try SpecParser(file: file).parse(SpecNode(node: root, path: "", file: file), source: text)
    }

    /// Reads, parses and validates a spec file.
    ///
    /// - Throws: ``InputError`` when the file cannot be read or is not a valid spec.
    public static func load(path: String) throws(InputError) -> PopulationSpec {
        let text: String
        do {
            text = try FileIO.readText(path)
        } catch {
            throw InputError(file: path, field: "", expected: "a readable spec file (\(error))")
        }
        return try parse(text, file: path)
    }
}

/// Walks the YAML tree; one method per section of the schema.
struct SpecParser {
    let file: String
    static let probabilityTolerance = 1e-4

    func parse(_ root: SpecNode, source: String) throws(InputError) -> PopulationSpec {
        let top = try root.fields(
            allowed: ["version", "name", "seed", "users", "attributes", "correlations", "order", "items", "behavior"],
            required: ["version", "attributes"])
        let version = try top["version"]!.int(minimum: 1)
        guard version == 1 else { throw top["version"]!.error("schema version 1") }
        let name = try top["name"]?.string() ?? "unnamed"
        let seed = try top["seed"].map { node throws(InputError) in UInt64(try node.int(minimum: 0)) } ?? 0
        let users = try top["users"]?.int(minimum: 1, maximum: 1 << 40) ?? 1000
        let attributes = try parseAttributes(top["attributes"]!)
        let names = attributes.map(\.name)
        let correlations = try top["correlations"].map { node throws(InputError) in
            try parseCorrelations(node, names: names)
        } ?? []
        let order = try top["order"].map { node throws(InputError) in try parseOrder(node, names: names) }
            ?? Array(attributes.indices)
        let items = try top["items"].map { node throws(InputError) in try parseItems(node) }
        let behavior = try parseBehavior(top["behavior"], attributes: attributes, items: items, root: root)
        return PopulationSpec(
            version: version, name: name, seed: seed, users: users, attributes: attributes,
            correlations: correlations, causalOrder: order, items: items, behavior: behavior,
            source: source, file: file)
    }

    // MARK: Attributes

    func parseAttributes(_ node: SpecNode) throws(InputError) -> [AttributeSpec] {
        let entries = try node.mapping(allowed: [])
        guard !entries.isEmpty else { throw node.error("at least one attribute") }
        var out: [AttributeSpec] = []
        for (name, attr) in entries {
            guard Self.isIdentifier(name) else {
                throw attr.error("an attribute name made of letters, digits and underscores", found: name)
            }
            let typeNode = try attr.fields(allowed: [], required: ["type"])["type"]!
            let type = try typeNode.string()
            let kind: AttributeKind
            var isProtected = false
            switch type {
            case "categorical":
                let f = try attr.fields(allowed: ["type", "levels", "protected"], required: ["levels"])
                kind = try parseLevels(f["levels"]!)
                isProtected = try f["protected"]?.bool() ?? false
            case "boolean":
                let f = try attr.fields(allowed: ["type", "p", "protected"], required: ["p"])
                kind = .boolean(p: try f["p"]!.double({ $0 >= 0 && $0 <= 1 }, "a probability in [0, 1]"))
                isProtected = try f["protected"]?.bool() ?? false
            case "numeric":
                let f = try attr.fields(
                    allowed: ["type", "distribution", "mean", "sd", "mu", "sigma", "alpha", "beta", "min", "max",
                              "protected"],
                    required: ["distribution"])
                kind = .numeric(try parseNumeric(f, node: attr))
                isProtected = try f["protected"]?.bool() ?? false
            default:
                throw typeNode.error("one of: categorical, numeric, boolean")
            }
            out.append(AttributeSpec(name: name, kind: kind, isProtected: isProtected))
        }
        return out
    }

    /// Names go into CSV headers and fields (quoted where needed), Markdown tables and XML: any text but control
    /// characters (line breaks, tabs, NUL), which no table can show.
    static func checkPrintable(_ name: String, _ node: SpecNode, what: String) throws(InputError) {
        if let c = name.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            throw node.error("\(what) without control characters (found U+\(String(c.value, radix: 16, uppercase: true)))",
                             found: name.debugDescription)
        }
    }

    func parseLevels(_ node: SpecNode) throws(InputError) -> AttributeKind {
        let entries = try node.mapping(allowed: [])
        guard entries.count >= 2 else { throw node.error("at least two levels with probabilities") }
        var levels: [String] = []
        var probabilities: [Double] = []
        for (level, p) in entries {
            if level == "true" || level == "false" || level.isEmpty {
                throw p.error("a level name other than true/false (use a boolean attribute)", found: level)
            }
            try Self.checkPrintable(level, p, what: "a level name")
            levels.append(level)
            probabilities.append(try p.double({ $0 > 0 && $0 <= 1 }, "a probability in (0, 1]"))
        }
        let sum = probabilities.reduce(0, +)
        guard abs(sum - 1) <= Self.probabilityTolerance else {
            throw node.error("level probabilities that sum to 1", found: "sum \(sum)")
        }
        return .categorical(levels: levels, probabilities: probabilities.map { $0 / sum })
    }

    func parseNumeric(_ f: [String: SpecNode], node: SpecNode) throws(InputError) -> NumericMarginal {
        let distNode = f["distribution"]!
        func need(_ key: String) throws(InputError) -> SpecNode {
            guard let n = f[key] else {
                throw node.error("the field '\(key)' for distribution \(distNode.kindName)", found: nil)
            }
            return n
        }
        func forbid(_ keys: [String]) throws(InputError) {
            for k in keys { if let n = f[k] { throw n.error("no '\(k)' for distribution \(distNode.kindName)") } }
        }
        let positive: (Double) -> Bool = { $0 > 0 }
        let distribution: NumericMarginal.Distribution
        var minimum = try f["min"]?.double()
        var maximum = try f["max"]?.double()
        switch try distNode.string() {
        case "normal":
            try forbid(["mu", "sigma", "alpha", "beta"])
            distribution = .normal(mean: try need("mean").double(), sd: try need("sd").double(positive, "a positive number"))
        case "lognormal":
            try forbid(["mean", "sd", "alpha", "beta"])
            distribution = .lognormal(
                mu: try need("mu").double(), sigma: try need("sigma").double(positive, "a positive number"))
            if let m = minimum, m < 0 { throw f["min"]!.error("a minimum ≥ 0 for a lognormal") }
        case "uniform":
            try forbid(["mean", "sd", "mu", "sigma", "alpha", "beta"])
            guard let lo = minimum, let hi = maximum else {
                throw node.error("both 'min' and 'max' for a uniform distribution")
            }
            distribution = .uniform(lower: lo, upper: hi)
            minimum = nil
            maximum = nil
            guard lo < hi else { throw f["max"]!.error("a maximum above the minimum \(lo)") }
        case "beta":
            try forbid(["mean", "sd", "mu", "sigma"])
            distribution = .beta(
                alpha: try need("alpha").double(positive, "a positive number"),
                beta: try need("beta").double(positive, "a positive number"))
            if let m = minimum, !(m >= 0 && m < 1) { throw f["min"]!.error("a minimum in [0, 1) for a beta") }
            if let m = maximum, !(m > 0 && m <= 1) { throw f["max"]!.error("a maximum in (0, 1] for a beta") }
        default:
            throw distNode.error("one of: normal, lognormal, uniform, beta")
        }
        if let lo = minimum, let hi = maximum, !(lo < hi) {
            throw f["max"]!.error("a maximum above the minimum \(lo)")
        }
        let marginal = NumericMarginal(distribution: distribution, minimum: minimum, maximum: maximum)
        let mass = Marginal.numericTruncationMass(marginal)
        guard mass > 1e-12 else {
            throw node.error("a [min, max] range that holds some probability of the distribution")
        }
        return marginal
    }

    // MARK: Correlations and order

    func parseCorrelations(_ node: SpecNode, names: [String]) throws(InputError) -> [CorrelationSpec] {
        var out: [CorrelationSpec] = []
        var seen: Set<[Int]> = []
        for entry in try node.sequence() {
            let parts = try entry.sequence()
            guard parts.count == 3 else { throw entry.error("a list [attribute, attribute, r]", found: entry.kindName) }
            let a = try attributeIndex(parts[0], names: names)
            let b = try attributeIndex(parts[1], names: names)
            guard a != b else { throw parts[1].error("a different attribute than '\(names[a])'") }
            let r = try parts[2].double({ $0 >= -1 && $0 <= 1 }, "a correlation r with |r| ≤ 1")
            guard seen.insert([min(a, b), max(a, b)]).inserted else {
                throw entry.error("each pair listed once", found: "\(names[a]), \(names[b]) again")
            }
            out.append(CorrelationSpec(first: a, second: b, r: r))
        }
        return out
    }

    func parseOrder(_ node: SpecNode, names: [String]) throws(InputError) -> [Int] {
        var order: [Int] = []
        for entry in try node.sequence() {
            let i = try attributeIndex(entry, names: names)
            guard !order.contains(i) else { throw entry.error("each attribute once", found: names[i]) }
            order.append(i)
        }
        let missing = names.indices.filter { !order.contains($0) }.map { names[$0] }
        guard missing.isEmpty else {
            throw node.error("every attribute in the causal order", found: "missing \(missing.joined(separator: ", "))")
        }
        return order
    }

    func attributeIndex(_ node: SpecNode, names: [String]) throws(InputError) -> Int {
        let name = try node.string()
        guard let i = names.firstIndex(of: name) else {
            throw node.error("a declared attribute (one of: \(names.joined(separator: ", ")))")
        }
        return i
    }

    // MARK: Items

    func parseItems(_ node: SpecNode) throws(InputError) -> ItemsSpec {
        let f = try node.fields(allowed: ["count", "categories"], required: ["count", "categories"])
        let count = try f["count"]!.int(minimum: 1, maximum: Int(Int32.max))
        let entries = try f["categories"]!.mapping(allowed: [])
        guard !entries.isEmpty else { throw f["categories"]!.error("at least one category") }
        var categories: [CategorySpec] = []
        for (name, c) in entries {
            guard !name.isEmpty else { throw c.error("a category name", found: "an empty name") }
            try Self.checkPrintable(name, c, what: "a category name")
            let cf = try c.fields(allowed: ["share", "offer", "base"], required: ["share"])
            categories.append(CategorySpec(
                name: name,
                share: try cf["share"]!.double({ $0 > 0 && $0 <= 1 }, "a share in (0, 1]"),
                isOffer: try cf["offer"]?.bool() ?? false,
                base: try cf["base"]?.double() ?? 0))
        }
        let sum = categories.reduce(0) { $0 + $1.share }
        guard abs(sum - 1) <= Self.probabilityTolerance else {
            throw f["categories"]!.error("category shares that sum to 1", found: "sum \(sum)")
        }
        for i in categories.indices { categories[i].share /= sum }
        guard categories.count <= count else {
            throw f["count"]!.error("at least one item per category (\(categories.count) categories)")
        }
        return ItemsSpec(count: count, categories: categories)
    }

    // MARK: Behaviour

    func parseBehavior(_ node: SpecNode?, attributes: [AttributeSpec], items: ItemsSpec?, root: SpecNode)
        throws(InputError) -> BehaviorSpec
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

    func categoryIndex(_ node: SpecNode, names: [String]) throws(InputError) -> Int {
        let name = try node.string()
        guard let i = names.firstIndex(of: name) else {
            throw node.error("a declared item category (one of: \(names.joined(separator: ", ")))")
        }
        return i
    }

    func parseTerm(_ f: [String: SpecNode], node: SpecNode, attributes: [AttributeSpec], allowNumeric: Bool)
        throws(InputError) -> AttributeTerm
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

    func levelIndex(_ node: SpecNode?, of attribute: AttributeSpec, missing: SpecNode) throws(InputError) -> Int {
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
