"""One run of `repair`: what the command line asked for, built once by the CLI from its flags and passed down to
the runner, verify and batch, instead of the rules, options, Terraform version, paths and formats one by one.

Which rules and which Terraform version apply to a file also depend on the configuration found from it (the
nearest `[tool.repair]`, a `.terraform-version`): `Run.settings(start)` merges the flags over those, the flags
winning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from repair.config import Settings, resolve_settings


class UsageError(ValueError):
    """A run that cannot go on as asked (a bad flag or configuration value, a synth worker that cannot start),
    worded for the user; the CLI prints it and exits 2."""


@dataclass(frozen=True)
class Run:
    paths: tuple[str, ...] = ()  # as given; "-" alone is standard input
    select: tuple[str, ...] = ()  # rule ids or slugs; empty: the configuration's, else all
    ignore: tuple[str, ...] = ()
    terraform_version: str | None = None  # the flag as given (X.Y)
    write: bool = False  # repair in place (or under `out`); else only report and diff
    out: Path | None = None  # write each folder's whole tree here instead of in place
    context: int = 3  # lines of context in diffs
    output_format: str = "text"
    markdown_stdin: bool = False  # standard input is a model answer in markdown
    synth_out: Path | None = None  # keep the synthesized cdk.tf.json here (verify)
    timeout: float = 300.0  # seconds a project may take to synthesize (verify)

    def settings(self, start: Path) -> Settings:
        """The rules and options for the files under `start`: these flags over its configuration."""
        try:
            return resolve_settings(start, list(self.select) or None, list(self.ignore), self.terraform_version)
        except ValueError as exc:  # ConfigError included: it names the file and the key
            raise UsageError(str(exc)) from exc

    @property
    def stdin(self) -> bool:
        return self.paths == ("-",)

    def missing_paths(self) -> list[str]:
        """The paths that do not exist (each is an error; the others still run); UsageError for `-` among paths."""
        if "-" in self.paths and not self.stdin:
            raise UsageError("'-' (standard input) cannot be mixed with paths")
        return [] if self.stdin else [p for p in self.paths if not Path(p).exists()]
