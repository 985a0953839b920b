"""Reference timings with scipy for `npm run bench` (the same inputs as the TypeScript kernels).

Input: a JSON header on stdin ({task, params, arrays: {name: {dtype, offset, length}}}) and the raw arrays in
the file named by argv[1]. Output: {"ms": [per-run milliseconds], "detail": {...}} on stdout. Timed inside
Python (time.perf_counter), so process start and reading the file are not counted.
"""
import json
import sys
import time

import numpy as np


def arrays(header, path):
    raw = open(path, 'rb').read()
    out = {}
    for name, a in header['arrays'].items():
        out[name] = np.frombuffer(raw, dtype='<' + a['dtype'], count=a['length'], offset=a['offset'])
    return out


def kdtree(p, a):
    """cKDTree build + nearest query (k=1) within the radius, leaf size 16, in the same metric frame."""
    from scipy.spatial import cKDTree
    points = a['points'].reshape(-1, 2)
    queries = a['queries'].reshape(-1, 2)
    ms = []
    found = 0
    for _ in range(int(p['warmup']) + int(p['runs'])):
        t = time.perf_counter()
        tree = cKDTree(points, leafsize=16)
        d, _i = tree.query(queries, k=1, distance_upper_bound=p['radiusM'])
        ms.append((time.perf_counter() - t) * 1000)
        found = int(np.isfinite(d).sum())
    return ms[int(p['warmup']):], {'found': found}


def dijkstra(p, a):
    """Multi-source Dijkstra with min_only (nearest source per node), bounded by `limit` seconds."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra as sp_dijkstra
    n = int(p['nodes'])
    offsets = a['offsets'].astype(np.int64)
    targets = a['targets'].astype(np.int64)
    weights = a['weights'].astype(np.float64)
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
    # parallel arcs: keep the lightest (csr_matrix would add them up)
    order = np.lexsort((weights, targets, rows))
    rows, targets, weights = rows[order], targets[order], weights[order]
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = (rows[1:] != rows[:-1]) | (targets[1:] != targets[:-1])
    # zero-weight arcs would vanish from a sparse matrix: the smallest positive float keeps them as arcs
    w = np.maximum(weights[keep], np.finfo(np.float64).tiny)
    graph = csr_matrix((w, (rows[keep], targets[keep])), shape=(n, n))
    sources = np.unique(a['sources'].astype(np.int64))
    ms = []
    reached = 0
    for _ in range(int(p['warmup']) + int(p['runs'])):
        t = time.perf_counter()
        d = sp_dijkstra(graph, directed=True, indices=sources, min_only=True, limit=p['limit'])
        ms.append((time.perf_counter() - t) * 1000)
        reached = int(np.isfinite(d).sum())
    return ms[int(p['warmup']):], {'reached': reached, 'sources': int(len(sources))}


def main():
    header = json.loads(sys.stdin.read())
    a = arrays(header, sys.argv[1])
    ms, detail = {'kdtree': kdtree, 'dijkstra': dijkstra}[header['task']](header['params'], a)
    json.dump({'ms': ms, 'detail': detail}, sys.stdout)


if __name__ == '__main__':
    main()
