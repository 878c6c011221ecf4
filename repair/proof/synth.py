"""Synthesize CDKTF projects with the real cdktf and provider, in a long-lived worker process.

Importing the provider starts jsii's Node.js runtime and loads the provider assembly: about 20 s and 1 GB, paid
once per worker. Each project is then synthesized from a temporary copy, in a fresh module namespace, with its
output forced to an absolute folder (the Node.js child keeps the working directory it started in, so relative
paths would land in the wrong place). A project that hangs or kills the worker costs only itself: the parent
replaces the worker.

The worker speaks JSON lines on stdin/stdout: a request {"project": dir, "outdir": dir} gets a response
{"ok": bool, "error_type": str, "error": str, "stacks": {name: path-to-cdk.tf.json}}. The app runs with the
context `cdktf synth` gives it (repair/proof/tree.py's cdktf_context: cdktf.json's `context`).
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

# Where an app's entry is: the project's knowledge (repair.project), named here too for the worker's callers.
from repair.project import find_entry  # noqa: F401
from repair.proof.tree import CONTEXT_ENV, cdktf_context


@dataclass
class SynthResult:
    ok: bool
    error_type: str = ""
    error: str = ""
    stacks: dict[str, dict] = field(default_factory=dict)  # stack name -> synthesized Terraform JSON

    @property
    def first_error_line(self) -> str:
        return self.error.strip().splitlines()[0] if self.error.strip() else ""


# -- worker side -------------------------------------------------------------------------------------------------
def _install_hooks(state: dict) -> None:
    """Point every App at the current request's output folder and resolve relative asset paths against the
    project, whatever the app passes."""
    import cdktf

    original_app_init = cdktf.App.__init__
    original_asset_init = cdktf.TerraformAsset.__init__

    def app_init(self, *args, **kwargs):
        kwargs["outdir"] = state["outdir"]
        if state.get("context"):  # over the app's own, as App applies CDKTF_CONTEXT_JSON over its constructor's
            kwargs["context"] = {**(kwargs.get("context") or {}), **state["context"]}
        original_app_init(self, *args, **kwargs)

    def asset_init(self, scope, id, *, path, **kwargs):
        if not os.path.isabs(path):
            path = os.path.join(state["project"], path)
        original_asset_init(self, scope, id, path=path, **kwargs)

    cdktf.App.__init__ = app_init
    cdktf.TerraformAsset.__init__ = asset_init


def _run_lone_module(path: Path) -> None:
    """A stack module without an app: instantiate each TerraformStack subclass it defines, with its defaults."""
    import cdktf

    namespace = runpy.run_path(str(path), run_name="repair_synth_module")
    stacks = [obj for obj in namespace.values()
              if isinstance(obj, type) and issubclass(obj, cdktf.TerraformStack) and obj is not cdktf.TerraformStack
              and obj.__module__ == "repair_synth_module"]
    if not stacks:
        raise LookupError(f"{path.name} defines no TerraformStack subclass")
    app = cdktf.App()
    for stack in stacks:
        stack(app, stack.__name__)
    app.synth()


_INSTALLED_PREFIXES = tuple({os.path.dirname(os.__file__), *(p for p in sys.path if "-packages" in p)})


def _is_installed_module(module) -> bool:
    locations = [getattr(module, "__file__", None) or ""] + list(getattr(module, "__path__", None) or [])
    return any(str(location).startswith(_INSTALLED_PREFIXES) for location in locations if location)


def _synth_one(request: dict, state: dict) -> dict:
    project = Path(request["project"])
    entry = project if project.is_file() else find_entry(project)
    if entry is None:
        return {"ok": False, "error_type": "NoEntry", "error": f"no app entry (cdktf.json app, tap.py, main.py) in {project}"}
    if project.is_file():
        project = project.parent
    outdir = request["outdir"]
    context = cdktf_context(None if request.get("lone_module") else project, state.get("inherited_context"))
    state.update(project=str(project), outdir=outdir, context=context)
    before = set(sys.modules)
    old_path, old_cwd = list(sys.path), os.getcwd()
    sys.path.insert(0, str(project))
    os.chdir(project)
    try:
        if request.get("lone_module"):
            _run_lone_module(entry)
        else:
            runpy.run_path(str(entry), run_name="__main__")
    except BaseException as exc:  # the app's own failure is the result, not the worker's
        if isinstance(exc, KeyboardInterrupt):
            raise
        message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return {"ok": False, "error_type": type(exc).__name__, "error": message}
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path
        # A fresh module namespace per project: drop what this project imported (its `lib` package above all,
        # which is often a namespace package without __file__), keep the provider modules it loaded warm.
        for name in set(sys.modules) - before:
            if not _is_installed_module(sys.modules.get(name)):
                del sys.modules[name]
    stacks = {}
    for manifest in sorted(Path(outdir, "stacks").glob("*/cdk.tf.json")):
        stacks[manifest.parent.name] = str(manifest)
    if not stacks:
        return {"ok": False, "error_type": "NoStacks", "error": "the app synthesized no stack (no app.synth()?)"}
    return {"ok": True, "stacks": stacks}


def worker_main() -> None:
    os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
    out = sys.stdout
    sys.stdout = sys.stderr  # the apps' prints must not corrupt the protocol
    # jsii's Node.js inherits this environment: without the variable, each request's context is the one applied.
    inherited_context = os.environ.pop(CONTEXT_ENV, None)
    try:
        import cdktf  # noqa: F401  (starts jsii's Node.js runtime)
        import cdktf_cdktf_provider_aws  # noqa: F401  (loads the provider assembly once)
    except Exception as exc:
        out.write(json.dumps({"ready": False, "error": f"{type(exc).__name__}: {exc}"}) + "\n")
        out.flush()
        return
    state: dict = {"inherited_context": inherited_context}
    _install_hooks(state)
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        response = _synth_one(json.loads(line), state)
        out.write(json.dumps(response) + "\n")
        out.flush()


# -- parent side -------------------------------------------------------------------------------------------------
class SynthError(RuntimeError):
    """The worker could not start (no Node.js, provider missing) or died."""


class SynthWorker:
    """A worker process; `synth(project)` synthesizes one project. Use as a context manager."""

    def __init__(self, timeout: float = 300.0, startup_timeout: float = 300.0) -> None:
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> "SynthWorker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> subprocess.Popen:
        if shutil.which("node") is None:
            raise SynthError("Node.js is not installed: cdktf synth runs jsii on Node.js (install the `nodejs` package)")
        process = subprocess.Popen(
            [sys.executable, "-m", "repair.proof.synth"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        ready = self._read(process, self.startup_timeout)
        if not ready or not ready.get("ready"):
            process.kill()
            raise SynthError(f"the synth worker did not start: {(ready or {}).get('error', 'no answer')}")
        return process

    @staticmethod
    def _read(process: subprocess.Popen, timeout: float) -> dict | None:
        import selectors

        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return None
        line = process.stdout.readline()
        return json.loads(line) if line else None

    def synth(self, project: Path, in_place: bool = False) -> SynthResult:
        """Synthesize a temporary copy of `project` (a folder with an app entry, or a lone stack module);
        nothing is written into the project itself. `in_place`: `project` already is a temporary copy the caller
        owns (repair/proof/tree.py's copy_tree), synthesized where it is."""
        if self._process is None or self._process.poll() is not None:
            self._process = self._start()
        with tempfile.TemporaryDirectory(prefix="repair-synth-") as tmp:
            copy = Path(tmp) / "project"
            if in_place:
                copy = project
            elif project.is_file():
                copy.mkdir()
                copy = Path(shutil.copy(project, copy / project.name))
            else:
                shutil.copytree(project, copy, ignore=shutil.ignore_patterns("cdktf.out", "__pycache__", ".terraform"))
            outdir = Path(tmp) / "cdktf.out"
            request = {"project": str(copy), "outdir": str(outdir), "lone_module": project.is_file()}
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            response = self._read(self._process, self.timeout)
            if response is None:
                self.close()  # hung or died: this project costs only itself
                return SynthResult(False, "Timeout", f"synth did not finish within {self.timeout:.0f} s or crashed")
            stacks = {name: json.loads(Path(path).read_text(encoding="utf-8"))
                      for name, path in response.get("stacks", {}).items()}
            return SynthResult(response["ok"], response.get("error_type", ""), response.get("error", ""), stacks)

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


if __name__ == "__main__":
    worker_main()
