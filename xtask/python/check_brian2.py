"""Brian2 (numpy code generation, nothing compiled): NeuronGroups with x, y in metres,
then the exported `connect(groups)`."""

import numpy as np

import synphys_check as check


def main():
    network_path, positions_path, result_path = check.args()
    import brian2
    from brian2 import NeuronGroup, metre, ms, mV, prefs, seed as brian_seed, umetre

    prefs.codegen.target = 'numpy'
    seed, populations = check.load_positions(positions_path)
    brian_seed(seed + 3)
    network = check.load_module(network_path)
    groups = {}
    for population in populations:
        n = len(population['x_um'])
        group = NeuronGroup(
            n,
            'dv/dt = -v / (10*ms) : volt\nx : metre\ny : metre\nz : metre',
            threshold='v > 10*mV',
            reset='v = 0*mV',
        )
        group.x = np.array(population['x_um']) * umetre
        group.y = np.array(population['y_um']) * umetre
        group.z = 0 * metre
        groups[population['class']] = group
    synapses = network.connect(groups)
    results = []
    for projection, built in zip(network.PROJECTIONS, synapses):
        n = len(built)
        autapses = 0
        weights, delays = [], []
        if n:
            if groups[projection['pre']] is groups[projection['post']]:
                autapses = int(np.sum(np.asarray(built.i[:]) == np.asarray(built.j[:])))
            if projection['psp_amplitude_mv'] is not None:
                weights = np.asarray(built.w[:] / mV)
            delays = np.asarray(built.delay[:] / ms)
        results.append(check.projection_result(projection, n, autapses, weights, delays))
    check.write_result(result_path, 'brian2', brian2.__version__, results)


main()
