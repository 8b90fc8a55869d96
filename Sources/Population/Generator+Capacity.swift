import FileSupport
#if canImport(Glibc)
internal import Glibc
#endif

extension Generator {
    /// An estimate of the memory, in bytes, that generating `users` users holds at its peak.
    ///
    /// Attribute values and truths take 4 bytes each per user; implicit interactions take about 24 bytes per
    /// expected draw (per-block buffers, then the assembled table), ratings about 24 bytes per expected observed
    /// item.
    public func estimatedBytes(users: Int) -> Double {
        let columns = Double(spec.attributes.count + (spec.items?.offerCategories.count ?? 0))
        var perUser = 4 * columns + 8
        if let items = spec.items {
            let b = spec.behavior
            switch b.feedback {
            case .implicit:
                let draws: Double
                switch b.interactionsPerUser {
                case .constant(let k): draws = Double(k)
                case .lognormal(let mu, let sigma): draws = exp(mu + sigma * sigma / 2)
                }
                perUser += 24 * min(draws, Double(b.maximumInteractions))
            case .ratings:
                perUser += 24 * Double(items.count) * b.observation
            }
        }
        return perUser * Double(users)
    }

    /// The largest user id plus one that a world may hold (2³¹ − 1: the readers index users and items in 32 bits).
    public static let userIDLimit = Int(Int32.max)

    /// The users `first ..< first + count`, refused (never overflowing) when the count is below 1, the first id
    /// below 0 or the last id beyond ``userIDLimit``.
    ///
    /// - Throws: ``FairgroundError`` on the parameter `users` or `firstUser`.
    public static func userRange(first: Int, count: Int) throws(FairgroundError) -> Range<Int> {
        guard count >= 1 else { throw FairgroundError.parameter("users", expected: "at least 1 user", found: "\(count)") }
        guard first >= 0 else { throw FairgroundError.parameter("firstUser", expected: "an id ≥ 0", found: "\(first)") }
        guard count <= userIDLimit, first <= userIDLimit - count else {
            throw FairgroundError.parameter(
                count > userIDLimit ? "users" : "firstUser",
                expected: "user ids below \(userIDLimit) (first user + users)",
                found: "first user \(first), \(count) users")
        }
        return first..<(first + count)
    }

    /// Refuses a size that cannot fit in the memory this process may use (``MemoryBudget/availableBytes``), before any
    /// work is done.
    ///
    /// - Throws: ``FairgroundError`` on the `users` field, naming the estimate, the memory available, and the way out
    ///   (generate in shards).
    public func checkCapacity(users: Int) throws(FairgroundError) {
        guard let available = MemoryBudget.availableBytes else { return }
        let needed = estimatedBytes(users: users)
        guard needed > 0.8 * available else { return }
        let fitting = Int(0.8 * available / (needed / Double(max(users, 1))))
        try MemoryBudget.check(bytes: needed, file: spec.file, field: "users", what: "\(users) users",
                               advice: "generate at most about \(fitting) users at a time (shards with --first-user "
                                   + "and --users give exactly the rows of a full run)")
    }
}
