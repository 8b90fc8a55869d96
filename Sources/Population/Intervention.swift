import FileSupport
/// A counterfactual intervention `do(attribute = value, …)`, optionally holding mediators at factual values.
///
/// Abduction keeps every exogenous draw of a person (they are regenerated from the seed and the user id);
/// action sets the intervened attributes — a categorical or boolean one moves its latent value to the same
/// relative position inside the new level's interval, a numeric one takes the latent value of the given number;
/// prediction recomputes the descendants in causal order. Attributes listed in ``kept`` are mediators held at
/// their factual values (a path-specific counterfactual), and their own descendants see the factual value.
///
/// ```swift
/// let twin = try Intervention(spec: spec, assignments: ["gender=male"], keep: ["income"])
/// ```
public struct Intervention: Sendable, Equatable {
    /// One assignment: an attribute index and the value it is set to (a level index, 0/1, or a number).
    public struct Assignment: Sendable, Equatable {
        /// The attribute, by listing index.
        public var attribute: Int
        /// The level index (categorical), 0 or 1 (boolean) or the number itself (numeric).
        public var value: Double
        /// The text the value was given as.
        public var text: String
    }
    /// The assignments, in the order given.
    public var assignments: [Assignment]
    /// Mediators held at factual values, by listing index.
    public var kept: [Int]

    /// Parses `name=value` assignments and mediator names against a spec.
    ///
    /// - Throws: ``FairgroundError`` (file `--set` or `--keep`) for an unknown attribute, an unknown level, a number
    ///   outside the attribute's support, an attribute both set and kept, or no assignment at all.
    public init(spec: PopulationSpec, assignments: [String], keep: [String] = []) throws(FairgroundError) {
        let names = spec.attributes.map(\.name).joined(separator: ", ")
        var parsed: [Assignment] = []
        guard !assignments.isEmpty else {
            throw FairgroundError.parameter("set", field: "", expected: "at least one assignment attribute=value")
        }
        for text in assignments {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw FairgroundError.parameter("set", field: text, expected: "attribute=value", found: text)
            }
            guard let i = spec.attributeIndex(named: parts[0]) else {
                throw FairgroundError.parameter("set", field: parts[0], expected: "a declared attribute (one of: \(names))",
                                found: parts[0])
            }
            guard !parsed.contains(where: { $0.attribute == i }) else {
                throw FairgroundError.parameter("set", field: parts[0], expected: "each attribute set once")
            }
            let value: Double
            switch spec.attributes[i].kind {
            case .categorical(let levels, _):
                guard let l = levels.firstIndex(of: parts[1]) else {
                    throw FairgroundError.parameter("set", field: parts[0],
                                    expected: "a level of \(parts[0]) (one of: \(levels.joined(separator: ", ")))",
                                    found: parts[1])
                }
                value = Double(l)
            case .boolean:
                switch parts[1] {
                case "true": value = 1
                case "false": value = 0
                default:
                    throw FairgroundError.parameter("set", field: parts[0], expected: "true or false", found: parts[1])
                }
            case .numeric:
                guard let x = Double(parts[1]), x.isFinite,
                    Marginal(spec.attributes[i]).latent(forValue: x) != nil
                else {
                    throw FairgroundError.parameter("set", field: parts[0],
                                    expected: "a number inside the support of \(parts[0])", found: parts[1])
                }
                value = x
            }
            parsed.append(Assignment(attribute: i, value: value, text: parts[1]))
        }
        var kept: [Int] = []
        for name in keep {
            guard let i = spec.attributeIndex(named: name) else {
                throw FairgroundError.parameter("keep", field: name, expected: "a declared attribute (one of: \(names))",
                                found: name)
            }
            guard !parsed.contains(where: { $0.attribute == i }) else {
                throw FairgroundError.parameter("keep", field: name, expected: "a mediator that is not also set")
            }
            if !kept.contains(i) { kept.append(i) }
        }
        self.assignments = parsed
        self.kept = kept
    }

    /// A readable form: `do(gender=male) keep(income)`.
    public func description(in spec: PopulationSpec) -> String {
        var text = "do(" + assignments.map { "\(spec.attributes[$0.attribute].name)=\($0.text)" }
            .joined(separator: ", ") + ")"
        if !kept.isEmpty { text += " keep(" + kept.map { spec.attributes[$0].name }.joined(separator: ", ") + ")" }
        return text
    }
}
