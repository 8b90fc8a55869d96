import FileSupport
import Foundation
import Recommender
import TestSupport
import Testing

/// Issue 26, point 2, through the binary: model files whose checksum matches but whose content `train` never
/// writes, and another world's catalogue, are refused (exit 2, one line naming the file, the field and what was
/// expected) where they were served or audited with exit 0.
extension CommandLineTests {
    /// A 600-user credit-offers world (2,000 items) and a small model of it.
    func validationFixture() throws -> (world: String, model: String) {
        let world = scratch("validation-world"), model = scratch("validation.fgm")
        let g = try fairground("generate", "datasets/credit-offers.yaml", "--out", world, "--users", "600", "-q")
        #expect(g.status == 0, "\(g.stderr)")
        let t = try fairground("train", world, "--out", model, "--factors", "4", "--iterations", "2", "--holdout", "0", "-q")
        #expect(t.status == 0, "\(t.stderr)")
        return (world, model)
    }

    /// The model's file with `change` applied, written through the library (so its checksum matches).
    func resealed(_ model: String, _ name: String, _ change: (inout FactorModel) -> Void) throws -> String {
        var m = try FactorModel.read(path: model)
        change(&m)
        let path = scratch(name)
        try m.write(to: path)
        return path
    }

    @Test func modelFilesWithImpossibleContentAreRefused() throws {
        let (world, model) = try validationFixture()
        let served = try fairground("recommend", model, "--user", "3", "--data", world, "--k", "5")
        #expect(served.status == 0, "\(served.stderr)")

        // NaN and infinite factors: `recommend` printed an empty list, exit 0.
        for (name, value) in [("nan.fgm", Float.nan), ("inf.fgm", Float.infinity)] {
            let bad = try resealed(model, name) { m in
                for i in m.itemFactors.elements.indices where i % 3 == 0 { m.itemFactors.elements[i] = value }
            }
            let r = try fairground("recommend", bad, "--user", "3", "--data", world, "--k", "5")
            #expect(r.status == 2 && r.stderr.contains("error: \(bad): item_factors: expected finite factors"),
                    "exit \(r.status): \(r.stdout) \(r.stderr)")
        }
        let nanUser = try resealed(model, "nan-user.fgm") { m in m.userFactors.elements[3 * m.factors] = .nan }
        let r = try fairground("recommend", nanUser, "--user", "3", "--data", world, "--k", "5")
        #expect(r.status == 2 && r.stderr.contains("error: \(nanUser): user_factors: expected finite factors")
                && r.stderr.contains("user 3, factor 0"), "exit \(r.status): \(r.stdout) \(r.stderr)")

        // A negative λ in the header: audited, exit 0.
        let negative = try resealed(model, "negative-lambda.fgm") { m in m.configuration.regularization = -1 }
        let out = scratch("negative-lambda-audit")
        let a = try fairground("audit", world, "--model", negative, "--out", out, "--bootstrap", "20", "-q")
        #expect(a.status == 2 && a.stderr.contains("error: \(negative): configuration.regularization: expected a finite λ ≥ 0, found '-1.0'"),
                "exit \(a.status): \(a.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        // α = 0, which `train --alpha 0` refuses, in `evaluate`'s hands.
        let zeroAlpha = try resealed(model, "zero-alpha.fgm") { m in m.configuration.alpha = 0 }
        let e = try fairground("evaluate", zeroAlpha, "--train", world, "--test", world)
        #expect(e.status == 2 && e.stderr.contains("error: \(zeroAlpha): configuration.alpha: expected a finite α > 0"),
                "exit \(e.status): \(e.stderr)")
        // More iterations run than configured.
        let iterations = try resealed(model, "iterations.fgm") { m in m.iterationsRun = 99 }
        let x = try fairground("export", iterations, "--npy", scratch("never-npy"))
        #expect(x.status == 2 && x.stderr.contains("error: \(iterations): iterationsRun: expected the iterations run"),
                "exit \(x.status): \(x.stderr)")
    }

    /// `recommend --items` with another world's catalogue (200 items for a 2,000-item model) filtered by it, exit 0.
    @Test func recommendRefusesAnotherWorldsCatalogue() throws {
        let (world, model) = try validationFixture()
        let lines = try read(world + "/items.csv").split(separator: "\n")
        let small = try write(lines.prefix(201).joined(separator: "\n") + "\n", "items-200.csv")
        let r = try fairground("recommend", model, "--user", "3", "--data", world, "--k", "5", "--items", small,
                               "--only-category", "groceries")
        #expect(r.status == 2 && r.stderr.contains("error: \(small): expected one row per item of \(model) (2000 items, ids 0 to 1999")
                && r.stderr.contains("found '200 items"), "exit \(r.status): \(r.stdout) \(r.stderr)")
        let own = try fairground("recommend", model, "--user", "3", "--data", world, "--k", "5",
                                 "--items", world + "/items.csv", "--only-category", "groceries")
        #expect(own.status == 0, "\(own.stderr)")
    }

    /// Issue 26, point 6, through the binary: model files whose header values and factors were changed and whose
    /// checksum was re-sealed (`ModelFileMutator`) are served or refused by `recommend` — for a user (a fold-in) or
    /// for similar items — and `export`: exit 0, or exit 2 with one `error: ` line, never a trap or a hang (each run
    /// has a deadline). Fixed seed and budget; the library-level fuzzer is
    /// `ModelFileFuzzTests.resealedHeaderValuesAndFactorsAreDecodedOrRefused`.
    @Test func resealedModelFilesAreServedOrRefused() throws {
        let (world, model) = try validationFixture()
        let mutator = ModelFileMutator(fileBytes: try FactorModel.read(path: model).fileBytes(), checksum: { FNV1a.hash($0) })
        var rng = TestLCG(seed: 2612)
        var tally = FuzzTally()
        let path = scratch("resealed.fgm"), npy = scratch("resealed-npy")
        for trial in 0..<150 {
            let (bytes, change) = mutator.mutate(&rng)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let arguments: (String, [String]) = switch trial % 3 {
            case 0: ("recommend", [path, "--user", "3", "--data", world, "--k", "5"])
            case 1: ("recommend", [path, "--similar-to", "0", "--k", "5", "--json"])
            default: ("export", [path, "--npy", npy])
            }
            try tally.run(self, arguments.0, arguments.1, context: change)
        }
        print("resealed model fuzz (binary): \(tally.cases) runs (\(tally.perCommand)), \(tally.successes) served, "
              + "\(tally.refusals) clean refusals, \(tally.traps) traps, \(tally.hangs) hangs, \(tally.unclean) other endings")
        #expect(tally.traps == 0 && tally.hangs == 0 && tally.unclean == 0)
        #expect(tally.successes > 5 && tally.refusals > 75, "\(tally.successes) served, \(tally.refusals) refused")
    }
}
