public import Audit
public import Recommender
import Linear

/// A factor model under audit: each user is folded into the fixed item factors from their interactions under
/// a ``FoldInRule`` (no retraining), then scored by dot products.
///
/// Factual users are folded in too, not read from the model's user factors, so that factual and twin scores come
/// from the same computation and every difference between them is the intervention's. The rule is the model's
/// own training rule unless one is given — a model trained elsewhere is folded in as its trainer would.
public struct FoldedInFactorModel: AuditedModel {
    /// The model.
    public var model: FactorModel
    /// How a user's interactions become their factors.
    public var rule: FoldInRule

    /// Audits `model`, folding users in under `rule` (default: the model's training rule).
    public init(_ model: FactorModel, rule: FoldInRule? = nil) {
        self.model = model
        self.rule = rule ?? model.configuration.foldInRule
    }

    /// The model's item count.
    public var items: Int? { model.items }
    /// A factor model reads interactions only.
    public var readsAttributes: Bool { false }
    /// The model's configuration and stored holdout check, and the fold-in rule when it is not the training one.
    public var card: ModelCard {
        var card = ModelCard(model)
        if rule != model.configuration.foldInRule {
            card.parameters.append(.init("fold-in", "λ \(rule.regularization)\(rule.scaling == .perInteraction ? "·n_u" : ""), "
                                         + "α \(rule.alpha), \(rule.confidence.formula)"
                                         + (rule.duplicates == .separateTerms ? ", duplicate rows separate terms" : "")))
        }
        return card
    }

    /// Folds `users` in, then scores every offer and makes top-K lists (seen items excluded); returns the folded-in
    /// factors, and for a model trained honouring consent the list opted-out users are served.
    public func output(for users: AuditedUsers, offers: [Range<Int>], k: Int, threads: Int) -> ModelOutput {
        let interactions = users.interactions.matrix
        let n = interactions.rows
        guard n > 0 else { return ModelOutput(scores: [], lists: []) }
        var folded = model
        let (factors, unsolved) = model.foldIn(users.interactions, rule: rule, threads: threads)
        folded.userFactors = factors
        let (lists, best) = TopKRecommender(scorer: .model(folded), excluding: interactions)
            .recommend(users: 0..<n, k: k, threads: threads, bestWithin: offers)
        var flat = [Int32](repeating: -1, count: n * k)
        for (u, list) in lists.enumerated() {
            for (r, entry) in list.enumerated() { flat[u * k + r] = Int32(entry.item) }
        }
        // A model trained honouring consent serves opted-out users the most popular items among consenting ones.
        var optedOutList: [Int32]?
        if model.selection?.consent == .honour, users.world == .factual, users.interactions.column(.consent) != nil {
            var list = [Int32](repeating: -1, count: k)
            for (r, entry) in NonPersonalisedServing.popularAmongConsenting(users.interactions, k: k).enumerated() {
                list[r] = Int32(entry.item)
            }
            optedOutList = list
        }
        return ModelOutput(scores: best, lists: flat, unsolvedRows: unsolved, userFactors: factors,
                           optedOutList: optedOutList)
    }
}
