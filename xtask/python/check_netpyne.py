"""NetPyNE with NEURON: populations from explicit cell lists (NetPyNE's y is depth, so the
sheet is its x-z plane), the exported conn_params via `add_to`, then network creation
only (no simulation)."""

import synphys_check as check


def main():
    network_path, positions_path, result_path = check.args()
    import netpyne
    from netpyne import sim, specs

    seed, populations = check.load_positions(positions_path)
    network = check.load_module(network_path)
    net_params = specs.NetParams()
    net_params.cellParams['point'] = {
        'secs': {'soma': {'geom': {'diam': 18.8, 'L': 18.8, 'Ra': 123.0}, 'mechs': {'pas': {}}}}
    }
    for population in populations:
        net_params.popParams[population['class']] = {
            'cellType': 'point',
            'cellsList': [
                {'x': x, 'y': 0.0, 'z': y} for x, y in zip(population['x_um'], population['y_um'])
            ],
        }
    network.add_to(net_params)
    config = specs.SimConfig()
    config.verbose = False
    config.printPopAvgRates = False
    config.seeds = {'conn': seed + 4, 'stim': seed + 5, 'loc': seed + 6, 'cell': seed + 7}
    sim.create(netParams=net_params, simConfig=config, output=False)

    pop_of = {cell.gid: cell.tags['pop'] for cell in sim.net.cells}
    found = {}
    for cell in sim.net.cells:
        post = cell.tags['pop']
        for conn in cell.conns:
            key = (pop_of[conn['preGid']], post)
            entry = found.setdefault(key, {'n': 0, 'autapses': 0, 'weights': [], 'delays': [], 'mechs': set()})
            entry['n'] += 1
            entry['autapses'] += int(conn['preGid'] == cell.gid)
            entry['weights'].append(conn['weight'])
            entry['delays'].append(conn['delay'])
            entry['mechs'].add(conn['synMech'])
    results = []
    for projection in network.PROJECTIONS:
        entry = found.get((projection['pre'], projection['post']))
        if entry is None:
            results.append(check.projection_result(projection, 0, 0, [], []))
            continue
        result = check.projection_result(
            projection, entry['n'], entry['autapses'], entry['weights'], entry['delays']
        )
        result['syn_mechs'] = sorted(entry['mechs'])
        results.append(result)
    check.write_result(result_path, 'netpyne', netpyne.__version__, results)


main()
