import Dispatch
import Population

#if canImport(Glibc)
import Glibc
#endif

/// Measures generation throughput in memory and the throughput of writing the files.
///
///     GenerationBenchmark SPEC USERS THREADS [OUT_DIR]
///
/// Prints one JSON object per line: phase, seconds, users/s, interactions/s, MB/s and peak RSS.
@main
struct GenerationBenchmark {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    static func peakMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func main() throws {
        let args = CommandLine.arguments
        guard args.count >= 4, let users = Int(args[2]), let threads = Int(args[3]) else {
            print("usage: GenerationBenchmark SPEC USERS THREADS [OUT_DIR]")
            exit(2)
        }
        let spec = try PopulationSpec.load(path: args[1])
        let generator = try Generator(spec: spec)
        // Warm-up on a small range (page in code, build nothing lazily).
        _ = generator.generate(users: 0..<10_000, threads: threads)
        let start = now()
        let world = generator.generate(users: 0..<users, threads: threads)
        let seconds = now() - start
        let n = Double(users)
        print("""
            {"phase": "generate", "spec": "\(spec.name)", "users": \(users), "threads": \(threads), \
            "seconds": \(round3(seconds)), "users_per_second": \(Int(n / seconds)), \
            "interactions": \(world.interactions.count), \
            "interactions_per_second": \(Int(Double(world.interactions.count) / seconds)), \
            "peak_rss_mb": \(Int(peakMegabytes()))}
            """)
        guard args.count >= 5 else { return }
        let writeStart = now()
        var writer = WorldWriter(threads: threads)
        writer.fileWritten = { name, bytes, seconds in
            print("""
                {"phase": "write-file", "file": "\(name)", "megabytes": \(round3(Double(bytes) / 1e6)), \
                "seconds": \(round3(seconds)), "megabytes_per_second": \(round3(Double(bytes) / 1e6 / seconds))}
                """)
        }
        let manifest = try writer.write(world, to: args[4], repairCorrelations: false)
        let writeSeconds = now() - writeStart
        let bytes = manifest.files.reduce(0) { $0 + $1.bytes }
        let sizes = manifest.files.map { "\"\($0.name)\": \($0.bytes)" }.joined(separator: ", ")
        print("""
            {"phase": "write", "seconds": \(round3(writeSeconds)), "megabytes": \(round3(Double(bytes) / 1e6)), \
            "megabytes_per_second": \(round3(Double(bytes) / 1e6 / writeSeconds)), "files": {\(sizes)}, \
            "peak_rss_mb": \(Int(peakMegabytes()))}
            """)
    }

    static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
