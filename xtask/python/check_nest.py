"""NEST 3: spatial 2-D layers, then the exported `connect(populations)`."""

import numpy as np

import synphys_check as check


def main():
    network_path, positions_path, result_path = check.args()
    import nest

    nest.set_verbosity('M_ERROR')
    nest.ResetKernel()
    seed, populations = check.load_positions(positions_path)
    nest.rng_seed = seed + 1
    nest.resolution = 0.1
    network = check.load_module(network_path)
    layers = {}
    for population in populations:
        positions = [[x, y] for x, y in zip(population['x_um'], population['y_um'])]
        layers[population['class']] = nest.Create(
            'iaf_psc_alpha', positions=nest.spatial.free(positions, edge_wrap=False)
        )
    network.connect(layers, unit_per_m=1e6)
    results = []
    for projection in network.PROJECTIONS:
        connections = nest.GetConnections(layers[projection['pre']], layers[projection['post']])
        n = len(connections)
        weights, delays, autapses = [], [], 0
        if n:
            weights = np.atleast_1d(connections.get('weight'))
            delays = np.atleast_1d(connections.get('delay'))
            sources = np.atleast_1d(connections.get('source'))
            targets = np.atleast_1d(connections.get('target'))
            autapses = int(np.sum(sources == targets))
        results.append(check.projection_result(projection, n, autapses, weights, delays))
    check.write_result(result_path, 'nest', nest.__version__, results)


main()
