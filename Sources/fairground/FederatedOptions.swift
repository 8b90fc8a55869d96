import ArgumentParser
import FileSupport
import Population
import Privacy

/// `--federated`, `--clients-per-round`, `--participation`: federated training (users are clients; the server sees
/// only the sum of their uploads).
struct FederatedOptions: ParsableArguments {
    @Flag(help: "Train federated: every user is a client that solves its own factors and uploads only its (padded) contribution to the item side; the server sees their sum alone.")
    var federated = false
    @Option(help: "Fraction of clients sampled each round, in (0, 1], seeded by (seed, round, user). (default: 1)")
    var clientsPerRound: Double?
    @Option(help: "ATTRIBUTE=LEVEL=P: users with that level take part in each round with probability P (repeatable; needs a generated directory).")
    var participation: [String] = []
    @Option(help: "The generated directory whose users DATA's rows are, for --participation when DATA is an interaction file (e.g. a split's train.mtx). (default: DATA itself when it is a generated directory)")
    var population: String?

    func validate() throws {
        if !federated {
            if clientsPerRound != nil {
                throw FairgroundError(file: "--clients-per-round", expected: "--federated beside it")
            }
            if !participation.isEmpty {
                throw FairgroundError(file: "--participation", expected: "--federated beside it")
            }
        }
        if let clientsPerRound, !(clientsPerRound > 0 && clientsPerRound <= 1) {
            throw FairgroundError(file: "--clients-per-round", expected: "a fraction of clients in (0, 1]",
                                  found: "\(clientsPerRound)")
        }
        if population != nil, participation.isEmpty {
            throw FairgroundError(file: "--population", expected: "--participation beside it (the rules it serves)")
        }
        _ = try rules()
    }

    /// The parsed participation rules.
    func rules() throws(FairgroundError) -> [ParticipationRule] {
        var rules: [ParticipationRule] = []
        for text in participation { rules.append(try ParticipationRule(parsing: text)) }
        return rules
    }

    /// The federated training asked for (`nil` without `--federated`), and `input` with its participation column.
    func federatedTraining(for input: inout TrainingInput, threads: Int) throws(FairgroundError) -> FederatedTraining? {
        guard federated else { return nil }
        let rules = try rules()
        if !rules.isEmpty {
            guard let directory = try population.map({ path throws(FairgroundError) in try GeneratedDirectory(path: path) })
                ?? input.directory else {
                throw FairgroundError(file: "--participation",
                                      expected: "a generated directory as DATA or --population (its population holds "
                                          + "the attributes)", found: input.path)
            }
            let column = try directory.participation(rules, threads: threads)
            guard column.values.count == input.data.users else {
                throw FairgroundError(file: "--participation", expected: "one user of the population per row of "
                                          + "the interactions", found: "\(column.values.count) users")
            }
            input.data.userColumns.removeAll { $0.role == .participation }
            input.data.userColumns.append(column)
        }
        return try FederatedTraining(clientsPerRound: clientsPerRound ?? 1, participation: rules.map(\.description))
    }
}
