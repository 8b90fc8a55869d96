import FileSupport
/// Built-in scenarios, available without any file: the default (credit offers) and every other spec of `datasets/`
/// by name (``shipped``), so `fairground generate job-ads` and `fairground run job-ads` need no checkout.
public enum Scenario {
    /// The text of the default scenario, identical to `datasets/credit-offers.yaml` (a test keeps them equal).
    public static let defaultSource = #"""
# Credit offers with a zip-code proxy.
#
# Gender and ethnicity are protected. Ethnicity never enters the behaviour model directly, but it is strongly
# correlated with zip_region, and zip_region both predicts income and decides how often premium-credit interest is
# observed (historical marketing reached some regions less). A model trained on the interactions can therefore
# learn to target premium credit away from group_b without ever seeing ethnicity: the proxy effect that a naive
# attribute flip misses and a true counterfactual twin reveals.
version: 1
name: credit-offers
seed: 7
users: 100000
attributes:
  gender:     {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
  ethnicity:  {type: categorical, levels: {group_a: 0.7, group_b: 0.3}, protected: true}
  age:        {type: numeric, distribution: normal, mean: 41, sd: 13, min: 18, max: 90}
  zip_region: {type: categorical, levels: {north: 0.3, south: 0.3, east: 0.2, west: 0.2}}
  income:     {type: numeric, distribution: lognormal, mu: 10.6, sigma: 0.5}
  consent:    {type: boolean, p: 0.8}
correlations:            # latent Gaussian-copula correlations; unlisted pairs are 0
  - [gender, income, -0.2]
  - [ethnicity, zip_region, -0.6]   # group_b lives mostly in the north and south
  - [zip_region, income, 0.4]
  - [age, income, 0.3]
order: [gender, ethnicity, age, zip_region, income, consent]   # causal order
items:
  count: 2000
  categories:
    groceries:      {share: 0.5}
    electronics:    {share: 0.3}
    premium_credit: {share: 0.1, offer: true}   # offers are what audits check targeting of
    payday_loan:    {share: 0.1, offer: true}
behavior:
  latent_dims: 8
  interactions_per_user: {distribution: lognormal, mu: 3.5, sigma: 0.8}
  popularity_exponent: 1.1
  effects:     # true-affinity effects of attributes on categories (log-preference scale)
    - {attribute: income, category: premium_credit, weight: 0.8}
    - {attribute: income, category: payday_loan, weight: -0.6}
    - {attribute: gender, level: female, category: premium_credit, weight: -0.5}
  exposure:    # observation bias: scales the chance an interest is observed
    - {attribute: gender, level: female, category: premium_credit, factor: 0.5}
    - {attribute: zip_region, level: north, category: premium_credit, factor: 0.6}
    - {attribute: zip_region, level: south, category: payday_loan, factor: 1.0}

"""#

    /// The default scenario: credit offers with a zip-code proxy.
    public static func defaultSpec() throws(FairgroundError) -> PopulationSpec {
        try PopulationSpec.parse(defaultSource, file: "built-in credit-offers scenario")
    }

    /// The names of the shipped scenarios (``shipped``), for help and error messages.
    public static var names: [String] { shipped.map(\.name) }

    /// The shipped scenario called `name`, parsed, or `nil` when no scenario has that name.
    ///
    /// - Throws: ``FairgroundError`` only if a shipped text were invalid (a test parses every one).
    public static func spec(named name: String) throws(FairgroundError) -> PopulationSpec? {
        guard let source = shipped.first(where: { $0.name == name })?.source else { return nil }
        return try PopulationSpec.parse(source, file: "built-in \(name) scenario")
    }
}

extension PopulationSpec {
    /// Reads a spec from a file, or takes the shipped scenario of that name (``Scenario/shipped``) — the argument of
    /// `fairground generate` and `fairground run`.
    ///
    /// A regular file at `argument` is read as a spec, whatever its name; otherwise a scenario name (`job-ads`)
    /// gives that scenario — so a directory that happens to bear a scenario's name, such as an earlier run's
    /// output, does not hide it.
    ///
    /// - Throws: ``FairgroundError`` naming the argument when it is neither a readable spec file nor a scenario name
    ///   (the names are listed), or when the file is not a valid spec.
    public static func load(pathOrScenario argument: String) throws(FairgroundError) -> PopulationSpec {
        if FileIO.size(argument) == nil, let spec = try Scenario.spec(named: argument) { return spec }
        let what = "a readable spec file or the name of a shipped scenario (\(Scenario.names.joined(separator: ", ")))"
        return try parse(try FileIO.readText(argument, expecting: what), file: argument)
    }
}
