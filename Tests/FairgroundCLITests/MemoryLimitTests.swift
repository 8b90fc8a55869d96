import Foundation
import Testing

/// Issue 26, point 1 (in part): sizes that user input controls are checked against the memory the process may use
/// — its address-space limit included — before they are allocated.
extension CommandLineTests {
    /// Reproduces the issue: auditing a 300-user world whose protected attribute has 1,000 levels asked for tens of
    /// gigabytes of bootstrap sums and aborted (SIGABRT, "failed to allocate 22460800032 bytes"). Under an
    /// address-space limit, as container and CI runners impose, it is now a refusal naming the attribute and the
    /// limit: exit 2, nothing written.
    @Test func anAuditTooLargeForTheProcessIsRefused() throws {
        let levels = (0..<1000).map { "l\($0): 0.001" }.joined(separator: ", ")
        let spec = try write("""
            version: 1
            name: levels
            seed: 1
            users: 300
            attributes:
              region: {type: categorical, levels: {\(levels)}, protected: true}
              gender: {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
            items:
              count: 200
              categories:
                groceries: {share: 0.8}
                premium_credit: {share: 0.2, offer: true}
            behavior:
              latent_dims: 4
              interactions_per_user: {distribution: lognormal, mu: 2.5, sigma: 0.5}
            """, "thousand-levels.yaml")
        let world = scratch("thousand-levels"), model = scratch("thousand-levels.fgm"), out = scratch("thousand-report")
        #expect(try fairground("generate", spec, "--out", world, "-q").status == 0)
        #expect(try fairground("train", world, "--out", model, "--factors", "8", "--iterations", "2", "--holdout", "0",
                               "-q").status == 0)
        // An 8 GB address-space limit, set by the shell the binary runs in.
        let (status, stderr) = try fairground(["audit", world, "--model", model, "--out", out, "--bootstrap", "50", "-q"],
                                              addressSpaceKilobytes: 8_000_000)
        #expect(status == 2, "\(stderr)")
        #expect(stderr.hasPrefix("error: ") && stderr.contains("attributes") && stderr.contains("region has 1000 levels")
                && (7.0...8.0).contains(mayUse(stderr) ?? 0), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Reproduces the issue: `evaluate --k 1000000000` and `recommend --k 9223372036854775807` aborted or crashed. A
    /// list longer than the model's catalogue is refused, as the audit refuses one longer than its world's: exit 2,
    /// naming `--k` and the item count.
    @Test func evaluateAndRecommendRefuseAListLongerThanTheCatalogue() throws {
        let world = scratch("k-world"), split = scratch("k-split")
        #expect(try fairground("generate", "datasets/credit-offers.yaml", "--out", world, "--users", "1000", "-q").status == 0)
        #expect(try fairground("split", world, "--holdout", "0.2", "--out", split).status == 0)
        let model = split + "/model.fgm"
        #expect(try fairground("train", split + "/train.mtx", "--out", model, "--factors", "8", "--iterations", "2",
                               "--holdout", "0", "-q").status == 0)
        for k in ["1000000000", "9223372036854775807", "2001"] {
            let r = try fairground("evaluate", model, "--train", split + "/train.mtx", "--test", split + "/test.mtx",
                                   "--k", k)
            #expect(r.status == 2 && !r.signalled && r.stderr.hasPrefix("error: --k")
                    && r.stderr.contains("from 1 to the model's 2000 items"), "\(k): \(r.stderr)")
        }
        let fine = try fairground("evaluate", model, "--train", split + "/train.mtx", "--test", split + "/test.mtx",
                                  "--k", "2000")
        #expect(fine.status == 0, "\(fine.stderr)")
        // recommend, for a user and for similar items, refuses the same way (2⁶³ − 1 crashed it in the heap).
        for arguments in [["--user", "5", "--data", split + "/train.mtx"], ["--similar-to", "3"]] {
            for k in ["1000000000", "9223372036854775807"] {
                let r = try fairground(["recommend", model, "--k", k] + arguments)
                #expect(r.status == 2 && !r.signalled && r.stderr.hasPrefix("error: --k")
                        && r.stderr.contains("from 1 to the model's 2000 items"), "\(arguments) \(k): \(r.stderr)")
            }
        }
    }

    /// Under an address-space limit the generator's capacity check counts the limit, not the machine's memory: 10M
    /// users of credit-offers (about 11 GB) under a 2 GB limit are refused at once (exit 2, the way out named)
    /// where they used to start and abort.
    @Test func generateCountsTheAddressSpaceLimit() throws {
        let out = scratch("limited-world")
        let (status, stderr) = try fairground(["generate", "datasets/credit-offers.yaml", "--users", "10000000", "--out",
                                               out, "-q"], addressSpaceKilobytes: 2_000_000)
        #expect(status == 2, "\(stderr)")
        #expect(stderr.hasPrefix("error: ") && stderr.contains("users") && (1.0...2.0).contains(mayUse(stderr) ?? 0)
                && stderr.contains("--first-user"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Reproduces the issue: under an address-space limit a dense ratings world aborted instead of being refused —
    /// training a 100,000-user yao-huang world under 1 GB failed to allocate (SIGABRT), and under 400 MB OpenBLAS
    /// retried its buffer for ever (a hang). The budget now counts the address space the process has already
    /// mapped, and a run refuses to start with less than it needs: exit 2 both times, at once.
    @Test func aDenseRatingsWorldUnderAnAddressSpaceLimitIsRefused() throws {
        let world = scratch("dense-ratings"), model = scratch("dense-ratings.fgm")
        #expect(try fairground("generate", "yao-huang-uniform", "--users", "100000", "--out", world, "-q").status == 0)
        let train = ["train", world, "--out", model, "--holdout", "0", "--iterations", "1", "-q"]
        // (Under 1 GB it now trains: whole-file reads no longer double their buffer. 700 MB leave too little; what
        // the process has mapped at start varies by about 0.1 GB from run to run, so either budget check may be the
        // one that refuses there: the matrix's size, or the minimum a run needs.)
        let matrix = "interactions.mtx: rows: expected a size that fits in memory: a 100000 × 300 matrix"
        let minimum = "error: memory: expected at least 0.5 GB that this process may use"
        let refusals = [(700_000, [matrix, minimum]), (400_000, [minimum])]
        for (limit, messages) in refusals {
            let run = try fairground(train, addressSpaceKilobytes: limit, deadline: .seconds(60))
            guard let r = run.result else {
                Issue.record("train under \(limit) kB hung (still running after 60 s)")
                continue
            }
            #expect(r.status == 2 && !r.signalled && messages.contains { r.stderr.contains($0) },
                    "\(limit) kB: exit \(r.status): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: model))
        // Between the two, any limit ends in a model or a refusal, never an abort or a hang.
        for limit in [800_000, 1_000_000, 1_500_000] {
            let run = try fairground(train, addressSpaceKilobytes: limit, deadline: .seconds(60))
            guard let r = run.result else {
                Issue.record("train under \(limit) kB hung (still running after 60 s)")
                continue
            }
            #expect((r.status == 0 || (r.status == 2 && r.stderr.hasPrefix("error: "))) && !r.signalled,
                    "\(limit) kB: exit \(r.status): \(r.stderr)")
        }
    }

    /// The memory a refusal says this process may use, in GB (`… this process may use 7.7 GB; …`).
    func mayUse(_ message: String) -> Double? {
        guard let range = message.range(of: "this process may use ") else { return nil }
        return Double(message[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }

    /// Runs the binary under an address-space limit (the bounded runner, with a deadline no refusal comes near),
    /// and returns its exit status (`nil` when a signal ended it or it hung) and standard error.
    func fairground(_ arguments: [String], addressSpaceKilobytes limit: Int) throws -> (status: Int32?, stderr: String) {
        guard let r = try fairground(arguments, addressSpaceKilobytes: limit, deadline: .seconds(300)).result else {
            return (nil, "hung: still running after 300 s")
        }
        return (r.signalled ? nil : r.status, r.stderr)
    }
}
