import Testing
import Synchronization
import FileSupport
import Linear
@testable import Recommender
import TrainingData
@testable import Privacy

/// Issue 28, points 1–3 and 7: federated ALS equals central ALS with everyone taking part, its sampling is seeded
/// and thread-independent, the server sees only sums, and it composes with differential privacy.
@Suite struct FederatedTrainingTests {
    static func configuration(iterations: Int = 6) -> ALSConfiguration {
        var c = ALSConfiguration()
        c.factors = 8
        c.iterations = iterations
        c.regularization = 5
        c.alpha = 2
        c.solver = .cholesky
        c.itemSide = .aggregated
        c.seed = 4
        return c
    }

    static let data = SyntheticInteractions.make(users: 300, items: 60, meanItems: 12, seed: 21)

    /// ‖a − b‖ / ‖b‖.
    static func relative(_ a: [Float], _ b: [Float]) -> Double {
        let d = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        return (d / b.reduce(0.0) { $0 + Double($1) * Double($1) }).squareRoot()
    }

    /// Server-side code that records every aggregate it is shown.
    final class Recorder: AggregateObserver {
        let seen = Mutex<[(round: Int, aggregate: AggregatedUpload)]>([])
        func observe(_ aggregate: AggregatedUpload, round: Int) { seen.withLock { $0.append((round, aggregate)) } }
    }

    @Test(arguments: [1, 2])
    func everyClientTakingPartEqualsCentralALS(threads: Int) throws {
        let central = try ImplicitALS(configuration: Self.configuration()).train(Self.data, threads: threads).model
        let plan = try FederatedTraining().plan(for: Self.configuration())
        let federated = try plan.trainer.train(Self.data, threads: threads).model
        let users = Self.relative(federated.userFactors.elements, central.userFactors.elements)
        let items = Self.relative(federated.itemFactors.elements, central.itemFactors.elements)
        #expect(users <= 1e-5 && items <= 1e-5, "relative differences: users \(users), items \(items)")
        #expect(federated.configuration.itemStatisticsSteps?.map(\.name) == ["federated"])
        #expect(plan.guarantee == nil)
    }

    @Test func sampledRoundsAreIdenticalOnAnyThreadCount() throws {
        var data = Self.data
        // Every third user on a phone that takes part half as often.
        data.userColumns.append(UserColumn(role: .participation, values: (0..<data.users).map { $0 % 3 == 0 ? 0.5 : 1 }))
        let federated = try FederatedTraining(clientsPerRound: 0.6)
        let trainer = try federated.plan(for: Self.configuration()).trainer
        let one = try trainer.train(data, threads: 1).model.fileBytes()
        let two = try trainer.train(data, threads: 2).model.fileBytes()
        #expect(one == two)
        // The rounds differ, and take part at about F·P.
        let rounds = FederatedRounds(clientsPerRound: 0.6, observer: nil, noisy: false)
        let context = { (r: Int) in ItemStatisticsStepContext(sweep: r, seed: 4, users: data.users, threads: 1) }
        let first = rounds.participants(of: data, context: context(1)), second = rounds.participants(of: data, context: context(2))
        #expect(first != second)
        var rate = (low: 0.0, high: 0.0)
        for r in 1...20 {
            let chosen = Set(rounds.participants(of: data, context: context(r)))
            rate.low += Double((0..<data.users).filter { $0 % 3 == 0 && chosen.contains($0) }.count) / 100 / 20
            rate.high += Double((0..<data.users).filter { $0 % 3 != 0 && chosen.contains($0) }.count) / 200 / 20
        }
        #expect(abs(rate.low - 0.3) < 0.05 && abs(rate.high - 0.6) < 0.05, "participation rates \(rate)")
    }

    @Test func aClientThatNeverTakesPartKeepsItsInitialFactors() throws {
        var data = Self.data
        data.userColumns.append(UserColumn(role: .participation, values: (0..<data.users).map { $0 < 10 ? 0 : 1 }))
        let configuration = Self.configuration()
        let model = try FederatedTraining().plan(for: configuration).trainer.train(data).model
        let start = FactorInitialization.factors(rows: data.users, columns: 8, seed: configuration.seed, side: 1)
        #expect(Array(model.userFactors.elements[0..<80]) == Array(start[0..<80]))
        #expect(Array(model.userFactors.elements[80..<160]) != Array(start[80..<160]))
    }

    @Test func theServerSeesOneSumPerRoundAndNothingPerClient() throws {
        let recorder = Recorder()
        let federated = try FederatedTraining(clientsPerRound: 0.5, observer: recorder)
        let configuration = Self.configuration(iterations: 3)
        _ = try federated.plan(for: configuration).trainer.train(Self.data, threads: 2)
        let seen = recorder.seen.withLock { $0 }
        #expect(seen.map(\.round) == [1, 2, 3], "one aggregate per round, never one per client")
        let rounds = FederatedRounds(clientsPerRound: 0.5, observer: nil, noisy: false)
        for (round, aggregate) in seen {
            let participants = rounds.participants(
                of: Self.data, context: .init(sweep: round, seed: configuration.seed, users: Self.data.users, threads: 1))
            #expect(aggregate.clients == participants.count && participants.count < Self.data.users)
            #expect(aggregate.statistics.positives.reduce(0, +)
                        == participants.reduce(0) { $0 + Self.data.matrix.rowPointers[$1 + 1] - Self.data.matrix.rowPointers[$1] })
        }
    }

    @Test func secureAggregationYieldsTheSumOfTheUploads() throws {
        let rule = Self.configuration().foldInRule
        let x = PrivateItemSideTests.factors(users: Self.data.users, k: 8, seed: 3)
        var aggregation = try SecureAggregation(items: Self.data.items, factors: 8)
        for u in 0..<Self.data.users {
            let entries = Self.data.matrix.rowPointers[u]..<Self.data.matrix.rowPointers[u + 1]
            aggregation.add(ClientUpload(factors: Array(x.elements[(u * 8)..<((u + 1) * 8)]),
                                         items: Array(Self.data.matrix.columnIndices[entries]),
                                         weights: Array(Self.data.matrix.values[entries]), rule: rule))
        }
        let total = aggregation.sum()
        let central = try ItemStatistics.aggregate(Self.data.matrix, userFactors: x, rule: rule)
        #expect(total.clients == Self.data.users)
        #expect(total.statistics.positives == central.positives)
        #expect(Self.relative(total.statistics.gram, central.gram) < 1e-6)
        #expect(Self.relative(total.statistics.rhs, central.rhs) < 1e-6)
        #expect(Self.relative(total.userGram, x.gram().elements) < 1e-5)
    }

    @Test func theBytesPerClientPerRoundAreRecorded() throws {
        let federated = try FederatedTraining(clientsPerRound: 0.5)
        let trainer = try federated.plan(for: Self.configuration()).trainer
        let record = try federated.record(of: Self.data, trainer: trainer)
        let k = 8, items = Self.data.items
        #expect(record.downloadBytes == 4 * (items * k + k * (k + 1) / 2))
        #expect(record.uploadBytes == 4 * (items * (k * (k + 1) / 2 + k + 1) + k * (k + 1) / 2))
        #expect(record.sparseUploadBytesMax < record.uploadBytes && record.sparseUploadBytesMean > 0)
        #expect(record.participantsPerRound.count == 6 && record.participantsPerRound.allSatisfy { $0 > 100 && $0 < 200 })
        // The record survives the model file.
        var model = try trainer.train(Self.data).model
        model.federation = record
        #expect(try FactorModel.decode(model.fileBytes(), file: "m").federation == record)
    }

    @Test func privateFederatedTrainingKeepsTheCentralGuarantee() throws {
        let privacy = try PrivateTraining(epsilon: 2, delta: 1e-6)
        var configuration = Self.configuration(iterations: 3)
        configuration.regularization = 50
        let central = try #require(try privacy.plan(for: configuration))
        let plan = try FederatedTraining(clientsPerRound: 0.5).plan(for: configuration, privacy: privacy)
        #expect(plan.guarantee == central.guarantee)
        let model = try plan.trainer.train(Self.data, threads: 2).model
        #expect(model.configuration.itemStatisticsSteps?.map(\.name) == ["federated", "dp_gaussian"])
        #expect(model.itemFactors.elements.allSatisfy { $0.isFinite })
        let record = try FederatedTraining(clientsPerRound: 0.5).record(of: Self.data, trainer: plan.trainer)
        #expect(record.noisyAggregate)
        // Each client's contribution is bounded to B items before it is uploaded.
        #expect(record.sparseUploadBytesMax <= ClientUpload.sparseBytes(touched: 20, factors: 8))
    }

    @Test(arguments: [0.0, -0.5, 1.5, .nan])
    func aFractionOutsideZeroToOneIsRefused(fraction: Double) {
        #expect { try FederatedTraining(clientsPerRound: fraction) } throws: { error in
            (error as? FairgroundError)?.description.contains("clients-per-round") == true
        }
    }
}
