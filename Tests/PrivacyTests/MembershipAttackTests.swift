import Testing
import FileSupport
import Linear
import Recommender
import TestSupport
import TrainingData
@testable import Privacy

/// The membership attack on small synthetic worlds: an overfitted model is caught, a model whose item factors never
/// saw the members is not, the result is the same on any thread count, and bad inputs are refused.
@Suite struct MembershipAttackTests {
    /// `users` users with ids from `firstUser`, each in one of 8 taste clusters over 240 items: 14 items each, 10 of
    /// them from the cluster's 40 and 4 from anywhere (a population, so two draws are two samples of the same one).
    static func world(users: Int, firstUser: Int, seed: UInt64) -> InteractionData {
        var rng = TestLCG(seed: seed)
        var triplets: [(row: Int, column: Int, value: Float)] = []
        for u in 0..<users {
            let cluster = Int(rng.next() >> 33) % 8
            var chosen = Set<Int>()
            while chosen.count < 10 { chosen.insert((cluster * 30 + Int(rng.next() >> 33) % 40) % 240) }
            while chosen.count < 14 { chosen.insert(Int(rng.next() >> 33) % 240) }
            for i in chosen.sorted() { triplets.append((u, i, Float(1 + Int(rng.next() >> 33) % 3))) }
        }
        return InteractionData(matrix: CSRMatrix(rows: users, columns: 240, triplets: triplets),
                               userIDs: Array(firstUser..<(firstUser + users)), source: "world \(firstUser)")
    }

    static let members = world(users: 160, firstUser: 0, seed: 1)
    static let nonMembers = world(users: 160, firstUser: 1000, seed: 2)
    static let others = world(users: 160, firstUser: 2000, seed: 3)

    /// Many factors, a tiny λ, exact solves, many sweeps: a model that memorises its users.
    static func overfitted(_ data: InteractionData) throws -> FactorModel {
        var c = ALSConfiguration()
        c.factors = 48
        c.regularization = 0.01
        c.iterations = 20
        c.solver = .cholesky
        return try ImplicitALS(configuration: c).train(data).model
    }

    static let overfittedModel = try! overfitted(members)

    @Test(arguments: MembershipAttack.Variant.allCases)
    func anOverfittedModelIsCaught(_ variant: MembershipAttack.Variant) throws {
        let outcome = try MembershipAttack(variant: variant, seed: 5)
            .run(model: Self.overfittedModel, members: Self.members, nonMembers: Self.nonMembers)
        #expect(outcome.members == 160 && outcome.nonMembers == 160)
        #expect(outcome.lower > 0.6, "AUC \(outcome.area) [\(outcome.lower), \(outcome.upper)]")
        #expect(outcome.lower <= outcome.area && outcome.area <= outcome.upper)
        #expect(outcome.tellsMembersApart)
        #expect(outcome.epsilon.value > 0.3, "ε \(outcome.epsilon.value)")
        #expect(outcome.epsilon.delta == MembershipAttack.defaultDelta && outcome.epsilon.deltaSource == .default)
        #expect(!outcome.breaksPromise)
        // The halves split each side in two; the ROC runs from (0, 0) to (1, 1) and never goes down.
        #expect(outcome.epsilon.calibrationMembers + outcome.epsilon.evaluationMembers == 160)
        #expect(outcome.roc.first?.truePositiveRate == 0 && outcome.roc.last?.falsePositiveRate == 1
                && outcome.roc.last?.truePositiveRate == 1)
        #expect(zip(outcome.roc, outcome.roc.dropFirst()).allSatisfy {
            $0.truePositiveRate <= $1.truePositiveRate && $0.falsePositiveRate <= $1.falsePositiveRate
        })
    }

    /// Item factors trained on other users of the same population know nothing of the members: the factors attack
    /// cannot tell them apart and proves (almost) no ε.
    @Test func independentItemFactorsRevealNothing() throws {
        var model = try Self.overfitted(Self.others)
        // The "members" must be the model's rows: keep its item factors, give the members their own fold-in.
        model.userFactors = model.foldIn(Self.members).factors
        let outcome = try MembershipAttack(variant: .factors, seed: 5)
            .run(model: model, members: Self.members, nonMembers: Self.nonMembers)
        #expect(abs(outcome.area - 0.5) < 0.1, "AUC \(outcome.area)")
        #expect(outcome.lower < 0.5 && outcome.upper > 0.5, "[\(outcome.lower), \(outcome.upper)]")
        #expect(outcome.epsilon.value < 0.3, "ε \(outcome.epsilon.value)")
    }

    @Test(arguments: MembershipAttack.Variant.allCases)
    func theOutcomeDependsOnlyOnInputsAndSeed(_ variant: MembershipAttack.Variant) throws {
        let one = try MembershipAttack(variant: variant, seed: 9, threads: 1)
            .run(model: Self.overfittedModel, members: Self.members, nonMembers: Self.nonMembers)
        let two = try MembershipAttack(variant: variant, seed: 9, threads: 2)
            .run(model: Self.overfittedModel, members: Self.members, nonMembers: Self.nonMembers)
        #expect(one == two)
        let other = try MembershipAttack(variant: variant, seed: 10)
            .run(model: Self.overfittedModel, members: Self.members, nonMembers: Self.nonMembers)
        #expect(other.epsilon.threshold != one.epsilon.threshold || other.epsilon.truePositives != one.epsilon.truePositives
                || other.epsilon.falsePositives != one.epsilon.falsePositives)
    }

    /// More members than non-members: equal numbers are sampled, by seed.
    @Test func samplesAreEqualInSize() throws {
        let few = Self.world(users: 40, firstUser: 5000, seed: 4)
        let outcome = try MembershipAttack(seed: 1).run(model: Self.overfittedModel, members: Self.members, nonMembers: few)
        #expect(outcome.members == 40 && outcome.nonMembers == 40)
        #expect(outcome.eligibleMembers == 160 && outcome.eligibleNonMembers == 40)
    }

    /// A member without user factors (left out of training) or without an interaction is not scored.
    @Test func usersTheModelLeftOutAreNotMembers() throws {
        var model = Self.overfittedModel
        for f in 0..<model.factors { model.userFactors.elements[3 * model.factors + f] = 0 }
        let scores = try MembershipAttack().scores(model: model, data: Self.members, members: true)
        #expect(scores[3] == nil && scores[4] != nil)
        #expect(scores.compactMap { $0 }.allSatisfy { $0.isFinite })
    }

    @Test func badInputsAreRefused() throws {
        let attack = try MembershipAttack()
        // Non-members who are members.
        var overlapping = Self.nonMembers
        overlapping.userIDs[7] = 12
        #expect(throws: FairgroundError.self) {
            try attack.run(model: Self.overfittedModel, members: Self.members, nonMembers: overlapping)
        }
        // Members that are not the model's users; non-members of another catalogue.
        #expect(throws: FairgroundError.self) {
            try attack.run(model: Self.overfittedModel, members: Self.others.rows(0..<100), nonMembers: Self.nonMembers)
        }
        var wider = Self.nonMembers
        wider.matrix = CSRMatrix(rows: wider.matrix.rows, columns: 300, rowPointers: wider.matrix.rowPointers,
                                 columnIndices: wider.matrix.columnIndices, values: wider.matrix.values)
        do {
            _ = try attack.run(model: Self.overfittedModel, members: Self.members, nonMembers: wider)
            Issue.record("accepted non-members with another catalogue")
        } catch {
            #expect(error.field == "items" && error.description.contains("world 1000"))
        }
        for (make, flag) in [({ () throws(FairgroundError) in _ = try MembershipAttack(delta: 0) }, "delta"),
                             ({ () throws(FairgroundError) in _ = try MembershipAttack(delta: 1) }, "delta"),
                             ({ () throws(FairgroundError) in _ = try MembershipAttack(listLength: 0) }, "listLength"),
                             ({ () throws(FairgroundError) in _ = try MembershipAttack(level: 1) }, "level")] {
            do {
                try make()
                Issue.record("accepted a bad \(flag)")
            } catch {
                #expect(error.location == .parameter(flag))
            }
        }
    }

    /// ε from counts, against scipy's beta quantiles; a test that proves nothing bounds nothing.
    @Test func theBoundFromCounts() {
        let e = EmpiricalEpsilon.bound(truePositives: 480, members: 500, falsePositives: 20, nonMembers: 500,
                                       delta: 1e-5, level: 0.95)
        #expect(abs(e - 2.7321409751047097) < 1e-8)
        #expect(EmpiricalEpsilon.bound(truePositives: 50, members: 100, falsePositives: 50, nonMembers: 100,
                                       delta: 1e-5, level: 0.95) == 0)
        #expect(EmpiricalEpsilon.epsilon(truePositiveRateLower: 0, falsePositiveRateUpper: 1, delta: 1e-5) == 0)
    }

    /// A promise is broken only by a bound above its ε at a δ it covers.
    @Test func aPromiseIsJudgedAtItsDelta() throws {
        var outcome = try MembershipAttack(seed: 5)
            .run(model: Self.overfittedModel, members: Self.members, nonMembers: Self.nonMembers)
        outcome.promisedEpsilon = outcome.epsilon.value / 2
        outcome.promisedDelta = outcome.epsilon.delta
        #expect(outcome.breaksPromise)
        outcome.promisedDelta = outcome.epsilon.delta * 10
        #expect(!outcome.breaksPromise)
        outcome.promisedDelta = outcome.epsilon.delta
        outcome.promisedEpsilon = outcome.epsilon.value * 2
        #expect(!outcome.breaksPromise)
    }

    /// δ comes from the caller, else the model's promise, else the default.
    @Test func deltaComesFromTheCallerOrThePromise() throws {
        var model = Self.overfittedModel
        model.privacy = PrivacyGuarantee(epsilon: 1, delta: 1e-6, accountant: "rdp", releases: [], clip: 1,
                                         maxItems: 50, itemSelection: "uniform", confidenceCap: 11)
        let promised = try MembershipAttack(seed: 5).run(model: model, members: Self.members, nonMembers: Self.nonMembers)
        #expect(promised.epsilon.delta == 1e-6 && promised.epsilon.deltaSource == .model)
        #expect(promised.promisedEpsilon == 1 && promised.promisedDelta == 1e-6)
        let given = try MembershipAttack(seed: 5, delta: 1e-3).run(model: model, members: Self.members,
                                                                   nonMembers: Self.nonMembers)
        #expect(given.epsilon.delta == 1e-3 && given.epsilon.deltaSource == .given)
    }
}

extension InteractionData {
    /// The rows `range`, for tests.
    func rows(_ range: Range<Int>) -> InteractionData {
        let m = matrix
        let lo = m.rowPointers[range.lowerBound], hi = m.rowPointers[range.upperBound]
        return InteractionData(
            matrix: CSRMatrix(rows: range.count, columns: m.columns,
                              rowPointers: m.rowPointers[range.lowerBound...range.upperBound].map { $0 - lo },
                              columnIndices: Array(m.columnIndices[lo..<hi]), values: Array(m.values[lo..<hi])),
            userIDs: Array(userIDs[range]), source: source)
    }
}
