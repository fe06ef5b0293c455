"""Shared helpers for the simulator drivers of `cargo xtask check-simulators`.

Every driver is run as `python check_<sim>.py NETWORK POSITIONS RESULT`: NETWORK is the
file synphys exported, POSITIONS a JSON file {"seed": int, "populations": [{"class": name,
"x_um": [...], "y_um": [...]}]} (a 2-D sheet; z = 0), RESULT the JSON file the driver
writes: {"simulator", "version", "projections": [{"pre", "post", "connections",
"autapses", "weights", "delays"}]} in the order of the network's PROJECTIONS, where
weights and delays are the sorted distinct values found (rounded to 9 significant
digits) as the simulator reports them (mV-like units and ms).
"""

import importlib.util
import json
import sys


def load_module(path, name='synphys_network'):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_positions(path):
    with open(path, encoding='utf-8') as f:
        data = json.load(f)
    return data['seed'], data['populations']


def distinct(values):
    return sorted({float('%.9g' % float(v)) for v in values})


def projection_result(projection, connections, autapses, weights, delays):
    return {
        'pre': projection['pre'],
        'post': projection['post'],
        'connections': int(connections),
        'autapses': int(autapses),
        'weights': distinct(weights),
        'delays': distinct(delays),
    }


def write_result(path, simulator, version, projections):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(
            {'simulator': simulator, 'version': version, 'projections': projections},
            f,
            ensure_ascii=True,
            indent=1,
        )


def args():
    if len(sys.argv) != 4:
        sys.exit('usage: %s NETWORK POSITIONS RESULT' % sys.argv[0])
    return sys.argv[1], sys.argv[2], sys.argv[3]
