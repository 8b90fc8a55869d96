/// A user's recommendations (and explanations) as text or JSON, for `fairground recommend`.
public struct RecommendationReport: Sendable {
    /// The user (−1 for a list of similar items).
    public var user: Int
    /// The first line of the text form.
    public var title: String
    /// Items with scores, best first.
    public var items: [(item: Int, score: Float)]
    /// One explanation per item, when asked for.
    public var explanations: [Explanation]
    /// Whether the list is the user's own (`false`: an opted-out user's non-personalised list).
    public var personalised = true

    /// Creates a report.
    public init(user: Int, items: [(item: Int, score: Float)], explanations: [Explanation], title: String? = nil) {
        self.user = user
        self.title = title ?? "user \(user):"
        self.items = items
        self.explanations = explanations
    }

    /// The report as text, or as JSON when `json` is set.
    public func render(json: Bool, topContributions: Int = 3) -> String {
        if json {
            let entries = items.enumerated().map { n, entry in
                var fields = "\"item\": \(entry.item), \"score\": \(entry.score)"
                if n < explanations.count {
                    let e = explanations[n]
                    let parts = e.contributions.prefix(topContributions).map {
                        "{\"item\": \($0.item), \"contribution\": \($0.contribution), \"share\": \(e.share($0.contribution))}"
                    }
                    let rest = e.contributions.dropFirst(topContributions)
                    let others = rest.reduce(Float(0)) { $0 + $1.contribution }
                    fields += ", \"folded_in_score\": \(e.score), \"because\": [\(parts.joined(separator: ", "))], "
                        + "\"other_items\": {\"count\": \(rest.count), \"contribution\": \(others), "
                        + "\"share\": \(e.share(others))}"
                }
                return "    {\(fields)}"
            }
            let kind = personalised ? "" : "  \"personalised\": false,\n"
            return "{\n  \"user\": \(user),\n\(kind)  \"recommendations\": [\n\(entries.joined(separator: ",\n"))\n  ]\n}"
        }
        var lines = [title]
        for (n, entry) in items.enumerated() {
            lines.append("  \(n + 1). item \(entry.item)  score \(entry.score)")
            if n < explanations.count {
                let e = explanations[n]
                // The explanation is of the folded-in score (the score an audit uses); its shares sum to 100%.
                lines.append("       explains the folded-in score \(e.score) as a sum over the user's \(e.contributions.count) "
                             + "past items:")
                func percent(_ x: Float) -> String { String((Double(e.share(x)) * 1000).rounded() / 10) + "%" }
                for c in e.contributions.prefix(topContributions) {
                    lines.append("       because of item \(c.item): \(percent(c.contribution))")
                }
                let rest = e.contributions.dropFirst(topContributions)
                if !rest.isEmpty {
                    lines.append("       the other \(rest.count) items: "
                                 + percent(rest.reduce(Float(0)) { $0 + $1.contribution }))
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
