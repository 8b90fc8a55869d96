import Foundation
import Linear
import Recommender
import Testing
import TrainingData

/// `fairground import` (issue 14, point 1): factors trained by Spark MLlib's implicit ALS, kept as a fixture
/// (Fixtures/spark, made by the script beside it), become a model whose fold-in under the Spark convention
/// reproduces Spark's user factors; bad factor files are refused. With pyspark and Java present, Spark itself is
/// run on a fresh world.
extension CommandLineTests {
    static let sparkFixture = root + "/Tests/FairgroundCLITests/Fixtures/spark"

    /// Whether pyspark (with pyarrow) and Java are installed.
    static let hasSpark: Bool = {
        func runs(_ arguments: [String]) -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
        return runs(["python3", "-c", "import pyspark, pyarrow"]) && runs(["java", "-version"])
    }()

    /// The largest relative difference between rows of `a` and `b` (rows of `b` placed by `ids`).
    func largestRelativeDifference(_ a: Matrix<Float>, _ b: Matrix<Float>, ids: [Int]) -> Double {
        let k = a.columns
        var worst = 0.0
        for (r, id) in ids.enumerated() {
            var difference = 0.0, norm = 0.0
            for f in 0..<k {
                let x = Double(a.elements[id * k + f]), y = Double(b.elements[r * k + f])
                difference += (x - y) * (x - y)
                norm += y * y
            }
            worst = max(worst, (difference / max(norm, 1e-24)).squareRoot())
        }
        return worst
    }

    /// Folding every training user into Spark's item factors under the Spark convention gives Spark's user factors;
    /// returns the imported model's path and what `import` printed.
    @discardableResult
    func checkSparkFoldIn(world: String, spark: String, regularization: String) throws -> (model: String, output: String) {
        let model = scratch("spark-import.fgm")
        let imported = try fairground("import", world, "--item-factors", spark + "/item_factors.npy",
                                      "--item-ids", spark + "/item_ids.npy", "--convention", "spark",
                                      "--regularization", regularization, "--alpha", "10", "--out", model)
        #expect(imported.status == 0 && imported.stdout.contains("spark convention"), "\(imported.stderr)")
        let folded = try FactorModel.read(path: model)
        #expect(folded.configuration.foldInRule.scaling == .perInteraction)
        #expect(folded.configuration.foldInRule.duplicates == .separateTerms)
        let sparkUsers = try NumPyMatrix.read(path: spark + "/user_factors.npy")
        let ids = try NumPyMatrix.ids(path: spark + "/user_ids.npy")
        let worst = largestRelativeDifference(folded.userFactors, sparkUsers, ids: ids)
        #expect(worst < 1e-3, "largest relative difference \(worst)")
        return (model, imported.stdout)
    }

    @Test func sparkFactorsImportAndFoldInAsSparkTrainedThem() throws {
        let world = scratch("spark-world")
        #expect(try fairground("generate", "datasets/credit-offers.yaml", "--users", "400", "--out", world, "-q").status == 0)
        try checkSparkFoldIn(world: world, spark: Self.sparkFixture, regularization: "0.1")
        // Under another convention the same item factors give other user factors.
        let other = scratch("implicit-import.fgm")
        #expect(try fairground("import", world, "--item-factors", Self.sparkFixture + "/item_factors.npy",
                               "--item-ids", Self.sparkFixture + "/item_ids.npy", "--convention", "fairground",
                               "--regularization", "0.1", "--alpha", "10", "--out", other, "-q").status == 0)
        let sparkUsers = try NumPyMatrix.read(path: Self.sparkFixture + "/user_factors.npy")
        let ids = try NumPyMatrix.ids(path: Self.sparkFixture + "/user_ids.npy")
        #expect(largestRelativeDifference(try FactorModel.read(path: other).userFactors, sparkUsers, ids: ids) > 0.01)
        // Given user factors are kept as they are, placed by id.
        let kept = scratch("kept-import.fgm")
        #expect(try fairground("import", world, "--item-factors", Self.sparkFixture + "/item_factors.npy",
                               "--item-ids", Self.sparkFixture + "/item_ids.npy",
                               "--user-factors", Self.sparkFixture + "/user_factors.npy",
                               "--user-ids", Self.sparkFixture + "/user_ids.npy", "--convention", "spark",
                               "--regularization", "0.1", "--alpha", "10", "--out", kept, "-q").status == 0)
        #expect(largestRelativeDifference(try FactorModel.read(path: kept).userFactors, sparkUsers, ids: ids) == 0)
        // The imported model is audited end to end, twins folded in under Spark's convention.
        let report = scratch("spark-audit")
        let audited = try fairground("audit", world, "--model", kept, "--bootstrap", "50", "--out", report, "-q")
        #expect(audited.status == 0, "\(audited.stderr)")
        #expect(try read(report + "/report.md").contains("λ 0.1·n_u"))
    }

    /// Spark's ALS reads every input row as a term of its own, so repeated (user, item) rows are not summed: each
    /// positive one adds its own 1 to the right-hand side and counts towards n_u. Spark's factors of data with
    /// repeats (Fixtures/spark-duplicates, made by the script beside it: every fourth user repeats four of their
    /// rows, with the same weight, −1, 0 and 2) are reproduced by the import's fold-in; summing the repeats is not.
    @Test func sparkRepeatedRowsFoldInAsSeparateTerms() throws {
        let fixture = Self.root + "/Tests/FairgroundCLITests/Fixtures/spark-duplicates"
        let data = fixture + "/interactions.csv"
        let (model, output) = try checkSparkFoldIn(world: data, spark: fixture, regularization: "0.1")
        #expect(output.contains("298 repeated (user, item) rows in 75 users, each a separate term as in Spark "
                                + "(the first: user 0, item "), "\(output)")
        let folded = try FactorModel.read(path: model)
        let sparkUsers = try NumPyMatrix.read(path: fixture + "/user_factors.npy")
        let ids = try NumPyMatrix.ids(path: fixture + "/user_ids.npy")
        // The same fold-in with the repeats summed misses Spark's factors for the users who repeat.
        let interactions = try InteractionReader.read(path: data)
        var summed = folded.configuration.foldInRule
        summed.duplicates = .summed
        let repeated = try #require(interactions.duplicates).rows
        #expect(repeated.count == 75)
        // (Users who repeat nothing match to 1e-6 either way, so the worst user is one who repeats.)
        let summedWorst = largestRelativeDifference(folded.foldIn(interactions, rule: summed).factors, sparkUsers, ids: ids)
        #expect(summedWorst > 1e-2, "summed repeats: largest relative difference \(summedWorst)")
        // Under a convention that sums (implicit's, Fairground's) the import says so.
        let implicit = try fairground("import", data, "--item-factors", fixture + "/item_factors.npy",
                                      "--item-ids", fixture + "/item_ids.npy", "--convention", "implicit",
                                      "--regularization", "0.1", "--alpha", "10", "--out", scratch("implicit-dup.fgm"))
        #expect(implicit.status == 0 && implicit.stdout.contains("298 repeated (user, item) rows in 75 users, summed"),
                "\(implicit.stdout)")
        // Explaining a repeating user's list reads their terms.
        let explained = try fairground("recommend", model, "--data", data, "--user", "0", "--k", "3", "--explain")
        #expect(explained.status == 0 && explained.stdout.contains("because"), "\(explained.stdout)\(explained.stderr)")
    }

    /// Factor files of another shape, with NaN, with ids out of range or repeated are refused: exit 2, the file
    /// named, nothing written.
    @Test func badFactorFilesAreRefused() throws {
        let world = scratch("spark-bad-world")
        #expect(try fairground("generate", "datasets/credit-offers.yaml", "--users", "400", "--out", world, "-q").status == 0)
        func npy(_ name: String, descr: String, shape: String, payload: [UInt8]) throws -> String {
            var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
            while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
            header += "\n"
            let bytes = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
                + Array(header.utf8) + payload
            let path = scratch(name)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        func floats(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
        func ints(_ values: [Int32]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) } }
        let items = Self.sparkFixture + "/item_factors.npy", itemIDs = Self.sparkFixture + "/item_ids.npy"
        let twoItems = try npy("two-items.npy", descr: "<f4", shape: "(2, 6)", payload: floats(Array(repeating: 0.1, count: 12)))
        let nan = try npy("nan-items.npy", descr: "<f4", shape: "(2, 6)", payload: floats([.nan] + Array(repeating: 0.1, count: 11)))
        let outOfRange = try npy("far-ids.npy", descr: "<i4", shape: "(2,)", payload: ints([0, 5000]))
        let repeated = try npy("same-ids.npy", descr: "<i4", shape: "(2,)", payload: ints([3, 3]))
        let narrowUsers = try npy("narrow-users.npy", descr: "<f4", shape: "(400, 4)", payload: floats(Array(repeating: 0.1, count: 1600)))
        let cases: [([String], String)] = [
            (["--item-factors", twoItems], "2000"),                                  // rows ≠ items, no ids
            (["--item-factors", nan, "--item-ids", repeated], "nan-items.npy"),      // NaN in factors
            (["--item-factors", twoItems, "--item-ids", outOfRange], "5000"),       // id beyond the items
            (["--item-factors", twoItems, "--item-ids", repeated], "3 twice"),      // an id twice
            (["--item-factors", items, "--item-ids", itemIDs, "--user-factors", narrowUsers], "400 rows × 6"),
            (["--item-factors", items, "--item-ids", twoItems], "two-items.npy"),   // ids file of floats
        ]
        for (arguments, expected) in cases {
            let out = scratch("never.fgm")
            let result = try fairground(["import", world] + arguments
                                        + ["--convention", "spark", "--regularization", "0.1", "--alpha", "10", "--out", out])
            #expect(result.status == 2 && result.stderr.contains(expected), "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    /// Spark itself (local mode): `scale/spark_train.py` trains on a fresh world; fold-in of every training user
    /// with Spark's item factors reproduces Spark's user factors within 1e-3 relative, and the imported model is
    /// audited.
    /// Spark trains on the world's two generation shards (global user ids), and the full world is imported.
    /// Runs `scale/spark_train.py` in local mode (rank 5, 6 iterations, λ 0.05, α 10) on directories holding an
    /// `interactions.csv`; returns its exit status.
    func trainSpark(_ directories: [String], out: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root + "/scale/spark_train.py"] + directories
            + ["--out", out, "--rank", "5", "--iterations", "6", "--regularization", "0.05", "--alpha", "10",
               "--master", "local[2]"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Spark itself, on the repeated rows of Fixtures/spark-duplicates: the fold-in of its separate terms
    /// reproduces the Spark installed here, not only the one that made the fixture.
    @Test(.enabled(if: hasSpark, "pyspark (with pyarrow) and Java are not installed: pip install pyspark pyarrow"))
    func sparkTrainedOnRepeatedRowsFoldsInExactly() throws {
        let data = scratch("spark-live-repeats"), spark = scratch("spark-live-repeats-factors")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.root + "/Tests/FairgroundCLITests/Fixtures/spark-duplicates/interactions.csv",
                                         toPath: data + "/interactions.csv")
        #expect(try trainSpark([data], out: spark) == 0)
        try checkSparkFoldIn(world: data + "/interactions.csv", spark: spark, regularization: "0.05")
    }

    @Test(.enabled(if: hasSpark, "pyspark (with pyarrow) and Java are not installed: pip install pyspark pyarrow"))
    func sparkTrainedFactorsFoldInExactly() throws {
        let world = scratch("spark-live-world"), spark = scratch("spark-live")
        let first = scratch("spark-live-shard-1"), second = scratch("spark-live-shard-2")
        #expect(try fairground("generate", "datasets/null.yaml", "--users", "600", "--out", world, "-q").status == 0)
        #expect(try fairground("generate", "datasets/null.yaml", "--first-user", "0", "--users", "300", "--out", first, "-q").status == 0)
        #expect(try fairground("generate", "datasets/null.yaml", "--first-user", "300", "--users", "300", "--out", second, "-q").status == 0)
        #expect(try trainSpark([first, second], out: spark) == 0)
        let model = try checkSparkFoldIn(world: world, spark: spark, regularization: "0.05").model
        // The imported model's audit runs end to end (twins folded in with Spark's convention).
        let report = scratch("spark-live-audit")
        let audited = try fairground("audit", world, "--model", model, "--bootstrap", "50",
                                     "--out", report, "-q")
        #expect(audited.status == 0, "\(audited.stderr)")
        #expect(try read(report + "/report.md").contains("·n_u"))
    }
}
