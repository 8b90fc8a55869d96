import Testing
@testable import Population
import FileSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct WorldWriterTests {
    func temporaryDirectory(_ name: String) -> String {
        let path = "/tmp/fairground-tests-\(getpid())-\(name)"
        _ = try? FileIO.makeDirectory(path)
        return path
    }

    func files(in directory: String) -> [String] {
        (FileIO.entries(of: directory) ?? []).sorted()
    }

    @Test func writesEveryFileConsistently() throws {
        let world = try Generator(spec: try Scenario.defaultSpec()).generate(users: 10..<510, threads: 2)
        let dir = temporaryDirectory("consistent")
        let manifest = try WorldWriter(threads: 2).write(world, to: dir, repairCorrelations: false)
        #expect(files(in: dir) == ["interactions.csv", "interactions.mtx", "items.csv", "manifest.json",
                                   "population.csv", "truth.csv"])
        let population = try FileIO.readText(dir + "/population.csv").split(separator: "\n")
        #expect(population.first == "user_id,gender,ethnicity,age,zip_region,income,consent")
        #expect(population.count == 501)
        #expect(population[1].hasPrefix("10,"))
        let interactions = try FileIO.readText(dir + "/interactions.csv").split(separator: "\n")
        #expect(interactions.count == world.interactions.count + 1)
        let mtx = try FileIO.readText(dir + "/interactions.mtx").split(separator: "\n")
        #expect(mtx[0] == "%%MatrixMarket matrix coordinate real general")
        #expect(mtx[2] == "500 2000 \(world.interactions.count)")
        #expect(mtx.count == world.interactions.count + 3)
        // The first user's first interaction appears in both formats.
        let csvFirst = interactions[1].split(separator: ",")
        let mtxFirst = mtx[3].split(separator: " ")
        #expect(Int(csvFirst[0])! - 10 + 1 == Int(mtxFirst[0])! && Int(csvFirst[1])! + 1 == Int(mtxFirst[1])!)
        let truth = try FileIO.readText(dir + "/truth.csv").split(separator: "\n")
        #expect(truth.first == "user_id,premium_credit,payday_loan" && truth.count == 501)
        #expect(manifest.users == 500 && manifest.firstUser == 10 && manifest.interactions == world.interactions.count)
        // The manifest reads back and carries the spec.
        let read = try Manifest.read(directory: dir)
        #expect(read == manifest)
        #expect(try read.spec(directory: dir).attributes == world.spec.attributes)
    }

    @Test func bytesDoNotDependOnThreads() throws {
        let generator = try Generator(spec: try Scenario.defaultSpec())
        let a = temporaryDirectory("threads-a"), b = temporaryDirectory("threads-b")
        try WorldWriter(threads: 1).write(generator.generate(users: 0..<20_000, threads: 1), to: a, repairCorrelations: false)
        try WorldWriter(threads: 2).write(generator.generate(users: 0..<20_000, threads: 2), to: b, repairCorrelations: false)
        for name in files(in: a) {
            #expect(try FileIO.readText(a + "/" + name) == FileIO.readText(b + "/" + name), "\(name) differs")
        }
    }

    @Test func aFailedWriteLeavesNothing() throws {
        let world = try Generator(spec: try Scenario.defaultSpec()).generate(users: 0..<10)
        let dir = temporaryDirectory("blocked")
        // A regular file where the output directory should go.
        let blocker = dir + "/file"
        let f = fopen(blocker, "w")
        fclose(f)
        #expect(throws: FairgroundError.self) {
            try WorldWriter().write(world, to: blocker + "/out", repairCorrelations: false)
        }
        #expect(files(in: dir) == ["file"])
    }

    @Test func numbersAreFormattedShortestAndLocaleFree() {
        var b = ByteBuffer()
        b.append(integer: 0); b.append(","); b.append(integer: -1234567); b.append(",")
        b.append(number: 3); b.append(","); b.append(number: 0.1); b.append(","); b.append(number: 1e-7)
        #expect(String(decoding: b.bytes, as: UTF8.self) == "0,-1234567,3,0.1,1e-07")
        #expect(WorldSummary.fixed(-0.0004, 3) == "0.000" && WorldSummary.fixed(-1.25, 1) == "-1.3")
    }
}

/// Names that would break a CSV file or a table (issue 12, point 5): level and category names holding a comma,
/// a double quote, a bar or leading spaces round-trip through `population.csv`, `items.csv` and `truth.csv`
/// (RFC 4180 quoting); a control character in a name is refused at the spec, naming the field.
@Suite struct NameQuotingTests {
    static let spec = """
        version: 1
        name: quoting
        attributes:
          region:
            type: categorical
            protected: true
            levels: {"north, upper": 0.5, 'say "south"': 0.3, " |mid": 0.2}
        items:
          count: 40
          categories:
            "loans, small": {share: 0.5, offer: true}
            'the "best" deals|x': {share: 0.5}
        behavior:
          latent_dims: 2
          interactions_per_user: {distribution: lognormal, mu: 1.5, sigma: 0.5}
          effects:
            - {attribute: region, level: "north, upper", category: "loans, small", weight: 0.5}
        """

    @Test func namesRoundTripThroughTheWorldsCSVFiles() throws {
        let spec = try PopulationSpec.parse(Self.spec, file: "quoting.yaml")
        let world = try Generator(spec: spec).generate(users: 0..<50, threads: 1)
        let dir = "/tmp/fairground-tests-\(getpid())-quoting"
        try WorldWriter().write(world, to: dir, repairCorrelations: false)
        let levels: Set<String> = ["north, upper", #"say "south""#, " |mid"]
        let population = try FileIO.readText(dir + "/population.csv").split(separator: "\n")
        #expect(CSVField.fields(of: population[0]) == ["user_id", "region"])
        for line in population.dropFirst() {
            let fields = try #require(CSVField.fields(of: line), "\(line)")
            #expect(fields.count == 2 && levels.contains(fields[1]), "\(line)")
        }
        let categories: Set<String> = ["loans, small", #"the "best" deals|x"#]
        for line in try FileIO.readText(dir + "/items.csv").split(separator: "\n").dropFirst() {
            let fields = try #require(CSVField.fields(of: line))
            #expect(fields.count == 2 && categories.contains(fields[1]), "\(line)")
        }
        let truth = try FileIO.readText(dir + "/truth.csv").split(separator: "\n")
        #expect(CSVField.fields(of: truth[0]) == ["user_id", "loans, small"])
    }

    @Test func aControlCharacterInANameIsRefused() throws {
        var bad = Self.spec
        bad.replace(#""north, upper": 0.5, 'say"#, with: #""north\nupper": 0.5, 'say"#)
        do {
            _ = try PopulationSpec.parse(bad, file: "quoting.yaml")
            Issue.record("a newline in a level name was accepted")
        } catch {
            #expect(error.description.contains("quoting.yaml:7:") && error.description.contains("attributes.region.levels")
                    && error.description.contains("without control characters (found U+A)"), "\(error)")
        }
    }

    /// Found by the semantic fuzzer (issue 26, point 6): a scenario name with a line break generated a world whose
    /// own interactions.mtx `train` refused (the name heads its comment line). The name is refused like any other.
    @Test func aControlCharacterInTheScenarioNameIsRefused() throws {
        for name in [#""line\nbreak""#, #""tab\tbed""#] {
            let text = "version: 1\nname: \(name)\nattributes:\n  flag: {type: boolean, p: 0.5}\n"
            do {
                _ = try PopulationSpec.parse(text, file: "name.yaml")
                Issue.record("the name \(name) was accepted")
            } catch {
                #expect(error.description.hasPrefix("name.yaml:2:") && error.field == "name"
                        && error.description.contains("expected a scenario name without control characters"), "\(error)")
            }
        }
        #expect(try PopulationSpec.parse("version: 1\nname: \"génération 東京 🙂, \\\"quoted\\\"\"\nattributes:\n"
                                         + "  flag: {type: boolean, p: 0.5}\n", file: "name.yaml").name
                == #"génération 東京 🙂, "quoted""#)
    }
}
