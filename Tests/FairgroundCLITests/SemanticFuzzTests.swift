import Foundation
import TestSupport
import Testing

/// Issue 26, point 6: the semantic fuzzer over specs and command-line options. Unlike the mutation fuzzers (which
/// break syntax: `SpecFuzzTests`, `InputFuzzTests`, `ReaderFuzzTests`), every spec it writes is well-formed YAML
/// and every option parses; the values are extreme — counts of 0, 1 and far beyond memory, hundreds of levels,
/// probabilities of exactly 0 and 1, singular and contradictory correlations, long, unicode and CSV-hostile names,
/// `--k`, `--users` and `--threads` at and past their bounds. Each world that generates is trained, served,
/// evaluated and audited with extreme options too.
///
/// Every run goes through the binary, under a 4 GB address-space limit and a deadline, so a trap or a hang is
/// counted, not fatal to the test runner: each must end in success (exit 0; 1 only for an audit gate with a
/// policy) or a clean refusal (exit 2 and one `error: ` line) — never a signal, another status, or a hang. Fixed
/// seed and budget (about a minute in release builds).
extension CommandLineTests {
    @Test func extremeButWellFormedSpecsAndOptionsEndInSuccessOrARefusal() throws {
        var fuzz = ExtremeValues(seed: 26)
        var tally = FuzzTally()
        let directory = scratch("semantic-fuzz")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for trial in 0..<240 {
            let spec = fuzz.spec()
            let specPath = directory + "/spec-\(trial).yaml"
            try spec.text.write(toFile: specPath, atomically: true, encoding: .utf8)
            let world = directory + "/world", model = directory + "/model.fgm", report = directory + "/report"
            for path in [world, model, report] { try? FileManager.default.removeItem(atPath: path) }
            let generated = try tally.run(self, "generate", [specPath, "--out", world, "-q"] + fuzz.generateOptions(),
                                          context: spec.text)
            guard generated == 0 else { continue }
            let twin = directory + "/twin"
            try? FileManager.default.removeItem(atPath: twin)
            try tally.run(self, "counterfactual", [world, "--out=" + twin] + fuzz.counterfactualOptions(spec: spec),
                          context: spec.text)
            guard trial % 2 == 0 else { continue }
            let trained = try tally.run(self, "train", [world, "--out", model, "-q"] + fuzz.trainOptions(), context: spec.text)
            guard trained == 0 else { continue }
            try tally.run(self, "recommend", [model] + fuzz.recommendOptions(world: world, spec: spec), context: spec.text)
            try tally.run(self, "evaluate", [model, "--train", world, "--test", world] + fuzz.evaluateOptions(spec: spec),
                          context: spec.text)
            var audit = [world, "--model", model, "--out", report, "-q"] + fuzz.auditOptions(spec: spec)
            let policy = fuzz.policy()
            if let policy {
                let path = directory + "/policy-\(trial).yaml"
                try policy.write(toFile: path, atomically: true, encoding: .utf8)
                audit += ["--policy", path]
            }
            try tally.run(self, "audit", audit, gate: policy != nil, context: spec.text)
        }
        print("semantic fuzz: \(tally.cases) cases (\(tally.perCommand)), \(tally.successes) successes, "
              + "\(tally.refusals) clean refusals, \(tally.gateFailures) gate failures, \(tally.traps) traps, "
              + "\(tally.hangs) hangs, \(tally.unclean) other endings")
        #expect(tally.traps == 0 && tally.hangs == 0 && tally.unclean == 0)
        // The fuzzer reaches past the parser: worlds generate, and models train and are audited.
        #expect(tally.successes(of: "generate") > 40 && tally.successes(of: "audit") > 10, "\(tally.perCommand)")
        #expect(tally.refusals > 100)
    }
}

/// What the semantic fuzzer saw, by command.
struct FuzzTally {
    var cases = 0, successes = 0, refusals = 0, gateFailures = 0, traps = 0, hangs = 0, unclean = 0
    private var byCommand: [String: (runs: Int, successes: Int)] = [:]
    private var order: [String] = []

    func successes(of command: String) -> Int { byCommand[command]?.successes ?? 0 }

    var perCommand: String {
        order.map { "\($0) \(byCommand[$0]!.runs), \(byCommand[$0]!.successes) succeeded" }.joined(separator: "; ")
    }

    /// Runs `fairground COMMAND ARGUMENTS` (4 GB of address space, 60 s) and counts how it ended; anything but a
    /// success or a clean refusal is recorded as an issue with the spec that led to it. Returns the exit status.
    @discardableResult
    mutating func run(_ tests: CommandLineTests, _ command: String, _ arguments: [String], gate: Bool = false,
                      context: String) throws -> Int32?
    {
        cases += 1
        if byCommand[command] == nil { order.append(command) }
        byCommand[command, default: (0, 0)].runs += 1
        let run = try tests.fairground([command] + arguments, addressSpaceKilobytes: 4_000_000, deadline: .seconds(60))
        let line = "fairground \(command) \(arguments.joined(separator: " "))"
        guard let r = run.result else {
            hangs += 1
            Issue.record("a hang (still running after 60 s): \(line)\nspec:\n\(context)")
            return nil
        }
        switch r.status {
        case _ where r.signalled, 128...:
            traps += 1
            Issue.record("a trap (\(r.signalled ? "signal" : "exit") \(r.status)): \(line)\n\(r.stderr)\nspec:\n\(context)")
        case 0:
            successes += 1
            byCommand[command]!.successes += 1
        case 1 where gate:
            gateFailures += 1
        case 2 where r.stderr.hasPrefix("error: ") && !r.stderr.contains("Fatal error"):
            refusals += 1
        default:
            unclean += 1
            Issue.record("exit \(r.status) without a clean refusal: \(line)\n\(r.stderr)\nspec:\n\(context)")
        }
        return r.signalled ? nil : r.status
    }
}

/// A seeded source of well-formed specs and options whose values are, one time in eight, extreme.
struct ExtremeValues {
    var rng: TestLCG

    init(seed: UInt64) { rng = TestLCG(seed: seed) }

    /// A spec's text and the sizes the options are drawn against.
    struct Spec {
        var text: String
        var users: Int
        var items: Int
        var offers: [String]
        /// The categorical and boolean attributes and their levels (what `counterfactual --set` takes).
        var levels: [(attribute: String, levels: [String])]
        /// Every attribute's name.
        var attributes: [String]
    }

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    mutating func element<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &rng)] }

    /// A usual value, or (one time in eight) an extreme one: a spec has dozens of values, so most specs carry a
    /// few extremes and some none.
    mutating func pick<T>(_ usual: [T], _ extreme: [T]) -> T { chance(1.0 / 8) ? element(extreme) : element(usual) }

    /// A YAML double-quoted string.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    /// Names: plain, long (200 and 250 bytes), unicode, YAML words, CSV-hostile, with spaces and digits first.
    mutating func name(_ base: String, _ index: Int) -> String {
        pick(["\(base)\(index)"], [
            String(repeating: "a", count: 200) + "\(index)", String(repeating: "é", count: 120) + "\(index)",
            "génération_東京_🙂\(index)", "yes\(index == 0 ? "" : "\(index)")", "null_\(index)", "a,b\(index)",
            "quote\"d\(index)", "two words \(index)", "\(index)st", "line\nbreak\(index)", "tab\tbed\(index)",
        ])
    }

    /// Probabilities over `count` levels: even, random, degenerate (1 and zeros), or with vanishing levels.
    mutating func probabilities(_ count: Int) -> [Double] {
        switch pick([0, 1], [2, 3]) {
        case 0: return Array(repeating: 1 / Double(count), count: count)
        case 1:
            let raw = (0..<count).map { _ in Double.random(in: 0.05...1, using: &rng) }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        case 2: return [1] + Array(repeating: 0, count: count - 1)
        default:
            let tiny = 1e-300
            return [1 - Double(count - 1) * tiny] + Array(repeating: tiny, count: count - 1)
        }
    }

    mutating func spec() -> Spec {
        var lines = ["version: 1", "name: \(Self.quoted(name("fuzz", 0)))", "seed: \(pick(["3", "11"], ["0", "18446744073709551615"]))"]
        let users = pick([60, 150], [0, 1, 2, 1_000_000_000_000_000])
        lines.append("users: \(users)")
        // Attributes: categorical (2 to 300 levels), boolean (p from 0 to 1), numeric (four distributions).
        let count = pick([2, 3, 4], [1, 12, 25])
        var names: [String] = [], kinds: [String] = [], levels: [[String]] = []
        lines.append("attributes:")
        for a in 0..<count {
            var attribute = name("attribute_", a)
            if names.contains(attribute) { attribute += "_\(a)" }
            names.append(attribute)
            let kind = a == 0 ? "categorical" : element(["categorical", "boolean", "numeric"])
            kinds.append(kind)
            var fields: [String] = []
            switch kind {
            case "categorical":
                let n = pick([2, 3, 4], [1, 40, 300])
                var levelNames: [String] = []
                for l in 0..<n {
                    var level = n > 10 ? "level_\(l)" : name("level_", l)
                    if levelNames.contains(level) { level += "_\(l)" }
                    levelNames.append(level)
                }
                levels.append(levelNames)
                let p = probabilities(n)
                fields.append("type: categorical")
                fields.append("levels: {" + zip(levelNames, p).map { "\(Self.quoted($0)): \($1)" }.joined(separator: ", ") + "}")
                if a == 0 || chance(0.4) { fields.append("protected: true") }
            case "boolean":
                levels.append(["true", "false"])
                fields.append("type: boolean")
                fields.append("p: \(pick([0.3, 0.8], [0, 1, 1e-12, 0.999999999999]))")
                if chance(0.2) { fields.append("role: consent") } else if chance(0.2) { fields.append("sensitive: true") }
                if chance(0.2) { fields.append("protected: true") }
            default:
                levels.append([])
                fields.append("type: numeric")
                switch element(["normal", "lognormal", "uniform", "beta"]) {
                case "normal":
                    fields += ["distribution: normal", "mean: \(pick([0, 41], [-1e300, 1e300, 1e-300]))",
                               "sd: \(pick([1, 13], [1e-300, 1e300, 1e-12]))"]
                    if chance(0.4) {
                        let (low, high) = pick([(18.0, 90.0)], [(5.0, 5.0), (-1e308, 1e308), (1e300, 1e301)])
                        fields += ["min: \(low)", "max: \(high)"]
                    }
                case "lognormal":
                    fields += ["distribution: lognormal", "mu: \(pick([0, 10.6], [700, -700, 1e10]))",
                               "sigma: \(pick([0.5], [1e-12, 30]))"]
                case "uniform":
                    let (low, high) = pick([(0.0, 1.0)], [(0, 0), (-1e308, 1e308), (1, 1 + 1e-15)])
                    fields += ["distribution: uniform", "min: \(low)", "max: \(high)"]
                default:
                    fields += ["distribution: beta", "alpha: \(pick([2.0], [1e-6, 1e6]))",
                               "beta: \(pick([5.0], [1e-6, 1e6]))"]
                }
            }
            lines.append("  \(Self.quoted(attribute)): {" + fields.joined(separator: ", ") + "}")
        }
        // Correlations: a few pairs, or every pair at once; ±1, ±0.999999 and 0 among them (singular, or
        // contradictory unless --repair-correlations).
        if count >= 2, chance(0.7) {
            lines.append("correlations:")
            let all = chance(0.25)
            var pairs: [(Int, Int)] = []
            for i in 0..<count { for j in (i + 1)..<count { pairs.append((i, j)) } }
            let chosen = all ? pairs : (0..<min(pairs.count, 3)).map { _ in element(pairs) }
            var seen = Set<Int>()
            for (i, j) in chosen where seen.insert(i * 1000 + j).inserted {
                let r = pick([-0.3, 0.2, 0.5], [1, -1, 0.999999, -0.999999, 0, all ? -1.0 / Double(count - 1) : -0.6])
                lines.append("  - [\(Self.quoted(names[i])), \(Self.quoted(names[j])), \(r)]")
            }
        }
        if chance(0.5) { lines.append("order: [" + names.shuffled(using: &rng).map(Self.quoted).joined(separator: ", ") + "]") }
        // Items: 1 to 10¹² of them, in 1 to 30 categories, shares even or degenerate.
        let items = pick([40, 120, 300], [1, 2, 3, 100_000, 1_000_000_000_000])
        let categoryCount = pick([2, 3], [1, 30])
        var categories: [String] = []
        for c in 0..<categoryCount {
            var category = name("category_", c)
            if categories.contains(category) { category += "_\(c)" }
            categories.append(category)
        }
        let shares = probabilities(categoryCount)
        var offers: [String] = []
        lines += ["items:", "  count: \(items)", "  categories:"]
        for (c, category) in categories.enumerated() {
            var fields = ["share: \(shares[c])"]
            if c == categoryCount - 1 || chance(0.2) {
                fields.append("offer: true")
                offers.append(category)
            } else if chance(0.1) {
                fields.append("sensitive: true")
            }
            if chance(0.2) { fields.append("base: \(pick([0.0, 1.0], [-30.0, 30.0]))") }
            lines.append("    \(Self.quoted(category)): {" + fields.joined(separator: ", ") + "}")
        }
        // Behaviour: implicit or ratings; latent dimensions, interactions, genres, observation, effects, exposure.
        let ratings = chance(0.15)
        lines.append("behavior:")
        if ratings { lines.append("  feedback: ratings") }
        lines.append("  latent_dims: \(pick([3, 8], [0, 1, 256]))")
        if !ratings {
            if chance(0.8) {
                lines.append("  interactions_per_user: {distribution: lognormal, mu: \(pick([1.5, 2.5], [0, -10, 12])), "
                             + "sigma: \(pick([0.5, 0.8], [0, 5]))}")
            } else {
                lines.append("  interactions_per_user: {distribution: constant, value: \(pick([5], [0, 1, 1_000_000_000]))}")
            }
            if chance(0.3) { lines.append("  max_interactions: \(pick([50], [0, 1, 1_000_000_000]))") }
            if chance(0.3) { lines.append("  genres: \(pick([4], [0, 1, 4096]))") }
        }
        if chance(0.3) { lines.append("  popularity_exponent: \(pick([0.8, 1.1], [0, 5]))") }
        if chance(0.3) { lines.append("  category_taste_sd: \(pick([0.5], [0, 10]))") }
        if chance(0.3) { lines.append("  observation: \(pick([1.0, 0.8], [1e-9, 0.5]))") }
        var effects: [String] = [], exposure: [String] = []
        for _ in 0..<pick([1, 2], [0, 6]) {
            let a = Int.random(in: 0..<count, using: &rng)
            let category = Self.quoted(element(categories))
            var term = "attribute: \(Self.quoted(names[a]))"
            if kinds[a] == "categorical" { term += ", level: \(Self.quoted(element(levels[a])))" }
            effects.append("{\(term), category: \(category), weight: \(pick([0.5, -0.5], [50, -50, 1e300, 0]))}")
            if kinds[a] != "numeric" {
                exposure.append("{\(term), category: \(category), factor: \(pick([0.5], [1e-9, 1e9, 1]))}")
            }
        }
        if !effects.isEmpty { lines.append("  effects:"); lines += effects.map { "    - " + $0 } }
        if !exposure.isEmpty, chance(0.7) { lines.append("  exposure:"); lines += exposure.map { "    - " + $0 } }
        let groups = names.indices.filter { kinds[$0] != "numeric" }.map { (names[$0], levels[$0]) }
        return Spec(text: lines.joined(separator: "\n") + "\n", users: users, items: items, offers: offers,
                    levels: groups, attributes: names)
    }

    // Options are written `--name=value`, so a negative value is a value, not an option.

    mutating func generateOptions() -> [String] {
        var options: [String] = []
        if chance(0.5) { options.append("--users=" + pick(["60", "200"], ["0", "1", "2", "-1", "10000000000000", "9223372036854775807"])) }
        if chance(0.3) { options.append("--first-user=" + pick(["0", "100"], ["9223372036854775807", "4611686018427387904", "-5"])) }
        if chance(0.3) { options.append("--threads=" + pick(["1", "2"], ["0", "7", "1024", "1025"])) }
        if chance(0.2) { options.append("--seed=" + pick(["5"], ["0", "18446744073709551615", "-1"])) }
        if chance(0.3) { options.append("--repair-correlations") }
        return options
    }

    /// An intervention: a level of an attribute (or, now and then, no such level, or a numeric attribute), and a
    /// mediator kept at its factual value.
    mutating func counterfactualOptions(spec: Spec) -> [String] {
        guard let (attribute, levels) = spec.levels.isEmpty ? nil : element(spec.levels) else {
            return ["--set=\(element(spec.attributes))=1"]
        }
        var options = ["--set=\(attribute)=" + pick(levels, ["no_such_level", "", levels[0] + "\u{301}"])]
        let others = spec.attributes.filter { $0 != attribute }
        if chance(0.3) { options.append("--keep=" + pick(others.isEmpty ? ["nobody"] : others, [attribute, "nobody"])) }
        return options
    }

    mutating func trainOptions() -> [String] {
        var options = ["--factors=" + pick(["4", "8"], ["1", "2", "300", "0", "4097"]),
                       "--iterations=" + pick(["2"], ["0", "1", "-1"]),
                       "--holdout=" + pick(["0", "0.2"], ["0.999", "1e-9", "1", "-0.1", "nan"])]
        if chance(0.3) { options.append("--regularization=" + pick(["1"], ["0", "1e-30", "1e30", "-1", "inf"])) }
        if chance(0.3) { options.append("--alpha=" + pick(["10"], ["0", "1e-30", "1e30", "-1"])) }
        if chance(0.3) { options.append("--solver=" + pick(["cg"], ["cholesky"])) }
        if chance(0.2) { options.append("--cg-steps=" + pick(["3"], ["0", "1", "1000"])) }
        if chance(0.2) { options.append("--item-side=aggregated") }
        if chance(0.2) { options.append("--threads=" + pick(["1", "2"], ["0", "1024", "3"])) }
        if chance(0.1) { options.append("--minimise=sensitive") }
        return options
    }

    mutating func recommendOptions(world: String, spec: Spec) -> [String] {
        let k = "--k=" + pick(["5"], ["1", "0", "\(spec.items)", "\(spec.items + 1)", "9223372036854775807"])
        if chance(0.3) { return ["--similar-to=" + pick(["0"], ["\(spec.items - 1)", "\(spec.items)", "-1"]), k] }
        var options = ["--user=" + pick(["0", "3"], ["-1", "9223372036854775807", "\(spec.users)"]), "--data=" + world, k]
        if chance(0.3) { options.append("--explain") }
        if chance(0.3) { options.append("--json") }
        return options
    }

    mutating func evaluateOptions(spec: Spec) -> [String] {
        ["--k=" + pick(["5", "10"], ["1", "\(spec.items)", "\(spec.items + 1)", "0"])] + (chance(0.3) ? ["--consent=ignore"] : [])
    }

    mutating func auditOptions(spec: Spec) -> [String] {
        var options = ["--bootstrap=" + pick(["20"], ["21", "19"])]
        if chance(0.4) { options.append("--k=" + pick(["5"], ["1", "\(spec.items)", "\(spec.items + 1)"])) }
        if chance(0.3) { options.append("--target-share=" + pick(["0.1"], ["1e-9", "0.999999", "0.5"])) }
        if chance(0.3) { options.append("--min-group-size=" + pick(["5"], ["0", "1", "1000000000"])) }
        if chance(0.3) { options.append("--confidence=" + pick(["0.95"], ["0.5", "0.999999", "1e-9"])) }
        if chance(0.2) { options.append("--alpha=" + pick(["0.05"], ["1e-12", "0.999"])) }
        if chance(0.2) { options.append("--threads=" + pick(["1", "2"], ["1024"])) }
        if chance(0.2) { options.append("--no-naive") }
        if chance(0.2) { options.append("--privacy=" + pick(["off"], ["on"])) }
        if chance(0.2), let offer = spec.offers.first {
            options.append("--budget=\(offer)=" + pick(["10"], ["0", "1", "\(spec.users)", "9223372036854775807"]))
        }
        return options
    }

    /// A policy with one bound at an extreme, now and then.
    mutating func policy() -> String? {
        guard chance(0.3) else { return nil }
        let bound = pick(["0.05"], ["0", "1", "1e-300"])
        return "version: 1\nrules:\n  - {name: parity, metric: demographic_parity_difference, at_most: \(bound)}\n"
    }
}
