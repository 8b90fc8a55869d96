import TestSupport
import Testing
@testable import Population
import FileSupport
import Foundation

@Suite struct PopulationSpecTests {
    @Test(arguments: [
        "credit-offers", "job-ads", "null", "yao-huang-uniform", "yao-huang-biased-observation",
        "yao-huang-imbalanced", "yao-huang-both",
    ])
    func datasetsParse(name: String) throws {
        let spec = try dataset(name)
        #expect(spec.version == 1)
        #expect(!spec.protectedAttributes.isEmpty)
        #expect(spec.items?.offerCategories.isEmpty == false)
        _ = try Generator(spec: spec)
    }

    @Test func defaultScenarioIsTheCreditDataset() throws {
        let text = try FileIO.readText("\(repositoryRoot)/datasets/credit-offers.yaml")
        #expect(Scenario.defaultSource == text)
        #expect(try Scenario.defaultSpec().name == "credit-offers")
    }

    /// Every spec of `datasets/` ships inside the tool under its file's name, with the same text, so
    /// `fairground run job-ads` needs no checkout; a path is read as a file, and anything else is refused naming the
    /// scenarios. (The CLI suite checks that a file of a scenario's name wins and a directory does not.)
    @Test func everyDatasetShipsUnderItsName() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(repositoryRoot)/datasets")
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(".yaml".count)) }
        #expect(Set(files) == Set(Scenario.names), "datasets/ and Scenario.shipped differ")
        for name in files {
            let text = try FileIO.readText("\(repositoryRoot)/datasets/\(name).yaml")
            #expect(Scenario.shipped.first { $0.name == name }?.source == text,
                    "datasets/\(name).yaml differs from its text in Sources/Population/Scenario+Shipped.swift")
            #expect(try Scenario.spec(named: name)?.name == name)
        }
        #expect(try Scenario.spec(named: "datasets/null.yaml") == nil)
        #expect(try PopulationSpec.load(pathOrScenario: "job-ads").name == "job-ads")
        #expect(try PopulationSpec.load(pathOrScenario: "\(repositoryRoot)/datasets/null.yaml").name == "null")
        #expect(throws: FairgroundError.self) { try PopulationSpec.load(pathOrScenario: "job-adz") }
        do { _ = try PopulationSpec.load(pathOrScenario: "job-adz") } catch {
            #expect(error.description.hasPrefix("job-adz: file: expected a readable spec file or the name of a shipped scenario (credit-offers, job-ads,"),
                    "\(error)")
        }
    }

    @Test func issueExampleShapeParses() throws {
        let spec = try Scenario.defaultSpec()
        #expect(spec.attributes.map(\.name) == ["gender", "ethnicity", "age", "zip_region", "income", "consent"])
        #expect(spec.causalOrder == [0, 1, 2, 3, 4, 5])
        guard case .categorical(let levels, let p) = spec.attributes[3].kind else { Issue.record("zip"); return }
        #expect(levels == ["north", "south", "east", "west"] && p == [0.3, 0.3, 0.2, 0.2])
        guard case .numeric(let age) = spec.attributes[2].kind else { Issue.record("age"); return }
        #expect(age.distribution == .normal(mean: 41, sd: 13) && age.minimum == 18 && age.maximum == 90)
        #expect(spec.items?.categories.map(\.isOffer) == [false, false, true, true])
        #expect(spec.behavior.effects.count == 3 && spec.behavior.exposure.count == 3)
    }

    @Test func jsonIsAccepted() throws {
        let json = """
            {"version": 1, "name": "j", "users": 10,
             "attributes": {"sex": {"type": "categorical", "levels": {"f": 0.5, "m": 0.5}, "protected": true},
                            "score": {"type": "numeric", "distribution": "beta", "alpha": 2, "beta": 5}},
             "correlations": [["sex", "score", 0.3]]}
            """
        let spec = try PopulationSpec.parse(json, file: "spec.json")
        #expect(spec.attributes.count == 2 && spec.correlations.first?.r == 0.3)
    }

    /// Each bad input fails with the file, the field and what was expected.
    @Test(arguments: [
        // (extra YAML, field, phrase in the expectation)
        (minimalSpec("correlations:\n  - [gender, height, 0.2]"), "correlations[0][1]", "declared attribute"),
        (minimalSpec("correlations:\n  - [gender, income, 1.5]"), "correlations[0][2]", "|r| ≤ 1"),
        (minimalSpec("correlations:\n  - [gender, gender, 0.5]"), "correlations[0][1]", "different attribute"),
        (minimalSpec("colour: blue"), "colour", "known key"),
        (minimalSpec(attributes: "  g: {type: categorical, levels: {a: 0.5, b: 0.6}}"), "attributes.g.levels", "sum to 1"),
        (minimalSpec(attributes: "  g: {type: categorical, levels: {a: 1.0}}"), "attributes.g.levels", "at least two"),
        (minimalSpec(attributes: "  x: {type: numeric, distribution: normal, mean: 0, sd: -1}"), "attributes.x.sd", "positive"),
        (minimalSpec(attributes: "  x: {type: numeric, distribution: gamma, mean: 0}"), "attributes.x.distribution", "one of"),
        (minimalSpec(attributes: "  x: {type: numeric, distribution: normal, mean: 0, sd: 1, min: 5, max: 2}"), "attributes.x.max", "above the minimum"),
        (minimalSpec(attributes: "  x: {type: numeric, distribution: normal, mean: 0, sd: 1, colour: 2}"), "attributes.x.colour", "known key"),
        (minimalSpec(attributes: "  x: {type: text}"), "attributes.x.type", "one of"),
        (minimalSpec(attributes: "  x: {type: boolean, p: 1.2}"), "attributes.x.p", "probability"),
        (minimalSpec(attributes: "  x: {type: numeric, distribution: normal, mean: 0, sd: 1, min: 40, max: 41}"), "attributes.x", "holds some probability"),
        (minimalSpec("order: [gender, income]"), "order", "every attribute"),
        (minimalSpec("items: {count: -5, categories: {a: {share: 1}}}"), "items.count", "whole number from 1"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 0.5}, b: {share: 0.2}}}"), "items.categories", "sum to 1"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior:\n  effects:\n    - {attribute: height, category: a, weight: 1}"), "behavior.effects[0].attribute", "declared attribute"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior:\n  effects:\n    - {attribute: gender, category: a, weight: 1}"), "behavior.effects[0]", "a level of 'gender'"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior:\n  effects:\n    - {attribute: gender, level: robot, category: a, weight: 1}"), "behavior.effects[0].level", "a level of 'gender'"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior:\n  effects:\n    - {attribute: income, category: b, weight: 1}"), "behavior.effects[0].category", "item category"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior:\n  exposure:\n    - {attribute: income, category: a, factor: 0.5}"), "behavior.exposure[0].attribute", "categorical or boolean"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior:\n  exposure:\n    - {attribute: flag, category: a, factor: 0}"), "behavior.exposure[0].factor", "positive"),
        ("version: 1\nusers: 0\nattributes: {g: {type: boolean, p: 0.5}}", "users", "whole number from 1"),
        (minimalSpec("name: again"), "document", "unique"),
        (minimalSpec("behavior: {latent_dims: 4}"), "behavior", "'items' section"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior: {genres: -1}"), "behavior.genres", "whole number from 0"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior: {genres: 2.5}"), "behavior.genres", "whole number"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior: {genre_taste_sd: 7}"), "behavior.genre_taste_sd", "[0, 5]"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior: {genre_taste_sd: -0.5}"), "behavior.genre_taste_sd", "[0, 5]"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1}}}\nbehavior: {feedback: ratings, genres: 4}"), "behavior.genres", "feedback: ratings"),
        (minimalSpec(attributes: "  x: {type: numeric, distribution: normal, mean: 0, sd: 1, role: consent}"), "attributes.x.role", "role: consent on a boolean attribute"),
        (minimalSpec(attributes: "  a: {type: boolean, p: 0.5, role: consent}\n  b: {type: boolean, p: 0.5, role: consent}"), "attributes.b.role", "one consent attribute"),
        (minimalSpec(attributes: "  a: {type: boolean, p: 0.5, role: owner}"), "attributes.a.role", "a role: consent"),
        (minimalSpec(attributes: "  a: {type: boolean, p: 0.5, sensitive: maybe}"), "attributes.a.sensitive", "true or false"),
        (minimalSpec("items: {count: 10, categories: {a: {share: 1, sensitive: 3}}}"), "items.categories.a.sensitive", "true or false"),
        ("version: 2\nattributes: {}", "version", "schema version 1"),
        ("version: 1\nattributes: [1, 2", "document", "valid YAML"),
        ("", "", "mapping"),
    ] as [(String, String, String)])
    func badSpecsAreRefusedPrecisely(text: String, field: String, phrase: String) {
        guard let error = specError(text) else {
            Issue.record("accepted a bad spec:\n\(text)")
            return
        }
        #expect(error.source == "test.yaml")
        #expect(error.field == field, "\(error)")
        #expect(error.description.contains(phrase), "\(error)")
    }

    /// `role: consent`, `sensitive: true` on attributes and on categories (issue 13, points 1–3).
    @Test func consentAndSensitivityAreRead() throws {
        let spec = try PopulationSpec.parse(minimalSpec("items: {count: 10, categories: {a: {share: 0.5}, baby: {share: 0.5, sensitive: true}}}",
                                                        attributes: """
              gender: {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true, sensitive: true}
              expecting: {type: boolean, p: 0.1, sensitive: true}
              consent: {type: boolean, p: 0.8, role: consent}
            """), file: "test.yaml")
        #expect(spec.consentAttribute == 2 && spec.sensitiveAttributes == [0, 1] && spec.protectedAttributes == [0])
        #expect(spec.items?.sensitiveCategories == [1])
    }

    @Test func errorsCarryLineNumbers() {
        let error = specError(minimalSpec(attributes: "  x: {type: numeric, distribution: normal, mean: 0, sd: -1}"))
        #expect(error?.line == 5)
        #expect(error?.description.hasPrefix("test.yaml:5:") == true)
    }

    @Test func missingFileIsAnError() {
        #expect(throws: FairgroundError.self) { try PopulationSpec.load(path: "/nonexistent/spec.yaml") }
    }
}

@Suite struct InterventionTests {
    @Test func assignmentsParseAgainstTheSpec() throws {
        let spec = try Scenario.defaultSpec()
        let i = try Intervention(spec: spec, assignments: ["gender=male", "income=50000", "consent=false"],
                                 keep: ["zip_region"])
        #expect(i.assignments.map(\.value) == [1, 50000, 0])
        #expect(i.kept == [3])
        #expect(i.description(in: spec) == "do(gender=male, income=50000, consent=false) keep(zip_region)")
    }

    @Test(arguments: [
        (["height=3"], [String](), "declared attribute"),
        (["gender=robot"], [], "a level of gender"),
        (["income=-5"], [], "inside the support"),
        (["age=12"], [], "inside the support"),
        (["consent=maybe"], [], "true or false"),
        (["gender"], [], "attribute=value"),
        ([], [], "at least one"),
        (["gender=male"], ["gender"], "not also set"),
        (["gender=male"], ["height"], "declared attribute"),
    ] as [([String], [String], String)])
    func badInterventionsAreRefused(set: [String], keep: [String], phrase: String) throws {
        let spec = try Scenario.defaultSpec()
        do {
            _ = try Intervention(spec: spec, assignments: set, keep: keep)
            Issue.record("accepted \(set) keep \(keep)")
        } catch {
            #expect(error.description.contains(phrase), "\(error)")
        }
    }

    /// Found by the semantic fuzzer (issue 26, point 6): `seed: 18446744073709551615` was refused as "expected a whole
    /// number at least 0", which it is. A number past the range now hears the range's upper end.
    @Test func aWholeNumberPastTheRangeIsToldTheUpperBound() throws {
        let text = "version: 1\nseed: 18446744073709551615\nattributes:\n  flag: {type: boolean, p: 0.5}\n"
        #expect(throws: FairgroundError(file: "seed.yaml", field: "seed", line: 2, column: 7,
                                        expected: "a whole number from 0 to 9223372036854775807",
                                        found: "18446744073709551615")) {
            _ = try PopulationSpec.parse(text, file: "seed.yaml")
        }
        #expect(try PopulationSpec.parse(text.replacingOccurrences(of: "18446744073709551615", with: "9223372036854775807"),
                                         file: "seed.yaml").seed == 9_223_372_036_854_775_807)
    }
}
