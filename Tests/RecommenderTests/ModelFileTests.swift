import FileSupport
import TestSupport
import Testing
import Linear
@testable import Recommender
import TrainingData
#if canImport(Glibc)
import Glibc
#endif


@Suite struct ModelFileTests {
    func model() throws -> FactorModel {
        try ImplicitALS(configuration: configuration(.cholesky, iterations: 2)).train(InteractionData(matrix: plantedMatrix())).model
    }

    @Test func roundTrips() throws {
        let m = try model()
        let path = temporaryPath("model.fgm")
        try m.write(to: path)
        #expect(try FactorModel.read(path: path) == m)
    }

    /// Reproduces issue 12: a model file with a valid checksum and `users = 2^62` in its header crashed all five
    /// consumers (an overflow computing the factor size). It is refused, naming the header.
    @Test func aHeaderWithImpossibleSizesIsRefusedEvenWithAValidChecksum() throws {
        let bytes = try model().fileBytes()
        let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        let header = String(decoding: bytes[16..<(16 + length)], as: UTF8.self)
        for forged in [(4_611_686_018_427_387_904, "users"), (Int.max / 2, "items")] {
            // Replace the number after `"users":` (or `"items":`), keeping the rest of the header as it is.
            let key = "\"\(forged.1)\":"
            let parts = header.split(separator: key, maxSplits: 1, omittingEmptySubsequences: false)
            let rest = parts[1].drop { $0.isNumber }
            let text = parts[0] + key + "\(forged.0)" + rest
            var forgedBytes = Array(bytes[0..<12])
            let json = Array(text.utf8)
            withUnsafeBytes(of: UInt32(json.count).littleEndian) { forgedBytes += $0 }
            forgedBytes += json + bytes[(16 + length)..<(bytes.count - 8)]
            withUnsafeBytes(of: FNV1a.hash(forgedBytes).littleEndian) { forgedBytes += $0 }
            #expect(text != header)
            #expect {
                _ = try FactorModel.decode(forgedBytes, file: "forged.fgm")
            } throws: { error in
                "\(error)".contains("forged.fgm: header: expected factor data of the size the header states")
            }
        }
    }

    @Test func truncatedOrCorruptedFilesAreRefused() throws {
        let bytes = try model().fileBytes()
        #expect(throws: FairgroundError.self) { try FactorModel.decode(Array(bytes.dropLast(100)), file: "m") }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x01
        do {
            _ = try FactorModel.decode(flipped, file: "m.fgm")
            Issue.record("accepted a corrupted model")
        } catch { #expect(error.description.contains("checksum")) }
        #expect(throws: FairgroundError.self) { try FactorModel.decode(Array("not a model at all, really".utf8), file: "m") }
        #expect(throws: FairgroundError.self) { try FactorModel.read(path: "/nonexistent/model.fgm") }
    }

    @Test func numpyExportHasAValidHeader() throws {
        let m = try model()
        let bytes = FactorModel.npy(m.itemFactors)
        #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'shape': (60, 8)") && header.hasSuffix("\n"))
        #expect(bytes.count == 10 + headerLength + 4 * 60 * 8)
    }
}


/// The mutation fuzzer over the model-file reader (issue 12, point 6). A checksum catches random corruption, so
/// half of the mutations re-seal the file: the header's JSON is mutated, its length field set to match and the
/// checksum recomputed — the crafted files that crashed every consumer before. Every input is decoded into a
/// model of the sizes it claims, or refused naming the file; fixed seed and budget.
@Suite struct ModelFileFuzzTests {
    @Test func mutatedModelFilesAreDecodedOrRefused() throws {
        let bytes = try ModelFileTests().model().fileBytes()
        let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        let header = Array(bytes[16..<(16 + length)]), body = Array(bytes[(16 + length)..<(bytes.count - 8)])
        let mutator = Mutator(extra: ["\"users\":", "\"items\":", "\"factors\":", "4611686018427387904", "1e400"])
        var rng = TestLCG(seed: 51)
        var decoded = 0, refused = 0
        for trial in 0..<1_000 {
            var input: [UInt8]
            if trial % 2 == 0 {
                input = mutator.mutate(bytes, &rng)
            } else {
                let json = mutator.mutate(header, &rng)
                input = Array(bytes[0..<12])
                withUnsafeBytes(of: UInt32(json.count).littleEndian) { input += $0 }
                input += json + body
                withUnsafeBytes(of: FNV1a.hash(input).littleEndian) { input += $0 }
            }
            do {
                let model = try FactorModel.decode(input, file: "fuzz.fgm")
                #expect(model.userFactors.rows == model.users && model.itemFactors.rows == model.items)
                decoded += 1
            } catch {
                #expect(error.description.hasPrefix("fuzz.fgm"), "\(error)")
                refused += 1
            }
        }
        print("model fuzz: 1000 mutated model files, \(decoded) decoded, \(refused) refused")
        #expect(refused > 500 && decoded > 0, "\(decoded) decoded, \(refused) refused")
    }
}
