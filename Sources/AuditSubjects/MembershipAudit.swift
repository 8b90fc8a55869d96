public import Audit
public import FileSupport
public import Privacy
public import Recommender

/// The membership inference attack as part of an audit's privacy view: given a non-member world, runs
/// ``Privacy/MembershipAttack`` on the factor model under audit (members: the audited world's users, read through
/// ``MembershipWorlds`` as training saw them) and hands the view its ``Audit/MembershipEvidence``.
///
/// Only a factor model can be attacked this way (the attacker folds users in with its item factors, or is served
/// its lists); a score file has neither, so `fairground audit --scores` refuses `--non-members`.
///
/// ```swift
/// var audit = try ModelAudit(directory: "world", model: model)
/// audit.membership = MembershipAudit(nonMembers: "fresh", model: model, modelFile: "model.fgm")
/// let data = try audit.data()   // data.privacy?.membership is filled
/// ```
public struct MembershipAudit: Sendable {
    /// The non-members' world: a generated directory of the same spec and seed whose users the model never saw.
    public var nonMembers: String
    /// The model under attack (the one under audit).
    public var model: FactorModel
    /// Its file, for messages.
    public var modelFile: String
    /// What the attacker observes.
    public var variant = MembershipAttack.Variant.factors
    /// K of the served lists (``Privacy/MembershipAttack/Variant/lists``).
    public var listLength = 10
    /// The seed of the sample and its halves.
    public var seed: UInt64 = 0
    /// Confidence level of the empirical ε (the audit's).
    public var level = 0.95

    /// Creates the attack step of an audit.
    public init(nonMembers: String, model: FactorModel, modelFile: String) {
        self.nonMembers = nonMembers
        self.model = model
        self.modelFile = modelFile
    }

    /// Runs the attack with `members` (the audited world's directory) against the non-member world.
    ///
    /// - Throws: ``FileSupport/FairgroundError`` naming the file and field when the worlds do not pair (another
    ///   spec or seed, overlapping users, a model of another world: ``MembershipWorlds``), or when fewer than 4
    ///   users of a side can be scored.
    public func evidence(members: String, threads: Int) throws(FairgroundError) -> MembershipEvidence {
        let attack = try MembershipAttack(variant: variant, listLength: listLength, seed: seed, level: level,
                                          threads: threads)
        let worlds = try MembershipWorlds(members: members, nonMembers: nonMembers, model: model, modelFile: modelFile)
        let o = try attack.run(model: model, members: worlds.members, nonMembers: worlds.nonMembers,
                               modelFile: modelFile)
        let e = o.epsilon
        return MembershipEvidence(
            nonMembers: nonMembers, variant: o.variant.rawValue, listLength: o.listLength, seed: o.seed,
            sampled: o.members, eligibleMembers: o.eligibleMembers, eligibleNonMembers: o.eligibleNonMembers,
            area: o.area, standardError: o.standardError, pValue: o.pValue, epsilon: e.value, delta: e.delta,
            deltaSource: e.deltaSource.rawValue, level: e.level, evaluationMembers: e.evaluationMembers,
            evaluationNonMembers: e.evaluationNonMembers, truePositives: e.truePositives,
            falsePositives: e.falsePositives, truePositiveRateLower: e.truePositiveRateLower,
            falsePositiveRateUpper: e.falsePositiveRateUpper, promisedEpsilon: o.promisedEpsilon,
            promisedDelta: o.promisedDelta)
    }
}
