#!/usr/bin/env python3
"""Loads every municipality's `nagare inventory -o *.jsonl` export into DuckDB and asks reachability questions with
recursive CTEs (docs/inventory.md). Prints each query's time and checks the CTE's answer against a plain BFS in
Python over the same rows (the peer the timing is compared with).

python3 scripts/inventory_duckdb.py '<exports>/*.jsonl'
"""
import collections
import sys
import time

import duckdb

pattern = sys.argv[1] if len(sys.argv) > 1 else "exports/*.jsonl"
con = duckdb.connect()


def timed(label, sql):
    start = time.perf_counter()
    rows = con.execute(sql).fetchall()
    took = time.perf_counter() - start
    print(f"{label}: {took:.3f} s")
    return rows, took


# 1. Load: one table of all lines; nodes and edges are views on it.
timed("load", f"""
CREATE TABLE lines AS
SELECT * FROM read_json_auto('{pattern}', format = 'newline_delimited', union_by_name = true)
""")
con.execute("CREATE VIEW nodes AS SELECT body, id, kind, name, role, segment, party FROM lines WHERE type = 'node'")
con.execute("""CREATE VIEW edges AS SELECT body, id, "from" AS src, "to" AS dst, paper, data, items
               FROM lines WHERE type = 'edge'""")
(counts,), _ = timed("count", """
SELECT (SELECT count(DISTINCT body) FROM nodes), (SELECT count(*) FROM nodes), (SELECT count(*) FROM edges)
""")
print(f"  municipalities {counts[0]}, nodes {counts[1]}, edges {counts[2]}")

# 2. Reachability: which nodes can data leaving a system in マイナンバー利用事務系 reach over data flows, in each
#    municipality? (One search per municipality from all such systems at once; ids never cross municipalities.)
#    UNION (not UNION ALL) drops rows already found, so cycles end.
reach, cte_time = timed("reach (recursive CTE)", """
WITH RECURSIVE reach(node) AS (
    SELECT id FROM nodes WHERE segment = 'マイナンバー利用事務系'
    UNION
    SELECT e.dst FROM reach r JOIN edges e ON e.src = r.node WHERE e.data
)
SELECT n.body, count(*) FROM reach r JOIN nodes n ON n.id = r.node GROUP BY n.body ORDER BY n.body
""")
print(f"  reached nodes: {sum(c for _, c in reach)}")

# The peer: the same answer by one breadth-first search in Python over the same rows.
start = time.perf_counter()
out = collections.defaultdict(list)
for src, dst in con.execute("SELECT src, dst FROM edges WHERE data").fetchall():
    out[src].append(dst)
body_of = dict(con.execute("SELECT id, body FROM nodes").fetchall())
seen = {r[0] for r in con.execute("SELECT id FROM nodes WHERE segment = 'マイナンバー利用事務系'").fetchall()}
queue = collections.deque(seen)
while queue:
    u = queue.popleft()
    for v in out.get(u, ()):
        if v not in seen:
            seen.add(v)
            queue.append(v)
per_body = collections.Counter(body_of[v] for v in seen)
bfs_time = time.perf_counter() - start
print(f"reach (Python BFS over the same rows, including fetching them): {bfs_time:.3f} s")
assert sorted(per_body.items()) == [(b, c) for b, c in reach], "CTE and BFS disagree"
print(f"  same answer; CTE time / BFS time: {cte_time / bfs_time:.2f}")

# 3. Item-aware: which outside parties receive a 個人番号 item, following only flows that carry that item?
mynumber, _ = timed("個人番号 reach to outside parties (recursive CTE, item-aware)", """
WITH RECURSIVE
mn AS (SELECT body, name FROM lines WHERE type = 'item' AND kind = '個人番号'),
seed AS (
    SELECT e.dst AS node, i.name AS item FROM edges e, UNNEST(e.items) AS i(name)
    JOIN nodes s ON s.id = e.src
    WHERE e.data AND s.segment = 'マイナンバー利用事務系'
      AND EXISTS (SELECT 1 FROM mn WHERE mn.body = e.body AND mn.name = i.name)
),
reach(node, item) AS (
    SELECT node, item FROM seed
    UNION
    SELECT e.dst, r.item FROM reach r JOIN edges e ON e.src = r.node
    WHERE e.data AND list_contains(e.items, r.item)
)
SELECT n.body, count(DISTINCT p.id)
FROM reach r JOIN nodes n ON n.id = r.node
JOIN nodes p ON p.id = coalesce(n.party, n.id)
WHERE p.role = '外部'
GROUP BY n.body ORDER BY n.body
""")
print(f"  municipalities where 個人番号 reaches an outside party: {len(mynumber)}")

# 4. Across municipalities: outside parties (by name) that receive data from how many municipalities.
across, _ = timed("outside parties by name across municipalities", """
SELECT p.name, count(DISTINCT p.body) AS municipalities
FROM edges e JOIN nodes n ON n.id = e.dst
JOIN nodes p ON p.id = coalesce(n.party, n.id)
WHERE e.data AND p.role = '外部'
GROUP BY p.name ORDER BY municipalities DESC, p.name LIMIT 5
""")
for name, m in across:
    print(f"  {name}: {m}")
