import Testing
import FileSupport
@testable import Privacy

/// The parameters of private training.
@Suite struct PrivateTrainingTests {
    @Test func badParametersAreRefusedNamingTheFlag() {
        let cases: [(String, () throws(FairgroundError) -> PrivateTraining)] = [
            ("dp-epsilon", { () throws(FairgroundError) in try PrivateTraining(epsilon: 0, delta: 1e-6) }),
            ("dp-epsilon", { () throws(FairgroundError) in try PrivateTraining(epsilon: -1, delta: 1e-6) }),
            ("dp-delta", { () throws(FairgroundError) in try PrivateTraining(epsilon: 1, delta: 0) }),
            ("dp-delta", { () throws(FairgroundError) in try PrivateTraining(epsilon: 1, delta: 1) }),
            ("dp-clip", { () throws(FairgroundError) in try PrivateTraining(epsilon: 1, delta: 1e-6, clip: 0) }),
            ("dp-max-items", { () throws(FairgroundError) in try PrivateTraining(epsilon: 1, delta: 1e-6, maxItems: 0) }),
        ]
        for (flag, make) in cases {
            do {
                _ = try make()
                Issue.record("accepted a bad \(flag)")
            } catch {
                #expect(error.description.contains(flag))
            }
        }
    }
}
