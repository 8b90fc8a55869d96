public import Audit
import FileSupport

/// An external model under audit, known by its score files: one `users × offers` table for the factual world and
/// one per counterfactual world it was run on (`fairground counterfactual --set …` directories scored by the same
/// model). It answers for the worlds it has scores of and refuses the others.
///
/// It makes no lists (the recommendation view needs a model that ranks items), and it may read anything, the
/// protected attributes included, so it is asked about every world.
///
/// ```swift
/// let model = try ScoreFileModel(users: 0..<1000, offers: ["loan", "card"], factual: "scores.csv",
///                                twins: [.init(assignment: "gender=male", path: "twin-male.csv")])
/// ```
public struct ScoreFileModel: AuditedModel {
    /// The users the files cover.
    public let users: Range<Int>
    /// The offers, in table order.
    public let offers: [String]
    /// Factual scores, `users × offers`.
    public let factual: [Float]
    /// Counterfactual scores by world: attribute, level and kind.
    public let counterfactual: [Key: [Float]]

    /// A counterfactual world's identity.
    public struct Key: Sendable, Hashable {
        /// The intervened attribute.
        public var attribute: String
        /// Its level in the twin world.
        public var level: String
        /// How the twins were made.
        public var kind: CounterfactualWorld.Kind
    }

    /// Reads the score files (``ScoreAudit/read(path:users:offers:)``).
    ///
    /// - Throws: ``FairgroundError`` naming the file, line and field of the first problem, or an assignment that is
    ///   not `attribute=level`.
    public init(users: Range<Int>, offers: [String], factual path: String, twins: [ScoreAudit.Twin])
        throws(FairgroundError)
    {
        self.users = users
        self.offers = offers
        factual = try ScoreAudit.read(path: path, users: users, offers: offers)
        var tables: [Key: [Float]] = [:]
        for twin in twins {
            let parts = twin.assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw FairgroundError(file: twin.path, field: "assignment", expected: "attribute=level",
                                 found: twin.assignment)
            }
            let key = Key(attribute: parts[0], level: parts[1], kind: twin.kind)
            guard tables[key] == nil else {
                throw FairgroundError(file: twin.path, field: "assignment",
                                 expected: "one score file per world", found: "a second file for \(twin.assignment)")
            }
            tables[key] = try ScoreAudit.read(path: twin.path, users: users, offers: offers)
        }
        counterfactual = tables
    }

    /// FNV-1a 64 of every score (factual, then each twin world in a fixed order), in hex.
    var scoreDigest: String {
        var bytes: [UInt8] = []
        let keys = counterfactual.keys.sorted { ($0.attribute, $0.level, $0.kind.rawValue) < ($1.attribute, $1.level, $1.kind.rawValue) }
        for table in [factual] + keys.map({ counterfactual[$0]! }) {
            for x in table { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 } }
        }
        return String(FNV1a.hash(bytes), radix: 16)
    }

    /// Scores offers only.
    public var items: Int? { nil }
    /// An external model may read the protected attributes.
    public var readsAttributes: Bool { true }
    /// Scores from files: the model behind them is not here to be measured.
    public var card: ModelCard {
        ModelCard(kind: "external scores (user_id,offer,score files)",
                  unmeasured: "the scores come from files, so Fairground cannot measure the model behind them; check "
                      + "that it beats a popularity baseline on held-out data before trusting this audit",
                  fingerprint: scoreDigest)
    }

    /// The rows of `users` from the table of their world.
    public func output(for audited: AuditedUsers, offers ranges: [Range<Int>], k: Int, threads: Int)
        throws(FairgroundError) -> ModelOutput
    {
        let table: [Float]
        switch audited.world {
        case .factual: table = factual
        case .counterfactual(let attribute, let level, let kind, _):
            guard let t = counterfactual[Key(attribute: attribute, level: level, kind: kind)] else {
                throw FairgroundError.parameter(
                    "scores", expected: "a score file for the world \(kind.rawValue)(\(attribute)=\(level))",
                    found: "none")
            }
            table = t
        }
        let o = offers.count
        precondition(ranges.count == o, "The world's offers differ from the score files'")
        var scores: [Float] = []
        scores.reserveCapacity(audited.interactions.users * o)
        for id in audited.interactions.userIDs {
            precondition(users.contains(id), "User outside the score files")
            let row = (id - users.lowerBound) * o
            scores.append(contentsOf: table[row..<(row + o)])
        }
        return ModelOutput(scores: scores, lists: nil)
    }
}
