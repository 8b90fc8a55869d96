"""Oracle for RDPAccountant: (epsilon, delta) of Gaussian releases, computed by Google's dp-accounting.

    pip install dp-accounting==0.6.0 && python3 make_rdp_fixture.py > rdp_epsilons.json

The file lists the package's default orders (`DEFAULT_RDP_ORDERS`) and its cases. Every case is accounted by a
fresh `dp_accounting.rdp.RdpAccountant()` (its default orders) and `get_epsilon_and_optimal_order(delta)`. Two
families:

- "gaussian": `SelfComposedDpEvent(GaussianDpEvent(z), count)` for z in {0.5, 1, 2, 4.530877117, 10, 50},
  count in {1, 3, 15, 45} and delta in {1e-5, 1e-6, 1e-8};
- "dpals": the private ALS run of DESIGN.md -- per item-side sweep Gaussian(s) (the Gram matrix),
  Gaussian(s / sqrt(B)) (each item's k x k system) and Gaussian(s / sqrt(B)) (each item's k-vector), composed
  and self-composed over the sweeps -- for sweeps in {1, 5, 15}, B in {1, 20, 50}, s in {5, 20, 100}, once
  alone and once with an extra single Gaussian(s) release (the privately counted item popularity), at
  delta in {1e-6, 8e-6}.

Each case lists its releases flattened in the order the accountant composes them (a self-composed event of a
composition becomes one release per Gaussian, with count = the number of sweeps), so the Swift test composes
the same RDP values in the same order.
"""
import json
import math

import dp_accounting as dpa
from importlib.metadata import version


def account(event, delta):
    accountant = dpa.rdp.RdpAccountant()
    accountant.compose(event)
    epsilon, order = accountant.get_epsilon_and_optimal_order(delta)
    return float(epsilon), float(order)


def case(name, event, releases, delta):
    epsilon, order = account(event, delta)
    return {
        "name": name,
        "releases": [{"noise_multiplier": z, "count": c} for z, c in releases],
        "delta": delta,
        "epsilon": epsilon,
        "order": order,
    }


cases = []
for z in [0.5, 1.0, 2.0, 4.530877117, 10.0, 50.0]:
    for count in [1, 3, 15, 45]:
        for delta in [1e-5, 1e-6, 1e-8]:
            event = dpa.SelfComposedDpEvent(dpa.GaussianDpEvent(noise_multiplier=z), count)
            cases.append(case(f"gaussian z={z} count={count} delta={delta}", event, [(z, count)], delta))

for sweeps in [1, 5, 15]:
    for budget in [1, 20, 50]:
        for s in [5.0, 20.0, 100.0]:
            per_item = s / math.sqrt(budget)
            sweep = dpa.ComposedDpEvent([
                dpa.GaussianDpEvent(noise_multiplier=s),
                dpa.GaussianDpEvent(noise_multiplier=per_item),
                dpa.GaussianDpEvent(noise_multiplier=per_item),
            ])
            run = dpa.SelfComposedDpEvent(sweep, sweeps)
            releases = [(s, sweeps), (per_item, sweeps), (per_item, sweeps)]
            for delta in [1e-6, 8e-6]:
                name = f"dpals sweeps={sweeps} B={budget} s={s} delta={delta}"
                cases.append(case(name, run, releases, delta))
                counted = dpa.ComposedDpEvent([run, dpa.GaussianDpEvent(noise_multiplier=s)])
                cases.append(case(name + " +counts", counted, releases + [(s, 1)], delta))

orders = [float(a) for a in dpa.rdp.rdp_privacy_accountant.DEFAULT_RDP_ORDERS]
print(json.dumps({"dp_accounting": version("dp-accounting"), "orders": orders, "cases": cases}, indent=1))
