import Testing
import Foundation
@testable import Recommender

/// The record of one Gaussian mechanism.
@Suite struct GaussianReleaseTests {
    @Test func itIsWrittenWithTheNamesDpAccountingUses() throws {
        let data = try JSONEncoder().encode(GaussianRelease(noiseMultiplier: 2, count: 3))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"noise_multiplier\":2") && text.contains("\"count\":3"))
    }
}
