import Testing
@testable import Population

@Suite struct CounterfactualTests {
    static let users = 20_000
    static let generator = try! Generator(spec: try! Scenario.defaultSpec())
    static let factual = generator.generate(users: 0..<users, threads: 2)
    static let toMale = generator.generate(
        users: 0..<users, intervention: try! Intervention(spec: generator.spec, assignments: ["gender=male"]),
        threads: 2)
    // Attribute indices in the default scenario.
    static let gender = 0, ethnicity = 1, age = 2, zipRegion = 3, income = 4, consent = 5

    @Test func interventionSetsTheAttributeForEveryone() {
        #expect(Self.toMale.attributeValues[Self.gender].allSatisfy { $0 == 1 })
    }

    @Test func nonDescendantsAreUnchangedBitForBit() {
        // ethnicity, age and zip_region do not depend on gender; consent is uncorrelated with everything.
        for a in [Self.ethnicity, Self.age, Self.zipRegion, Self.consent] {
            let same = zip(Self.factual.attributeValues[a], Self.toMale.attributeValues[a])
                .allSatisfy { $0.bitPattern == $1.bitPattern }
            #expect(same, "attribute \(a) changed")
        }
    }

    @Test("Copying unchanged twins from the factual world gives the same twin world",
          arguments: [["gender=male"], ["ethnicity=group_b"], ["gender=female", "income=40000"]])
    func reusingTheFactualWorldChangesNothing(_ assignments: [String]) throws {
        let intervention = try Intervention(spec: Self.generator.spec, assignments: assignments, keep: [])
        let plain = Self.generator.generate(users: 0..<Self.users, intervention: intervention, threads: 2)
        let reused = Self.generator.generate(users: 0..<Self.users, intervention: intervention, threads: 2,
                                             reusing: Self.factual)
        #expect(plain.interactions == reused.interactions)
        #expect(plain.truth == reused.truth)
        #expect(plain.attributeValues == reused.attributeValues)
    }

    @Test func usersAlreadyAtTheLevelAreIdenticalEverywhere() {
        for row in 0..<Self.users where Self.factual.attributeValues[Self.gender][row] == 1 {
            for a in Self.factual.attributeValues.indices {
                #expect(Self.factual.attributeValues[a][row].bitPattern == Self.toMale.attributeValues[a][row].bitPattern)
            }
            #expect(Self.factual.truth[0][row] == Self.toMale.truth[0][row])
            let f = Self.factual.interactions, t = Self.toMale.interactions
            #expect(f.items[f.entries(row: row)] == t.items[t.entries(row: row)])
            #expect(f.weights[f.entries(row: row)] == t.weights[t.entries(row: row)])
        }
    }

    @Test func descendantsShiftInTheDeclaredDirection() {
        // gender ~ income at −0.2 with male the later level: making a woman a man lowers her latent income.
        var women = 0
        for row in 0..<Self.users where Self.factual.attributeValues[Self.gender][row] == 0 {
            women += 1
            #expect(Self.toMale.attributeValues[Self.income][row] < Self.factual.attributeValues[Self.income][row])
        }
        #expect(women > Self.users / 3)
        // Premium-credit interest: the −0.5 female effect goes, part of it comes back through lower income.
        let formerWomen = (0..<Self.users).filter { Self.factual.attributeValues[Self.gender][$0] == 0 }
        let before = formerWomen.reduce(0.0) { $0 + Self.factual.truth[0][$1] } / Double(formerWomen.count)
        let after = formerWomen.reduce(0.0) { $0 + Self.toMale.truth[0][$1] } / Double(formerWomen.count)
        #expect(after > before * 1.1)
    }

    @Test func categoricalActionKeepsTheRelativePositionInsideTheLevel() throws {
        let spec = Self.generator.spec
        let marginal = Marginal(spec.attributes[Self.gender])
        // female = u in [0, 0.5), male = [0.5, 1): u = 0.1 sits at 20% of its level and moves to 0.6.
        let z = StandardNormal.quantile(0.1)
        let moved = marginal.latent(z, movedTo: 1)
        #expect(abs(StandardNormal.cdf(moved) - 0.6) < 1e-12)
        #expect(marginal.latent(z, movedTo: 0) == z)
    }

    @Test func pathSpecificTwinKeepsTheMediator() throws {
        let spec = Self.generator.spec
        let keep = try Intervention(spec: spec, assignments: ["gender=male"], keep: ["income"])
        let twin = Self.generator.generate(users: 0..<5000, intervention: keep, threads: 2)
        let factual = Self.generator.generate(users: 0..<5000, threads: 1)
        #expect(twin.attributeValues[Self.income] == factual.attributeValues[Self.income])
        // With income held, only the direct −0.5 effect changes: every former woman's interest rises.
        for row in 0..<5000 where factual.attributeValues[Self.gender][row] == 0 {
            #expect(twin.truth[0][row] > factual.truth[0][row])
        }
    }

    @Test func twinsShareRandomNumbersSoInteractionsMostlyAgree() {
        // Common random numbers: a former woman's twin redraws with the same uniforms, so most of her
        // interactions survive; independent redraws would share very few items.
        let f = Self.factual.interactions, t = Self.toMale.interactions
        var shared = 0, total = 0
        for row in 0..<Self.users where Self.factual.attributeValues[Self.gender][row] == 0 {
            let a = Set(f.items[f.entries(row: row)]), b = Set(t.items[t.entries(row: row)])
            shared += a.intersection(b).count
            total += a.union(b).count
        }
        #expect(Double(shared) / Double(total) > 0.6)
    }

    @Test func numericInterventionSetsTheValue() throws {
        let spec = Self.generator.spec
        let twin = Self.generator.generate(
            users: 0..<500, intervention: try Intervention(spec: spec, assignments: ["income=50000"]))
        #expect(twin.attributeValues[Self.income].allSatisfy { abs($0 - 50000) < 1e-6 })
    }
}

@Suite struct YaoHuangTests {
    /// Expected mean observed rating of women and men (REFERENCE.md §2).
    @Test(arguments: [
        ("yao-huang-uniform", 0.0, 0.0),
        ("yao-huang-biased-observation", 0.266_667, 0.166_667),
        ("yao-huang-imbalanced", -0.12, -0.12),
        ("yao-huang-both", 0.226_667, -0.013_333),
    ])
    func meanObservedRatingsMatchThePaper(name: String, women: Double, men: Double) throws {
        let spec = try dataset(name)
        // 4,000 users (10× the paper's) keep the standard error near 0.004.
        let world = try Generator(spec: spec).generate(users: 0..<4000, threads: 2)
        for (level, expected) in [(0, women), (1, men)] {
            var sums: [Double] = [], counts: [Double] = []
            for row in 0..<world.userCount where Int(world.attributeValues[0][row]) == level {
                let r = world.interactions.entries(row: row)
                sums.append(Double(world.interactions.weights[r].reduce(0, +)))
                counts.append(Double(r.count))
            }
            // Ratio estimator Σs/Σn with its delta-method standard error over users.
            let mean = sums.reduce(0, +) / counts.reduce(0, +)
            let nBar = counts.reduce(0, +) / Double(counts.count)
            let residuals = zip(sums, counts).map { $0 - mean * $1 }
            let variance = residuals.reduce(0) { $0 + $1 * $1 } / Double(residuals.count - 1)
            let se = (variance / Double(residuals.count)).squareRoot() / nBar
            #expect(se < 0.01)
            #expect(abs(mean - expected) < 4 * se, "\(name) level \(level): \(mean) vs \(expected) ± \(se)")
        }
    }
}
