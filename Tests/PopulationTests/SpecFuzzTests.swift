import Testing
import TestSupport
@testable import Population
import FileSupport

/// The mutation fuzzer over the spec reader and the generator behind it (issue 12, point 6): every mutated spec
/// is refused with an ``FairgroundError`` naming the file, or generates a small world whose every value is finite —
/// never a crash, never a hang. Fixed seed and budget.
@Suite struct SpecFuzzTests {
    static let seed = """
        version: 1
        name: fuzz
        seed: 3
        users: 100
        attributes:
          gender: {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
          age: {type: numeric, distribution: normal, mean: 41, sd: 13, min: 18, max: 90}
          income: {type: numeric, distribution: lognormal, mu: 10.6, sigma: 0.5}
          consent: {type: boolean, p: 0.8}
        correlations:
          - [gender, income, -0.2]
          - [age, income, 0.3]
        order: [gender, age, income, consent]
        items:
          count: 60
          categories:
            groceries: {share: 0.6}
            credit: {share: 0.4, offer: true}
        behavior:
          latent_dims: 3
          interactions_per_user: {distribution: lognormal, mu: 1.5, sigma: 0.8}
          effects:
            - {attribute: income, category: credit, weight: 0.8}
            - {attribute: gender, level: female, category: credit, weight: -0.5}
          exposure:
            - {attribute: gender, level: female, category: credit, factor: 0.5}
        """

    @Test func mutatedSpecsAreRefusedOrGenerateFiniteWorlds() throws {
        _ = try PopulationSpec.parse(Self.seed, file: "fuzz.yaml")  // the seed itself is valid
        let mutator = Mutator(extra: ["users: ", "count: ", "levels: ", "1e300", "weight: ", "sigma: ", "type: numeric"])
        var rng = TestLCG(seed: 21)
        var generated = 0, refused = 0
        let clock = ContinuousClock()
        for trial in 0..<600 {
            // Even trials mutate bytes (the parser's refusals); odd ones replace numbers (the checks behind it).
            let bytes = Array(Self.seed.utf8)
            let text = String(decoding: trial % 2 == 0 ? mutator.mutate(bytes, &rng) : mutator.replaceNumbers(bytes, &rng),
                              as: UTF8.self)
            let start = clock.now
            do {
                let spec = try PopulationSpec.parse(text, file: "fuzz.yaml")
                let generator = try Generator(spec: spec)
                try generator.checkCapacity(users: 10)
                let world = generator.generate(users: 0..<10, threads: 1)
                do { try world.checkFinite(); generated += 1 } catch { refused += 1 }
            } catch {
                #expect(error.description.hasPrefix("fuzz.yaml"), "\(error)")
                refused += 1
            }
            #expect(clock.now - start < .seconds(5), "a hang on:\n\(text)")
        }
        print("spec fuzz: 600 mutated specs, \(generated) generated, \(refused) refused, 0 crashes")
        #expect(generated > 30 && refused > 300, "\(generated) generated, \(refused) refused")
    }
}

/// Reproduces the issue: 10⁹ items (or millions of items × 1,024 latent dimensions) crashed allocating the item
/// catalog; the size is now checked against memory first, naming the field.
@Test func anItemCatalogThatCannotFitIsRefused() throws {
    var text = SpecFuzzTests.seed
    text.replace("count: 60", with: "count: 2000000000")
    text.replace("latent_dims: 3", with: "latent_dims: 1024")
    let spec = try PopulationSpec.parse(text, file: "big.yaml")
    do {
        _ = try Generator(spec: spec)
        Issue.record("a catalog of 2·10⁹ items × 1,024 dimensions was accepted")
    } catch {
        #expect(error.description.contains("big.yaml") && error.description.contains("items.count")
                && error.description.contains("2000000000 items × 1024 latent dimensions"), "\(error)")
    }
}
