import Audit
import FileSupport
import Linear
import Population
import Recommender
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp for one test.
func temporaryDirectory(_ name: String) -> String {
    let path = "/tmp/fairground-audit-tests-\(getpid())-\(name)"
    _ = try? FileIO.makeDirectory(path)
    return path
}

/// A dataset spec from `datasets/`, with `users` overridden.
func dataset(_ name: String, users: Int) throws -> PopulationSpec {
    var spec = try PopulationSpec.load(path: "\(repositoryRoot)/datasets/\(name).yaml")
    spec.users = users
    return spec
}

/// Generates `spec` with `seed`, writes it to `directory`, trains a small ALS model on its interactions.
func worldAndModel(_ spec: PopulationSpec, seed: UInt64, directory: String, factors: Int = 16, iterations: Int = 6)
    throws -> FactorModel
{
    let generator = try Generator(spec: spec, seed: seed)
    let world = generator.generate(users: 0..<spec.users, threads: 2)
    _ = try WorldWriter(threads: 2).write(world, to: directory, repairCorrelations: false)
        var configuration = ALSConfiguration()
    configuration.factors = factors
    configuration.iterations = iterations
    configuration.seed = seed
    return try ImplicitALS(configuration: configuration).train(world.interactionData(), threads: 2).model
}

/// A small, fast audit configuration.
func quickConfiguration(seed: UInt64 = 1) -> AuditConfiguration {
    var c = AuditConfiguration()
    c.bootstrapReplicates = 100
    c.seed = seed
    return c
}

/// Writes text to a file.
func writeFile(_ text: String, _ path: String) throws {
    try writeAtomically(Array(text.utf8), to: path)
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
