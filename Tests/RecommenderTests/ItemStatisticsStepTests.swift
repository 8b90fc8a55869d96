import FileSupport
import Linear
@testable import Recommender
import TestSupport
import Testing
import TrainingData

/// The training hook: steps between aggregating the item statistics and solving them (``ItemStatisticsStep``),
/// recorded in the model, and the one trainer that trains both the model and its holdout check.
@Suite struct ItemStatisticsStepTests {
    /// Scales every item's right-hand side (a stand-in for a noise step: it changes the item factors).
    struct Scaling: ItemStatisticsStep {
        var factor: Float
        var record: ItemStatisticsStepRecord { .init(name: "scaling", parameters: ["factor": Double(factor)]) }
        func apply(to statistics: inout ItemStatistics, userGram: inout [Float], context: ItemStatisticsStepContext) {
            for j in statistics.rhs.indices { statistics.rhs[j] *= factor }
        }
    }

    /// Records what it was given, to check the step sees the whole sweep's sums.
    final class Observer: ItemStatisticsStep, @unchecked Sendable {
        var seen: [(ItemStatistics, [Float], ItemStatisticsStepContext)] = []
        var record: ItemStatisticsStepRecord { .init(name: "observer") }
        func apply(to statistics: inout ItemStatistics, userGram: inout [Float], context: ItemStatisticsStepContext) {
            seen.append((statistics, userGram, context))
        }
    }

    let data = InteractionData(matrix: plantedMatrix(users: 150, items: 60))

    @Test func aStepActsOnTheAggregatedSumsOfEverySweep() throws {
        var config = configuration(.cholesky, iterations: 3)
        config.computeLoss = false
        let observer = Observer()
        var trainer = ImplicitALS(configuration: config)
        trainer.itemStatisticsSteps = [observer]
        let observed = try trainer.train(data).model
        #expect(observer.seen.map(\.2.sweep) == [1, 2, 3])
        #expect(observer.seen.allSatisfy { $0.2.users == 150 && $0.2.seed == config.seed })
        // With a step that changes nothing the model is the aggregated model, item side and all.
        var aggregated = ImplicitALS(configuration: config)
        aggregated.itemSide = .aggregated
        let plain = try aggregated.train(data).model
        #expect(observed.userFactors == plain.userFactors && observed.itemFactors == plain.itemFactors)
        // What the step saw is the aggregation of every user's contribution.
        let first = observer.seen[0].0
        #expect(first.items == 60 && first.positives.reduce(0, +) == data.matrix.values.filter { $0 > 0 }.count)
    }

    @Test func theModelRecordsItsStepsAndItemSide() throws {
        var config = configuration(.conjugateGradient(steps: 3), iterations: 2)
        config.computeLoss = false
        let direct = try ImplicitALS(configuration: config).train(data).model
        // A direct model's header has neither key: files written before the hook are byte-identical.
        let header = String(decoding: try direct.fileBytes().prefix(2000), as: UTF8.self)
        #expect(!header.contains("item_side") && !header.contains("itemSide") && !header.contains("Steps"))
        var trainer = ImplicitALS(configuration: config)
        trainer.itemStatisticsSteps = [Scaling(factor: 0.5)]
        let scaled = try trainer.train(data).model
        #expect(scaled.configuration.itemSide == .aggregated)
        #expect(scaled.configuration.itemStatisticsSteps == [.init(name: "scaling", parameters: ["factor": 0.5])])
        let path = temporaryPath("scaled.fgm")
        try scaled.write(to: path)
        let read = try FactorModel.read(path: path)
        #expect(read.configuration == scaled.configuration)
        #expect(read.itemFactors != direct.itemFactors)
        // Retraining from the recorded configuration without the step's code is refused, naming the step.
        #expect(throws: FairgroundError.self) { try ImplicitALS(configuration: read.configuration).train(data) }
    }

    @Test func theHoldoutCheckTrainsThroughTheSameTrainer() throws {
        var config = configuration(.cholesky, iterations: 4)
        config.computeLoss = false
        var trainer = ImplicitALS(configuration: config)
        trainer.itemStatisticsSteps = [Scaling(factor: 0)]  // item factors solve to 0: no better than chance
        let stepped = try HoldoutCheck.measure(data, trainer: trainer, fraction: 0.3)
        let plain = try HoldoutCheck.measure(data, configuration: config, fraction: 0.3)
        #expect(stepped != plain)
        #expect(plain.evaluation.model.ndcg > stepped.evaluation.model.ndcg)
        // The configuration form is the trainer form of a trainer without steps.
        #expect(plain == (try HoldoutCheck.measure(data, trainer: ImplicitALS(configuration: config), fraction: 0.3)))
    }

    @Test func theConfigurationFileCarriesTheItemSide() throws {
        var config = ALSConfiguration()
        config.itemSide = .aggregated
        let bytes = try config.fileBytes()
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"item_side\" : \"aggregated\""))
        #expect(try ALSConfiguration.decode(bytes, file: "c.json").itemSide == .aggregated)
        #expect(!String(decoding: try ALSConfiguration().fileBytes(), as: UTF8.self).contains("item_side"))
        let bad = Array(#"{"format": "fairground-als-config", "item_side": "sideways"}"#.utf8)
        #expect { try ALSConfiguration.decode(bad, file: "c.json") } throws: { error in
            (error as? FairgroundError)?.description.contains("item_side") == true
        }
    }
}
