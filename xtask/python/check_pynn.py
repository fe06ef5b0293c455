"""PyNN 0.13 on its NEST backend: populations with positions in µm, then the exported
`connect(populations, sim)`."""

import numpy as np

import synphys_check as check


def main():
    network_path, positions_path, result_path = check.args()
    import pyNN
    import pyNN.nest as sim

    seed, populations = check.load_positions(positions_path)
    sim.setup(timestep=0.1, min_delay=0.1, rng_seed=seed + 2)
    network = check.load_module(network_path)
    cells = {}
    for population in populations:
        n = len(population['x_um'])
        # Labels are for PyNN's messages only: the class names stay in the dict keys.
        p = sim.Population(n, sim.IF_curr_exp(), label='class%d' % len(cells))
        p.positions = np.array([population['x_um'], population['y_um'], np.zeros(n)])
        cells[population['class']] = p
    projections = network.connect(cells, sim)
    results = []
    for projection, built in zip(network.PROJECTIONS, projections):
        values = built.get(['weight', 'delay'], format='list', with_address=True)
        autapses = 0
        if built.pre is built.post:
            autapses = sum(1 for i, j, _, _ in values if i == j)
        weights = [w for _, _, w, _ in values]
        delays = [d for _, _, _, d in values]
        result = check.projection_result(projection, len(values), autapses, weights, delays)
        result['receptor_type'] = built.receptor_type
        results.append(result)
    check.write_result(result_path, 'pynn', pyNN.__version__, results)
    sim.end()


main()
