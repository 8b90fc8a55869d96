import ArgumentParser
import AuditSubjects
import FileSupport
import Privacy
import Recommender
import Report

/// `fairground attack …`: attacks on a released model that check what it leaks.
struct AttackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attack",
        abstract: "Attack a released model to check what it leaks (membership inference).",
        subcommands: [Membership.self])
}

/// `--variant factors|lists`.
extension MembershipAttack.Variant: ExpressibleByArgument {}

extension AttackCommand {
    /// `fairground attack membership DIR --model MODEL --non-members DIR2 --out REPORT`.
    struct Membership: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Can an attacker tell the users a model was trained on from users it never saw?",
            discussion: """
                A user-level membership inference attack. DIR is the generated world the model was trained on \
                (members); --non-members is a world of the same spec and seed with other users (e.g. \
                'fairground generate SPEC --first-user N' past DIR's users). Variant factors: the attacker knows each \
                user's history and the item factors, folds the user in and scores how much of the history the item \
                factors explain. Variant lists: the attacker sees only the top-K list served to the user. Reports the \
                AUC with DeLong's interval and an empirical lower bound on ε (threshold chosen on one seeded half, \
                Clopper–Pearson bounds on the other), against the model's privacy promise when it has one. Writes \
                report.html, report.md and report.json.
                """)

        @Argument(help: "The generated world the model was trained on (members).") var world: String
        @Option(help: "The model file.") var model: String
        @Option(help: "A generated world of the same spec and seed whose users the model never saw.")
        var nonMembers: String
        @Option(help: "The output directory (report.html, report.md, report.json).") var out: String
        @Option(help: "What the attacker observes: factors (item factors and fold-in rule) or lists (top-K lists served).")
        var variant: MembershipAttack.Variant = .factors
        @Option(help: "K, the length of the served lists (variant lists).") var listLength = 10
        @Option(help: "δ of the empirical ε. (default: the model's promised δ, else 1e-5)") var delta: Double?
        @Option(help: "Seed of the sample and of its calibration and evaluation halves.") var seed: UInt64 = 0
        @Option(help: "Confidence level of the AUC's interval and the empirical ε.") var confidence = 0.95
        @Flag(help: "Print report.json on standard output instead of a summary.") var json = false
        @OptionGroup var options: ComputeOptions

        func validate() throws {
            do {
                _ = try MembershipAttack(listLength: listLength, delta: delta, level: confidence)
            } catch {
                throw CommandLineFlags.relocated(error)
            }
        }

        func run() throws {
            let attack = try MembershipAttack(variant: variant, listLength: listLength, seed: seed, delta: delta,
                                              level: confidence, threads: options.resolvedThreads)
            let released = try FactorModel.read(path: model)
            let worlds = try MembershipWorlds(members: world, nonMembers: nonMembers, model: released, modelFile: model)
            let progress = ProgressLine(label: "membership attack", total: 1, quiet: options.quiet || json)
            let outcome = try attack.run(model: released, members: worlds.members, nonMembers: worlds.nonMembers,
                                         modelFile: model, progress: { progress.stage($0) })
            progress.finish()
            let report = MembershipReport(context: .init(members: world, nonMembers: nonMembers, model: model,
                                                         scenario: worlds.scenario),
                                          outcome: outcome)
            try report.write(to: out)
            if json {
                print(String(decoding: try report.jsonBytes(), as: UTF8.self))
            } else if !options.quiet {
                print(report.summary)
                print("report: \(out)/report.html (and report.md, report.json)")
            }
        }
    }
}
