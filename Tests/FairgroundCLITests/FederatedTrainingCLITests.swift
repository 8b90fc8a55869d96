import Foundation
import Recommender
import Testing

/// Issue 28, points 1–3 and 7, through the binary: `train --federated` equals central aggregated ALS with everyone
/// taking part, records its bytes per client per round, samples identically on any thread count, composes with
/// `--dp-epsilon`, and bad federated flags are refused naming the flag with nothing written.
extension CommandLineTests {
    @Test func federatedTrainingEqualsCentralAndRecordsItsBytes() throws {
        let world = scratch("fed-world")
        #expect(try fairground("generate", "credit-offers", "--users", "1500", "--out", world, "-q").status == 0)
        let flags = ["--iterations", "5", "--factors", "8", "--solver", "cholesky", "--holdout", "0"]
        let central = scratch("fed-central.fgm"), federated = scratch("fed-all.fgm")
        #expect(try fairground(["train", world, "--out", central, "--item-side", "aggregated", "-q"] + flags).status == 0)
        let r = try fairground(["train", world, "--out", federated, "--federated", "--json"] + flags)
        #expect(r.status == 0, "\(r.stderr)")
        let a = try FactorModel.read(path: federated), b = try FactorModel.read(path: central)
        for (x, y) in [(a.userFactors.elements, b.userFactors.elements), (a.itemFactors.elements, b.itemFactors.elements)] {
            let d = zip(x, y).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            let n = y.reduce(0.0) { $0 + Double($1) * Double($1) }
            #expect((d / n).squareRoot() <= 1e-5)
        }
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let record = try #require(json["federation"] as? [String: Any])
        let k = 8, items = a.items
        #expect(record["download_bytes_per_client_per_round"] as? Int == 4 * (items * k + k * (k + 1) / 2))
        #expect(record["upload_bytes_per_client_per_round"] as? Int
                    == 4 * (items * (k * (k + 1) / 2 + k + 1) + k * (k + 1) / 2))
        #expect((record["participants_per_round"] as? [Int])?.count == 5)
        #expect(a.federation?.uploadBytes == record["upload_bytes_per_client_per_round"] as? Int)
        let text = try fairground(["train", world, "--out", scratch("fed-text.fgm"), "--federated"] + flags)
        #expect(text.stdout.contains("federated: 5 rounds") && text.stdout.contains("bytes up (padded dense upload"),
                "\(text.stdout)")
    }

    @Test func sampledFederatedTrainingIsTheSameOnAnyThreadCount() throws {
        let world = scratch("fed-sample-world")
        #expect(try fairground("generate", "credit-offers", "--users", "1500", "--out", world, "-q").status == 0)
        var files: [Data?] = [], paths: [String] = []
        for threads in ["1", "2"] {
            let out = scratch("fed-sample-\(threads).fgm")
            paths.append(out)
            let r = try fairground("train", world, "--out", out, "--iterations", "4", "--federated",
                                   "--clients-per-round", "0.5", "--participation", "ethnicity=group_b=0.4",
                                   "--threads", threads, "-q")
            #expect(r.status == 0, "\(r.stderr)")
            files.append(FileManager.default.contents(atPath: out))
        }
        #expect(files[0] != nil && files[0] == files[1])
        let model = try FactorModel.read(path: paths[0])
        #expect(model.federation?.participation == ["ethnicity=group_b=0.4"])
        #expect(model.federation?.participantsPerRound.allSatisfy { $0 > 300 && $0 < 900 } == true)
    }

    @Test func privateFederatedTrainingRecordsItsGuarantee() throws {
        let world = scratch("fed-dp-world")
        #expect(try fairground("generate", "credit-offers", "--users", "1500", "--out", world, "-q").status == 0)
        let out = scratch("fed-dp.fgm")
        let r = try fairground("train", world, "--out", out, "--iterations", "3", "--federated",
                               "--clients-per-round", "0.5", "--dp-epsilon", "2", "--json")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let privacy = try #require(json["privacy"] as? [String: Any])
        #expect((privacy["epsilon"] as! Double) <= 2 && (privacy["epsilon"] as! Double) > 1.99)
        #expect((json["federation"] as? [String: Any])?["noisy_aggregate"] as? Bool == true)
        let model = try FactorModel.read(path: out)
        #expect(model.configuration.itemStatisticsSteps?.map(\.name) == ["federated", "dp_gaussian"])
        #expect(model.privacy != nil && model.federation != nil)
    }

    @Test func badFederatedFlagsAreRefusedNamingTheFlag() throws {
        let world = scratch("fed-bad-world")
        #expect(try fairground("generate", "credit-offers", "--users", "300", "--out", world, "-q").status == 0)
        let mtx = world + "/interactions.mtx"
        let cases: [([String], String)] = [
            (["--federated", "--clients-per-round", "0"], "--clients-per-round"),
            (["--federated", "--clients-per-round", "1.5"], "--clients-per-round"),
            (["--federated", "--clients-per-round", "-0.1"], "--clients-per-round"),
            (["--clients-per-round", "0.5"], "--clients-per-round"),
            (["--federated", "--participation", "gender=female"], "--participation"),
            (["--federated", "--participation", "gender=female=x"], "--participation"),
            (["--federated", "--participation", "=female=0.5"], "--participation"),
            (["--federated", "--participation", "gender=female=1.5"], "--participation"),
            (["--federated", "--participation", "gender=female=-0.2"], "--participation"),
            (["--federated", "--participation", "shoe_size=big=0.5"], "--participation"),
            (["--federated", "--participation", "gender=other=0.5"], "--participation"),
            (["--federated", "--participation", "age=old=0.5"], "--participation"),
            (["--participation", "gender=female=0.5"], "--participation"),
            (["--federated", "--population", world], "--population"),
        ]
        for (flags, flag) in cases {
            let out = scratch("fed-bad.fgm")
            let r = try fairground(["train", world, "--out", out, "-q"] + flags)
            #expect(r.status == 2, "\(flags): \(r.stderr)")
            #expect(r.stderr.hasPrefix("error:") && r.stderr.contains(flag), "\(flags): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(flags) wrote a model")
        }
        // Participation rules need the population: a bare interaction file has none.
        let out = scratch("fed-bad-mtx.fgm")
        let r = try fairground("train", mtx, "--out", out, "-q", "--federated", "--participation", "gender=female=0.5")
        #expect(r.status == 2 && r.stderr.contains("--participation"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        // … unless --population names the directory whose users its rows are.
        let ok = try fairground("train", mtx, "--out", out, "-q", "--federated", "--participation", "gender=female=0.5",
                                "--population", world, "--iterations", "2", "--holdout", "0")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try FactorModel.read(path: out).federation?.participation == ["gender=female=0.5"])
    }
}
