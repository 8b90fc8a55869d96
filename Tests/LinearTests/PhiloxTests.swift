import Linear
import Testing

@Suite struct PhiloxTests {
    /// Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).
    @Test func knownAnswers() {
        let zero = Philox(seed: 0).block((0, 0, 0, 0))
        #expect(zero == (0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8))
        let ones = Philox(seed: 0xFFFF_FFFF_FFFF_FFFF).block((0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF))
        #expect(ones == (0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD))
        let pi = Philox(seed: 0x299F_31D0_A409_3822).block((0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344))
        #expect(pi == (0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1))
    }

    @Test func uniformsAreOpen() {
        #expect(Philox.unitInterval(0, 0) > 0 && Philox.unitInterval(.max, .max) < 1)
        #expect(Philox.unitInterval(0) > 0 && Philox.unitInterval(.max) < 1)
    }

    /// Every stream number is registered once, and none uses the bits reserved for attempt counters.
    @Test func streamsAreDistinct() {
        let values = RandomStream.allCases.map(\.rawValue)
        #expect(Set(values).count == values.count)
        #expect(RandomStream.allCases.filter { $0 != .holdoutSplit }.allSatisfy { $0.rawValue < 1 << 16 })
    }

    @Test func drawsDependOnlyOnTheirCoordinates() {
        let a = Philox(seed: 7), b = Philox(seed: 7), c = Philox(seed: 8)
        #expect(a.uniform(row: 5, column: 1, stream: 2) == b.uniform(row: 5, column: 1, stream: 2))
        #expect(a.uniform(row: 5, column: 1, stream: 2) != a.uniform(row: 5, column: 1, stream: 3))
        #expect(a.uniform(row: 5, column: 1, stream: 2) != c.uniform(row: 5, column: 1, stream: 2))
    }
}
