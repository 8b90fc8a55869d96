import FileSupport
/// Built-in scenarios, available without any file.
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
}
