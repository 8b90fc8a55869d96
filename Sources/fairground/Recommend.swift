import FileSupport
import ArgumentParser
import Population
import Recommender
import TrainingData

/// `fairground recommend MODEL --user U --data DATA`.
struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Top-k items for a user, excluding items already seen, optionally with explanations; or the items most similar to an item.")

    @Argument(help: "A model file written by 'fairground train'.") var model: String
    @Option(help: "The user (0-based row).") var user: Int?
    @Option(help: "Instead of a user: list the items most similar to this item (cosine of factors).")
    var similarTo: Int?
    @Option(help: "The interactions the model was trained on (to exclude seen items and to explain).")
    var data: String?
    @Option(help: "How many items.") var k = 10
    @Option(help: "An item_id,category file for --only-category: the items.csv of the model's world (one row per item of the model).")
    var items: String?
    @Option(help: "Recommend only items of this category (repeatable; needs --items).")
    var onlyCategory: [String] = []
    @Flag(help: "Show, for each item, the past items that contributed most (Hu et al. 2008).") var explain = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard k >= 1 else { throw FairgroundError(file: "--k", expected: "a list length of at least 1", found: "\(k)") }
        guard (user == nil) != (similarTo == nil) else { throw FairgroundError(file: "--user/--similar-to", expected: "exactly one of them") }
        if user != nil, data == nil { throw FairgroundError(file: "--data", expected: "the training interactions, with --user") }
        if !onlyCategory.isEmpty, items == nil { throw FairgroundError(file: "--items", expected: "an items.csv, with --only-category") }
    }

    func run() throws {
        let factors = try FactorModel.read(path: model)
        // As evaluate and audit refuse: a list longer than the catalogue (2⁶³ − 1 crashed the heap).
        guard k <= factors.items else {
            throw FairgroundError(file: "--k", expected: "a list length from 1 to the model's \(factors.items) items",
                                  found: "\(k)")
        }
        if let item = similarTo {
            guard item >= 0, item < factors.items else {
                throw FairgroundError(file: "--similar-to", expected: "an item from 0 to \(factors.items - 1)", found: "\(item)")
            }
            let similar = factors.similarItems(to: item, k: k).map { (item: $0.item, score: $0.similarity) }
            print(RecommendationReport(user: -1, items: similar, explanations: [], title: "items similar to \(item):")
                .render(json: json))
            return
        }
        guard let user, let data else { return }
        let interactions = try TrainingInput(path: data).data
        try factors.checkPairing(with: interactions, modelFile: model)
        let matrix = interactions.matrix
        guard user >= 0, user < factors.users, user < matrix.rows else {
            throw FairgroundError(file: "--user", expected: "a user from 0 to \(min(factors.users, matrix.rows) - 1)",
                             found: "\(user)")
        }
        let allowed = try items.map { path throws(FairgroundError) in
            try ItemFilter.mask(itemsFile: path, categories: Set(onlyCategory), items: factors.items, model: model)
        }
        if factors.selection?.consent == .honour, NonPersonalisedServing.optedOut(user, in: interactions) {
            let list = NonPersonalisedServing.popularAmongConsenting(interactions, k: k,
                                                                     allowed: onlyCategory.isEmpty ? nil : allowed)
            let title = "user \(user) opted out of personalised marketing: the most popular items among consenting "
                + "users (the same list for every opted-out user, built from no data of theirs)"
            if explain { writeStandardError("note: --explain has nothing to explain for an opted-out user\n") }
            var report = RecommendationReport(user: user, items: list, explanations: [], title: title)
            report.personalised = false
            print(report.render(json: json))
            return
        }
        let list = TopKRecommender(scorer: .model(factors), excluding: matrix, allowed: onlyCategory.isEmpty ? nil : allowed)
            .recommend(users: user..<(user + 1), k: k)[0]
        let history = factors.history(ofRow: user, in: interactions)
        let explanations = explain ? list.map { factors.explain(item: $0.item, history: history) } : []
        print(RecommendationReport(user: user, items: list, explanations: explanations).render(json: json))
    }
}
