public import Audit
import FileSupport
public import Population

/// Builds ``AuditData`` for an external model — most models under test live in Python — from score files (read
/// as a ``ScoreFileModel``, the model under audit that answers from them):
/// one CSV `user_id,offer,score` for the factual world and one per counterfactual world (scored by the same model
/// on a directory made with `fairground counterfactual`). Groups and ground truth come from the generated world.
///
/// ```swift
/// let audit = try ScoreAudit(directory: "out/world")
/// let data = try audit.data(scores: "scores.csv",
///                           twins: [.init(assignment: "gender=male", path: "twin-male-scores.csv")])
/// ```
public struct ScoreAudit: Sendable {
    /// Scores of one counterfactual world.
    public struct Twin: Sendable, Equatable {
        /// The intervention, `attribute=level`.
        public var assignment: String
        /// How the world was made: `.total` (`fairground counterfactual --set …`) or `.naive`.
        public var kind: CounterfactualWorld.Kind
        /// The score file.
        public var path: String

        /// Creates a twin entry.
        public init(assignment: String, kind: CounterfactualWorld.Kind = .total, path: String) {
            self.assignment = assignment
            self.kind = kind
            self.path = path
        }
    }

    /// The generated (factual) world.
    public let directory: GeneratedDirectory
    /// Privileged level per attribute name.
    public var privileged: [String: String] = [:]

    /// Opens a generated directory.
    public init(directory path: String) throws(FairgroundError) {
        directory = try WorldTables.open(path)
    }

    /// Reads the score files against the regenerated world.
    ///
    /// - Throws: ``FairgroundError`` naming the file, line and field of the first problem.
    public func data(scores path: String, twins: [Twin], threads: Int = 1) throws(FairgroundError) -> AuditData {
        let world = directory.generate(intervention: nil, threads: threads)
        let tables = try WorldTables(directory: directory, world: world, privileged: privileged)
        // Every world is checked against the protected attributes before any file is read.
        var worlds: [(attribute: Int, level: Int, twin: Twin)] = []
        for twin in twins {
            let parts = twin.assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let a = tables.attributes.firstIndex(where: { $0.name == parts[0] }) else {
                throw FairgroundError(file: twin.path, field: "assignment",
                                 expected: "protected-attribute=level (\(tables.attributes.map(\.name).joined(separator: ", ")))",
                                 found: twin.assignment)
            }
            guard let level = tables.attributes[a].levels.firstIndex(of: parts[1]) else {
                throw FairgroundError(file: twin.path, field: "assignment",
                                 expected: "a level of \(parts[0]): \(tables.attributes[a].levels.joined(separator: ", "))",
                                 found: parts[1])
            }
            worlds.append((a, level, twin))
        }
        let model = try ScoreFileModel(users: world.users, offers: tables.offers, factual: path, twins: twins)
        let catalog = directory.generator.items!
        let ranges = world.offerCategories.map { c in catalog.categoryStart[c]..<catalog.categoryStart[c + 1] }
        let interactions = world.interactionData()
        func ask(_ label: AuditedWorld) throws(FairgroundError) -> [Float] {
            try model.output(for: AuditedUsers(interactions: interactions, attributes: tables.attributes, world: label),
                             offers: ranges, k: 1, threads: threads).scores
        }
        let scores = try ask(.factual)
        var counterfactuals: [CounterfactualWorld] = []
        for (a, level, twin) in worlds {
            let label = AuditedWorld.counterfactual(attribute: tables.attributes[a].name,
                                                    level: tables.attributes[a].levels[level], kind: twin.kind, kept: [])
            counterfactuals.append(CounterfactualWorld(attribute: a, level: level, kind: twin.kind, scores: try ask(label)))
        }
        return AuditData(userIDs: Array(world.users), attributes: tables.attributes, offers: tables.offers,
                         scores: scores, truth: tables.truth, observed: tables.observed,
                         counterfactuals: counterfactuals, model: model.card, world: WorldIdentity(world))
    }

    /// Reads a `user_id,offer,score` file into a `users × offers` table; every pair must appear exactly once.
    public static func read(path: String, users: Range<Int>, offers: [String]) throws(FairgroundError) -> [Float] {
        let text = try FileIO.readText(path, expecting: "a readable CSV file")
        var offerIndex: [Substring: Int] = [:]
        for (i, o) in offers.enumerated() { offerIndex[Substring(o)] = i }
        let o = offers.count
        var table = [Float](repeating: .nan, count: users.count * o)
        var seen = [Bool](repeating: false, count: users.count * o)
        var lineNumber = 0
        // "\r\n" is one Character in Swift: split on both line ends.
        for row in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if lineNumber == 1 {
                guard row == "user_id,offer,score" else {
                    throw FairgroundError(file: path, field: "header", line: 1, expected: "user_id,offer,score",
                                     found: String(row))
                }
                continue
            }
            if row.isEmpty { continue }
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw FairgroundError(file: path, field: "row", line: lineNumber, expected: "3 fields",
                                 found: "\(fields.count)")
            }
            guard let user = Int(fields[0]), users.contains(user) else {
                throw FairgroundError(file: path, field: "user_id", line: lineNumber,
                                 expected: "a user id of the world (\(users.lowerBound)…\(users.upperBound - 1))",
                                 found: String(fields[0]))
            }
            guard let offer = offerIndex[fields[1]] else {
                throw FairgroundError(file: path, field: "offer", line: lineNumber,
                                 expected: "an offer of the world (\(offers.joined(separator: ", ")))",
                                 found: String(fields[1]))
            }
            // Scores are kept in single precision: a value beyond its range would become infinite later.
            guard let score = Double(fields[2]), score.isFinite, Float(score).isFinite else {
                throw FairgroundError(file: path, field: "score", line: lineNumber,
                                 expected: "a finite number within single precision (|score| < 3.4e38)",
                                 found: String(fields[2]))
            }
            let at = (user - users.lowerBound) * o + offer
            if seen[at] {
                throw FairgroundError(file: path, field: "row", line: lineNumber,
                                 expected: "one score per user and offer", found: "a second score for user \(user), \(fields[1])")
            }
            seen[at] = true
            table[at] = Float(score)
        }
        if lineNumber == 0 || text.isEmpty {
            throw FairgroundError(file: path, field: "header", line: 1, expected: "user_id,offer,score", found: "an empty file")
        }
        if let missing = seen.firstIndex(of: false) {
            throw FairgroundError(file: path, field: "rows",
                             expected: "a score for every user and offer",
                             found: "none for user \(users.lowerBound + missing / o), \(offers[missing % o])")
        }
        return table
    }
}
