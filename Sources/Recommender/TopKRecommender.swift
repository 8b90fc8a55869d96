public import Linear
import Dispatch

/// Top-K recommendation for many users at once: scores come in blocks of users through `ScoreKernel`, already-seen
/// items are excluded, and an optional item filter (e.g. only offer categories) restricts the candidates.
public struct TopKRecommender: Sendable {
    /// What scores the items.
    public let scorer: Scorer
    /// Items each user has seen (excluded from their lists), when given.
    public let seen: CSRMatrix<Float>?
    /// Candidate items (`nil`: all).
    public let allowed: [Bool]?

    /// Creates a recommender.
    ///
    /// - Precondition: `seen` and `allowed`, when given, cover the scorer's items.
    public init(scorer: Scorer, excluding seen: CSRMatrix<Float>? = nil, allowed: [Bool]? = nil) {
        precondition(seen.map { $0.columns <= scorer.items } ?? true, "Seen matrix has more items than the model")
        precondition(allowed.map { $0.count == scorer.items } ?? true, "Item filter length differs from item count")
        self.scorer = scorer
        self.seen = seen
        self.allowed = allowed
    }

    /// The top `k` items of each user in `users`, best first, with their scores.
    ///
    /// A factor model visits items in decreasing norm and stops each user once no unvisited item can enter their
    /// list (exact; see `NormOrderedScoring`), so the cost is usually far below O(users × items × factors).
    public func recommend(users: Range<Int>, k: Int, threads: Int = 1) -> [[(item: Int, score: Float)]] {
        if case .popularity(let counts) = scorer { return recommendByRanking(counts, users: users, k: k) }
        return recommend(users: users, k: k, threads: threads, bestWithin: []).lists
    }

    /// Top-`k` lists and, for each user and each item range in `ranges`, the best score of the range's items
    /// (over all of them: seen items and the item filter are not applied to these maxima). An audit uses the
    /// maxima as a user's score for an offer whose items form a range.
    ///
    /// - Returns: The lists, and `users.count × ranges.count` maxima (row-major; −∞ for an empty range).
    public func recommend(users: Range<Int>, k: Int, threads: Int = 1, bestWithin ranges: [Range<Int>])
        -> (lists: [[(item: Int, score: Float)]], best: [Float])
    {
        precondition(ranges.allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= scorer.items }, "Range outside the items")
        if case .model(let model) = scorer {
            let lists = NormOrderedScoring(model: model)
                .recommend(users: users, k: k, seen: seen, allowed: allowed, threads: threads)
            var best = [Float](repeating: -.infinity, count: users.count * ranges.count)
            for (j, range) in ranges.enumerated() {
                let column = NormOrderedScoring.best(of: model, users: users, within: range, threads: threads)
                for u in column.indices { best[u * ranges.count + j] = column[u] }
            }
            return (lists, best)
        }
        return recommendDense(users: users, k: k, threads: threads, bestWithin: ranges)
    }

    /// The same as ``recommend(users:k:threads:bestWithin:)``, scoring every item of every user through `ScoreKernel`.
    func recommendDense(users: Range<Int>, k: Int, threads: Int = 1, bestWithin ranges: [Range<Int>])
        -> (lists: [[(item: Int, score: Float)]], best: [Float])
    {
        let items = scorer.items
        let g = ranges.count
        var best = [Float](repeating: -.infinity, count: users.count * g)
        // Blocks of users whose score rows fit in about 8 MB (fewer cache misses for the selection that follows).
        let blockUsers = max(1, min(1024, (2 << 20) / max(items, 1)))
        let blocks = (users.count + blockUsers - 1) / blockUsers
        var results = [[(item: Int, score: Float)]](repeating: [], count: users.count)
        results.withUnsafeMutableBufferPointer { out in
            best.withUnsafeMutableBufferPointer { bestOut in
                let shared = Output(base: out.baseAddress!)
                let maxima = Maxima(base: bestOut)
                let work: @Sendable (Int) -> Void = { w in
                    var scores = [Float](repeating: 0, count: blockUsers * items)
                    for b in stride(from: w, to: blocks, by: max(1, threads)) {
                        let lo = users.lowerBound + b * blockUsers
                        let block = lo..<min(lo + blockUsers, users.upperBound)
                        scores.withUnsafeMutableBufferPointer { s in
                            scorer.scores(users: block, into: s.baseAddress!)
                            for (r, user) in block.enumerated() {
                                let row = UnsafeMutableBufferPointer(rebasing: s[(r * items)..<((r + 1) * items)])
                                for (j, range) in ranges.enumerated() {
                                    var top = -Float.infinity
                                    for i in range { top = max(top, row[i]) }
                                    maxima.base[(user - users.lowerBound) * g + j] = top
                                }
                                mask(row, user: user)
                                shared.base[user - users.lowerBound] = TopK.select(UnsafeBufferPointer(row), k: k)
                                    .map { (Int($0), row[Int($0)]) }
                            }
                        }
                    }
                }
                if threads <= 1 || blocks <= 1 { work(0) } else {
                    DispatchQueue.concurrentPerform(iterations: min(threads, blocks), execute: work)
                }
            }
        }
        return (results, best)
    }

    /// Every user shares one ranking: walk it once per user, skipping excluded items — O(k + seen) per user
    /// instead of scoring every item. Ties go to the lower index, as in ``TopK``.
    func recommendByRanking(_ scores: [Float], users: Range<Int>, k: Int) -> [[(item: Int, score: Float)]] {
        let ranking = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var excluded = [Bool](repeating: false, count: scores.count)
        return users.map { user in
            var seenItems: [Int] = []
            if let seen, user < seen.rows {
                seenItems = seen.columnIndices[seen.rowPointers[user]..<seen.rowPointers[user + 1]].map(Int.init)
            }
            for i in seenItems { excluded[i] = true }
            defer { for i in seenItems { excluded[i] = false } }
            var list: [(item: Int, score: Float)] = []
            for i in ranking {
                if list.count == k { break }
                if excluded[i] || !(allowed?[i] ?? true) || !(scores[i] > -.infinity) { continue }
                list.append((i, scores[i]))
            }
            return list
        }
    }

    /// Sets excluded items of a score row to −∞.
    func mask(_ row: UnsafeMutableBufferPointer<Float>, user: Int) {
        if let seen, user < seen.rows {
            for p in seen.rowPointers[user]..<seen.rowPointers[user + 1] { row[Int(seen.columnIndices[p])] = -.infinity }
        }
        if let allowed { for i in 0..<row.count where !allowed[i] { row[i] = -.infinity } }
    }

    struct Output: @unchecked Sendable {
        let base: UnsafeMutablePointer<[(item: Int, score: Float)]>
    }

    struct Maxima: @unchecked Sendable {
        let base: UnsafeMutableBufferPointer<Float>
    }
}
