"""Settings a repair run is made with, shared by the engine, the rules and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repair.project import ProjectContext
    from repair.provider_index import ProviderIndex

# `use_lockfile` became a valid S3 backend argument in this Terraform release.
S3_LOCKFILE_MIN_TERRAFORM = (1, 10)


@dataclass(frozen=True)
class RepairOptions:
    # The Terraform version the stack is deployed with, as (major, minor); None when nobody said.
    terraform_version: tuple[int, int] | None = None
    # Where that version came from (a flag, a config file), for messages.
    terraform_version_source: str | None = None
    # Where provider names and block shapes come from; None means the installed provider, read on first use.
    provider: ProviderIndex | None = field(default=None, compare=False)
    # The project the code belongs to; None means the one found from the file's path (repair.project).
    project: ProjectContext | None = field(default=None, compare=False)
    # Where the project is found from when it is not the file's own path: a markdown answer's blocks are named by
    # their path inside the project, the answer's own path says where that project is.
    project_origin: str | None = None
    # Files the code comes with that are not on disk (a markdown answer's blocks: path, text): its own cdktf.json or
    # entry script replaces the project folder's.
    project_files: tuple[tuple[str, str], ...] = ()

    def project_for(self, path: str) -> ProjectContext | None:
        from repair.project import overlaid, project_for

        project = self.project or project_for(self.project_origin or path)
        if project is not None and self.project_files:
            project = overlaid(project, self.project_files)
        return project

    def provider_index(self) -> ProviderIndex:
        from repair.provider_index import installed_index

        return self.provider or installed_index()


def parse_terraform_version(text: str) -> tuple[int, int]:
    """'1.9', '1.10.3', 'v1.11.0' -> (major, minor); ValueError on anything else."""
    parts = text.strip().lstrip("v").split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts[:2]):
        raise ValueError(f"not a Terraform version: {text!r} (expected MAJOR.MINOR, e.g. 1.9)")
    return int(parts[0]), int(parts[1])
