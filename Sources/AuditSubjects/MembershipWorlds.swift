public import FileSupport
import Population
public import Recommender
public import TrainingData

/// The two worlds a membership attack compares, read and checked against each other and the model: the members
/// (the generated directory the model was trained on) and the non-members (users of the same spec and seed it
/// never saw, e.g. `fairground generate SPEC --first-user F` beyond the members' ids).
///
/// Both sides see what training saw: the model's recorded ``Recommender/TrainingSelection`` (consent, minimised
/// categories) is applied to both, rows kept (``Recommender/TrainingSelection/masked(_:)``), so a user the model
/// left out has no history to score and non-members are drawn from the same kind of users as members.
///
/// ```swift
/// let model = try FactorModel.read(path: "model.bin")
/// let worlds = try MembershipWorlds(members: "world", nonMembers: "fresh", model: model, modelFile: "model.bin")
/// let outcome = try MembershipAttack().run(model: model, members: worlds.members, nonMembers: worlds.nonMembers)
/// ```
public struct MembershipWorlds: Sendable {
    /// The members' interactions, one row per user of the model.
    public var members: InteractionData
    /// The non-members' interactions.
    public var nonMembers: InteractionData
    /// The scenario name both worlds share.
    public var scenario: String
    /// The members' user ids and the non-members'.
    public var memberUsers: Range<Int>, nonMemberUsers: Range<Int>

    /// Reads and checks both worlds.
    ///
    /// - Throws: ``FileSupport/FairgroundError`` naming the file and field when either path is not a factual
    ///   generated directory, the non-members' world has another spec or seed than the members' (another
    ///   population: the attack would tell worlds apart, not members), their user ids overlap, or the model does not
    ///   match the members' world (users × items).
    public init(members: String, nonMembers: String, model: FactorModel, modelFile: String) throws(FairgroundError) {
        let memberDirectory = try Self.directory(members)
        let nonMemberDirectory = try Self.directory(nonMembers)
        let a = memberDirectory.manifest, b = nonMemberDirectory.manifest
        let manifest = nonMembers + "/manifest.json"
        guard a.specSource == b.specSource else {
            throw FairgroundError(file: manifest, field: "spec_source",
                                  expected: "the spec of the members' world \(members) (\(a.name)): non-members must "
                                      + "come from the same population", found: "the spec of \(b.name)")
        }
        guard a.seed == b.seed else {
            throw FairgroundError(file: manifest, field: "seed",
                                  expected: "the members' seed \(a.seed) (its catalogue and population)",
                                  found: "\(b.seed)")
        }
        let memberUsers = memberDirectory.users, nonMemberUsers = nonMemberDirectory.users
        guard !memberUsers.overlaps(nonMemberUsers) else {
            throw FairgroundError(file: manifest, field: "first_user",
                                  expected: "users the model never saw: ids outside the members' "
                                      + "\(memberUsers.lowerBound)..<\(memberUsers.upperBound) (e.g. generate "
                                      + "--first-user \(memberUsers.upperBound))",
                                  found: "\(nonMemberUsers.lowerBound)..<\(nonMemberUsers.upperBound)")
        }
        var memberData = try memberDirectory.trainingData()
        var nonMemberData = try nonMemberDirectory.trainingData()
        try model.checkPairing(with: memberData, modelFile: modelFile)
        var selection = TrainingSelection()
        if let record = model.selection {
            selection.consent = record.consent
            selection.excludedCategories = record.excludedCategories
            if !record.excludedCategories.isEmpty {
                selection.excludedItems = try memberDirectory.items(inCategories: record.excludedCategories)
            }
        } else {
            selection.consent = .ignore
        }
        memberData = selection.masked(memberData).data
        nonMemberData = selection.masked(nonMemberData).data
        self.members = memberData
        self.nonMembers = nonMemberData
        scenario = a.name
        self.memberUsers = memberUsers
        self.nonMemberUsers = nonMemberUsers
    }

    /// A factual generated directory.
    static func directory(_ path: String) throws(FairgroundError) -> GeneratedDirectory {
        guard FileIO.exists(path + "/.") else {
            throw FairgroundError(file: path, expected: "a directory written by fairground generate")
        }
        return try GeneratedDirectory(path: path, counterfactual: false)
    }
}
