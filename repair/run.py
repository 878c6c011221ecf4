"""One run of `repair`: what the command line asked for, built once by the CLI from its flags and handed to the
runner (repairs and their proof) and to the batch, instead of the rules, Terraform version, paths, formats and
synth options one by one.

Which rules and which Terraform version apply to a file also depend on the configuration found from it (the
nearest `[tool.repair]`, a `.terraform-version`): `Run.settings(start)` merges the flags over those, the flags
winning; `Run.isolation(start)` does the same for the sandbox the answers are synthesized in. A batch resolves
them once, from the dataset's configuration, and hands its workers the result (BatchConfig): a worker on another
machine of a Ray cluster never reads the user's configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from repair.config import ConfigError, Settings, load_config, resolve_settings


class UsageError(ValueError):
    """A run that cannot go on as asked (a bad flag or configuration value, a synth worker that cannot start),
    worded for the user in one line; the CLI prints it and exits 2."""


@dataclass(frozen=True)
class Run:
    paths: tuple[str, ...] = ()  # as given; "-" alone is standard input
    select: tuple[str, ...] = ()  # rule ids or slugs; empty: the configuration's, else all
    ignore: tuple[str, ...] = ()
    terraform_version: str | None = None  # the flag as given (X.Y)
    write: bool = False  # repair in place (or under `out`); else only report and diff
    out: Path | None = None  # write each folder's whole tree here instead of in place
    context: int = 3  # lines of context in diffs
    markdown_stdin: bool = False  # standard input is a model answer in markdown
    # The proof (verify, fix --verify, batch --verify):
    synth_out: Path | None = None  # keep the synthesized cdk.tf.json here
    timeout: float = 300.0  # seconds a project may take to synthesize
    stack: str | None = None  # prove only this stack of each app
    sandbox: str | None = None  # auto, bwrap or none; None: the configuration's, else auto
    memory_limit: str | None = None  # the flag as given (4GiB, 3000MiB); None: the configuration's, else 4 GiB

    @property
    def stdin(self) -> bool:
        return self.paths == ("-",)

    @property
    def files(self) -> tuple[str, ...]:
        """The paths that name files or folders (standard input left out)."""
        return tuple(p for p in self.paths if p != "-")

    def settings(self, start: Path) -> Settings:
        """The rules and options for the files under `start`: these flags over its configuration."""
        try:
            return resolve_settings(start, list(self.select) or None, list(self.ignore), self.terraform_version)
        except ValueError as exc:  # ConfigError included: it names the file and the key
            raise UsageError(str(exc)) from exc

    def isolation(self, start: Path | None = None):
        """The sandbox a synth worker of this run gets (repair.proof.sandbox.Sandbox): the flags over the
        `[tool.repair]` found from `start` (default: the first path, else the current folder) over auto / 4 GiB."""
        from repair.proof.sandbox import DEFAULT_MEMORY_LIMIT, SandboxError, parse_memory, resolve

        if start is None:
            start = Path(self.files[0]) if self.files else Path.cwd()
        try:
            config = load_config(start)
        except ConfigError as exc:
            raise UsageError(str(exc)) from exc
        try:
            limit = parse_memory(self.memory_limit) if self.memory_limit else config.memory_limit or DEFAULT_MEMORY_LIMIT
        except ValueError as exc:
            raise UsageError(f"--memory-limit: {exc}") from exc
        try:
            return resolve(self.sandbox or config.sandbox or "auto", limit)
        except SandboxError as exc:
            raise UsageError(str(exc)) from exc

    def missing_paths(self) -> list[str]:
        """The paths that do not exist (each is an error of its own; the others still run). UsageError for `-`
        among other paths."""
        if "-" in self.paths and not self.stdin:
            raise UsageError("'-' (standard input) cannot be mixed with paths")
        return [p for p in self.files if not Path(p).exists() and not Path(p).is_symlink()]
