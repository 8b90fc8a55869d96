import FileSupport
import TestSupport
import Testing
import Linear
@testable import Recommender
import TrainingData

/// Issue 26, point 2: a model file is validated for what it says, not only for its checksum. Each file here is
/// written through the library (`fileBytes()` writes whatever the value holds, so the checksum matches) with one
/// value `train` never writes; reading it is refused, naming the file, the field and what was expected.
@Suite struct ModelFileValidationTests {
    /// A small trained model (8 factors, cholesky, 2 iterations: 120 users, 60 items).
    func model() throws -> FactorModel { try ModelFileTests().model() }

    /// Decodes `model`'s file bytes as `m.fgm`; the refusal's text, or `nil` when it was accepted.
    func refusal(_ model: FactorModel) throws -> String? {
        let bytes = try model.fileBytes()
        do {
            _ = try FactorModel.decode(bytes, file: "m.fgm")
            return nil
        } catch {
            #expect(error.kind == .input)
            return error.description
        }
    }

    /// NaN or infinite factors, with a matching checksum, were accepted (and `recommend` printed an empty list).
    @Test(arguments: [("user", Float.nan), ("user", -Float.infinity), ("item", Float.infinity), ("item", Float.nan)])
    func nonFiniteFactorsAreRefused(side: String, value: Float) throws {
        var m = try model()
        if side == "user" { m.userFactors.elements[3 * m.factors + 2] = value } else {
            m.itemFactors.elements[5 * m.factors + 1] = value
        }
        let text = try #require(try refusal(m), "a model with a \(value) \(side) factor was accepted")
        #expect(text.hasPrefix("m.fgm: \(side)_factors: expected finite factors"), "\(text)")
        #expect(text.contains(side == "user" ? "user 3, factor 2" : "item 5, factor 1"), "\(text)")
    }

    /// Finite factors so large that scores overflow to infinity (and differences of them to NaN) are refused too.
    @Test func factorsWhoseScoresOverflowAreRefused() throws {
        var m = try model()
        m.userFactors.elements = m.userFactors.elements.map { $0 == 0 ? 1e30 : $0 * 1e30 }
        m.itemFactors.elements = m.itemFactors.elements.map { $0 == 0 ? 1e30 : $0 * 1e30 }
        let text = try #require(try refusal(m), "a model whose scores overflow was accepted")
        #expect(text.hasPrefix("m.fgm: factors: expected factors whose scores are finite"), "\(text)")
    }

    /// Header values `train` refuses, each named by its field in the header.
    @Test func headerValuesTrainRefusesAreRefused() throws {
        let base = try model()
        var cases: [(String, FactorModel)] = []
        var m = base
        m.configuration.regularization = -1
        cases.append(("configuration.regularization: expected a finite λ ≥ 0, found '-1.0'", m))
        m = base
        m.configuration.alpha = 0
        cases.append(("configuration.alpha: expected a finite α > 0, found '0.0'", m))
        m = base
        m.configuration.alpha = -3
        cases.append(("configuration.alpha: expected a finite α > 0, found '-3.0'", m))
        m = base
        m.configuration.iterations = -1
        cases.append(("configuration.iterations: expected a number of iterations ≥ 0", m))
        m = base
        m.configuration.solver = .conjugateGradient(steps: 0)
        cases.append(("configuration.solver.conjugateGradient.steps: expected at least 1 CG step", m))
        m = base
        m.iterationsRun = 7
        cases.append(("iterationsRun: expected the iterations run, from 0 to configuration.iterations (2)", m))
        m = base
        m.iterationsRun = -1
        cases.append(("iterationsRun: expected the iterations run, from 0 to configuration.iterations (2)", m))
        let metrics = RankingMetrics(k: 10, users: 100, precision: 0.1, recall: 0.2, ndcg: 0.3, map: 0.1,
                                     implicitPrecision: 0.1, auc: 0.8, aucUsers: 100)
        var wild = metrics
        wild.ndcg = 4
        m = base
        m.holdout = HoldoutCheck(fraction: 1.5, seed: 0, evaluation: ModelEvaluation(model: metrics, popularity: metrics))
        cases.append(("holdout.fraction: expected a share in (0, 1), found '1.5'", m))
        m = base
        m.holdout = HoldoutCheck(fraction: 0.2, seed: 0, evaluation: ModelEvaluation(model: wild, popularity: metrics))
        cases.append(("holdout.evaluation.model.ndcg: expected a value from 0 to 1, found '4.0'", m))
        m = base
        m.selection = TrainingSelection.Record(consent: .honour, hadConsentColumn: true, optedOutUsers: -5, listedUsers: 0,
                                               listedUsersAbsent: 0, excludedCategories: [], droppedInteractions: 0,
                                               trainedUsers: 120)
        cases.append(("selection.optedOutUsers: expected a count ≥ 0, found '-5'", m))
        m = FactorModel(userFactors: Matrix(rows: 2, columns: 8, repeating: 0.5),
                        itemFactors: Matrix(rows: 0, columns: 8, elements: []),
                        configuration: base.configuration, iterationsRun: 2)
        cases.append(("items: expected at least one item", m))
        var wide = base.configuration
        wide.factors = 5000
        m = FactorModel(userFactors: Matrix(rows: 0, columns: 5000, elements: []),
                        itemFactors: Matrix(rows: 1, columns: 5000, repeating: 0.01),
                        configuration: wide, iterationsRun: 2)
        cases.append(("configuration.factors: expected a factor count from 1 to 4096, found '5000'", m))
        for (message, model) in cases {
            let text = try refusal(model)
            #expect(text?.hasPrefix("m.fgm: " + message) == true, "expected 'm.fgm: \(message)…', got \(text ?? "acceptance")")
        }
    }

    /// What `train` and `import` do write is still read: λ = 0 (which `train` accepts), an imported model's zero
    /// iterations, no holdout, and the model's own file.
    @Test func modelsTrainAndImportWriteAreAccepted() throws {
        var m = try model()
        #expect(try refusal(m) == nil)
        m.configuration.regularization = 0
        #expect(try refusal(m) == nil)
        m.configuration.iterations = 0
        m.iterationsRun = 0
        #expect(try refusal(m) == nil)
        let importer = FactorImport(convention: .spark, regularization: 0.1, alpha: 10)
        let imported = try importer.model(itemFactors: m.itemFactors, data: InteractionData(matrix: plantedMatrix()))
        #expect(try refusal(imported) == nil)
    }

    /// `recommend --items` filtered a 2,000-item model by another world's 200-item catalogue: the catalogue must
    /// list exactly the model's items, each once.
    @Test func anotherCataloguesItemsAreRefused() throws {
        func catalogue(_ ids: [Int]) -> String {
            writeText("item_id,category\n" + ids.map { "\($0),\($0 % 2 == 0 ? "even" : "odd")\n" }.joined(),
                      "items-\(ids.count).csv")
        }
        let small = catalogue(Array(0..<200))
        #expect {
            _ = try ItemFilter.mask(itemsFile: small, categories: ["even"], items: 2000)
        } throws: { error in
            "\(error)".hasPrefix("\(small): expected one row per item of the model (2000 items, ids 0 to 1999")
                && "\(error)".contains("found '200 items")
        }
        let repeated = catalogue(Array(0..<200) + [17])
        #expect {
            _ = try ItemFilter.mask(itemsFile: repeated, categories: ["even"], items: 201)
        } throws: { error in
            "\(error)".hasPrefix("\(repeated):202: expected each item once (item 17 is on line 19 too)")
        }
        let mask = try ItemFilter.mask(itemsFile: small, categories: ["even"], items: 200)
        #expect(mask.count == 200 && mask.filter { $0 }.count == 100)
    }
}
