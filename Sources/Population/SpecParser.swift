import FileSupport

/// Walks the YAML tree; one method per section of the schema.
struct SpecParser {
    let file: String
    static let probabilityTolerance = 1e-4

    func parse(_ root: SpecNode, source: String) throws(FairgroundError) -> PopulationSpec {
        let top = try root.fields(
            allowed: ["version", "name", "seed", "users", "attributes", "correlations", "order", "items", "behavior"],
            required: ["version", "attributes"])
        let version = try top["version"]!.int(minimum: 1)
        guard version == 1 else { throw top["version"]!.error("schema version 1") }
        let name = try top["name"].map { node throws(FairgroundError) in
            let name = try node.string()
            // The name heads the comment line of interactions.mtx: a line break there made a world `train` refused.
            try Self.checkPrintable(name, node, what: "a scenario name")
            return name
        } ?? "unnamed"
        let seed = try top["seed"].map { node throws(FairgroundError) in UInt64(try node.int(minimum: 0)) } ?? 0
        let users = try top["users"]?.int(minimum: 1, maximum: 1 << 40) ?? 1000
        let attributes = try parseAttributes(top["attributes"]!)
        let names = attributes.map(\.name)
        let correlations = try top["correlations"].map { node throws(FairgroundError) in
            try parseCorrelations(node, names: names)
        } ?? []
        let order = try top["order"].map { node throws(FairgroundError) in try parseOrder(node, names: names) }
            ?? Array(attributes.indices)
        let items = try top["items"].map { node throws(FairgroundError) in try parseItems(node) }
        let behavior = try parseBehavior(top["behavior"], attributes: attributes, items: items, root: root)
        return PopulationSpec(
            version: version, name: name, seed: seed, users: users, attributes: attributes,
            correlations: correlations, causalOrder: order, items: items, behavior: behavior,
            source: source, file: file)
    }

    // MARK: Attributes

    func parseAttributes(_ node: SpecNode) throws(FairgroundError) -> [AttributeSpec] {
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
            let common = ["type", "protected", "sensitive", "role"]
            let f: [String: SpecNode]
            switch type {
            case "categorical":
                f = try attr.fields(allowed: common + ["levels"], required: ["levels"])
                kind = try parseLevels(f["levels"]!)
            case "boolean":
                f = try attr.fields(allowed: common + ["p"], required: ["p"])
                kind = .boolean(p: try f["p"]!.double({ $0 >= 0 && $0 <= 1 }, "a probability in [0, 1]"))
            case "numeric":
                f = try attr.fields(
                    allowed: common + ["distribution", "mean", "sd", "mu", "sigma", "alpha", "beta", "min", "max"],
                    required: ["distribution"])
                kind = .numeric(try parseNumeric(f, node: attr))
            default:
                throw typeNode.error("one of: categorical, numeric, boolean")
            }
            var role: AttributeSpec.Role?
            if let r = f["role"] {
                guard try r.string() == "consent" else { throw r.error("a role: consent") }
                guard case .boolean = kind else {
                    throw r.error("role: consent on a boolean attribute (false: the person opted out)", found: type)
                }
                if let other = out.first(where: { $0.role == .consent }) {
                    throw r.error("one consent attribute", found: "a second one (\(other.name) is already the consent)")
                }
                role = .consent
            }
            let isProtected = try f["protected"]?.bool() ?? false
            let isSensitive = try f["sensitive"]?.bool() ?? false
            out.append(AttributeSpec(name: name, kind: kind, isProtected: isProtected, isSensitive: isSensitive, role: role))
        }
        return out
    }

    /// Names go into CSV headers and fields (quoted where needed), Markdown tables and XML: any text but control
    /// characters (line breaks, tabs, NUL), which no table can show.
    static func checkPrintable(_ name: String, _ node: SpecNode, what: String) throws(FairgroundError) {
        if let c = name.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            throw node.error("\(what) without control characters (found U+\(String(c.value, radix: 16, uppercase: true)))",
                             found: name.debugDescription)
        }
    }

    func parseLevels(_ node: SpecNode) throws(FairgroundError) -> AttributeKind {
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

    func parseNumeric(_ f: [String: SpecNode], node: SpecNode) throws(FairgroundError) -> NumericMarginal {
        let distNode = f["distribution"]!
        func need(_ key: String) throws(FairgroundError) -> SpecNode {
            guard let n = f[key] else {
                throw node.error("the field '\(key)' for distribution \(distNode.kindName)", found: nil)
            }
            return n
        }
        func forbid(_ keys: [String]) throws(FairgroundError) {
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

    func parseCorrelations(_ node: SpecNode, names: [String]) throws(FairgroundError) -> [CorrelationSpec] {
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

    func parseOrder(_ node: SpecNode, names: [String]) throws(FairgroundError) -> [Int] {
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

    func attributeIndex(_ node: SpecNode, names: [String]) throws(FairgroundError) -> Int {
        let name = try node.string()
        guard let i = names.firstIndex(of: name) else {
            throw node.error("a declared attribute (one of: \(names.joined(separator: ", ")))")
        }
        return i
    }

    // MARK: Items

    func parseItems(_ node: SpecNode) throws(FairgroundError) -> ItemsSpec {
        let f = try node.fields(allowed: ["count", "categories"], required: ["count", "categories"])
        let count = try f["count"]!.int(minimum: 1, maximum: Int(Int32.max))
        let entries = try f["categories"]!.mapping(allowed: [])
        guard !entries.isEmpty else { throw f["categories"]!.error("at least one category") }
        var categories: [CategorySpec] = []
        for (name, c) in entries {
            guard !name.isEmpty else { throw c.error("a category name", found: "an empty name") }
            try Self.checkPrintable(name, c, what: "a category name")
            let cf = try c.fields(allowed: ["share", "offer", "base", "sensitive"], required: ["share"])
            categories.append(CategorySpec(
                name: name,
                share: try cf["share"]!.double({ $0 > 0 && $0 <= 1 }, "a share in (0, 1]"),
                isOffer: try cf["offer"]?.bool() ?? false,
                base: try cf["base"]?.double() ?? 0,
                isSensitive: try cf["sensitive"]?.bool() ?? false))
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
}
