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
                    fields += ", \"folded_in_score\": \(e.score), \"because\": [\(parts.joined(separator: ", "))]"
                }
                return "    {\(fields)}"
            }
            return "{\n  \"user\": \(user),\n  \"recommendations\": [\n\(entries.joined(separator: ",\n"))\n  ]\n}"
        }
        var lines = [title]
        for (n, entry) in items.enumerated() {
            lines.append("  \(n + 1). item \(entry.item)  score \(entry.score)")
            if n < explanations.count {
                let e = explanations[n]
                for c in e.contributions.prefix(topContributions) {
                    let percent = Int((e.share(c.contribution) * 100).rounded())
                    lines.append("       because of item \(c.item): \(percent)%")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
