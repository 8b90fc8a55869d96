public import TrainingData

/// What an opted-out user is shown: the most popular items among consenting users — the same list for every
/// opted-out user, built from no data of theirs (not even to leave out what they have seen).
public enum NonPersonalisedServing {
    /// Whether row `user` of `data` opted out (its consent column is 0).
    public static func optedOut(_ user: Int, in data: InteractionData) -> Bool {
        data.column(.consent).map { $0.values[user] == 0 } ?? false
    }

    /// The `k` items most consenting users interacted with (ties: lower item id first), within `allowed`.
    public static func popularAmongConsenting(_ data: InteractionData, k: Int, allowed: [Bool]? = nil)
        -> [(item: Int, score: Float)]
    {
        let consenting = TrainingSelection().selected(data)
        return TopKRecommender(scorer: .popularity(of: consenting.matrix), allowed: allowed).recommend(users: 0..<1, k: k)[0]
    }
}
