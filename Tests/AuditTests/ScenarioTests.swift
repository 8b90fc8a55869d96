import Audit
import Population
import Recommender
import Testing

@Suite("Audits of generated scenarios")
struct ScenarioTests {
    @Test("scratch")
    func scratch() throws {
        let dir = temporaryDirectory("scratch")
        let spec = try dataset("credit-offers", users: 20_000)
        let model = try worldAndModel(spec, seed: 5, directory: dir)
        let clock = ContinuousClock()
        let t0 = clock.now
        let data = try ModelAudit(directory: dir, model: model).data(threads: 2)
        let t1 = clock.now
        let result = try Audit.run(data, configuration: quickConfiguration(), threads: 2)
        let t2 = clock.now
        print("data \(t1 - t0) audit \(t2 - t1)")
        for f in result.report.findings {
            print(f.id, f.estimate.value ?? -1, f.estimate.lower ?? -1, f.estimate.upper ?? -1, f.adjustedPValue ?? -1, f.verdict.rawValue, f.reason)
        }
        for a in result.report.attribution { print(a.offer, a.attribute, a.truthGap.value ?? -1, a.observedGap.value ?? -1, a.modelGap.value ?? -1) }
    }
}
