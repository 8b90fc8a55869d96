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

    /// Found by the semantic model-file fuzzer (issue 26, point 6): a header value of the wrong type, missing, or
    /// beyond its type's range was refused as "expected a valid model header", naming nothing. The key is named
    /// (a number beyond its type, which Foundation's decoder reports without a key, says so).
    @Test func aHeaderValueOfTheWrongTypeIsRefusedNamingItsKey() throws {
        let bytes = try model().fileBytes()
        let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        let header = String(decoding: bytes[16..<(16 + length)], as: UTF8.self)
        func resealed(_ text: String) -> [UInt8] {
            var out = Array(bytes[0..<12])
            withUnsafeBytes(of: UInt32(text.utf8.count).littleEndian) { out += $0 }
            out += Array(text.utf8) + bytes[(16 + length)..<(bytes.count - 8)]
            withUnsafeBytes(of: FNV1a.hash(out).littleEndian) { out += $0 }
            return out
        }
        let cases = [
            (header.replacingOccurrences(of: "\"regularization\":0.1", with: "\"regularization\":\"nan\""),
             "f.fgm: configuration.regularization: expected a value of type Float in the model header"),
            (header.replacingOccurrences(of: "\"alpha\":1", with: "\"alpha\":1e300"), "f.fgm: header: expected a JSON model header whose numbers fit their fields"),
            (header.replacingOccurrences(of: "\"iterationsRun\":2,", with: ""),
             "f.fgm: iterationsRun: expected a value for this field of the model header"),
            (header.replacingOccurrences(of: "\"users\":120", with: "\"users\":-1"), "f.fgm: users: expected a count ≥ 0, found '-1'"),
        ]
        for (text, message) in cases {
            #expect(text != header)
            #expect {
                _ = try FactorModel.decode(resealed(text), file: "f.fgm")
            } throws: { error in
                "\(error)".hasPrefix(message)
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

    /// Issue 26, points 2 and 6: the semantic model-file fuzzer. Header values (λ, α, the factor, user, item and
    /// iteration counts, the solver, holdout and selection records) are set to extremes or to values of another
    /// type, the factor matrices resized to match changed counts, factor bytes set to NaN, ±∞, the largest floats
    /// or flipped bits — and the checksum re-sealed each time, so only the reader's semantic checks stand between
    /// the file and its consumers. Every file is refused naming the file, or decoded into a model whose scores,
    /// similar items and fold-ins are finite. Fixed seed and budget; the binary's runs of such files (exit codes,
    /// no trap, no hang) are `CommandLineTests.resealedModelFilesAreServedOrRefused`.
    @Test func resealedHeaderValuesAndFactorsAreDecodedOrRefused() throws {
        let original = try ModelFileTests().model()
        let mutator = ModelFileMutator(fileBytes: try original.fileBytes(), checksum: { FNV1a.hash($0) })
        var rng = TestLCG(seed: 2026)
        var decoded = 0, refused = 0, byField: [String: Int] = [:]
        for _ in 0..<1_000 {
            let (bytes, change) = mutator.mutate(&rng)
            do {
                let model = try FactorModel.decode(bytes, file: "resealed.fgm")
                #expect(model.userFactors.rows == model.users && model.itemFactors.rows == model.items, "\(change)")
                for user in 0..<min(model.users, 3) {
                    for item in 0..<min(model.items, 5) {
                        #expect(model.score(user: user, item: item).isFinite, "\(change)")
                    }
                }
                if model.items > 0 {
                    #expect(model.similarItems(to: 0, k: min(5, model.items)).allSatisfy { $0.similarity.isFinite }, "\(change)")
                }
                let history = CSRMatrix<Float>(rows: 3, columns: model.items,
                                               triplets: (0..<3).flatMap { u in (0..<min(model.items, 4)).map { (u, ($0 * 7 + u) % model.items, Float(1 + $0)) } })
                let (factors, unsolved) = model.foldIn(history)
                #expect(factors.elements.allSatisfy(\.isFinite) && unsolved.allSatisfy { $0 < 3 }, "\(change)")
                decoded += 1
            } catch {
                #expect(error.description.hasPrefix("resealed.fgm"), "\(change): \(error)")
                byField[error.field.isEmpty ? "(file)" : error.field, default: 0] += 1
                refused += 1
            }
        }
        let fields = byField.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("resealed model fuzz: 1000 files, \(decoded) decoded (scored, folded in: all finite), \(refused) refused "
              + "(\(fields))")
        #expect(decoded > 50 && refused > 500, "\(decoded) decoded, \(refused) refused")
        // Every refusal names the header key or the factors at fault (a re-sealed file passes the checksum), and
        // they come from the semantic checks too, not only from the header's shape and sizes.
        #expect(byField["(file)"] == nil, "\(fields)")
        #expect(byField.keys.contains { $0.hasPrefix("configuration.") } && byField.keys.contains { $0.hasSuffix("_factors") },
                "\(fields)")
    }
}
