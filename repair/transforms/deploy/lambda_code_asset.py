"""CDK019 lambda-code-asset: Lambda code that nothing packages.

Terraform reads a Lambda function's or layer's `filename` relative to the folder it runs in, the stack's synth
folder (`cdktf.out/stacks/<stack>`), where CDKTF writes nothing but the configuration and its assets. A relative
`filename="lambda/handler.zip"` therefore names a file that never exists, and `terraform apply` (already `plan`, for
the hash) fails. What the answer meant is the handler's source in the project: packaged by a
`TerraformAsset(type=AssetType.ARCHIVE)` of its folder, CDKTF zips it into the synth folder, and the function reads
`filename=asset.path`, `source_code_hash=asset.asset_hash`. The folder is the one that holds the file the function's
`handler` names (`index.handler` -> `index.py` for a Python runtime); of several, the one at the zip's own path
(`lambda/orders.zip`: `lambda/orders/`), else those named like the zip, else the answer's own, else those named by
words of the function's id or name (`validation-lambda`: `lambda/validation/`). Where no folder holds that module
but exactly one module of the project defines the handler's function (`def handler(` in `lib/lambda/processor.py`),
that module is the code the answer wrote for the function: its folder is packaged and the handler names it
(`processor.handler`), or the function would fail on its first call with Runtime.ImportModuleError. Several such
modules are told apart by the answer's own files first, then by the zip's name, then by the words of the
function's id or name (`versioning_remediation` -> `remediation_versioning.py`); where no folder or several remain,
the finding is reported with the candidates and the code left alone. A markdown answer's own files count as the
project's. Where no folder holds it but the code holds the handler's source itself, a string assigned once (in the
function's scope or the module's) that defines the handler's function (`lambda_code = '''...def handler(...'''`
beside `filename="lambda_function.zip"`, the zip left for the user to build), that string is the code: written at
synth, by a helper the repair adds, into a temporary folder as the module the handler names (`index.py`), and
packaged from there. Otherwise a file outside a project (stdin, a string) is only reported.

An ARCHIVE asset must be a folder: one given a `.zip` (`TerraformAsset(path=zip_path, type=AssetType.ARCHIVE)`)
fails at synth. A zip the program builds itself is uploaded as it is, `AssetType.FILE`; a zip named in the project
that does not exist is replaced by the folder of the same name when there is one, else, for a function's code, by
the one folder holding its handler's module (the zip's own folder first), else reported.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

import libcst as cst

from repair.project import ENTRY_CANDIDATES
from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import (
    add_import, add_keyword_arg, code_of, construct_id, construct_scope, keyword_arg, single_assignments,
    snake_identifier, string_value, unique_identifier, walk,
)
from repair.transforms._triggers import All, Any, Regex, Text

CODE_OWNERS = {
    ("lambda_function", "LambdaFunction"): "aws_lambda_function",
    ("lambda_layer_version", "LambdaLayerVersion"): "aws_lambda_layer_version",
}
# How far above the stack module the project's root (its cdktf.json or entry script) may be, and how deep below the
# root a handler's folder is looked for.
ROOT_LEVELS = 3
SOURCE_DEPTH = 4
# Folders that hold no handler source: tools' output, dependencies, environments.
SKIPPED_FOLDERS = {"cdktf.out", "node_modules", "__pycache__", "venv", ".venv", "build", "dist", ".gen", "imports"}
# The source file extensions a runtime family loads its handler module from.
HANDLER_EXTENSIONS = {"python": (".py",), "nodejs": (".js", ".mjs", ".cjs")}
# Longer statements are written one argument a line.
MAX_LINE = 120
_FILENAME_LITERAL = re.compile(r"""\bfilename\s*=\s*\(?\s*[rRuU]?["']""")
# CDKTF writes every asset into the stack's synth folder under this prefix.
ASSET_PREFIX = "assets/"
# The helper that writes a handler's source held in a string into a folder for its asset, added once to a module.
INLINE_HELPER = "_inline_source_folder"
_INLINE_HELPER_CODE = '''
def {name}(code, file_name):
    """A folder holding `code` as `file_name`, for a TerraformAsset to package: the Lambda source this module holds
    as a string. Removed when the program ends, synth having copied it into the stack's assets by then."""
    import atexit
    import os
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="cdktf-inline-")
    atexit.register(shutil.rmtree, folder, True)
    with open(os.path.join(folder, file_name), "w", encoding="utf-8") as handle:
        handle.write(code)
    return folder
'''


def _project_root(module_dir: Path) -> Path | None:
    for folder in [module_dir, *module_dir.parents][:ROOT_LEVELS + 1]:
        if (folder / "cdktf.json").is_file() or any((folder / name).is_file() for name in ENTRY_CANDIDATES):
            return folder
    return None


def _folders(root: Path) -> list[Path]:
    found = []
    for folder, subfolders, _ in os.walk(root):
        depth = len(Path(folder).relative_to(root).parts)
        subfolders[:] = sorted(s for s in subfolders if not s.startswith(".") and s not in SKIPPED_FOLDERS
                               and depth < SOURCE_DEPTH)
        found.append(Path(folder))
    return found


def _handler_files(handler: str | None, runtime: str | None) -> list[str] | None:
    """The relative paths the handler's module may be at (`app.handler` -> `app.py`), None when unknown."""
    if handler is None or "." not in handler:
        return None
    module = handler.rsplit(".", 1)[0]
    families = [f for f in HANDLER_EXTENSIONS if runtime.startswith(f)] if runtime else list(HANDLER_EXTENSIONS)
    if runtime and not families:
        return None  # a compiled runtime (java, dotnet, provided): its package is built, not a source folder
    paths = []
    for family in families:
        stem = module.replace(".", "/") if family == "python" else module
        paths += [stem + extension for extension in HANDLER_EXTENSIONS[family]]
    return paths


def _defines(text: str, function: str, extension: str) -> bool:
    """Whether a handler module's source defines `function` at its top level (or exports it, for Node.js)."""
    name = re.escape(function)
    if extension == ".py":
        pattern = rf"^(?:async[ \t]+)?def[ \t]+{name}[ \t]*\("
    else:
        pattern = (rf"^[ \t]*(?:(?:module\.)?exports\.{name}[ \t]*=|export[ \t]+(?:async[ \t]+)?function[ \t]*\*?[ \t]*"
                   rf"{name}\b|export[ \t]+(?:const|let|var)[ \t]+{name}\b)")
    return re.search(pattern, text, re.MULTILINE) is not None


def _words(text: str) -> set[str]:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return {w for w in re.split(r"[^a-z0-9]+", text.lower()) if w}


class _ProjectFiles:
    """The files of a project as the answer lays it out: the folder on disk, and the files a markdown answer brings
    (path inside the project -> text), which win over the disk's."""

    def __init__(self, root: Path, given: tuple[tuple[str, str], ...]):
        self.root = root
        self.given = {root / PurePosixPath(path): text for path, text in given
                      if not PurePosixPath(path).is_absolute() and ".." not in PurePosixPath(path).parts}

    def folders(self) -> list[Path]:
        found = dict.fromkeys(_folders(self.root))
        for path in self.given:
            for folder in path.parents:
                if folder == self.root or self.root not in folder.parents:
                    break
                if len(folder.relative_to(self.root).parts) <= SOURCE_DEPTH:
                    found.setdefault(folder)
        return list(found)

    def is_file(self, path: Path) -> bool:
        return path in self.given or path.is_file()

    def is_dir(self, path: Path) -> bool:
        return path.is_dir() or any(path in given.parents for given in self.given)

    def from_answer(self, folder: Path) -> bool:
        return any(path.parent == folder for path in self.given)

    def modules(self, folder: Path, extensions: tuple[str, ...]) -> dict[str, str]:
        """File name -> text of the folder's own source files with these extensions."""
        names = {p.name for p in self.given if p.parent == folder}
        try:
            names |= {entry.name for entry in os.scandir(folder) if entry.is_file()}
        except OSError:
            pass
        texts = {}
        for name in sorted(names):
            if not name.endswith(extensions):
                continue
            path = folder / name
            if path in self.given:
                texts[name] = self.given[path]
                continue
            try:
                texts[name] = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
        return texts


def _literal_path_parts(expr: cst.BaseExpression) -> list[str] | None:
    """["lambda", "x.zip"] for `os.path.join(os.path.dirname(__file__), "lambda", "x.zip")`, else None."""
    if not (type(expr) is cst.Call and code_of(expr.func) == "os.path.join" and expr.args):
        return None
    if code_of(expr.args[0].value).replace(" ", "") not in ("os.path.dirname(__file__)",
                                                            "os.path.dirname(os.path.abspath(__file__))"):
        return None
    parts = [string_value(a.value) for a in expr.args[1:]]
    return parts if all(p is not None for p in parts) and parts else None


def _tail_text(expr: cst.BaseExpression) -> str | None:
    """The literal end of a path expression: a string, an f-string's last part, `os.path.join`'s last argument."""
    if type(expr) is cst.FormattedString:
        last = expr.parts[-1] if expr.parts else None
        return last.value if type(last) is cst.FormattedStringText else None
    if type(expr) is cst.Call and code_of(expr.func) == "os.path.join" and expr.args:
        return _tail_text(expr.args[-1].value)
    return string_value(expr)


def _asset_path_code(parts: tuple[str, ...]) -> str:
    return "os.path.join(os.path.dirname(__file__), " + ", ".join(f'"{p}"' for p in parts) + ")"


class LambdaCodeAsset(Rule):
    id = "CDK019"
    slug = "lambda-code-asset"
    severity = Severity.CRITICAL
    summary = ("Package Lambda code named by a relative `filename` zip (that nothing builds) as a `TerraformAsset` of "
               "the handler's source folder; an ARCHIVE asset given a zip becomes a FILE asset.")
    prevents = ('terraform apply: Error: reading ZIP file (lambda/handler.zip): open lambda/handler.zip: no such file '
                'or directory')
    prevents_template = ("terraform apply: Error: reading ZIP file ({filename}): open {filename}: no such file or "
                         "directory")
    doc_url = "https://developer.hashicorp.com/terraform/cdktf/concepts/assets"
    analysis_keywords = ("zip", "deployment package", "lambda package", "lambda asset", "lambda code file",
                         "asset type", "asset path")
    # A `filename=` given as a string, or an ARCHIVE asset in a file that names a zip.
    triggers = Any(All(Text("filename"), Regex(_FILENAME_LITERAL)), All(Text("AssetType.ARCHIVE"), Text(".zip")))

    examples = (
        Example(
            before=(
                "from cdktf import TerraformAsset, AssetType\n"
                "zip_path = os.path.join(build_dir, f'{name}.zip')\n"
                "shutil.make_archive(zip_path[:-4], 'zip', source_dir)\n"
                "asset = TerraformAsset(self, 'code', path=zip_path, type=AssetType.ARCHIVE)\n"
            ),
            after=(
                "from cdktf import TerraformAsset, AssetType\n"
                "zip_path = os.path.join(build_dir, f'{name}.zip')\n"
                "shutil.make_archive(zip_path[:-4], 'zip', source_dir)\n"
                "asset = TerraformAsset(self, 'code', path=zip_path, type=AssetType.FILE)\n"
            ),
        ),
        Example(
            before=(
                "from cdktf import TerraformAsset, AssetType\n"
                "asset = TerraformAsset(self, 'code', path=f'{build_dir}/handler.zip', type=AssetType.ARCHIVE)\n"
            ),
            after=(
                "from cdktf import TerraformAsset, AssetType\n"
                "asset = TerraformAsset(self, 'code', path=f'{build_dir}/handler.zip', type=AssetType.FILE)\n"
            ),
        ),
        # A folder packaged, and code already read from an asset or an absolute path: nothing to do.
        Example(
            before=(
                "from cdktf import TerraformAsset, AssetType\n"
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "asset = TerraformAsset(self, 'code', path=os.path.join(here, 'lambda'), type=AssetType.ARCHIVE)\n"
                "LambdaFunction(self, 'fn', filename=asset.path, source_code_hash=asset.asset_hash)\n"
                "LambdaFunction(self, 'built', filename='/srv/build/fn.zip')\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._module_dir = self._module_folder()
        self._root = _project_root(self._module_dir) if self._module_dir else None
        given = self.options.project_files if self.options.project_origin else ()
        self._files = _ProjectFiles(self._root, given) if self._root is not None else None
        self._call_edits: dict[cst.Call, dict[str, cst.BaseExpression]] = {}
        # The call -> (variable, scope, construct id, path code, asset type) of the asset created before its
        # statement.
        self._new_statements: dict[cst.Call, tuple[str, str, str, str, str]] = {}
        self._inline_helper: str | None = None  # the helper's name, once an asset needs it
        self._folder_assets = False  # whether an asset packages a folder of the project (its path needs `os`)
        self._tree = tree
        self._assignments = single_assignments(tree)
        self._taken = {n.value for n in walk(tree) if type(n) is cst.Name}
        bindings = self.provider_imports
        # The function or layer whose code each asset is: `filename=TerraformAsset(...).path`, or `asset.path` of
        # an asset bound once to a name.
        self._asset_owners: dict[cst.Call, tuple[cst.Call, tuple[str, str]]] = {}
        calls = [node for node in walk(tree) if type(node) is cst.Call]
        for node in calls:
            target = bindings.resolve(node.func)
            argument = keyword_arg(node, "filename") if target in CODE_OWNERS else None
            if argument is not None and type(argument.value) is cst.Attribute and argument.value.attr.value == "path":
                asset = argument.value.value
                if type(asset) is cst.Name:
                    asset = self._assignments.get(asset.value)
                if type(asset) is cst.Call:
                    self._asset_owners[asset] = (node, target)
        for node in calls:
            target = bindings.resolve(node.func)
            if target in CODE_OWNERS:
                self._plan_code(node, target)
            elif code_of(node.func) in ("TerraformAsset", "cdktf.TerraformAsset"):
                self._plan_asset_type(node)
        if not self._call_edits:
            return tree
        tree = tree.visit(self)
        if self._new_statements:
            tree = _ensure_imports(self.context, tree, self._folder_assets)
        if self._inline_helper is not None:
            tree = _with_helper(tree, _INLINE_HELPER_CODE.format(name=self._inline_helper))
        return tree

    def _module_folder(self) -> Path | None:
        filename = self.context.filename
        if filename and not filename.startswith("<") and not os.path.isabs(filename) and self.options.project_origin:
            # A markdown answer's block, named by its path inside the answer's project (`lib/tap_stack.py`).
            project = self.options.project_for(filename)
            if project is not None:
                return (project.root / filename).parent
        if not filename or filename.startswith("<") or not os.path.isfile(filename):
            return None  # a string, stdin, or a block named but not on disk: no project to look into
        # A stack module's folder, or a markdown answer's (`<task>/lib/MODEL_RESPONSE.md`, its blocks' `lib/`).
        return Path(os.path.abspath(filename)).parent

    # -- a relative `filename` -----------------------------------------------------------------------------------
    def _plan_code(self, call: cst.Call, target: tuple[str, str]) -> None:
        argument = keyword_arg(call, "filename")
        filename = string_value(argument.value) if argument else None
        if filename is None or os.path.isabs(filename) or "${" in filename:
            return
        facts = {"filename": filename}
        where = f"`filename={filename!r}` is read relative to the stack's synth folder, where nothing creates it"
        if self._root is None:
            if not self._plan_inline(call, argument, where, facts):
                self.report(argument, f"{where}; package the handler's source folder with a TerraformAsset "
                            "(no project around this file to find it in)", fixed=False, facts=facts)
            return
        # A zip the project already holds is uploaded as it is; otherwise the handler's folder is packaged.
        built = list(dict.fromkeys(b / filename for b in (self._root, self._module_dir)
                                   if self._files.is_file(b / filename)))
        kind = "FILE" if len(built) == 1 else "ARCHIVE"
        candidates = [(b, None) for b in built] if len(built) == 1 else self._source_candidates(call, target, filename)
        if not candidates and self._plan_inline(call, argument, where, facts):
            return
        if len(candidates) != 1:
            listed = ", ".join(self._shown(folder, module) for folder, module in candidates)
            why = f"several folders could be its source: {listed}" if candidates else \
                "no folder of the project holds its source"
            self.report(argument, f"{where}; {why}", fixed=False, facts=facts)
            return
        (folder, handler), = candidates
        named = _asset_id(call)
        scope = construct_scope(call)
        if named is None or scope is None:
            self.report(argument, f"{where}; its source is {folder.relative_to(self._root).as_posix()} but the "
                        "construct's id cannot name the asset", fixed=False, facts=facts)
            return
        asset_id, readable = named
        relative = os.path.relpath(folder, self._module_dir).split(os.sep)
        handler_argument = keyword_arg(call, "handler")
        renamed = ""
        if handler is not None:
            renamed = (f"; its handler {string_value(handler_argument.value)!r} names no module there, "
                       f"{handler!r} is the one module that defines the function")
        if not self.report(argument, f"{where}; packaged from {folder.relative_to(self._root).as_posix()} as a "
                           f"TerraformAsset ({kind}){renamed}", facts=facts):
            return
        variable = unique_identifier(snake_identifier(readable) + "_asset", self._taken)
        self._new_statements[call] = (variable, code_of(scope), asset_id, _asset_path_code(tuple(relative)), kind)
        self._folder_assets = True
        self._call_edits[call] = {"filename": cst.parse_expression(f"{variable}.path"),
                                  "source_code_hash": cst.parse_expression(f"{variable}.asset_hash")}
        if handler is not None:
            self._call_edits[call]["handler"] = _same_quotes(handler_argument.value, handler)

    def _plan_inline(self, call: cst.Call, argument: cst.Arg, where: str, facts: dict) -> bool:
        """Package the handler's source the code holds in a string, when exactly one string assigned once, where the
        call can read it, defines the handler's function; whether it was planned (or reported as suppressed)."""
        handler = string_value(getattr(keyword_arg(call, "handler"), "value", None))
        runtime = string_value(getattr(keyword_arg(call, "runtime"), "value", None))
        files = _handler_files(handler, runtime)
        if not files or runtime is None:
            return False
        file_name = files[0]  # python: the one module; Node.js: `.js`, or `.mjs` for an ES module (below)
        function = handler.rsplit(".", 1)[1]
        extension = file_name[file_name.rfind("."):]
        visible = self._visible_statements(call)
        sources = [(name, string_value(value)) for name, value in self._assignments.items()
                   if "." not in name and type(value) in (cst.SimpleString, cst.ConcatenatedString)
                   and _defines(string_value(value) or "", function, extension)
                   and any(value in walk(statement) for statement in visible)]
        named = _asset_id(call)
        scope = construct_scope(call)
        if len(sources) != 1 or named is None or scope is None:
            return False
        ((source, text),) = sources
        if extension != ".py" and re.search(r"^[ \t]*(?:export|import)[ \t]", text, re.MULTILINE):
            file_name = file_name[: -len(extension)] + ".mjs"  # Node.js loads `export` syntax from an .mjs file
        asset_id, readable = named
        if not self.report(argument, f"{where}; packaged from the handler's source the code holds in `{source}`, "
                           f"written at synth as {file_name} into a folder of its own, as a TerraformAsset (ARCHIVE)",
                           facts=facts):
            return True
        if self._inline_helper is None:
            self._inline_helper = unique_identifier(INLINE_HELPER, self._taken)
        variable = unique_identifier(snake_identifier(readable) + "_asset", self._taken)
        path = f'{self._inline_helper}({source}, "{file_name}")'
        self._new_statements[call] = (variable, code_of(scope), asset_id, path, "ARCHIVE")
        self._call_edits[call] = {"filename": cst.parse_expression(f"{variable}.path"),
                                  "source_code_hash": cst.parse_expression(f"{variable}.asset_hash")}
        return True

    def _visible_statements(self, call: cst.Call) -> list[cst.CSTNode]:
        """The statements whose assignments the call can read: the module's own, and those of the function it is
        in (the innermost one)."""
        statements = [s for s in self._tree.body if type(s) is cst.SimpleStatementLine]
        inner = None
        for node in walk(self._tree):
            if type(node) is cst.FunctionDef and call in walk(node):
                inner = node  # walk goes outside in: the last one holding the call is the innermost
        if inner is not None:
            statements.append(inner.body)
        return statements

    def _shown(self, folder: Path, handler: str | None) -> str:
        shown = folder.relative_to(self._root).as_posix()
        return f"{shown} ({handler})" if handler else shown

    def _source_candidates(self, call: cst.Call, target: tuple[str, str],
                           filename: str) -> list[tuple[Path, str | None]]:
        """The project's folders that can be the code's source, each with the handler to name when the function's
        own one names no module there: they hold the handler's module, or are named like the zip
        (`layers/common.zip` -> `layers/common/`), or hold the one module that defines the handler's function."""
        excluded = {self._root, self._module_dir}
        bases = [self._root, self._module_dir]
        stem = filename[:-4] if filename.endswith(".zip") else None
        named = [b / stem for b in bases if stem and self._files.is_dir(b / stem) and b / stem not in excluded]
        named = list(dict.fromkeys(named))
        if target[1] == "LambdaLayerVersion":
            return [(folder, None) for folder in named]
        handler = string_value(getattr(keyword_arg(call, "handler"), "value", None))
        runtime = string_value(getattr(keyword_arg(call, "runtime"), "value", None))
        files = _handler_files(handler, runtime)
        if files is None:
            return [(folder, None) for folder in named]
        folders = [f for f in self._files.folders() if f not in excluded]
        holding = [f for f in folders if any(self._files.is_file(f / name) for name in files)]
        if len(holding) > 1 and stem:
            # The zip's path names its folder (`lambda/orders.zip`: lambda/orders/, not lib/lambda/orders/), else
            # the zip's name tells the folders apart (`lambda/payment-processor.zip`).
            exact = [f for f in holding if f in named]
            by_name = [f for f in holding if f.name == Path(stem).name or f in named]
            holding = exact if len(exact) == 1 else by_name or holding
        if len(holding) > 1:
            # The answer's own code over what its task folder holds already.
            holding = [f for f in holding if self._files.from_answer(f)] or holding
        if len(holding) > 1:
            # Functions that share one zip name and one handler module (`filename="lambda_function.zip"`,
            # `handler="handler.main"` for both) are told apart by their own words: the folder named by words of
            # the function's id or name (`validation-lambda`: lambda/validation/, not lambda/rollback/).
            words = self._function_words(call)
            holding = [f for f in holding if _words(f.name) <= words] or holding
        if holding:
            return [(folder, None) for folder in holding]
        return self._defining_modules(call, handler, runtime, folders, stem)

    def _defining_modules(self, call: cst.Call, handler: str, runtime: str | None, folders: list[Path],
                          stem: str | None) -> list[tuple[Path, str | None]]:
        """(folder, new handler) for each top-level module of a folder that defines the handler's function, when
        no folder holds the module the handler names; narrowed to the answer's own files, the zip's name, and the
        words of the function's id and name, each only when that leaves some."""
        function = handler.rsplit(".", 1)[1]
        families = [f for f in HANDLER_EXTENSIONS if runtime.startswith(f)] if runtime else list(HANDLER_EXTENSIONS)
        extensions = tuple(e for family in families for e in HANDLER_EXTENSIONS[family])
        found = []
        for folder in folders:
            for name, text in self._files.modules(folder, extensions).items():
                extension = name[name.rfind("."):]
                module = name[: -len(extension)]
                if module.isidentifier() and _defines(text, function, extension):
                    found.append((folder, f"{module}.{function}"))
        words = self._function_words(call)
        for narrow in (lambda f, h: self._files.from_answer(f),
                       lambda f, h: bool(stem) and (f.name == Path(stem).name or h.split(".")[0] == Path(stem).name),
                       lambda f, h: _words(h.rsplit(".", 1)[0]) <= words):
            if len(found) > 1:
                found = [c for c in found if narrow(*c)] or found
        return found

    @staticmethod
    def _function_words(call: cst.Call) -> set[str]:
        """The words of the function's construct id and of its literal name."""
        return _words(" ".join(t for t in (_id_text(call), _literal_text(
            getattr(keyword_arg(call, "function_name"), "value", None))) if t))

    # -- an ARCHIVE asset given a zip -------------------------------------------------------------------------------
    def _plan_asset_type(self, call: cst.Call) -> None:
        kind, path = keyword_arg(call, "type"), keyword_arg(call, "path")
        if kind is None or path is None or not code_of(kind.value).endswith("AssetType.ARCHIVE"):
            return
        expression = path.value
        if type(expression) is cst.Name and expression.value in self._assignments:
            expression = self._assignments[expression.value]
        tail = _tail_text(expression)
        if tail is None or not tail.endswith(".zip"):
            return
        parts = _literal_path_parts(expression) if expression is path.value else None
        message = "an ARCHIVE asset packages a folder; this path names a zip"
        if parts is None:
            # Built by the program itself (a temporary folder, a variable): uploaded as the zip it is.
            if self.report(kind, f"{message}, uploaded as it is (AssetType.FILE)"):
                self._call_edits[call] = {"type": _with_member(kind.value, "FILE")}
            return
        if self._module_dir is None:
            self.report(kind, f"{message}; package its source folder or upload an existing zip as AssetType.FILE",
                        fixed=False)
            return
        zip_file = self._module_dir.joinpath(*parts)
        folder = zip_file.with_suffix("")
        if zip_file.is_file():
            if self.report(kind, f"{message}, uploaded as it is (AssetType.FILE)"):
                self._call_edits[call] = {"type": _with_member(kind.value, "FILE")}
        elif folder.is_dir():
            if self.report(path, f"{message} that does not exist; packaging the folder {folder.name}/ instead"):
                self._call_edits[call] = {"path": cst.parse_expression(_asset_path_code((*parts[:-1], folder.name)))}
        elif call in self._asset_owners and self._root is not None:
            # The function's own source: the one folder holding its handler's module (the zip's folder first).
            owner, target = self._asset_owners[call]
            candidates = self._source_candidates(owner, target, "/".join(parts))
            beside = [c for c in candidates if c[0] == zip_file.parent]
            candidates = beside or candidates
            if len(candidates) != 1:
                listed = ", ".join(self._shown(f, h) for f, h in candidates)
                why = f"several folders could be its source: {listed}" if candidates else \
                    "no folder of the project holds its handler"
                self.report(kind, f"{message} that does not exist, nor a folder {folder.name}/ beside it; {why}",
                            fixed=False)
                return
            (source, handler), = candidates
            relative = tuple(os.path.relpath(source, self._module_dir).split(os.sep))
            renamed = f"; the function's handler becomes {handler!r}, the one module defining it" if handler else ""
            if self.report(path, f"{message} that does not exist; packaging the folder that holds the function's "
                                 f"handler, {source.relative_to(self._root).as_posix()}/, instead{renamed}"):
                self._call_edits[call] = {"path": cst.parse_expression(_asset_path_code(relative))}
                handler_argument = keyword_arg(owner, "handler")
                if handler is not None and handler_argument is not None:
                    self._call_edits.setdefault(owner, {})["handler"] = _same_quotes(handler_argument.value, handler)
        else:
            self.report(kind, f"{message} that does not exist, nor a folder {folder.name}/ beside it", fixed=False)

    # -- the edits -----------------------------------------------------------------------------------------------------
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        changes = self._call_edits.get(original_node)
        if not changes:
            return updated_node
        args = list(updated_node.args)
        missing = dict(changes)
        for index, arg in enumerate(args):
            if arg.keyword is not None and arg.keyword.value in missing:
                args[index] = arg.with_changes(value=missing.pop(arg.keyword.value))
        for name, value in missing.items():
            # Beside the argument it belongs with (`source_code_hash` after `filename`), in that argument's layout.
            anchor = next((i for i, a in enumerate(args) if a.keyword is not None and a.keyword.value == "filename"),
                          None)
            if anchor is None or anchor == len(args) - 1:
                args = list(add_keyword_arg(updated_node.with_changes(args=args), name, value).args)
                continue
            equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                    whitespace_after=cst.SimpleWhitespace(""))
            args.insert(anchor + 1, cst.Arg(value=value, keyword=cst.Name(name), equal=equal,
                                            comma=args[anchor].comma))
        return updated_node.with_changes(args=args)

    def leave_IndentedBlock(self, original_node, updated_node):
        return updated_node.with_changes(body=self._with_assets(original_node.body, updated_node.body))

    def leave_Module(self, original_node, updated_node):
        return updated_node.with_changes(body=self._with_assets(original_node.body, updated_node.body))

    def _with_assets(self, original_body, updated_body) -> list:
        if not self._new_statements:
            return list(updated_body)
        body = []
        for original, updated in zip(original_body, updated_body):
            if type(original) is cst.SimpleStatementLine:
                news = [_asset_statement(*self._new_statements[c], indent=self.position(original)[1] - 1)
                        for c in walk(original) if c in self._new_statements]
                if news:
                    # The asset comes first; the statement's own comment stays with it.
                    lines = list(updated.leading_lines)
                    first_comment = next((i for i, line in enumerate(lines) if line.comment is not None), len(lines))
                    news[0] = news[0].with_changes(leading_lines=lines[:first_comment])
                    updated = updated.with_changes(leading_lines=lines[first_comment:])
                    body += news
            body.append(updated)
        return body

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        findings = []
        for resource_type in CODE_OWNERS.values():
            for name, body in stack.get("resource", {}).get(resource_type, {}).items():
                filename = body.get("filename")
                if (isinstance(filename, str) and "${" not in filename and not os.path.isabs(filename)
                        and not filename.startswith(ASSET_PREFIX)):
                    findings.append(JsonFinding(cls.id, f"{resource_type}.{name}",
                                                f"filename {filename!r} is read relative to the stack's synth "
                                                "folder, where nothing creates it"))
        return findings


def _asset_id(call: cst.Call) -> tuple[str, str] | None:
    """(code of the asset's construct id, a readable name for its variable): the function's own id followed by
    `-asset`, so that an asset created in a loop is as unique as its function."""
    literal = construct_id(call)
    if literal is not None:
        return f'"{literal}-asset"', literal
    positional = [a for a in call.args if a.keyword is None and not a.star]
    expression = positional[1].value if len(positional) >= 2 else getattr(keyword_arg(call, "id_"), "value", None)
    if type(expression) is cst.FormattedString and len(expression.end) == 1:
        text = "".join(p.value for p in expression.parts if type(p) is cst.FormattedStringText)
        code = code_of(expression)
        return code[:-1] + "-asset" + code[-1], text or "lambda_code"
    if expression is not None and '"' not in code_of(expression) and "\n" not in code_of(expression):
        return f'f"{{{code_of(expression)}}}-asset"', code_of(expression)
    return None


def _id_text(call: cst.Call) -> str | None:
    """The text of a construct id, literal or the literal parts of an f-string."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return _literal_text(positional[1].value if len(positional) >= 2 else
                         getattr(keyword_arg(call, "id_"), "value", None))


def _literal_text(expression: cst.BaseExpression | None) -> str | None:
    """A string's text, or the literal parts of an f-string (`f"v2-payment-validation-{env}"`)."""
    if type(expression) is cst.FormattedString:
        return " ".join(p.value for p in expression.parts if type(p) is cst.FormattedStringText)
    return string_value(expression) if expression is not None else None


def _same_quotes(original: cst.BaseExpression, value: str) -> cst.SimpleString:
    quote = original.quote if type(original) is cst.SimpleString else '"'
    return cst.SimpleString(f"{quote}{value}{quote}")


def _asset_statement(variable: str, scope: str, asset_id: str, path: str, kind: str, indent: int):
    arguments = [scope, asset_id, f"path={path}", f"type=AssetType.{kind}"]
    line = f"{variable} = TerraformAsset({', '.join(arguments)})"
    if indent + len(line) <= MAX_LINE:
        return cst.parse_statement(line + "\n")
    # One argument a line; libcst indents the lines inside the brackets by the block's own indentation.
    body = "".join(f"    {argument},\n" for argument in arguments)
    return cst.parse_statement(f"{variable} = TerraformAsset(\n{body})\n")


def _with_member(expr: cst.BaseExpression, member: str) -> cst.BaseExpression:
    return expr.with_changes(attr=cst.Name(member)) if type(expr) is cst.Attribute else expr


def _ensure_imports(context, tree: cst.Module, folders: bool) -> cst.Module:
    """cdktf's TerraformAsset and AssetType, and `os` for the paths of folders of the project."""
    bound = _imported_names(tree)
    for name in ("TerraformAsset", "AssetType"):
        if name not in bound:
            tree = add_import(context, tree, "cdktf", name)
    if folders and "os" not in bound:
        body = list(tree.body)
        position = next((i for i, s in enumerate(body) if type(s) is cst.SimpleStatementLine
                         and any(type(small) in (cst.Import, cst.ImportFrom) for small in s.body)), 0)
        statement = cst.parse_statement("import os\n")
        if position < len(body):
            statement = statement.with_changes(leading_lines=body[position].leading_lines)
            body[position] = body[position].with_changes(leading_lines=[])
        body.insert(position, statement)
        tree = tree.with_changes(body=body)
    return tree


def _with_helper(tree: cst.Module, code: str) -> cst.Module:
    """The module with a helper function after its imports (before its first other statement)."""
    body = list(tree.body)
    position = next((i for i, s in enumerate(body) if not (type(s) is cst.SimpleStatementLine and all(
        type(small) in (cst.Import, cst.ImportFrom, cst.Expr) for small in s.body))), len(body))
    helper = cst.parse_statement(code.lstrip("\n"))
    helper = helper.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
    if position < len(body):
        following = body[position]
        blank = [cst.EmptyLine(), cst.EmptyLine()]
        lines = list(following.leading_lines)
        while lines and lines[0].comment is None:
            lines.pop(0)
        body[position] = following.with_changes(leading_lines=blank + lines)
    body.insert(position, helper)
    return tree.with_changes(body=body)


def _imported_names(tree: cst.Module) -> set[str]:
    names = set()
    for statement in tree.body:
        if type(statement) is cst.SimpleStatementLine:
            for small in statement.body:
                if type(small) in (cst.Import, cst.ImportFrom) and type(small.names) is not cst.ImportStar:
                    for alias in small.names:
                        bound = alias.asname.name if alias.asname else alias.name
                        names.add(code_of(bound).split(".")[0])
    return names
