public import FileSupport
public import TrainingData

/// Non-random dropout in federated training: the clients of users whose attribute has a level take part in each
/// round with a probability — people with older phones, say, drop out more.
///
/// Written `ATTRIBUTE=LEVEL=P` (`--participation device=old=0.3`); users matching no rule take part with
/// probability 1, and a user matching several gets the product. ``GeneratedDirectory/participation(_:threads:)``
/// turns rules into the per-user ``UserColumn/Role/participation`` column federated training reads, so the
/// recommender never needs the population.
public struct ParticipationRule: Sendable, Equatable, CustomStringConvertible {
    /// The attribute (categorical or boolean).
    public var attribute: String
    /// The level whose users the rule concerns (`true`/`false` for a boolean).
    public var level: String
    /// Their probability of taking part in a round, in [0, 1].
    public var probability: Double

    /// Parses `ATTRIBUTE=LEVEL=P` (the level may itself contain `=`).
    ///
    /// - Throws: ``FairgroundError`` naming `--participation` for another shape, an empty name or P outside [0, 1].
    public init(parsing text: String) throws(FairgroundError) {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[0].isEmpty, let p = Double(parts[parts.count - 1]),
              parts[1..<(parts.count - 1)].joined(separator: "=") != "" else {
            throw FairgroundError(file: "--participation", expected: "ATTRIBUTE=LEVEL=P, e.g. device=old=0.3",
                                  found: text)
        }
        guard p >= 0, p <= 1 else {
            throw FairgroundError(file: "--participation", expected: "a probability P in [0, 1] in \(text)",
                                  found: parts[parts.count - 1].description)
        }
        attribute = String(parts[0])
        level = parts[1..<(parts.count - 1)].joined(separator: "=")
        probability = p
    }

    /// `ATTRIBUTE=LEVEL=P`.
    public var description: String { "\(attribute)=\(level)=\(probability)" }
}

extension GeneratedDirectory {
    /// The participation column of `rules`: per row of the directory's training data, the product of the
    /// probabilities of the rules its user matches (1 when none).
    ///
    /// - Throws: ``FairgroundError`` naming `--participation` for an attribute the spec lacks, a numeric one, or a
    ///   level the attribute does not have (listing those it has).
    public func participation(_ rules: [ParticipationRule], threads: Int = 1) throws(FairgroundError) -> UserColumn {
        var values = [Float](repeating: 1, count: users.count)
        for rule in rules {
            let groups: UserGroups
            do { groups = try self.groups(by: rule.attribute, threads: threads) } catch {
                throw FairgroundError(file: "--participation", expected: error.reason, found: rule.description)
            }
            guard let level = groups.levels.firstIndex(of: rule.level) else {
                throw FairgroundError(file: "--participation", expected: "a level of \(rule.attribute) ("
                                          + groups.levels.joined(separator: ", ") + ")", found: rule.level)
            }
            for (u, g) in groups.group.enumerated() where g == level { values[u] *= Float(rule.probability) }
        }
        return UserColumn(role: .participation, values: values)
    }
}
