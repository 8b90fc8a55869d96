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

    /// Refuses a size that cannot fit in this machine's memory, before any work is done.
    ///
    /// - Throws: ``InputError`` on the `users` field, naming the estimate, the memory available, and the way out
    ///   (generate in shards).
    public func checkCapacity(users: Int) throws(InputError) {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return }
        let available = Double(pages) * Double(pageSize)
        let needed = estimatedBytes(users: users)
        guard needed > 0.8 * available else { return }
        let fitting = Int(0.8 * available / (needed / Double(max(users, 1))))
        throw InputError(
            file: spec.file, field: "users",
            expected: "a size that fits in memory: \(users) users need about \(Self.gigabytes(needed)) GB and "
                + "this machine has \(Self.gigabytes(available)) GB; generate at most about \(fitting) users at "
                + "a time (shards with --first-user and --users give exactly the rows of a full run)")
    }

    static func gigabytes(_ bytes: Double) -> String {
        let tenths = (bytes / 1e8).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)"
    }
}
