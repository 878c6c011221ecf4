"""Finding the files to repair, reading them exactly, and writing them so that nothing is ever half-written."""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from repair.engine import RepairError, RepairResult, repair_source
from repair.options import RepairOptions

# Folders that hold generated output, environments or caches, never code the user wrote.
SKIPPED_DIRS = {"__pycache__", "node_modules", "cdktf.out", ".venv", "venv", ".git", ".terraform", ".tox",
                ".mypy_cache", ".pytest_cache", ".ruff_cache"}


@dataclass(frozen=True)
class Target:
    path: Path  # the file as found
    root: Path | None  # the folder given on the command line (None for a file given directly)

    @property
    def relative(self) -> Path:
        return self.path.relative_to(self.root) if self.root else Path(self.path.name)


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            yield Path(dirpath) / name


def iter_targets(paths: list[Path], *, all_files: bool = False) -> Iterator[Target]:
    """Python files under each path (a file given directly is taken whatever its name); with `all_files`, every
    file, for copying a whole tree."""
    for path in paths:
        if path.is_dir():
            for file in _walk(path):
                if all_files or file.suffix == ".py":
                    yield Target(file, path)
        else:
            yield Target(path, None)


class NotRegularFile(OSError):
    """A FIFO, device or socket: reading it could wait forever or never end."""


_SPECIAL_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                  (stat.S_ISSOCK, "a socket"))


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file (a symlink followed); NotRegularFile for anything else, before opening it."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "not a regular file")
        raise NotRegularFile(f"{kind}, not a regular file: skipped")
    return path.read_bytes()


def read_source(path: Path) -> tuple[str | None, RepairError | None]:
    """The file's text exactly as stored (no newline translation), or why it cannot be had."""
    try:
        data = read_regular(path)
    except NotRegularFile as exc:
        return None, RepairError("special-file", str(exc))
    except OSError as exc:
        return None, RepairError("io", f"cannot read: {exc.strerror or exc}")
    return decode_source(data)


# PEP 263's encoding declaration, in a comment of the first two lines.
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)


def decode_source(data: bytes) -> tuple[str | None, RepairError | None]:
    """UTF-8 text, or where the first undecodable byte is."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        declared = _CODING.search(b"\n".join(data.split(b"\n", 2)[:2]))
        why = f"; it declares {declared.group(1).decode('ascii')} (PEP 263), and only UTF-8 files are repaired" \
            if declared else ""
        return None, RepairError("decode", f"not UTF-8 text (byte 0x{data[exc.start]:02x}){why}", line, column)


def _replace_atomically(destination: Path, fill) -> None:
    """Fill a temporary file in the destination's folder, then rename it over the destination: a reader sees the
    old or the new file, never a torn one, and a failure leaves the old file in place."""
    try:
        fd, tmp = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".tmp")
    except FileNotFoundError:  # the folder is new (asked only then: a batch writes thousands of files)
        destination.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".tmp")
    try:
        fill(fd, tmp)
        os.replace(tmp, destination)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class ChangedOnDisk(OSError):
    """The file is no longer what was read: someone else wrote it in between."""


def write_target(path: Path) -> Path:
    """Where writing `path` lands: a symlink's target (the link stays a link), else the path itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def atomic_write(path: Path, text: str, *, expected: bytes | None = None) -> None:
    """Write `text` (UTF-8, newlines as given) to `path` so that nothing is ever half-written. A symlink is written
    through to its target; the file's mode and, where allowed, owner are kept. A file with hard links is rewritten in
    its own inode so that every link sees the repair (the new text is complete on disk first, and the old bytes are
    put back if the rewrite fails). With `expected` (the bytes that were read), a file that changed since is refused
    with ChangedOnDisk instead of overwritten."""
    target = write_target(path)
    data = text.encode("utf-8")
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    if status is not None and expected is not None and _current_bytes(target) != expected:
        raise ChangedOnDisk(f"{path} changed on disk since it was read; not written (run again)")
    if status is not None and status.st_nlink > 1:
        _rewrite_in_place(target, data, expected)
        return

    def fill(fd: int, tmp: str) -> None:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if status is None:
            # A new file gets the mode any new file gets here (mkstemp's 0600 would hide it from the group).
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        else:
            os.chmod(tmp, stat.S_IMODE(status.st_mode))
            try:
                os.chown(tmp, status.st_uid, status.st_gid)
            except (PermissionError, AttributeError):
                pass  # only the owner's own files, or the platform has no owners: the writer's ownership stays

    _replace_atomically(target, fill)


def _current_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _rewrite_in_place(target: Path, data: bytes, original: bytes | None) -> None:
    original = _current_bytes(target) if original is None else original
    try:
        with open(target, "r+b") as handle:
            handle.write(data)
            handle.truncate()
    except BaseException:
        if original is not None:
            with open(target, "r+b") as handle:
                handle.write(original)
                handle.truncate()
        raise


def atomic_copy(source: Path, destination: Path) -> None:
    def fill(fd: int, tmp: str) -> None:
        os.close(fd)
        shutil.copy2(source, tmp)

    _replace_atomically(destination, fill)


def repair_text(source: str, rules, options: RepairOptions, shown: str, markdown: bool) -> RepairResult:
    """Repair Python source, or the Python blocks of a markdown answer (a block that does not parse is a warning
    there: answers hold fragments)."""
    if not markdown:
        return repair_source(source, rules=rules, options=options, path=shown)
    from repair.markdown import repair_markdown

    return repair_markdown(source, rules, options, shown)


def is_markdown(path: Path) -> bool:
    return path.suffix.lower() in (".md", ".markdown")


def repair_file(path: Path, rules, options: RepairOptions, display: str | None = None) -> RepairResult:
    shown = display or str(path)
    source, error = read_source(path)
    if error is not None:
        return RepairResult(shown, "", "", error=error)
    return repair_text(source, rules, options, shown, is_markdown(path))


def display_path(path: Path) -> str:
    """The path as a diff and a message should show it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        relative = str(path)
    if relative.startswith(".."):
        relative = str(path)
    return relative.replace(os.sep, "/")
