import Audit
import Statistics
public import FileSupport

/// One of N shards of an audit: a contiguous run of whole blocks of user ids (``PoissonBootstrap/block`` ids
/// each), so that its sums are bit for bit those the whole population's audit adds for the same users.
///
/// Written `I/N` on the command line, I from 1 to N.
public struct AuditShard: Sendable, Codable, Equatable, CustomStringConvertible {
    /// This shard's number, from 1.
    public var index: Int
    /// The number of shards.
    public var count: Int

    /// User ids per block: shard boundaries are multiples of it.
    public static var block: Int { PoissonBootstrap.block }

    /// A shard.
    ///
    /// - Throws: ``FairgroundError`` for the parameter `shard` unless 1 ≤ index ≤ count.
    public init(index: Int, count: Int) throws(FairgroundError) {
        guard count >= 1, index >= 1, index <= count else {
            throw FairgroundError.parameter("shard", expected: "I/N with 1 ≤ I ≤ N", found: "\(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`.
    ///
    /// - Throws: ``FairgroundError`` for the parameter `shard`.
    public init(parsing text: String) throws(FairgroundError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw FairgroundError.parameter("shard", expected: "I/N, e.g. 2/4", found: text)
        }
        try self.init(index: i, count: n)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    /// This shard's users among `users` (a world's ids): the whole blocks from the (I−1)·B/N-th to the I·B/N-th of
    /// the B blocks the ids touch.
    ///
    /// - Throws: ``FairgroundError`` for the parameter `shard` when there are fewer blocks than shards.
    public func users(of users: Range<Int>) throws(FairgroundError) -> Range<Int> {
        let b = Self.block
        guard !users.isEmpty else { throw FairgroundError.parameter("shard", expected: "a world with users", found: "none") }
        let firstBlock = users.lowerBound / b, blocks = (users.upperBound - 1) / b - firstBlock + 1
        guard count <= blocks else {
            throw FairgroundError.parameter(
                "shard", expected: "at most \(blocks) shards for \(users.count) users (a shard holds whole blocks "
                    + "of \(b) user ids)", found: description)
        }
        let lo = firstBlock + (index - 1) * blocks / count, hi = firstBlock + index * blocks / count
        return max(users.lowerBound, lo * b)..<min(users.upperBound, hi * b)
    }
}
