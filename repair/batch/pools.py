"""Where the chunks of a batch are processed: local worker processes (at most one per CPU), or the tasks and actors
of a Ray cluster (ray_engine.py), both taken as `apply_async(run_chunk, ...)`; and how a run stops them (Ctrl-C,
SIGTERM)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from multiprocessing import get_context

from repair.batch.dataset import BatchConfig, BatchError
from repair.batch.report import Tally
from repair.batch.worker import init_worker

# Items a worker takes at a time while the end of the listing is not in sight; the last ones go in chunks that
# shrink to one item (guided self-scheduling, OpenMP's `schedule(guided)`), so that the workers finish together: with
# every chunk of 16 one worker waited 0.2-0.3 s for the other at the end of a 9 s `-j 2` run over 615 real files.
# Smaller chunks throughout would cost a round trip each (with 4 items a chunk, the synthetic bench/batch.py lost
# a tenth of its CPU).
CHUNK = 16
# Chunks in flight per worker: enough to keep every worker busy while the parent writes records in order, few enough
# that memory does not grow with the dataset.
CHUNKS_IN_FLIGHT_PER_JOB = 8


def start_pool(config: BatchConfig, tally: Tally):
    """The workers chunks go to, and how many of them there are: local processes (at most one per CPU), or with
    --engine ray the tasks and actors of a Ray cluster (ray_engine.py), which take `apply_async(
    run_chunk, ...)` as the pool does and write the outputs they send back."""
    if config.engine not in ("local", "ray"):
        raise BatchError(f"--engine {config.engine}: local (processes on this machine) or ray")
    if config.address and config.engine != "ray":
        raise BatchError("--address is a Ray cluster's: it needs --engine ray")
    if config.engine == "ray":
        from repair.batch.ray_engine import RayPool

        pool = RayPool(config, tally.notes)
        return pool, pool.jobs
    cpus = os.cpu_count() or 1
    jobs = min(config.jobs or cpus, cpus)
    if config.jobs > cpus:
        tally.notes.append(f"--jobs {config.jobs} capped at {cpus}, the CPU count (more workers only compete)")
    context = get_context("fork" if sys.platform != "win32" else "spawn")
    # A worker forked with a caller's SIGTERM handler that does not exit, and stopped (Pool.terminate) before its
    # initializer restores the default action, would survive and leave terminate() waiting: SIGTERM stays blocked
    # from the fork until then (the pool's threads, created here too, keep it blocked; signals reach the main thread).
    blocked = hasattr(signal, "pthread_sigmask") and hasattr(signal, "SIGTERM")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        pool = context.Pool(jobs, initializer=init_worker,
                            initargs=(config.rule_ids, config.terraform_version, config.context, config.verify,
                                      config.sandbox))
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    return pool, jobs


def stop_pool(pool, stopped: bool) -> None:
    """Stop the workers: terminated when the run stopped early, else joined once their work is done. The last step of
    a run: a stop (Ctrl-C, SIGTERM) that comes while they wind down cuts that short, everything is written."""
    try:
        if stopped:
            pool.terminate()
        pool.join()
    except KeyboardInterrupt:
        with contextlib.suppress(Exception):
            pool.terminate()


class _Stops:
    """What `stops_as_interrupt` does with a stop: raise KeyboardInterrupt while `armed`, else note it."""

    def __init__(self) -> None:
        self.armed = True
        self.noted: list[int] = []


@contextlib.contextmanager
def stops_as_interrupt():
    """SIGTERM (a scheduler stopping the job) ends the run's work as Ctrl-C does: the report keeps what finished.
    Once the work is over (`armed` set False) a stop is only noted: what is left is writing the report and the
    summaries and stopping the workers, which the stop must not cut short (a Ray shutting down takes seconds)."""
    stops = _Stops()
    if threading.current_thread() is not threading.main_thread():
        yield stops
        return

    def stop(signum, frame):
        if stops.armed:
            raise KeyboardInterrupt
        stops.noted.append(signum)

    numbers = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    previous = {number: signal.signal(number, stop) for number in numbers}
    try:
        yield stops
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


