import FileSupport
import Testing
import Linear
@testable import Recommender
import TestSupport
import TrainingData

/// A planted block matrix with a popularity skew: the popularity baseline gets something right, a model more.
func skewedPlantedData() -> InteractionData {
    var triplets: [(row: Int, column: Int, value: Float)] = []
    for u in 0..<300 {
        for i in 0..<90 where u % 3 == i % 3 && (u * 7 + i * 13) % (2 + i / 30) == 0 {
            triplets.append((u, i, Float(1 + (u + i) % 3)))
        }
    }
    return InteractionData(matrix: CSRMatrix(rows: 300, columns: 90, triplets: triplets))
}

func smallConfiguration() -> ALSConfiguration {
    var c = ALSConfiguration()
    c.factors = 8
    c.iterations = 6
    return c
}

@Suite struct HoldoutCheckTests {
    @Test func aModelOfPlantedStructureBeatsPopularity() throws {
        let check = try HoldoutCheck.measure(skewedPlantedData(), configuration: smallConfiguration(), seed: 3)
        #expect(check.beatsPopularity, "\(check.verdict)")
        #expect(check.verdict.hasPrefix("the model beats the popularity baseline ("))
        #expect(check.evaluation.model.users > 250 && check.fraction == 0.2)
    }

    @Test func untrainedFactorsDoNotAndTheVerdictSaysSo() throws {
        var c = smallConfiguration()
        c.iterations = 0  // the random initial factors
        let check = try HoldoutCheck.measure(skewedPlantedData(), configuration: c)
        #expect(!check.beatsPopularity)
        #expect(check.verdict.contains("does not beat recommending the most popular items"), "\(check.verdict)")
        #expect(check.verdict.contains("fairground tune"))
    }

    @Test func sameCheckOnAnyThreadCountAndStoredInTheModelFile() throws {
        let one = try HoldoutCheck.measure(skewedPlantedData(), configuration: smallConfiguration(), threads: 1)
        let two = try HoldoutCheck.measure(skewedPlantedData(), configuration: smallConfiguration(), threads: 2)
        #expect(one == two)
        var model = try ImplicitALS(configuration: smallConfiguration()).train(skewedPlantedData()).model
        model.holdout = one
        let path = temporaryPath("checked.fgm")
        try model.write(to: path)
        #expect(try FactorModel.read(path: path) == model)
        // A model without a check writes the header it always wrote: no holdout key at all.
        model.holdout = nil
        #expect(!String(decoding: try model.fileBytes().prefix(2000), as: UTF8.self).contains("holdout"))
    }

    @Test func badFractionsAreRefusedByName() {
        for fraction in [0.0, 1.0, -0.1, .nan] {
            #expect(throws: FairgroundError.parameter("holdout", expected: "a held-out fraction in (0, 1)", found: "\(fraction)")) {
                try HoldoutCheck.measure(skewedPlantedData(), configuration: smallConfiguration(), fraction: fraction)
            }
        }
    }
}

@Suite struct HyperparameterSearchTests {
    @Test func trialZeroIsTheStartAndTheBestIsTheHighestNDCG() throws {
        let search = HyperparameterSearch(budget: 5, seed: 11, start: smallConfiguration())
        let result = try search.run(skewedPlantedData(), threads: 2)
        #expect(result.trials.count == 5 && result.trials[0].configuration == smallConfiguration())
        let best = result.trials.map(\.evaluation.model.ndcg).max()!
        #expect(result.best.evaluation.model.ndcg == best)
        #expect(result.trials.firstIndex { $0.evaluation.model.ndcg == best } == result.bestIndex)
        #expect(result.best.evaluation.model.ndcg >= result.trials[0].evaluation.model.ndcg)
        // Trials draw from the declared space, keeping the start's iterations and solver.
        for t in result.trials.dropFirst() {
            #expect(search.factorChoices.contains(t.configuration.factors))
            #expect(t.configuration.regularization >= 0.01 && t.configuration.regularization <= 100)
            #expect(t.configuration.alpha >= 0.1 && t.configuration.alpha <= 50)
            #expect(t.configuration.iterations == 6 && t.configuration.solver == smallConfiguration().solver)
        }
    }

    @Test func seededAndThreadCountInvariant() throws {
        let a = try HyperparameterSearch(budget: 4, seed: 5, start: smallConfiguration()).run(skewedPlantedData(), threads: 1)
        let b = try HyperparameterSearch(budget: 4, seed: 5, start: smallConfiguration()).run(skewedPlantedData(), threads: 2)
        #expect(a == b)
        let c = HyperparameterSearch(budget: 4, seed: 6, start: smallConfiguration())
        #expect((1..<4).contains { c.configuration(trial: $0) != HyperparameterSearch(seed: 5, start: smallConfiguration()).configuration(trial: $0) })
    }

    @Test func aBudgetBelowOneIsRefused() {
        #expect(throws: FairgroundError.self) {
            try HyperparameterSearch(budget: 0).run(skewedPlantedData())
        }
    }
}

@Suite struct ConfigurationFileTests {
    @Test func roundTripsWithItsTuningRecord() throws {
        var c = ALSConfiguration()
        c.factors = 32
        c.regularization = 47
        c.alpha = 6.8
        c.confidence = .alpha
        c.seed = 9
        let path = temporaryPath("best.json")
        let result = try HyperparameterSearch(budget: 2, start: smallConfiguration()).run(skewedPlantedData())
        try c.write(to: path, tuning: result)
        #expect(try ALSConfiguration.read(path: path) == c)
        var cholesky = c
        cholesky.solver = .cholesky
        try cholesky.write(to: path)
        #expect(try ALSConfiguration.read(path: path) == cholesky)
    }

    @Test func missingKeysKeepTheDefaults() throws {
        let c = try ALSConfiguration.decode(Array(#"{"format": "fairground-als-config", "factors": 12}"#.utf8), file: "c.json")
        var expected = ALSConfiguration()
        expected.factors = 12
        #expect(c == expected)
    }

    /// Each malformed file is refused with the file and the field named.
    @Test(arguments: [
        (#"{"factors": 12}"#, "format", "fairground-als-config"),
        (#"{"format": "fairground-als-config", "factor": 12}"#, "factor", "one of the keys"),
        (#"{"format": "fairground-als-config", "factors": "many"}"#, "factors", "documented type"),
        (#"{"format": "fairground-als-config", "factors": 0}"#, "factors", "from 1 to 4096"),
        (#"{"format": "fairground-als-config", "alpha": -1}"#, "alpha", "α > 0"),
        (#"{"format": "fairground-als-config", "confidence": "double"}"#, "confidence", "one-plus-alpha or alpha"),
        (#"{"format": "fairground-als-config", "solver": "lu"}"#, "solver", "cg or cholesky"),
        (#"{"format": "fairground-als-config", "cg_steps": 0}"#, "cg_steps", "at least 1"),
        (#"[1, 2]"#, "", "JSON object"),
    ] as [(String, String, String)])
    func malformedFilesAreRefusedPrecisely(text: String, field: String, phrase: String) {
        do {
            _ = try ALSConfiguration.decode(Array(text.utf8), file: "c.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.source == "c.json" && error.field == field, "\(error)")
            #expect(error.description.contains(phrase), "\(error)")
        }
    }
}
