import Foundation
import Testing
import TestSupport
@testable import TrainingData
import FileSupport

/// A deterministic mutation fuzzer over the interaction readers (issue 12, point 6, for these two readers): every
/// mutated input is read or refused with an ``InputError`` — a crash would end the test run, a hang would time it
/// out. Fixed seed and budget, so the run is the same everywhere.
@Suite struct ReaderFuzzTests {
    static let seeds: [(name: String, text: String)] = [
        ("fuzz.csv", "user,item,weight\n0,1,1\n1,2,3.5\n2,0,-1\n3,4,2\n"),
        ("fuzz.mtx", "%%MatrixMarket matrix coordinate real general\n% users 0..<3\n3 5 4\n1 2 1\n2 3 3.5\n3 1 -1\n3 5 2\n"),
    ]

    /// Byte-level mutations: flips, deletions, insertions of interesting bytes and numbers, duplications.
    static func mutate(_ bytes: [UInt8], _ rng: inout TestLCG) -> [UInt8] {
        var b = bytes
        let interesting: [[UInt8]] = ["9223372036854775807", "2147483647", "-1", "1e308", "nan", "inf", "0", ",", "\n",
                                      " ", "\"", "1000000000000", "%%", String(repeating: " ", count: 2_000)]
            .map { Array($0.utf8) }
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !b.isEmpty: b[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1 where !b.isEmpty: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...8, using: &rng)))
            case 2: b.insert(contentsOf: interesting[Int.random(in: 0..<interesting.count, using: &rng)], at: at)
            case 3 where !b.isEmpty:
                let end = min(b.count, at + Int.random(in: 1...20, using: &rng))
                b.insert(contentsOf: b[at..<end], at: at)
            default: b.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            }
        }
        return b
    }

    @Test(arguments: [0, 1])
    func mutatedInputsAreReadOrRefused(seed: Int) {
        let (name, text) = Self.seeds[seed]
        var rng = TestLCG(seed: UInt64(seed + 12))
        var refused = 0, read = 0
        let clock = ContinuousClock()
        for _ in 0..<1_000 {
            let bytes = Self.mutate(Array(text.utf8), &rng)
            let start = clock.now
            do {
                let matrix = name.hasSuffix(".csv") ? try InteractionReader.parseCSV(bytes, file: name)
                    : try InteractionReader.parseMatrixMarket(bytes, file: name).matrix
                let finite = matrix.values.allSatisfy { $0.isFinite }
                #expect(finite)
                read += 1
            } catch {
                #expect(!error.description.isEmpty)
                refused += 1
            }
            #expect(clock.now - start < .seconds(5), "a hang on \(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(read + refused == 1_000 && refused > 100 && read > 10, "\(read) read, \(refused) refused")
    }
}
