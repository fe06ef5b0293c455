"""bmtk: nodes with pop_name and x, y in µm, the exported builder's `add_edges(net)`, the
network saved as SONATA and its edges read back; and the exported SONATA edge-types CSV
read with pandas and its node queries parsed back to the class names.

Usage: python check_bmtk.py BUILDER EDGE_TYPES_CSV POSITIONS RESULT
"""

import ast
import math
import os
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd

import synphys_check as check


def query_class(query):
    """The class name in a `pop_name==<Python literal>` node query."""
    prefix = 'pop_name=='
    if not query.startswith(prefix):
        raise ValueError('unexpected node query %r' % query)
    return ast.literal_eval(query[len(prefix):])


def same(a, b):
    if a is None or (isinstance(b, float) and math.isnan(b)):
        return a is None and (b is None or (isinstance(b, float) and math.isnan(b)))
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


def check_edge_types_csv(path, projections):
    table = pd.read_csv(path, sep=' ', keep_default_na=False, na_values=['NULL'])
    if len(table) != len(projections):
        raise SystemExit('%s: %d rows for %d projections' % (path, len(table), len(projections)))
    for (_, row), projection in zip(table.iterrows(), projections):
        if query_class(row['source_query']) != projection['pre']:
            raise SystemExit('%s: source_query %r is not %r' % (path, row['source_query'], projection['pre']))
        if query_class(row['target_query']) != projection['post']:
            raise SystemExit('%s: target_query %r is not %r' % (path, row['target_query'], projection['post']))
        pairs = [
            ('pmax', projection['pmax']),
            ('scale_um', projection['scale_m'] * 1e6),
            ('syn_weight', projection['psp_amplitude_mv']),
            ('delay', projection['latency_ms']),
        ]
        for column, expected in pairs:
            if not same(expected, row[column]):
                raise SystemExit('%s: %s = %r, expected %r' % (path, column, row[column], expected))
        if row['connection_kernel'] != projection['kernel'] or row['distance_measure'] != projection['distance_measure']:
            raise SystemExit('%s: rule columns differ from the builder for %r' % (path, projection))


def main():
    if len(sys.argv) != 5:
        sys.exit('usage: %s BUILDER EDGE_TYPES_CSV POSITIONS RESULT' % sys.argv[0])
    builder_path, csv_path, positions_path, result_path = sys.argv[1:]
    import bmtk
    from bmtk.builder.networks import NetworkBuilder

    seed, populations = check.load_positions(positions_path)
    network = check.load_module(builder_path)
    check_edge_types_csv(csv_path, network.PROJECTIONS)

    net = NetworkBuilder('synphys')
    for population in populations:
        n = len(population['x_um'])
        net.add_nodes(
            N=n,
            pop_name=population['class'],
            x=np.array(population['x_um']),
            y=np.array(population['y_um']),
            z=np.zeros(n),
            model_type='point_neuron',
        )
    edge_types = network.add_edges(net, seed=seed + 8)
    net.build()
    with tempfile.TemporaryDirectory() as out:
        net.save(output_dir=out)
        with h5py.File(os.path.join(out, 'synphys_synphys_edges.h5'), 'r') as f:
            group = f['edges']['synphys_to_synphys']
            type_ids = np.asarray(group['edge_type_id'])
            sources = np.asarray(group['source_node_id'])
            targets = np.asarray(group['target_node_id'])
        saved_types = pd.read_csv(
            os.path.join(out, 'synphys_synphys_edge_types.csv'), sep=' ', keep_default_na=False, na_values=['NULL']
        ).set_index('edge_type_id')
    results = []
    for projection, edge_type in zip(network.PROJECTIONS, edge_types):
        type_id = edge_type.edge_type_id
        mask = type_ids == type_id
        n = int(np.sum(mask))
        autapses = int(np.sum(sources[mask] == targets[mask]))
        weights, delays = [], []
        if n and type_id in saved_types.index:
            saved = saved_types.loc[type_id]
            if 'syn_weight' in saved and not pd.isna(saved['syn_weight']):
                weights = [saved['syn_weight']]
            if 'delay' in saved and not pd.isna(saved['delay']):
                delays = [saved['delay']]
        results.append(check.projection_result(projection, n, autapses, weights, delays))
    check.write_result(result_path, 'bmtk', bmtk.__version__, results)


main()
