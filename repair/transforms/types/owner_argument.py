"""CDK036 owner-argument: a call passes an attribute of an object where the callee reads that object's attributes.

Answers split a stack into plain classes (`NetworkStack`, `ComputeStack`) and hand one the other's resources:
`ComputeStack(self, "compute", vpc=network.vpc)`, while `ComputeStack` reads `vpc.lambda_security_group.id`. The
security group is an attribute of `network` (its constructor sets `self.lambda_security_group`), not of the `Vpc`
construct the call passes: Python stops the app at synth with "AttributeError: 'Vpc' object has no attribute
'lambda_security_group'".

The repair passes the object itself (`vpc=network`), and only when that is certain to be what every read means:
- the called class is the file's own or imported from one of the project's modules, and its `__init__` uses the
  parameter only to read attributes of it (`vpc.x`: never stored, passed on, called or rebound);
- the object (`network`) is bound once, in the call's function or module, to a call of a class of the project,
  whose instances set (`self.x = ...` in any of its methods) or define every attribute the callee reads;
- the value passed (`network.vpc`) is set by that class only to calls of one class, a provider construct (known
  from the installed provider and cdktf) or a class of the project, which has none of the attributes read: each
  read fails as the code is, and each one reads the object's attribute of that name once repaired.
Anything else (a read the object lacks as well, a value of unknown class, a parameter used otherwise) is left alone;
a read the value's class lacks while the object has it is reported with what to pass.
"""

from __future__ import annotations

import ast

import libcst as cst

from repair.cdktf_index import construct_members
from repair.provider_index import PACKAGE
from repair.transforms._base import Example, Rule, Severity
from repair.transforms._cst import apply_leaves, code_of, iter_children, walk
from repair.transforms._project_flow import _same_module, project_sources
from repair.transforms._triggers import ProjectClassCall

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class _Module:
    """One module of the project, read with `ast`: its classes and what its imports bind."""

    def __init__(self, source: str, dotted: str | None) -> None:
        self.tree = ast.parse(source)
        self.classes = {s.name: s for s in self.tree.body if isinstance(s, ast.ClassDef)}
        self.imports: dict[str, tuple[str, str]] = {}  # local name -> (module, name), `from module import name`
        self.module_imports: dict[str, str] = {}  # local name -> module, `import module` / `from pkg import module`
        package = dotted.split(".")[:-1] if dotted else None  # a relative import's base (`from .net import X`)
        for statement in self.tree.body:
            if isinstance(statement, ast.ImportFrom) and (statement.level == 0 and statement.module or (
                    package is not None and 0 < statement.level <= len(package) + 1)):
                base = package[:len(package) - statement.level + 1] if statement.level else []
                module = ".".join([*base, *([statement.module] if statement.module else [])])
                for alias in statement.names:
                    self.imports[alias.asname or alias.name] = (module, alias.name)
            elif isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.asname:
                        self.module_imports[alias.asname] = alias.name


class OwnerArgument(Rule):
    id = "CDK036"
    slug = "owner-argument"
    severity = Severity.CRITICAL
    summary = ("Pass the object whose attributes the callee reads (`vpc=network`) where the call passes an "
               "attribute of it (`vpc=network.vpc`) that has none of them.")
    prevents = "AttributeError: 'Vpc' object has no attribute 'lambda_security_group' (cdktf synth fails)"
    prevents_template = "AttributeError: '{value_class}' object has no attribute '{attribute}' (cdktf synth fails)"
    doc_url = "https://docs.python.org/3/tutorial/classes.html#instance-objects"
    analysis_keywords = ("no attribute", "wrong object passed", "attribute error")
    # A call of the file's own (or the project's) class with a keyword given `name.attr`.
    triggers = ProjectClassCall()
    reads_project = True  # the classes a call passes into may be in the project's other modules
    synth_errors = (r"^AttributeError: '(?!NoneType')[A-Z]\w*' object has no attribute '\w+'",)
    examples = (
        Example(
            before=(
                "from cdktf import TerraformStack\n"
                "from cdktf_cdktf_provider_aws.vpc import Vpc\n"
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "class Network:\n"
                "    def __init__(self, scope):\n"
                "        self.vpc = Vpc(scope, 'vpc', cidr_block='10.0.0.0/16')\n"
                "        self.app_sg = SecurityGroup(scope, 'app', vpc_id=self.vpc.id)\n"
                "class Compute:\n"
                "    def __init__(self, scope, vpc):\n"
                "        LambdaFunction(scope, 'fn', function_name='fn', role='r',\n"
                "                       vpc_config={'subnet_ids': [], 'security_group_ids': [vpc.app_sg.id]})\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        network = Network(self)\n"
                "        Compute(self, vpc=network.vpc)\n"
            ),
            after=(
                "from cdktf import TerraformStack\n"
                "from cdktf_cdktf_provider_aws.vpc import Vpc\n"
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "class Network:\n"
                "    def __init__(self, scope):\n"
                "        self.vpc = Vpc(scope, 'vpc', cidr_block='10.0.0.0/16')\n"
                "        self.app_sg = SecurityGroup(scope, 'app', vpc_id=self.vpc.id)\n"
                "class Compute:\n"
                "    def __init__(self, scope, vpc):\n"
                "        LambdaFunction(scope, 'fn', function_name='fn', role='r',\n"
                "                       vpc_config={'subnet_ids': [], 'security_group_ids': [vpc.app_sg.id]})\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        network = Network(self)\n"
                "        Compute(self, vpc=network)\n"
            ),
        ),
        # The callee reads the VPC's own `id` too: the value passed is meant, for that read at least.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.vpc import Vpc\n"
                "class Network:\n"
                "    def __init__(self, scope):\n"
                "        self.vpc = Vpc(scope, 'vpc', cidr_block='10.0.0.0/16')\n"
                "class Compute:\n"
                "    def __init__(self, scope, vpc):\n"
                "        self.vpc_id = vpc.id\n"
                "def build(scope):\n"
                "    network = Network(scope)\n"
                "    Compute(scope, vpc=network.vpc)\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        # Cheap first: a call of a class the file defines or imports from a module of its own, passing a keyword
        # `x=name.attr`; most files have none, and are not read further.
        local = _local_names(tree)
        if not local or not any(
                type(node) is cst.Call and type(node.func) is cst.Name and node.func.value in local and any(
                    a.keyword is not None and type(a.value) is cst.Attribute and type(a.value.value) is cst.Name
                    for a in node.args) for node in walk(tree)):
            return tree
        project = self.context.project
        code = self._code or tree.code
        try:
            here = _Module(code, project.module_of(self.context.filename) if project is not None else None)
        except SyntaxError:
            return tree
        self._sources = (project_sources(project, self.options, self.context.filename, code)
                         if project is not None else {})
        self._modules: dict[str, _Module | None] = {}
        self._here = here
        edits: dict[cst.CSTNode, object] = {}
        for scope in self._scopes(tree):
            self._check_scope(scope, edits)
        return apply_leaves(tree, edits) if edits else tree

    # -- where calls are made ----------------------------------------------------------------------------------
    @staticmethod
    def _scopes(tree: cst.Module):
        """The module and every function in it: each binds its own names."""
        yield tree
        yield from (node for node in walk(tree) if type(node) is cst.FunctionDef)

    def _check_scope(self, scope, edits: dict) -> None:
        body = scope.body.body if type(scope) is cst.FunctionDef else scope.body
        if not isinstance(body, (list, tuple)):
            return
        bindings: dict[str, list[cst.BaseExpression | None]] = {}
        calls: list[cst.Call] = []
        if type(scope) is cst.FunctionDef:
            for param in (*scope.params.params, *scope.params.kwonly_params, *scope.params.posonly_params):
                bindings.setdefault(param.name.value, []).append(None)
        _collect(body, bindings, calls)
        for call in calls:
            klass = self._class_of(call.func)
            if klass is None:
                continue
            callee, module = klass
            for arg in call.args:
                value = arg.value
                if arg.keyword is None or type(value) is not cst.Attribute or type(value.value) is not cst.Name:
                    continue
                owner = value.value.value
                bound = bindings.get(owner, [])
                if len(bound) != 1 or type(bound[0]) is not cst.Call:
                    continue
                self._check_argument(arg, callee, module, bound[0], edits)

    # -- the classes -------------------------------------------------------------------------------------------
    def _module(self, dotted: str) -> _Module | None:
        """A module of the project by its dotted name as imported (a markdown answer's block, or a file of the
        project's folder: repair/transforms/_project_flow.py), read with `ast`; None for any other module."""
        if dotted in self._modules:
            return self._modules[dotted]
        found = None
        if not dotted.startswith((PACKAGE, "cdktf", "constructs")):
            names = [dotted] if dotted in self._sources else [n for n in self._sources if _same_module(dotted, n)]
            if len(names) == 1:
                try:
                    found = _Module(self._sources[names[0]], names[0])
                except (SyntaxError, ValueError):
                    found = None
        self._modules[dotted] = found
        return found

    def _resolve(self, name: str, module: _Module) -> tuple[ast.ClassDef, _Module] | None:
        """The project class a name of `module` stands for: defined there, or imported from a project module."""
        if name in module.classes:
            return module.classes[name], module
        if name in module.imports:
            source, original = module.imports[name]
            other = self._module(source)
            if other is not None and original in other.classes:
                return other.classes[original], other
        return None

    def _class_of(self, func: cst.BaseExpression) -> tuple[ast.ClassDef, _Module] | None:
        return self._resolve(func.value, self._here) if type(func) is cst.Name else None

    # -- the check ---------------------------------------------------------------------------------------------
    def _check_argument(self, arg: cst.Arg, callee: ast.ClassDef, callee_module: _Module, owner_call: cst.Call,
                        edits: dict) -> None:
        reads = _parameter_reads(callee, arg.keyword.value)
        if not reads:
            return
        owner = self._class_of(owner_call.func)
        if owner is None:
            return
        owner_class, owner_module = owner
        attribute = arg.value.attr.value
        owner_has = _instance_attributes(owner_class)
        value_has = self._value_attributes(owner_class, owner_module, attribute)
        if attribute not in owner_has or value_has is None:
            return
        value_class, value_names = value_has
        lacking = sorted(reads - value_names)
        if not lacking or reads & value_names:
            return  # every read works as it is, or some read means the value passed
        owner_name = arg.value.value.value
        where = f"{callee.name}({arg.keyword.value}={code_of(arg.value)})"
        if not reads <= owner_has:
            missing = sorted(reads - owner_has)
            self.report(arg.value, f"{where} reads {', '.join(lacking)} of a {value_class}, which has none of them; "
                        f"{owner_name} has some but not {', '.join(missing)}: which object is meant is not in the "
                        "code", fixed=False, facts={"value_class": value_class, "attribute": lacking[0]})
            return
        if self.report(arg.value, f"{where} reads {', '.join(lacking)} of a {value_class}, which has none of them: "
                       f"attributes of {owner_name} ({owner_class.name}); passed {owner_name} itself",
                       facts={"value_class": value_class, "attribute": lacking[0]}):
            edits[arg.value] = lambda updated: updated.value.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def _value_attributes(self, owner: ast.ClassDef, module: _Module, attribute: str
                          ) -> tuple[str, set[str]] | None:
        """(class name, every name its instances have) of what the owner's class sets `self.<attribute>` to:
        calls of one class, a provider construct or a class of the project; None when unknown."""
        targets = set()
        for node in ast.walk(owner):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if _is_self_attribute(target, attribute):
                        targets.add(ast.dump(node.value.func) if isinstance(node.value, ast.Call) else None)
                        value = node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None and _is_self_attribute(node.target,
                                                                                                    attribute):
                targets.add(ast.dump(node.value.func) if isinstance(node.value, ast.Call) else None)
                value = node.value
        if len(targets) != 1 or None in targets:
            return None
        func = value.func
        if isinstance(func, ast.Name):
            local = self._resolve(func.id, module)
            if local is not None:
                klass = local[0]
                if klass.bases or klass.keywords:
                    return None  # what it inherits is not read here
                return klass.name, _instance_attributes(klass)
            imported = module.imports.get(func.id)
            if imported is None or not imported[0].startswith(f"{PACKAGE}."):
                return None
            provider_module, class_name = imported[0][len(PACKAGE) + 1:], imported[1]
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            source = module.imports.get(func.value.id)
            path = module.module_imports.get(func.value.id)
            if source is not None and source[0] == PACKAGE:
                provider_module = source[1]
            elif path is not None and path.startswith(f"{PACKAGE}."):
                provider_module = path[len(PACKAGE) + 1:]
            else:
                return None
            class_name = func.attr
        else:
            return None
        index = self.options.provider_index()
        members = index.members(provider_module, class_name)
        inherited = construct_members()
        if not members or not inherited:
            return None  # not a class of the installed provider, or cdktf unknown: nothing is certain
        return class_name, set(members) | set(index.attributes(provider_module, class_name)) | set(inherited)


def _local_names(tree: cst.Module) -> set[str]:
    """The classes the module defines, and the names it imports from modules that are not cdktf's, constructs' or
    the provider's (perhaps the project's own)."""
    found = set()
    for statement in tree.body:
        if type(statement) is cst.ClassDef:
            found.add(statement.name.value)
        for small in statement.body if type(statement) is cst.SimpleStatementLine else ():
            if type(small) is cst.ImportFrom and type(small.names) is not cst.ImportStar and (
                    small.relative or code_of(small.module).split(".")[0] not in (PACKAGE, "cdktf", "constructs")):
                found.update(code_of(a.asname.name if a.asname else a.name) for a in small.names)
    return found


def _collect(statements, bindings: dict, calls: list) -> None:
    """The names bound in a function's own statements (value of each `name = value`, None for any other binding)
    and the calls made there, not inside nested functions or classes."""
    for statement in statements:
        if type(statement) in (cst.FunctionDef, cst.ClassDef):
            bindings.setdefault(statement.name.value, []).append(None)
            continue
        stack = [statement]
        while stack:
            node = stack.pop()
            if type(node) in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
                continue
            if type(node) is cst.Call:
                calls.append(node)
            if type(node) is cst.Assign:
                for target in node.targets:
                    _bind(target.target, node.value if len(node.targets) == 1 else None, bindings)
            elif type(node) in (cst.AnnAssign, cst.AugAssign):
                _bind(node.target, None, bindings)
            elif type(node) in (cst.For, cst.CompFor):
                _bind(node.target, None, bindings)
            elif type(node) is cst.NamedExpr:
                _bind(node.target, None, bindings)
            elif isinstance(node, (cst.With,)):
                for item in node.items:
                    if item.asname is not None:
                        _bind(item.asname.name, None, bindings)
            elif type(node) in (cst.Import, cst.ImportFrom) and type(node.names) is not cst.ImportStar:
                for alias in node.names:
                    bound = alias.asname.name if alias.asname else alias.name
                    if type(bound) is cst.Name:
                        bindings.setdefault(bound.value, []).append(None)
            elif type(node) is cst.ExceptHandler and node.name is not None:
                _bind(node.name.name, None, bindings)
            stack.extend(reversed(list(iter_children(node))))


def _bind(target, value, bindings: dict) -> None:
    if type(target) is cst.Name:
        bindings.setdefault(target.value, []).append(value)
    elif type(target) in (cst.Tuple, cst.List):
        for element in target.elements:
            _bind(element.value, None, bindings)
    elif type(target) is cst.StarredElement:
        _bind(target.value, None, bindings)


def _parameter_reads(klass: ast.ClassDef, parameter: str) -> set[str]:
    """The attributes `__init__` reads of its parameter, when reading attributes is all it does with it (else the
    empty set)."""
    init = next((s for s in klass.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
    if init is None:
        return set()
    args = init.args
    if parameter not in {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}:
        return set()
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(init):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    reads: set[str] = set()
    for node in ast.walk(init):
        if isinstance(node, _NESTED) and node is not init:
            names = {a.arg for a in ast.walk(node) if isinstance(a, ast.arg)}
            if parameter in names or (isinstance(node, ast.ClassDef)):
                return set()  # shadowed, or read where this reading does not follow
        if isinstance(node, ast.Name) and node.id == parameter:
            parent = parents.get(node)
            if not (isinstance(node.ctx, ast.Load) and isinstance(parent, ast.Attribute) and parent.value is node
                    and isinstance(parent.ctx, ast.Load)):
                return set()
            reads.add(parent.attr)
        elif isinstance(node, (ast.Global, ast.Nonlocal)) and parameter in node.names:
            return set()
    return reads


def _is_self_attribute(target: ast.AST, attribute: str | None = None) -> bool:
    return (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"
            and (attribute is None or target.attr == attribute))


def _instance_attributes(klass: ast.ClassDef) -> set[str]:
    """What an instance of a class of the project has by its own code: `self.x = ...` in any method, and the
    names its body defines (methods, properties, class attributes)."""
    found: set[str] = set()
    for statement in klass.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(statement.name)
        elif isinstance(statement, ast.Assign):
            found.update(t.id for t in statement.targets if isinstance(t, ast.Name))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            found.add(statement.target.id)
    for node in ast.walk(klass):
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else [])
        for target in targets:
            for part in ast.walk(target):
                if _is_self_attribute(part) and isinstance(part.ctx, ast.Store):
                    found.add(part.attr)
    return found
