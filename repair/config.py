"""Settings from the project: `[tool.repair]` in the nearest pyproject.toml, and `.terraform-version`.

Precedence, highest first: command-line flags, `[tool.repair]`, a `.terraform-version` file (tfenv's), nothing.
An unknown key or a bad value is an error that names the file and the key, never silently ignored.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from repair.options import parse_terraform_version

KNOWN_KEYS = {"select", "ignore", "terraform-version", "exclude", "format", "sandbox", "memory-limit"}
FORMATS = ("text", "json", "sarif", "github")


class ConfigError(ValueError):
    """A configuration problem, worded for the user: `file: [tool.repair] key: what is wrong`."""


@dataclass
class ProjectConfig:
    path: Path | None = None  # the pyproject.toml read, if any
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    terraform_version: tuple[int, int] | None = None
    terraform_version_source: str | None = None
    exclude: list[str] = field(default_factory=list)
    format: str | None = None
    sandbox: str | None = None  # auto, bwrap or none: how verify isolates the answers it synthesizes
    memory_limit: int | None = None  # bytes the synth worker may hold

    def excludes(self, file: Path) -> bool:
        """Whether `file` matches an `exclude` glob, relative to the pyproject.toml's folder."""
        if not self.exclude or self.path is None:
            return False
        try:
            relative = file.resolve().relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            return False
        parts = relative.split("/")
        return any(fnmatch.fnmatch(relative, pattern) or any(fnmatch.fnmatch(p, pattern) for p in parts)
                   for pattern in self.exclude)


def _walk_up(start: Path, name: str) -> Path | None:
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / name).is_file():
            return candidate / name
    return None


def _string_list(path: Path, key: str, value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"{path}: [tool.repair] {key}: expected a list of strings, got {value!r}")


def load_config(start: Path) -> ProjectConfig:
    """The settings that apply to `start` (a file or folder)."""
    config = ProjectConfig()
    pyproject = _walk_up(start, "pyproject.toml")
    if pyproject is not None:
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{pyproject}: cannot read: {exc}") from exc
        tool = data.get("tool")
        # `tool = 3` is another tool's (or nobody's) business: there is no [tool.repair] in it.
        section = tool.get("repair") if isinstance(tool, dict) else None
        if section is not None:
            config.path = pyproject
            _apply_section(config, pyproject, section)
    if config.terraform_version is None:
        version_file = _walk_up(start, ".terraform-version")
        if version_file is not None:
            try:
                text = version_file.read_bytes().decode("utf-8").strip()
            except UnicodeDecodeError as exc:
                raise ConfigError(f"{version_file}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x})") from exc
            except OSError as exc:
                raise ConfigError(f"{version_file}: cannot read: {exc.strerror or exc}") from exc
            try:
                config.terraform_version, note = tfenv_version(text)
            except ValueError as exc:
                raise ConfigError(f"{version_file}: {exc}") from exc
            config.terraform_version_source = str(version_file) + (f" ({note})" if note else "")
    if config.terraform_version is None:
        _tool_versions(config, start)
    return config


def _tool_versions(config: ProjectConfig, start: Path) -> None:
    """asdf's (and mise's) `.tool-versions`: the nearest one with a `terraform <version>` line, as asdf looks it up
    (its first version is the one used)."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        path = candidate / ".tool-versions"
        if not path.is_file():
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x})") from exc
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        for number, line in enumerate(text.splitlines(), 1):
            words = line.split("#", 1)[0].split()
            if len(words) >= 2 and words[0] == "terraform":
                if words[1] in ("latest", "system") or words[1].startswith(("ref:", "path:")):
                    return  # not a version this can read: unknown
                try:
                    config.terraform_version = parse_terraform_version(words[1])
                except ValueError as exc:
                    raise ConfigError(f"{path}:{number}: terraform: {exc}") from exc
                config.terraform_version_source = f"{path}:{number}"
                return


# The newest Terraform release is at least this one (use_lockfile's, 1.10, came out in November 2024), which is all a
# rule needs to know of tfenv's `latest`.
LATEST_AT_LEAST = (1, 10)


def tfenv_version(text: str) -> tuple[tuple[int, int] | None, str | None]:
    """A `.terraform-version` as tfenv reads it: `1.9.8`, or one of its keywords: `latest` (the newest release,
    at least LATEST_AT_LEAST), `latest:<regex>` (the newest release the regex matches: its leading version, when it
    names one), `min-required` (the code's required_version, which is not read here: unknown). (version, note)."""
    first = text.split()[0] if text.split() else ""
    if first == "latest":
        return LATEST_AT_LEAST, f"tfenv's latest: at least {LATEST_AT_LEAST[0]}.{LATEST_AT_LEAST[1]}"
    if first.startswith("latest:"):
        import re

        named = re.match(r"\^?v?(\d+)\\?\.(\d+)", first[len("latest:"):])
        if named:
            return (int(named.group(1)), int(named.group(2))), f"tfenv's {first}"
        return None, None
    if first in ("min-required", "latest-allowed"):
        return None, None
    return parse_terraform_version(first), None


def _apply_section(config: ProjectConfig, path: Path, section: object) -> None:
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.repair] must be a table")
    for key, value in section.items():
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{path}: [tool.repair] unknown key {key!r} (known: {', '.join(sorted(KNOWN_KEYS))})")
        if key == "select":
            config.select = _string_list(path, key, value)
            if not config.select:
                raise ConfigError(f"{path}: [tool.repair] select: an empty list selects no rule; leave select out "
                                  "to run every rule")
        elif key == "ignore":
            config.ignore = _string_list(path, key, value)
        elif key == "exclude":
            config.exclude = _string_list(path, key, value)
        elif key == "terraform-version":
            if not isinstance(value, str):
                # TOML reads 1.10 as the number 1.1: only a string says which version was meant.
                raise ConfigError(f"{path}: [tool.repair] terraform-version: write it as a string "
                                  f"(terraform-version = \"1.10\"), not the number {value!r}")
            try:
                config.terraform_version = parse_terraform_version(str(value))
            except ValueError as exc:
                raise ConfigError(f"{path}: [tool.repair] terraform-version: {exc}") from exc
            config.terraform_version_source = f"{path} [tool.repair] terraform-version"
        elif key == "format":
            if value not in FORMATS:
                raise ConfigError(f"{path}: [tool.repair] format: expected one of {', '.join(FORMATS)}, got {value!r}")
            config.format = value
        elif key == "sandbox":
            from repair.proof.sandbox import LEVELS

            if value not in LEVELS:
                raise ConfigError(f"{path}: [tool.repair] sandbox: expected one of {', '.join(LEVELS)}, got {value!r}")
            config.sandbox = value
        elif key == "memory-limit":
            from repair.proof.sandbox import parse_memory

            try:
                config.memory_limit = parse_memory(value)
            except ValueError as exc:
                raise ConfigError(f"{path}: [tool.repair] memory-limit: {exc}") from exc


@dataclass
class Settings:
    """What one run over one path uses: the rules and options after flags, config and defaults are merged."""

    rules: list
    options: object  # RepairOptions
    config: ProjectConfig

    def describe_terraform_version(self) -> str:
        version = self.options.terraform_version
        if version is None:
            return ("Terraform version: unknown, assuming older than 1.10 (set --terraform-version, "
                    "[tool.repair] terraform-version, a .terraform-version file or a .tool-versions line)")
        return f"Terraform version: {version[0]}.{version[1]} (from {self.options.terraform_version_source})"


def resolve_settings(start: Path, select: list[str] | None, ignore: list[str] | None,
                     terraform_version: str | None) -> Settings:
    """Flags over `[tool.repair]` over `.terraform-version`; ValueError/ConfigError on anything invalid."""
    from repair.engine import select_rules
    from repair.options import RepairOptions

    config = load_config(start)
    from_flags = bool(select) or bool(ignore)
    try:
        rules = select_rules(select or config.select, list(ignore or []) + config.ignore)
    except ValueError as exc:
        if from_flags or config.path is None:
            raise
        keys = " or ".join(k for k, v in (("select", config.select), ("ignore", config.ignore)) if v)
        raise ConfigError(f"{config.path}: [tool.repair] {keys}: {exc}") from exc
    if terraform_version:
        version, source = parse_terraform_version(terraform_version), "--terraform-version"
    else:
        version, source = config.terraform_version, config.terraform_version_source
    return Settings(rules, RepairOptions(terraform_version=version, terraform_version_source=source), config)
