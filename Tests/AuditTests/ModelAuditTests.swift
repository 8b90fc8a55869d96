import Audit
@testable import AuditSubjects
import FileSupport
import Population
import Recommender
import Testing
import TrainingData

/// ``ModelAudit`` orchestrates worlds and twins only; the model under audit is a seam (``AuditedModel``).
@Suite("Model audit: worlds, twins and the model under audit", .serialized)
struct ModelAuditTests {
    func setting(users: Int = 1500, seed: UInt64 = 5) throws -> (String, FactorModel, PopulationSpec) {
        let spec = try dataset("credit-offers", users: users)
        let directory = temporaryDirectory("model-audit-\(users)-\(seed)")
        let model = try worldAndModel(spec, seed: seed, directory: directory, factors: 8, iterations: 3)
        return (directory, model, spec)
    }

    /// Starting from the world in memory gives exactly the data of regenerating it from the directory.
    @Test func anInMemoryWorldGivesTheSameData() throws {
        let (directory, model, spec) = try setting()
        let regenerated = try ModelAudit(directory: directory, model: model).data(threads: 2)
        var audit = try ModelAudit(directory: directory, model: model)
        audit.factualWorld = try Generator(spec: spec, seed: 5).generate(users: 0..<spec.users, threads: 1)
        let fromMemory = try audit.data(threads: 2)
        #expect(fromMemory.scores == regenerated.scores)
        #expect(fromMemory.lists?.items == regenerated.lists?.items)
        #expect(fromMemory.counterfactuals.map(\.scores) == regenerated.counterfactuals.map(\.scores))
        #expect(fromMemory.counterfactuals.map(\.lists) == regenerated.counterfactuals.map(\.lists))
    }

    /// A world from another seed is refused, not audited as if it were the directory's.
    @Test func aWorldFromElsewhereIsRefused() throws {
        let (directory, model, spec) = try setting()
        var audit = try ModelAudit(directory: directory, model: model)
        audit.factualWorld = try Generator(spec: spec, seed: 6).generate(users: 0..<spec.users, threads: 1)
        #expect(throws: FairgroundError.self) { try audit.data(threads: 2) }
    }

    /// A model whose score is the protected attribute itself.
    struct AttributeScorer: AuditedModel {
        var items: Int?
        var readsAttributes: Bool { true }
        func output(for users: AuditedUsers, offers: [Range<Int>], k: Int, threads: Int) -> ModelOutput {
            let level = users.attributes[0].membership
            return ModelOutput(scores: (0..<users.interactions.users).flatMap { u in
                offers.map { _ in Float(level[u]) }
            }, lists: nil)
        }
    }

    /// The naive flip of a model that reads the attribute is asked of the model (and moves every affected
    /// user's score); for a factor model, which reads interactions only, it is the factual output.
    @Test func attributeReadingModelsAreAskedAboutTheNaiveFlip() throws {
        let (directory, model, _) = try setting()
        let data = try ModelAudit(directory: directory, auditing: AttributeScorer(items: model.items)).data(threads: 2)
        let gender = data.attributes[0]
        let offers = data.offers.count
        for world in data.counterfactuals where world.kind == .naive && world.attribute == 0 {
            for u in 0..<data.users {
                #expect(world.scores[u * offers] == Float(world.level), "user \(u)")
                #expect(data.scores[u * offers] == Float(gender.membership[u]))
            }
        }
        let folded = try ModelAudit(directory: directory, model: model).data(threads: 2)
        for world in folded.counterfactuals where world.kind == .naive { #expect(world.scores == folded.scores) }
    }
}
