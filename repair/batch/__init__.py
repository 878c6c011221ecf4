"""`repair batch`: repair a dataset directory (or a table) of model answers and stacks, in parallel, resumably, sharded.

Each item (a Python file, or a model answer in markdown) gets, under OUT at its own relative path: the repaired
file, a `.patch` that `git apply` accepts against the input when something changed, and for an answer the
repaired files it attributes paths to (under `<answer>.files/`). One JSON line per item goes to OUT/report.jsonl
in the items' sorted order, whatever order the workers finish in: results are consumed in order from a bounded
window of work, so memory stays flat in the number of items. The dataset itself is never written.

With --verify the unit of proof is the project, not the item: a Python file belongs to the project whose folder
holds its `cdktf.json` or entry (repair/project.py's root_for), a markdown answer is a project of its own (laid
out over its task), a file outside any project is a lone module. Each project is synthesized once as it is and
once with all of its repaired items in place, and every item of the project carries that one outcome. To make
this possible, the items of one project always travel together: to one worker (a chunk holds whole *units*, the
subtree of the outermost project folder, whose items are consecutive in the listing), to one shard (a shard owns
the items of the projects whose path hashes to it), and through --resume (a unit is taken from the old report
only when every item of it is).

The modules, in the order an item goes through them:

- dataset.py: the run's settings, the items of a folder in order, their projects and units;
- run.py: the run over a folder: chunks sent to the pool, records written in item order, --resume, stale outputs;
- pools.py: where chunks are processed: local processes, or Ray (ray_engine.py); how a run stops them;
- worker.py: one chunk in a worker: each item repaired and its outputs written, each project proven (--verify);
- report.py: the tally, the report read back and replaced, the summary, `repair merge`;
- tables.py: a table of answers (JSONL, Parquet) instead of a folder, on the same pools.

The Ray engine and tables need the `scale` extra (Ray, pyarrow): neither is imported unless asked for.
"""
