import Foundation
import Testing
import TestSupport
@testable import TrainingData
import FileSupport

/// A deterministic mutation fuzzer over the interaction readers (issue 12, point 6, for these two readers): every
/// mutated input is read or refused with an ``FairgroundError`` — a crash would end the test run, a hang would time it
/// out. Fixed seed and budget, so the run is the same everywhere.
@Suite struct ReaderFuzzTests {
    static let seeds: [(name: String, text: String)] = [
        ("fuzz.csv", "user,item,weight\n0,1,1\n1,2,3.5\n2,0,-1\n3,4,2\n"),
        ("fuzz.mtx", "%%MatrixMarket matrix coordinate real general\n% users 0..<3\n3 5 4\n1 2 1\n2 3 3.5\n3 1 -1\n3 5 2\n"),
    ]

    @Test(arguments: [0, 1])
    func mutatedInputsAreReadOrRefused(seed: Int) {
        let (name, text) = Self.seeds[seed]
        var rng = TestLCG(seed: UInt64(seed + 12))
        var refused = 0, read = 0
        let clock = ContinuousClock()
        for _ in 0..<1_000 {
            let bytes = Mutator().mutate(Array(text.utf8), &rng)
            let start = clock.now
            do {
                let matrix = name.hasSuffix(".csv") ? try InteractionReader.parseCSV(bytes, file: name).matrix
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
        #expect(refused > 100 && read > 10, "\(read) read, \(refused) refused")
    }
}
