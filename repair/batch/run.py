"""`repair batch` over a dataset folder (a table of answers goes to tables.py): the items listed in order, sent in
chunks to the pool, their records written to the report in item order from a bounded window of work whatever order
the workers finish in, --resume's reuse of unchanged items, and the removal of outputs whose items are gone."""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import time
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from repair import __version__
from repair.batch.dataset import (REPORT, SUMMARY, BatchConfig, BatchError, check_folders, group_units,
                                  is_relative_inside, iter_items, project_key, settings_key)
from repair.batch.pools import CHUNK, CHUNKS_IN_FLIGHT_PER_JOB, start_pool, stop_pool, stops_as_interrupt
from repair.batch.report import Tally, keep_finished, load_finished, render_summary
from repair.batch.worker import run_chunk
from repair.engine import select_rules
from repair.files import read_regular


def run_batch(config: BatchConfig, progress: Callable[[int, int, float], None] | None = None) -> Tally:
    if config.dataset.is_file():  # a table of answers, one a row (tables.py)
        from repair.batch.tables import run_table

        return run_table(config, progress)
    check_folders(config.dataset, config.out)
    select_rules(config.rule_ids)  # fail before starting workers on an unknown rule
    if config.verify and config.sandbox is None:  # resolved once, here: the workers and the summary say the same
        from repair.proof.sandbox import SandboxError, resolve

        try:
            config = replace(config, sandbox=resolve("auto"))
        except SandboxError as exc:
            raise BatchError(str(exc)) from exc
    config.out.mkdir(parents=True, exist_ok=True)
    report = config.out / REPORT
    earlier = load_finished(report)  # this folder's earlier run, if any
    finished = earlier if config.resume else {}
    # The items are streamed from the listing; only a progress display needs their number first (one more listing,
    # a few percent of the run).
    key = functools.partial(project_key, config.dataset) if config.verify else None
    total = sum(1 for _ in iter_items(config.dataset, config.patterns, config.shard, key)) if progress else 0
    tally = Tally()
    started = time.perf_counter()
    partial = report.with_name(REPORT + ".partial")
    pool, jobs = start_pool(config, tally)
    from repair.output.summary_page import load_plotter_in_background

    load_plotter_in_background()  # after the workers are forked: they need none of it
    written: set[str] = set()
    failure: BaseException | None = None
    done = False
    with stops_as_interrupt() as stops:
        try:
            try:
                with partial.open("w", encoding="utf-8") as handle:
                    items = iter_items(config.dataset, config.patterns, config.shard, key)
                    settings = settings_key(config)
                    for record in _ordered_records(pool, config, items, finished, tally,
                                                   jobs * CHUNKS_IN_FLIGHT_PER_JOB, jobs):
                        record.setdefault("settings", settings)
                        handle.write(json.dumps(record, sort_keys=True) + "\n")
                        written.add(record["path"])
                        tally.add(record)
                        if progress:
                            progress(tally.items, max(total, tally.items), time.perf_counter() - started)
                    pool.close()
                done = True
            except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (a scheduler's stop)
                tally.interrupted = True
            except OSError as exc:  # the report cannot be written (a full disk): stop, keeping what finished
                failure = exc
            finally:
                stops.armed = False  # the work is over: from here on everything is written, a stop only noted
                keep_finished(partial, report, earlier, written, not done)
            if failure is not None:
                raise BatchError(f"cannot write {partial}: {getattr(failure, 'strerror', None) or failure}; "
                                 f"{report} holds what finished, --resume continues")
            if not tally.interrupted:
                tally.removed = _remove_stale_outputs(config, earlier, written, key)
            tally.seconds = time.perf_counter() - started
            (config.out / SUMMARY).write_text(render_summary(tally, config), encoding="utf-8")
            from repair.output.summary_page import write_summary_page

            write_summary_page(tally, config.out)  # summary.html: failures by rule and impact level, chart and table
        finally:
            # The workers are stopped last: whatever that costs (a Ray shutting down takes seconds), the report and
            # the summaries are written.
            stop_pool(pool, not done)
    return tally


def _item_outputs(out: Path, relative: str) -> list[Path]:
    target = out / relative
    return [target, *(target.with_name(target.name + suffix) for suffix in (".patch", ".review.md", ".failures.md", ".files"))]


def _remove_stale_outputs(config: BatchConfig, earlier: dict[str, dict], written: set[str],
                          key: Callable[[str], str] | None = None) -> list[str]:
    """The outputs of an earlier run's items that are no longer in the dataset (this shard's share of it): removed,
    so OUT mirrors the dataset; their paths, for the summary."""
    removed = []
    for relative in sorted(earlier):
        if relative in written or (config.shard is not None
                                   and not config.shard.owns(key(relative) if key else relative)):
            continue
        if not is_relative_inside(relative):
            continue  # a record that names a path outside OUT is not ours to act on
        for path in _item_outputs(config.out, relative):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists() or path.is_symlink():
                path.unlink(missing_ok=True)
        removed.append(relative)
    return removed


def _ordered_records(pool, config: BatchConfig, items: Iterable[str], finished: dict[str, dict], tally: Tally,
                     in_flight: int, jobs: int = 1) -> Iterator[dict]:
    """Records in item order, whatever order the workers finish in: resumed ones straight from the old report, the
    rest from chunks of work sent to the pool, at most `in_flight` of them ahead of the record being written. A chunk
    holds CHUNK items until the listing's end is in sight (`_chunk_sizes`), then fewer and fewer."""
    window: deque = deque()  # in item order: resumed records (dict) and chunks of work in flight (AsyncResult)
    chunk: list[str] = []

    def send() -> None:
        nonlocal chunk
        if chunk:
            window.append(pool.apply_async(run_chunk, (config.dataset, config.out, chunk)))
            chunk = []

    def drain(keep: int) -> Iterator[dict]:
        while len(window) > keep:
            entry = window.popleft()
            if isinstance(entry, dict):
                tally.resumed += 1
                yield entry
            else:
                yield from entry.get()

    # With --verify a chunk holds whole units (the items of whole projects), and a unit is resumed only whole.
    units = group_units(config.dataset, items) if config.verify else ([relative] for relative in items)
    for unit, size in _chunk_sizes(units, jobs):
        olds = [_resumable(config, relative, finished.get(relative)) for relative in unit]
        if all(old is not None for old in olds):
            send()  # a chunk holds consecutive items only
            window.extend(olds)
        else:
            if chunk and len(chunk) + len(unit) > size:
                send()
            chunk.extend(unit)
            if len(chunk) >= size:
                send()
        yield from drain(in_flight)
    send()
    yield from drain(0)


def _chunk_sizes(units: Iterable[list[str]], jobs: int) -> Iterator[tuple[list[str], int]]:
    """Each unit with the size of the chunk it goes into: CHUNK while more than two chunks a worker remain after
    it (the listing is read that far ahead), then half of what remains per worker, down to one item: the workers
    take chunks in order, so the last ones they take are the smallest."""
    horizon = 2 * jobs * CHUNK
    ahead: deque[list[str]] = deque()
    ahead_items = 0
    source = iter(units)
    more = True
    while True:
        while more and ahead_items <= horizon:
            unit = next(source, None)
            if unit is None:
                more = False
            else:
                ahead.append(unit)
                ahead_items += len(unit)
        if not ahead:
            return
        unit = ahead.popleft()
        ahead_items -= len(unit)
        yield unit, CHUNK if more else max(1, min(CHUNK, -(-(ahead_items + len(unit)) // (2 * jobs))))


def _resumable(config: BatchConfig, relative: str, old: dict | None) -> dict | None:
    """The finished record of an earlier run, if it still holds: same tool version, no error, same input bytes."""
    if config.verify and old and "verify" not in old:
        return None  # written without --verify: its project is proven now
    if (old and old.get("tool") == __version__ and old.get("status") != "error"
            and old.get("settings") == settings_key(config)):
        try:
            digest = hashlib.sha256(read_regular(config.dataset / relative)).hexdigest()
        except OSError:
            return None
        if digest == old.get("sha256"):
            return old
    return None


