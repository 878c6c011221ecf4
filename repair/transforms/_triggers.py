"""What a rule declares a file must show for the rule to possibly apply, and the reading of a file those
declarations are tested on.

A rule's `triggers` is a declaration, not a second matcher: text it needs (`Text`, `Regex`, `Repeated`,
`SharedWord`, combined with `All`, `Any`, `Not`), or, for the rules about provider types, the provider facts it
concerns: a provider name the provider does not export (`ImportsUnknownName`), an argument the installed provider
types in a way the rule cares about (`ProviderArgument`, `ModuleArgument`), an argument no signature takes
(`UnknownArgument`, `UnknownKey`), a name some package provides that no import names (`Unimported`). Where the text
would admit every file that imports the provider, the structure of the code: a call of a provider class of some kind
(`ProviderCall`), an attribute read on a value built by a provider construct (`ConstructRead`), a string literal's
text (`InString`), a call of the project's own class (`ProjectClassCall`), read with `ast` in one parse and one walk
per version of the code shared by all of them (`SourceFacts.tree`; "maybe" when `ast` cannot read the code).
The engine tests every rule's declaration on one `SourceFacts` per version of the code: each fact (a substring, a pattern, the provider imports,
the arguments written, the provider calls) is read from the text at most once and shared by every rule, and a rule
whose declaration fails is not run (the file is not even parsed when no rule's holds).

The facts over-approximate: where the text cannot be read with certainty (an import the patterns do not know, a
value in parentheses, brackets that do not close as the text reads) they say "maybe", so that a trigger only ever
skips work, never a repair; `CDKTF_REPAIR_NO_FILTERS=1` and tests/test_filters_sound.py check that on every sample,
rule example and real answer. The text reading knows arguments written `keyword=value` and dict keys written as one
plain string literal (`'key': value`, any quotes); a key spelled through escapes or implicit concatenation is not
read as that key.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Collection, Iterator, Mapping

from repair.provider_index import ITEM, PACKAGE, ProviderIndex, missing_params, param_struct, required_params
from repair.transforms._names import PREDEFINED
from repair.transforms._project_flow import dotted_name
from repair.transforms._structs import python_param

# An import of cdktf, constructs or a cdktf provider package: the module is CDKTF code.
CDKTF_IMPORT = re.compile(r"^[ \t]*(?:from|import)[ \t]+(?:cdktf|constructs|cdktf_cdktf_provider_\w+)\b", re.MULTILINE)

# The recursion limit CPython parses the code under (Python's default): see SourceFacts.ast_module.
PARSER_RECURSION_LIMIT = 1000

# What a value is written as, from its first characters. ANY: the text cannot tell (parentheses, an operator).
DICT, LIST, STRING, NUMBER, BOOL, CALL, NAME, ANY = "dict", "list", "string", "number", "bool", "call", "name", "any"
# The plain types of literals (what CDK009 converts between).
LITERALS = (STRING, NUMBER, BOOL)


@dataclass(frozen=True)
class Written:
    """One value written for a keyword, a dict key or a list entry: its kind, and for a call or a name what is
    written (`mod.Struct`, `str`)."""

    kind: str
    name: str | None = None
    facts: SourceFacts | None = field(default=None, compare=False, repr=False)
    start: int = field(default=0, compare=False, repr=False)  # where the value starts in the code

    def maybe(self, *kinds: str) -> bool:
        """Whether the value may be of one of these kinds."""
        return self.kind == ANY or self.kind in kinds

    @property
    def literal_kinds(self) -> frozenset[str]:
        """The plain literal types the value may be (`str(30)` is a string)."""
        if self.kind == ANY:
            return frozenset(LITERALS)
        if self.kind in LITERALS:
            return frozenset({self.kind})
        if self.kind == CALL and self.name == "str":
            return frozenset({STRING})
        return frozenset()

    def elements(self) -> list[Written]:
        """The entries of a list or tuple written here, at its top level ([ANY] when the text cannot tell)."""
        if self.kind == LIST and self.facts is not None:
            return self.facts.elements_at(self.start)
        return [Written(ANY)] if self.kind == ANY else []

    def dicts(self) -> list[Written]:
        """The dicts written here: this value, or the entries of this list ([ANY] when the text cannot tell)."""
        if self.kind in (DICT, ANY):
            return [self]
        return [e for e in self.elements() if e.kind in (DICT, ANY)]

    def keys(self) -> list[str | None] | None:
        """The keys of the dict written here (None for a key that is not one plain string); None: cannot tell."""
        if self.kind != DICT or self.facts is None:
            return None
        return self.facts.keys_at(self.start)

    @property
    def maybe_provider_class(self) -> bool:
        """A call that may construct a provider class or struct: of a capitalized name (every jsii export is
        one), or of a name the file binds to something of the provider."""
        if self.kind == ANY:
            return True
        if self.kind != CALL or not self.name:
            return False
        return (self.name.rpartition(".")[2][:1].isupper()
                or (self.facts is not None and self.name.split(".")[0] in self.facts.imports.locals))


# -- reading the text --------------------------------------------------------------------------------------------
_FROM_SUBMODULE = re.compile(rf"^[ \t]*from[ \t]+{PACKAGE}\.(\w+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
_FROM_PACKAGE = re.compile(rf"^[ \t]*from[ \t]+{PACKAGE}[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
_IMPORT = re.compile(rf"^[ \t]*import[ \t]+([^\n]*\b{PACKAGE}\b[^\n]*)", re.MULTILINE)


def standalone(word: str, before: str = r"\w") -> str:
    """A pattern for `word` not preceded by a character of the class `before`: `(?<!before)word`, written with the
    word first so that the regex engine looks for the literal (a pattern that opens with an assertion is tried at
    every offset of the code: ten times slower on a stack)."""
    escaped = re.escape(word)
    return rf"{escaped}(?<=(?<!{before}){escaped})"


_DOTTED_USE = re.compile(standalone(PACKAGE) + r"\s*\.\s*(\w+)(?:\s*\.\s*(\w+))?")
_PACKAGE_WORD = re.compile(standalone(PACKAGE) + r"\b")
_IMPORTED = re.compile(r"^\s*(\w+)(?:\s+as\s+(\w+))?\s*$")
_DOTTED_IMPORTED = re.compile(rf"^\s*{PACKAGE}(?:\.(\w+))?(?:\s+as\s+(\w+))?\s*$")
_IMPORT_NAMES = re.compile(r"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]*(\([^)]*\)|[^\n]*)", re.MULTILINE)

# Blanks, line continuations and comments.
_GAP = r"""(?:[ \t\r\n]|\\\r?\n|\#[^\n]*+)*+"""  # possessive: a comment is never read in part
# The first characters of a value: groups 1-6 give its kind (DICT, LIST, ANY, BOOL, NUMBER, STRING), else group 7
# is a name and group 8 the parenthesis of its call.
_VALUE = (r"""(?:(\{)|(\[)|(\()|(True|False)\b|(-?[ \t]*\.?\d)|([rRbBuUfF]{0,2}['"])"""
          r"""|([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)(\s*\()?)?""")
_VALUE_AT = re.compile(_GAP + _VALUE)
_KINDS = (DICT, LIST, ANY, BOOL, NUMBER, STRING)
# A keyword argument (`name=`, not `==`) or a dict key (`'name':`), up to where its value starts, read backwards
# in the reversed code: `(?<![\w.])([A-Za-z_]\w*)\s*=(?!=)` or `(?<![\w'"])[rRuU]?(quote)([A-Za-z_]\w*)\2[ \t]*:`
# forwards. Reversed, each match starts with its `=` or `:`, which the regex engine finds fast; forwards every
# offset of the code is a candidate (three times slower).
_ARGUMENT_REVERSED = re.compile(
    r"""(?:(?<!=)=\s*(\w*[A-Za-z_])(?![\w.])|:[ \t]*('''|\"\"\"|'|")(\w*[A-Za-z_])\2[rRuU]?(?![\w'"]))""")
# A name followed by the parenthesis of a call.
_CALLED_NAME = re.compile(r"(?<![\w.])(\w+)\s*\(")
# At the start of an item of a call or a dict: a keyword, or a key written as one plain string.
_KEYWORD_AT = re.compile(_GAP + r"""([A-Za-z_]\w*)\s*=(?!=)""")
_KEY_AT = re.compile(_GAP + r"""[rRuU]?('''|\"\"\"|'|")(\w+)\1\s*:""")
_EMPTY_AT = re.compile(_GAP + r"""[\])}]""")
# What brackets and commas are read from: strings and comments skipped whole (a quote that opens no string is read
# as a character).
_CHUNK = re.compile(
    r"""[^'"#\[\](){},\\]+|\\.?|'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"|'(?:\\.|[^'\\\n])*'"""
    r"""|"(?:\\.|[^"\\\n])*"|\#[^\n]*|.""", re.DOTALL)
_BLANKS = re.compile(r"\s+")


@dataclass(frozen=True)
class ProviderImports:
    """The provider imports of a file as its text shows them. `modules`: the provider submodules it may use, None
    when the text does not say (an import the patterns do not read, the package named outside an import);
    `names`: (module, name) of every provider name it imports or reaches through a module or package alias;
    `locals`: the names its provider imports bind."""

    modules: frozenset[str] | None
    names: frozenset[tuple[str, str]]
    locals: frozenset[str]
    classes: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # local name -> (module, name)
    module_aliases: Mapping[str, str] = field(default_factory=dict)  # local name -> provider submodule
    package_aliases: frozenset[str] = frozenset()  # local names of the package itself


def _import_items(text: str) -> list[str] | None:
    """The comma-separated items of an import's name list; None when a comment or continuation may hide some."""
    if "#" in text or "\\" in text:
        return None
    return [item for item in text.strip().strip("()").split(",") if item.strip()]


def read_provider_imports(code: str) -> ProviderImports:
    if PACKAGE not in code:
        return ProviderImports(frozenset(), frozenset(), frozenset())
    modules: set[str] = set()
    names: set[tuple[str, str]] = set()
    classes: dict[str, tuple[str, str]] = {}
    module_aliases: dict[str, str] = {}
    package_aliases: set[str] = set()
    covered: list[tuple[int, int]] = []  # spans of the imports and uses read
    unreadable = False
    for match in _FROM_SUBMODULE.finditer(code):
        covered.append(match.span())
        module, items = match.group(1), _import_items(match.group(2))
        modules.add(module)
        for item in items if items is not None else ():
            found = _IMPORTED.match(item)
            if found is None:
                unreadable = True
                continue
            names.add((module, found.group(1)))
            classes[found.group(2) or found.group(1)] = (module, found.group(1))
        unreadable |= items is None
    for match in _FROM_PACKAGE.finditer(code):
        covered.append(match.span())
        items = _import_items(match.group(1))
        for item in items if items is not None else ():
            found = _IMPORTED.match(item)
            if found is None:
                unreadable = True
                continue
            modules.add(found.group(1))  # a submodule (or a class at the package's root: CDK014's)
            module_aliases[found.group(2) or found.group(1)] = found.group(1)
        unreadable |= items is None
    for match in _IMPORT.finditer(code):
        covered.append(match.span())
        items = _import_items(match.group(1))
        for item in items if items is not None else ():
            found = _DOTTED_IMPORTED.match(item)
            if found is None:
                unreadable |= PACKAGE in item
                continue
            module, alias = found.groups()
            if module is None:
                package_aliases.add(alias or PACKAGE)
            else:
                modules.add(module)
                if alias:
                    module_aliases[alias] = module
        unreadable |= items is None
    # `cdktf_cdktf_provider_aws.s3_bucket.S3Bucket` written out: a use of that module.
    for match in _DOTTED_USE.finditer(code):
        covered.append(match.span())
        modules.add(match.group(1))
        if match.group(2):
            names.add((match.group(1), match.group(2)))
    # The package named anywhere else (a string, `importlib`, an import after a `;`): the text does not say.
    for match in _PACKAGE_WORD.finditer(code):
        if not any(start <= match.start() < end for start, end in covered):
            unreadable = True
    for alias, module in module_aliases.items():
        for found in re.finditer(standalone(alias, r"[\w.]") + r"\s*\.\s*(\w+)", code):
            names.add((module, found.group(1)))
    for alias in package_aliases:
        for found in re.finditer(standalone(alias, r"[\w.]") + r"\s*\.\s*(\w+)(?:\s*\.\s*(\w+))?", code):
            modules.add(found.group(1))
            if found.group(2):
                names.add((found.group(1), found.group(2)))
    bound = frozenset(classes) | frozenset(module_aliases) | frozenset(package_aliases)
    return ProviderImports(None if unreadable else frozenset(modules), frozenset(names), bound, classes,
                           module_aliases, frozenset(package_aliases))


class SourceFacts:
    """One version of a file's code as the triggers read it: every fact computed on first use, then shared by all
    the rules' triggers."""

    def __init__(self, code: str, index: Callable[[], ProviderIndex]) -> None:
        self.code = code
        self._index = index
        self._contains: dict[str, bool] = {}
        self._searches: dict[re.Pattern, bool] = {}
        self._values: dict[str, list[Written]] = {}
        # What is read at an offset, by kind: several rules' triggers read the same calls and dicts.
        self._at: dict[tuple[str, int], object] = {}
        self.verdicts: dict[type, bool] = {}  # rule -> whether its trigger holds here (Rule.may_apply)
        # RecursionError or MemoryError: CPython's parser refused the code's nesting or size (`ast_module`).
        self.refused_by_parser: type[BaseException] | None = None

    @cached_property
    def index(self) -> ProviderIndex:
        return self._index()

    def contains(self, needle: str) -> bool:
        found = self._contains.get(needle)
        if found is None:
            found = self._contains[needle] = needle in self.code
        return found

    def search(self, pattern: re.Pattern) -> bool:
        found = self._searches.get(pattern)
        if found is None:
            found = self._searches[pattern] = pattern.search(self.code) is not None
        return found

    @cached_property
    def imports(self) -> ProviderImports:
        return read_provider_imports(self.code)

    @cached_property
    def import_words(self) -> frozenset[str]:
        """Every word of the file's import statements (a parenthesized list over several lines included)."""
        return frozenset(word for names in _IMPORT_NAMES.findall(self.code) for word in re.findall(r"\w+", names))

    @cached_property
    def arguments(self) -> dict[str, list[int]]:
        """Keyword or dict key -> where the values written for it start, in the order written (assignments and
        defaults of the same spelling included: the reading is textual)."""
        found: dict[str, list[int]] = {}
        length = len(self.code)
        for match in reversed(list(_ARGUMENT_REVERSED.finditer(self.code[::-1]))):
            found.setdefault((match.group(1) or match.group(3))[::-1], []).append(length - match.start())
        return found

    def values(self, name: str) -> list[Written]:
        """The values written for a keyword or dict key."""
        found = self._values.get(name)
        if found is None:
            found = self._values[name] = [self.value_at(start) for start in self.arguments.get(name, ())]
        return found

    def value_at(self, start: int) -> Written:
        """The value written from `start` on (blanks and comments before it skipped)."""
        match = _VALUE_AT.match(self.code, start)
        for group, kind in enumerate(_KINDS, 1):
            if match.group(group) is not None:
                return Written(kind, None, self, match.start(group))
        name = match.group(7)
        if name is None:
            return Written(ANY)
        return Written(CALL if match.group(8) else NAME, _BLANKS.sub("", name), self, match.start(7))

    @cached_property
    def _brackets(self) -> dict[int, list[int] | None]:
        """Offset of each opening bracket -> where each item inside it starts (after the bracket, and after each
        comma at its level); None for a bracket that does not close as the text reads. One pass over the code."""
        items: dict[int, list[int] | None] = {}
        stack: list[int] = []
        for chunk in _CHUNK.finditer(self.code):
            first = chunk.group()[0]
            if first in "([{":
                items[chunk.start()] = [chunk.end()]
                stack.append(chunk.start())
            elif first in ")]}":
                if stack:
                    stack.pop()
            elif first == "," and stack:
                items[stack[-1]].append(chunk.end())
        for opener in stack:
            items[opener] = None
        return items

    def items_at(self, start: int) -> list[int] | None:
        """Where each item (what commas separate) inside the bracket opening at `start` (a list, a dict, a call's
        parenthesis) starts, empty ones left out; None when the bracket does not close as the text reads."""
        starts = self._brackets.get(start)
        if starts is None:
            return None
        return [item for item in starts if not _EMPTY_AT.match(self.code, item)]

    def elements_at(self, start: int) -> list[Written]:
        """The top-level entries of the list opening at `start`; [ANY] when the text cannot tell."""
        key = ("elements", start)
        if key not in self._at:
            self._at[key] = self._elements_at(start)
        return self._at[key]

    def _elements_at(self, start: int) -> list[Written]:
        items = self.items_at(start)
        if items is None:
            return [Written(ANY)]
        return [self.value_at(item) for item in items]

    def keys_at(self, start: int) -> list[str | None] | None:
        """The top-level keys of the dict opening at `start`, None for a key that is not one plain string literal (a
        spread, a comprehension, an escape); None when the dict does not close as the text reads."""
        key = ("keys", start)
        if key not in self._at:
            self._at[key] = self._keys_at(start)
        return self._at[key]

    def _keys_at(self, start: int) -> list[str | None] | None:
        items = self.items_at(start)
        if items is None:
            return None
        return [key.group(2) if (key := _KEY_AT.match(self.code, item)) else None for item in items]

    def keywords_at(self, start: int) -> list[str | None] | None:
        """The keywords of the call whose parenthesis opens at `start`, None for a positional or starred argument;
        None when the call does not close as the text reads."""
        key = ("keywords", start)
        if key not in self._at:
            self._at[key] = self._keywords_at(start)
        return self._at[key]

    def _keywords_at(self, start: int) -> list[str | None] | None:
        items = self.items_at(start)
        if items is None:
            return None
        return [keyword.group(1) if (keyword := _KEYWORD_AT.match(self.code, item)) else None for item in items]

    @cached_property
    def provider_calls(self) -> list[tuple[str, str, int]] | None:
        """(module, class, offset of the call's parenthesis) of each call of a provider name the text shows; None
        when the provider imports cannot be read from the text."""
        imports = self.imports
        if imports.modules is None:
            return None
        found: list[tuple[str, str, int]] = []
        if imports.classes:
            for match in _CALLED_NAME.finditer(self.code):
                if match.group(1) in imports.classes:
                    found.append((*imports.classes[match.group(1)], match.end() - 1))
        for alias, module in imports.module_aliases.items():
            for match in re.finditer(standalone(alias, r"[\w.]") + r"\s*\.\s*(\w+)\s*\(", self.code):
                found.append((module, match.group(1), match.end() - 1))
        for alias in imports.package_aliases | {PACKAGE}:
            pattern = standalone(alias, r"[\w.]") + r"\s*\.\s*(\w+)\s*\.\s*(\w+)\s*\("
            for match in re.finditer(pattern, self.code):
                found.append((match.group(1), match.group(2), match.end() - 1))
        return found

    def module_params(self, module: str) -> dict[str, tuple[str, ...]]:
        """Parameter name -> the annotations the classes of a provider module give it."""
        return self.index.params_by_name(module)

    @cached_property
    def ast_module(self) -> ast.Module | None:
        """The code parsed by CPython (`ast.parse`); None when it cannot read it: a syntax error, a newer grammar
        than the running Python's, or (`refused_by_parser`) nesting deeper or a file larger than its parser takes."""
        # CPython's refusal is the engine's depth guard before libcst (which has none) parses the code, and how deep
        # CPython goes follows the recursion limit: it is asked at Python's default, whatever limit the caller runs
        # with (the engine raises it for libcst's visitors).
        limit = sys.getrecursionlimit()
        try:
            sys.setrecursionlimit(PARSER_RECURSION_LIMIT)
        except RecursionError:  # called deeper than that: CPython reads at the caller's limit
            limit = None
        try:
            return ast.parse(self.code)
        except (SyntaxError, ValueError):
            return None
        except (RecursionError, MemoryError) as exc:
            self.refused_by_parser = type(exc)
            return None
        finally:
            if limit is not None:
                sys.setrecursionlimit(limit)

    @cached_property
    def tree(self) -> CodeTree | None:
        """The code read with `ast`, in one walk shared by every trigger that reads its structure; None when `ast`
        cannot read it (a syntax error, a newer grammar than the running Python's, nesting too deep): then those
        triggers say "maybe"."""
        module = self.ast_module
        if module is None:
            return None
        try:
            return CodeTree(module, self)
        except RecursionError:
            return None

    @property
    def typed_arguments(self) -> list[tuple[str, Written]] | None:
        """(annotation, value as the text reads it from where `ast` says it starts) of every keyword of a call of a
        provider class, typed by that class, and of every keyword or dict key at the place of a struct (a block
        parameter's value, alone or in a list, at any depth), typed by that struct: what the keyword rules read, by
        the class of each call. None where the text and `ast` may disagree on where a value starts (a carriage
        return that ends a line alone) or `ast` cannot read the code."""
        return None if self._typed is None else self._typed[0]

    @property
    def typed_dicts(self) -> list[tuple[Mapping[str, str], list[str | None]]] | None:
        """(the struct's signature, the keys: None for one not a plain string) of every dict at the place of a
        struct, read with `typed_arguments` (None where it is None)."""
        return None if self._typed is None else self._typed[1]

    @cached_property
    def _typed(self) -> tuple[list[tuple[str, Written]], list[tuple[Mapping[str, str], list[str | None]]]] | None:
        """`typed_arguments` and `typed_dicts`, read in one walk."""
        tree = self.tree
        if tree is None or tree.star_import or ("\r" in self.code and self.code.count("\r") != self.code.count("\r\n")):
            return None
        index = self.index
        found: list[tuple[str, Written]] = []
        dicts: list[tuple[Mapping[str, str], list[str | None]]] = []

        def typed(value: ast.expr, annotation: str | None, module: str) -> None:
            if annotation is None:
                return
            start = self._offset(value)
            # The text there must begin the way the node does (an f-string's inner positions are CPython's least
            # sure): else the value is read as anything.
            found.append((annotation, self.value_at(start) if _begins_as(value, self.code[start:start + 1])
                          else Written(ANY)))
            struct = param_struct(annotation)
            fields = index.params(module, struct) if struct else None
            if fields is None:
                return
            items = [e for e in value.elts if type(e) is not ast.Starred] if type(value) in (ast.List, ast.Tuple) \
                else [value]
            for item in items:
                if type(item) is ast.Call:
                    for keyword in item.keywords:
                        if keyword.arg is not None:
                            typed(keyword.value, fields.get(keyword.arg), module)
                elif type(item) is ast.Dict:
                    dicts.append((fields, [k.value if type(k) is ast.Constant and type(k.value) is str else None
                                           for k in item.keys]))
                    for key, entry in zip(item.keys, item.values):
                        if type(key) is ast.Constant and type(key.value) is str:
                            for name in dict.fromkeys((key.value, python_param(key.value))):
                                typed(entry, fields.get(name), module)

        for call in tree.calls:
            for module, class_name in tree.resolve(call.func):
                params = index.params(module, class_name)
                for keyword in call.keywords if params is not None else ():
                    if keyword.arg is not None:
                        typed(keyword.value, params.get(keyword.arg), module)
        return found, dicts

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(match.end() for match in re.finditer("\n", self.code))]

    def _offset(self, node: ast.expr) -> int:
        """Where an `ast` node starts in the code (its column counts UTF-8 bytes)."""
        start = self._line_starts[node.lineno - 1]
        prefix = self.code[start:start + node.col_offset]
        if prefix.isascii() and "\n" not in prefix:
            return start + node.col_offset
        line = self.code[start:].split("\n", 1)[0]
        return start + len(line.encode("utf-8")[:node.col_offset].decode("utf-8", errors="ignore"))


_OPENERS = {ast.Dict: "{", ast.DictComp: "{", ast.Set: "{", ast.SetComp: "{", ast.List: "[", ast.ListComp: "[",
            ast.GeneratorExp: "("}


def _begins_as(node: ast.expr, first: str) -> bool:
    """Whether code beginning with `first` may be the start of the node."""
    kind = type(node)
    if kind in _OPENERS:
        return first == _OPENERS[kind]
    if kind is ast.Constant and type(node.value) is str or kind is ast.JoinedStr:
        return first in "'\"rRbBuUfF"
    if kind in (ast.Name, ast.Call, ast.Attribute, ast.Subscript):
        return first == "_" or first.isalpha() or first == "("
    return True


# -- the code read with ast ----------------------------------------------------------------------------------
# What the rules call a provider type (repair/transforms/_tokens.py): an instance of a generated class, or a list
# attribute (a token list).
CLASS, TOKEN_LIST = "class", "token-list"
_CLASS_NAME = re.compile(r'"?([A-Z]\w*)"?')
_SKIPPED_MODULES = (PACKAGE, "cdktf", "constructs")


def ast_nodes(module: ast.Module) -> Iterator[ast.AST]:
    """Every node of the tree (but contexts and operators: `ast_children`), in no particular order (`ast.walk`
    without its generators per node)."""
    stack: list[ast.AST] = [module]
    while stack:
        node = stack.pop()
        yield node
        stack += ast_children(node)


# Fields that hold no node a trigger reads: names and numbers, and the context and operator singletons (`ast.Load`,
# `ast.Add`: a quarter of a stack's nodes), which the triggers read off their expression (`node.ctx`) instead.
_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "id", "attr", "arg", "name", "module", "asname", "kind", "level",
                           "conversion", "is_async", "simple", "type_comment", "type_ignores"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def ast_children(node: ast.AST) -> list[ast.AST]:
    """The child nodes of an `ast` node, read from its fields (`ast.iter_child_nodes` without its generator), but
    for expression contexts and operators."""
    children: list[ast.AST] = []
    fields = _CHILD_FIELDS.get(type(node))
    if fields is None:
        fields = _CHILD_FIELDS[type(node)] = tuple(f for f in node._fields if f not in _NOT_CHILDREN)
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            children += [item for item in value if isinstance(item, ast.AST)]
        elif isinstance(value, ast.AST):
            children.append(value)
    return children


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# Python 3.12's type parameters (`def f[T]()`), where the running Python has them.
_TYPE_PARAMETERS = tuple(getattr(ast, kind) for kind in ("TypeVar", "ParamSpec", "TypeVarTuple") if hasattr(ast, kind))


# Python's functions that walk the list they are given: iterating `enumerate(x)` iterates x.
ITERATING_CALLS = frozenset({"enumerate", "sorted", "reversed", "list", "tuple", "set", "zip"})


class CodeTree:
    """What the structural triggers read of a file, gathered in one `ast` walk: the names written, the calls, the
    attribute reads and the places a value is indexed, measured, iterated or interpolated, the string literals, and
    every provider import wherever it is (the rules bind only those at module level: reading all of them, and every
    binding a name has, only over-approximates)."""

    def __init__(self, module: ast.Module, facts: SourceFacts) -> None:
        self._facts = facts
        self.module = module
        self.names: set[str] = set()  # every identifier that may be a read of a name (bindings included)
        # The names the module binds anywhere (assigned, a parameter, defined, imported, ...): never free. Fewer than
        # libcst's reading in repair.transforms._names, which also counts `a` of `a.b = 1`.
        self.bound: set[str] = set()
        self.star_import = False
        self.calls: list[ast.Call] = []
        self.attributes: list[ast.Attribute] = []
        self.subscripts: list[ast.Subscript] = []
        self.iterated: list[ast.expr] = []
        self.formatted: list[ast.expr] = []
        self.loops: list[ast.AST] = []  # for, while and comprehensions, nested ones included
        self.strings: list[str] = []
        self.fstring_texts: list[str] = []  # the text between an f-string's fields (its braces undoubled)
        self.assigned: list[tuple[str, ast.Call]] = []  # `name = Call(...)`, `self.name = Call(...)`
        self.classes: dict[str, set[tuple[str, str]]] = {}  # local name -> (provider module, class)
        self.modules: dict[str, set[str]] = {}  # local name or dotted path -> provider module
        self.packages: set[str] = set()  # names bound to the provider package
        prefix = PACKAGE + "."
        for node in ast_nodes(module):
            kind = type(node)
            if kind is ast.Name:
                self.names.add(node.id)
                if type(node.ctx) is not ast.Load:
                    self.bound.add(node.id)
            elif kind is ast.Call:
                self.calls.append(node)
            elif kind is ast.Attribute:
                self.attributes.append(node)
            elif kind is ast.Subscript:
                self.subscripts.append(node)
            elif kind is ast.Constant:
                if type(node.value) is str:
                    self.strings.append(node.value)
            elif kind is ast.JoinedStr:
                self.fstring_texts += [part.value for part in node.values if type(part) is ast.Constant]
            elif kind is ast.FormattedValue:
                self.formatted.append(node.value)
            elif kind is ast.For or kind is ast.AsyncFor or kind is ast.comprehension:
                walked = node.iter
                if type(walked) is ast.Call and type(walked.func) is ast.Name and walked.func.id in ITERATING_CALLS \
                        and walked.args and type(walked.args[0]) is not ast.Starred:
                    walked = walked.args[0]  # `enumerate(azs.names)` iterates azs.names
                self.iterated.append(walked)
                if kind is not ast.comprehension:
                    self.loops.append(node)
            elif kind is ast.While or kind in _COMPREHENSIONS:
                self.loops.append(node)
            elif kind is ast.Assign or kind is ast.AnnAssign:
                if type(node.value) is ast.Call:
                    for target in node.targets if kind is ast.Assign else [node.target]:
                        if type(target) is ast.Name:
                            self.assigned.append((target.id, node.value))
                        elif type(target) is ast.Attribute and type(target.value) is ast.Name \
                                and target.value.id == "self":
                            self.assigned.append((f"self.{target.attr}", node.value))
            elif kind is ast.ImportFrom:
                for alias in node.names:
                    if alias.name == "*":
                        self.star_import = True
                    self.bound.add(alias.asname or alias.name)
                if node.level == 0 and node.module and node.module.startswith(prefix) \
                        and "." not in node.module[len(prefix):]:
                    for alias in node.names:
                        self.classes.setdefault(alias.asname or alias.name, set()).add(
                            (node.module[len(prefix):], alias.name))
                elif node.level == 0 and node.module == PACKAGE:
                    for alias in node.names:
                        self.modules.setdefault(alias.asname or alias.name, set()).add(alias.name)
            elif kind is ast.Import:
                for alias in node.names:
                    self.bound.add(alias.asname or alias.name.split(".")[0])
                    if alias.name.startswith(prefix) and "." not in alias.name[len(prefix):]:
                        self.modules.setdefault(alias.asname or alias.name, set()).add(alias.name[len(prefix):])
                    elif alias.name == PACKAGE:
                        self.packages.add(alias.asname or PACKAGE)
            elif kind is ast.Global or kind is ast.Nonlocal:
                self.names.update(node.names)
                self.bound.update(node.names)
            elif kind is ast.arg:
                self.names.add(node.arg)
                self.bound.add(node.arg)
            elif kind is ast.MatchMapping and node.rest:
                self.names.add(node.rest)
                self.bound.add(node.rest)
            name = getattr(node, "name", None)
            if type(name) is str and kind is not ast.alias:
                self.names.add(name)  # a definition, an `except ... as`, a match capture, a type parameter
                if kind not in _TYPE_PARAMETERS:  # which libcst's reading does not count as bound
                    self.bound.add(name)
        # The module's own classes, and the names it imports from modules not cdktf's, constructs' or the
        # provider's (perhaps the project's): what a call of the project's classes is written with.
        self.own_classes: set[str] = set()
        for statement in module.body:
            if type(statement) is ast.ClassDef:
                self.own_classes.add(statement.name)
            elif type(statement) is ast.ImportFrom and (
                    statement.level or (statement.module or "").split(".")[0] not in _SKIPPED_MODULES):
                self.own_classes.update(alias.asname or alias.name for alias in statement.names if alias.name != "*")

    @cached_property
    def free_names(self) -> frozenset[str]:
        """The names the code reads that nothing binds (no assignment, parameter, definition or import anywhere)
        and that are no builtin: where a NameError can come from. None at all with a star import."""
        if self.star_import:
            return frozenset()
        return frozenset(self.names - self.bound - PREDEFINED)

    def resolve(self, func: ast.expr) -> set[tuple[str, str]]:
        """(module, class) of each provider class the callee may be: `Name`, `alias.Name`, `pkg.module.Name`."""
        if type(func) is ast.Name:
            return self.classes.get(func.id, set())
        if type(func) is not ast.Attribute:
            return set()
        found = {(module, func.attr) for module in self.modules.get(dotted_name(func.value) or "", ())}
        if type(func.value) is ast.Attribute and dotted_name(func.value.value) in self.packages:
            found.add((func.value.attr, func.attr))
        return found

    @cached_property
    def constructs(self) -> dict[str, set[tuple[str, str]]]:
        """Name or `self.name` -> (module, class) of each provider construct (a class that takes a scope) a call
        of which is assigned to it somewhere (every binding counted: the rules give up on a name bound twice)."""
        index = self._facts.index
        found: dict[str, set[tuple[str, str]]] = {}
        for target, call in self.assigned:
            for module, name in self.resolve(call.func):
                if "scope" in (index.params(module, name) or {}):
                    found.setdefault(target, set()).add((module, name))
        return found

    def _classify(self, module: str, annotation: str | None) -> set[tuple[str, str, str]]:
        if annotation is None:
            return set()
        if annotation.startswith("typing.List["):
            return {(TOKEN_LIST, module, annotation)}
        match = _CLASS_NAME.fullmatch(annotation)
        if match and self._facts.index.attributes(module, match.group(1)):
            return {(CLASS, module, match.group(1))}
        return set()

    def types_of(self, expr: ast.expr) -> set[tuple[str, str, str]]:
        """(kind, module, name) of each provider type the expression may have, as the rules type it
        (`_tokens.ConstructTypes.type_of`): a name bound to a construct, an attribute of one, an item of a list."""
        kind = type(expr)
        if kind is ast.Name:
            return {(CLASS, module, name) for module, name in self.constructs.get(expr.id, ())}
        index = self._facts.index
        found: set[tuple[str, str, str]] = set()
        if kind is ast.Attribute:
            if type(expr.value) is ast.Name and expr.value.id == "self":
                found |= {(CLASS, module, name) for module, name in self.constructs.get(f"self.{expr.attr}", ())}
            for owner, module, name in self.types_of(expr.value):
                if owner == CLASS:
                    found |= self._classify(module, index.attribute(module, name, expr.attr))
        elif kind is ast.Call and type(expr.func) is ast.Attribute:
            method = expr.func.attr
            for owner, module, name in self.types_of(expr.func.value):
                if owner != CLASS:
                    continue
                if method == "get":
                    found |= self._classify(module, index.attribute(module, name, ITEM))
                if method.endswith("_get") and method not in index.attributes(module, name):
                    for listed in self._classify(module, index.attribute(module, name, method[:-4])):
                        if listed[0] == CLASS and listed[2].endswith("List"):
                            found |= self._classify(module, index.attribute(module, listed[2], ITEM))
        return found


# -- the declarations --------------------------------------------------------------------------------------------
class Trigger:
    """A necessary condition for a rule to apply, tested on a file's `SourceFacts`."""

    def test(self, facts: SourceFacts) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Always(Trigger):
    def test(self, facts: SourceFacts) -> bool:
        return True


@dataclass(frozen=True, init=False)
class Text(Trigger):
    """The code contains one of these strings."""

    needles: tuple[str, ...]

    def __init__(self, *needles: str) -> None:
        object.__setattr__(self, "needles", needles)

    def test(self, facts: SourceFacts) -> bool:
        return any(facts.contains(needle) for needle in self.needles)


def _compiled(pattern: str | re.Pattern, flags: int) -> re.Pattern:
    return re.compile(pattern, flags) if isinstance(pattern, str) else pattern


@dataclass(frozen=True, init=False)
class Regex(Trigger):
    """The pattern matches somewhere in the code."""

    pattern: re.Pattern

    def __init__(self, pattern: str | re.Pattern, flags: int = 0) -> None:
        object.__setattr__(self, "pattern", _compiled(pattern, flags))

    def test(self, facts: SourceFacts) -> bool:
        return facts.search(self.pattern)


@dataclass(frozen=True, init=False)
class Repeated(Trigger):
    """Some text the pattern matches (its group, if it has one) occurs twice."""

    pattern: re.Pattern

    def __init__(self, pattern: str | re.Pattern, flags: int = 0) -> None:
        object.__setattr__(self, "pattern", _compiled(pattern, flags))

    def test(self, facts: SourceFacts) -> bool:
        found = self.pattern.findall(facts.code)
        return len(set(found)) < len(found)


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _literal_text(node: ast.expr | None) -> bool:
    return node is not None and (type(node) is ast.Constant and type(node.value) is str or type(node) is ast.JoinedStr
                                 and all(type(v) is ast.Constant for v in node.values))


def _literal_id(call: ast.Call) -> bool:
    """`Resource(scope, "id", ...)` (or `id_="id"`): a call given a literal as a construct's id."""
    positional = [a for a in call.args if type(a) is not ast.Starred]
    if len(positional) >= 2:
        return _literal_text(positional[1])
    return any(k.arg == "id_" and _literal_text(k.value) for k in call.keywords)


@dataclass(frozen=True)
class LiteralIdInLoop(Trigger):
    """A call given a literal construct id (`Resource(scope, "id")`) in a loop of its function (`for`, `while`, a
    comprehension): every pass creates the same id."""

    def test(self, facts: SourceFacts) -> bool:
        if not (facts.contains("for") or facts.contains("while")):
            return False
        tree = facts.tree
        if tree is None:
            return True
        if not any(_literal_id(call) for call in tree.calls):
            return False
        for loop in tree.loops:
            stack: list[ast.AST] = [loop]
            while stack:
                node = stack.pop()
                kind = type(node)
                if kind in _FUNCTIONS:
                    continue  # called later, perhaps once: not this loop's
                if kind is ast.Call and _literal_id(node):
                    return True
                stack += ast_children(node)
        return False


@dataclass(frozen=True, init=False)
class SharedWord(Trigger):
    """Some word that one pattern finds (its group) the other finds too: a method the file defines (`def (\\w+)`)
    that it also calls (`self.(\\w+)`)."""

    first: re.Pattern
    second: re.Pattern

    def __init__(self, first: str | re.Pattern, second: str | re.Pattern, flags: int = 0) -> None:
        object.__setattr__(self, "first", _compiled(first, flags))
        object.__setattr__(self, "second", _compiled(second, flags))

    def test(self, facts: SourceFacts) -> bool:
        found = set(self.first.findall(facts.code))
        return bool(found) and any(word in found for word in self.second.findall(facts.code))


@dataclass(frozen=True, init=False)
class All(Trigger):
    parts: tuple[Trigger, ...]

    def __init__(self, *parts: Trigger) -> None:
        object.__setattr__(self, "parts", parts)

    def test(self, facts: SourceFacts) -> bool:
        return all(part.test(facts) for part in self.parts)


@dataclass(frozen=True, init=False)
class Any(Trigger):
    parts: tuple[Trigger, ...]

    def __init__(self, *parts: Trigger) -> None:
        object.__setattr__(self, "parts", parts)

    def test(self, facts: SourceFacts) -> bool:
        return any(part.test(facts) for part in self.parts)


@dataclass(frozen=True)
class Not(Trigger):
    part: Trigger

    def test(self, facts: SourceFacts) -> bool:
        return not self.part.test(facts)


@dataclass(frozen=True)
class ImportsUnknownName(Trigger):
    """The file takes a name from a provider module that the module does not export (or imports the provider in a
    way the text does not show)."""

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains(PACKAGE):
            return False
        imports = facts.imports
        if imports.modules is None:
            return True
        index = facts.index
        return any(name not in index.exports(module) for module, name in imports.names)


@dataclass(frozen=True)
class ProviderArgument(Trigger):
    """Some keyword or dict key written in the file is a parameter that a class of a provider module the file
    imports types so that `concerns(annotation, value)` holds for a value written for it: the rule's declaration of
    which provider types, written how, it repairs (`annotation` is the installed signature's text). Where `ast`
    reads the code, each keyword is typed by the class its call resolves to, and each key of a dict (and keyword of
    a call) at a struct's place by that struct (`SourceFacts.typed_arguments`); else by every class of the module."""

    concerns: Callable[[str, Written], bool]

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains(PACKAGE):
            return False
        modules = facts.imports.modules
        if modules is None:
            return True
        typed = facts.typed_arguments
        if typed is not None:
            return any(self.concerns(annotation, value) for annotation, value in typed)
        arguments = facts.arguments
        for module in sorted(modules):
            params = facts.module_params(module)
            for name in arguments.keys() & params.keys():
                for annotation in params[name]:
                    if any(self.concerns(annotation, value) for value in facts.values(name)):
                        return True
        return False


@dataclass(frozen=True)
class ModuleArgument(Trigger):
    """The file imports one of these provider modules and writes one of the keywords (or dict keys) listed for it,
    with a value of which `concerns(value)` holds (any value when None)."""

    names: Mapping[str, Collection[str]]
    concerns: Callable[[Written], bool] | None = None

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains(PACKAGE):
            return False
        modules = facts.imports.modules
        arguments = facts.arguments
        for module, names in self.names.items():
            if modules is not None and module not in modules:
                continue
            for name in names:
                if name in arguments and (self.concerns is None or any(map(self.concerns, facts.values(name)))):
                    return True
        return False


def _known_calls(facts: SourceFacts) -> Iterator[tuple[Mapping[str, str], list[str | None] | None]]:
    """(signature, keywords: None for each argument passed without one) of each call of a provider class the index
    knows, read with `ast` (the call's class resolved from the imports), else as `keywords_at` reads the text; the
    caller has checked that the text shows the provider imports."""
    tree = facts.tree
    if tree is not None and not tree.star_import:
        for call in tree.calls:
            for module, class_name in tree.resolve(call.func):
                params = facts.index.params(module, class_name)
                if params is not None:
                    yield params, [None] * len(call.args) + [k.arg for k in call.keywords]
        return
    for module, class_name, start in facts.provider_calls:
        params = facts.index.params(module, class_name)
        if params is not None:  # not a provider class the index knows: no rule reads it
            yield params, facts.keywords_at(start)


def _block_dicts(facts: SourceFacts) -> Iterator[tuple[list[dict[str, str]], list[str | None] | None]]:
    """(the signatures of the structs it may stand for, its keys as `Written.keys` reads them) of each dict written
    for a block parameter of a class of a provider module the file imports, at any depth, a list of such dicts
    included; the caller has checked that the imports could be read. Read with `ast` where it can: a dict at the
    place of a struct, with that struct's signature."""
    typed = facts.typed_dicts
    if typed is not None:
        for fields, keys in typed:
            yield [fields], keys
        return
    arguments = facts.arguments
    for module in sorted(facts.imports.modules or ()):
        params = facts.module_params(module)
        for name in arguments.keys() & params.keys():
            structs = {struct for annotation in params[name] if (struct := param_struct(annotation))}
            fields = [f for struct in sorted(structs) if (f := facts.index.params(module, struct)) is not None]
            if fields:
                for value in facts.values(name):
                    for block in value.dicts():
                        yield fields, block.keys()


@dataclass(frozen=True)
class UnknownArgument(Trigger):
    """A provider class is called with a keyword its signature lacks, or with `id=` where its construct id is
    `id_` (the resource's own `id` argument, given for the construct id), or a dict written for one of its block
    parameters has a key the block's struct lacks."""

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains(PACKAGE):
            return False
        if facts.imports.modules is None:
            return True
        for params, keywords in _known_calls(facts):
            if keywords is None or any(k is not None and k not in params for k in keywords):
                return True
            if "id" in keywords and "id_" in params and "id_" not in keywords:
                return True
        return UnknownKey().test(facts)


@dataclass(frozen=True)
class UnknownKey(Trigger):
    """A dict written for a block parameter of a class of a provider module the file imports (at any depth, a list
    of such dicts included) has a key the block's struct lacks, or a key the text cannot read; with `every`, a
    dict none of whose keys the struct has (a map keyed by other names)."""

    every: bool = False

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains(PACKAGE):
            return False
        if facts.imports.modules is None:
            return True
        for fields, keys in _block_dicts(facts):
            if keys is None:
                return True
            if self.every:
                if keys and any(all(k is None or k not in f for k in keys) for f in fields):
                    return True
            elif any(k is None or all(k not in f for f in fields) for k in keys):
                return True
        return False


@dataclass(frozen=True)
class MissingArgument(Trigger):
    """A provider class is called without a parameter its signature requires, or a dict written for one of a
    provider module's block parameters lacks a key that a struct of that name requires."""

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains(PACKAGE):
            return False
        if facts.imports.modules is None:
            return True
        for params, keywords in _known_calls(facts):
            # A None entry is a positional or a starred argument: counted as positional, which only ever covers
            # the construct's scope and id; a starred call is one the rule leaves alone.
            if keywords is None or missing_params(params, keywords.count(None), keywords):
                return True
        for fields, keys in _block_dicts(facts):
            required = [set(required_params(f)) for f in fields]
            if any(required) and (keys is None or None in keys or any(r - set(keys) for r in required)):
                return True
        return False


@dataclass(frozen=True, init=False)
class Unimported(Trigger):
    """A word the pattern finds (its group) that no import statement of the file names, and that one of the
    `provided(word, facts)` tests says some package provides (tried in order: cheap ones first). With `in_code`,
    when `ast` can read the code, the words are instead the names the code reads and binds nowhere (not in a
    string, a comment, an attribute or a keyword; no builtin; none with a star import, which may provide any name)
    whose whole text `shape` matches (the pattern's group)."""

    pattern: re.Pattern
    provided: tuple[Callable[[str, SourceFacts], bool], ...]
    in_code: bool
    shape: re.Pattern

    def __init__(self, pattern: str | re.Pattern, *provided: Callable[[str, SourceFacts], bool],
                 in_code: bool = False, shape: str = r"\w+") -> None:
        object.__setattr__(self, "pattern", _compiled(pattern, 0))
        object.__setattr__(self, "provided", provided)
        object.__setattr__(self, "in_code", in_code)
        object.__setattr__(self, "shape", re.compile(shape))

    def test(self, facts: SourceFacts) -> bool:
        if self.in_code and (tree := facts.tree) is not None:
            words = {word for word in tree.free_names if self.shape.fullmatch(word)} - facts.import_words
        else:
            words = set(self.pattern.findall(facts.code)) - facts.import_words
        return any(provided(word, facts) for provided in self.provided for word in sorted(words))


@dataclass(frozen=True, init=False)
class Word(Trigger):
    """The code contains one of these words, whole (not part of a longer name)."""

    words: tuple[str, ...]
    pattern: re.Pattern

    def __init__(self, *words: str) -> None:
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "pattern", re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b"))

    def test(self, facts: SourceFacts) -> bool:
        return any(facts.contains(word) for word in self.words) and facts.search(self.pattern)


@dataclass(frozen=True, init=False)
class InString(Trigger):
    """A string literal of the code, as Python reads it (the text of an f-string included, `{{` read as `{`), is
    matched by the pattern; where `ast` cannot read the code, the pattern anywhere in it."""

    pattern: re.Pattern

    def __init__(self, pattern: str | re.Pattern, flags: int = 0) -> None:
        object.__setattr__(self, "pattern", _compiled(pattern, flags))

    def test(self, facts: SourceFacts) -> bool:
        if not facts.search(self.pattern):
            return False  # a literal's text is in the code (escapes aside, which no rule reads as a field)
        tree = facts.tree
        if tree is None:
            return True
        return any(self.pattern.search(text) for text in tree.strings)


def _positional(call: ast.Call) -> tuple[int, bool]:
    """How many arguments a call passes without a keyword (starred ones included), and whether one is plain."""
    return (len(call.args) + sum(1 for k in call.keywords if k.arg is None),
            any(type(a) is not ast.Starred for a in call.args))


@dataclass(frozen=True)
class ProviderCall(Trigger):
    """A call of a provider class the file imports: one of `classes` when given ((module, class) -> the keywords
    that matter, any keyword when empty), of a construct (a class that takes a scope) or of a struct when
    `construct` says, with at least `positional` arguments passed without a keyword (one of them plain), with a
    dict spread into it by name when `spread` says, and with one of the class's keywords given a value of the kind
    `value` (STRING: a string or an f-string) when set."""

    classes: Mapping[tuple[str, str], Collection[str]] | None = None
    construct: bool | None = None
    positional: int = 0
    value: str | None = None
    # With `value`: whether such a value may be the rule's concern ((module, class), keyword, value) -> bool, where
    # the value alone can tell (a name within its limits is not).
    accepts: Callable[[tuple[str, str], str, ast.expr], bool] | None = None
    # A call given a dict spread by name (`**settings`), whose entries a rule reads where the dict is written out.
    spread: bool = False

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains(PACKAGE):
            return False
        tree = facts.tree
        if tree is None:
            return True
        for call in tree.calls:
            for module, name in tree.resolve(call.func):
                if self._concerns(facts, call, module, name):
                    return True
        return False

    def _concerns(self, facts: SourceFacts, call: ast.Call, module: str, name: str) -> bool:
        keywords = None
        if self.classes is not None:
            keywords = self.classes.get((module, name))
            if keywords is None:
                return False
        if self.construct is not None:
            params = facts.index.params(module, name)
            if params is None or ("scope" in params) != self.construct:
                return False
        if self.spread and not any(k.arg is None and type(k.value) is ast.Name for k in call.keywords):
            return False
        if self.positional:
            count, plain = _positional(call)
            if count < self.positional or not plain:
                return False
        if self.value is not None:
            return any((not keywords or k.arg in keywords) and _written_as(k.value, self.value)
                       and (self.accepts is None or self.accepts((module, name), k.arg, k.value))
                       for k in call.keywords if k.arg is not None)
        return True


def _written_as(value: ast.expr, kind: str) -> bool:
    if kind == STRING:
        return type(value) is ast.JoinedStr or (type(value) is ast.Constant and type(value.value) is str)
    return True


# What a ConstructRead concerns: an attribute the construct's class lacks, or a value of a provider type that Python
# indexes, measures, iterates, interpolates or reads a `_get` of.
UNKNOWN_ATTRIBUTE, TYPED_USE = "unknown-attribute", "typed-use"


@dataclass(frozen=True)
class ConstructRead(Trigger):
    """A value built by a provider class read in Python (a name or `self.name` assigned a call of a provider
    construct somewhere, then attributes, `.get(i)` items of it, as the rules type them): with UNKNOWN_ATTRIBUTE,
    `x.attr` where x's class (a construct) lists its members and `attr` is not one of them; with TYPED_USE, a value
    of a provider list type (a token list, a `...List` class) indexed, given to `len`, iterated or interpolated in an
    f-string, an `x.attr_fqn` interpolated or an `x.attr_get(...)` called on a construct's value."""

    reads: str = UNKNOWN_ATTRIBUTE

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains(PACKAGE):
            return False
        tree = facts.tree
        if tree is None:
            return True
        try:
            if not tree.constructs:
                return False
            return self._unknown(facts, tree) if self.reads == UNKNOWN_ATTRIBUTE else self._typed(tree)
        except RecursionError:
            return True

    @staticmethod
    def _unknown(facts: SourceFacts, tree: CodeTree) -> bool:
        from repair.cdktf_index import construct_members

        index = facts.index
        inherited = construct_members()  # what every construct has from cdktf (`node`, `add_override`, ...)
        for node in tree.attributes:
            if node.attr.startswith("_") or node.attr in inherited:
                continue
            for kind, module, name in tree.types_of(node.value):
                if kind != CLASS:
                    continue
                members = index.members(module, name)
                if members and node.attr not in members and "scope" in (index.params(module, name) or {}):
                    return True
        return False

    @staticmethod
    def _typed(tree: CodeTree) -> bool:
        def listed(expr: ast.expr) -> bool:
            return any(kind == TOKEN_LIST or name.endswith("List") for kind, _, name in tree.types_of(expr))

        if any(listed(node.value) for node in tree.subscripts) or any(map(listed, tree.iterated)):
            return True
        for value in tree.formatted:
            if listed(value) or (type(value) is ast.Attribute and value.attr.endswith("_fqn")
                                 and tree.types_of(value.value)):
                return True
        for call in tree.calls:
            func = call.func
            if type(func) is ast.Name and func.id == "len" and any(listed(a) for a in call.args):
                return True
            if type(func) is ast.Attribute and func.attr.endswith("_get") and any(
                    kind == CLASS for kind, _, _ in tree.types_of(func.value)):
                return True
        return False


@dataclass(frozen=True)
class ProjectClassCall(Trigger):
    """A call of a class the module defines, or imports (at module level) from a module not cdktf's, constructs'
    or the provider's, written `Name(...)` with a keyword given an attribute of a name (`vpc=network.vpc`) that
    the module assigns a call to somewhere (`network = NetworkStack(...)`: the object the rule would pass)."""

    def test(self, facts: SourceFacts) -> bool:
        # A keyword is written with `=`, and the class is defined (`class`) or imported.
        if not facts.contains("=") or not (facts.contains("class") or facts.contains("import")):
            return False
        tree = facts.tree
        if tree is None:
            return True
        own = tree.own_classes
        if not own:
            return False
        made = {target for target, _ in tree.assigned if "." not in target}
        return any(
            type(call.func) is ast.Name and call.func.id in own and any(
                type(k.value) is ast.Attribute and type(k.value.value) is ast.Name and k.value.value.id in made
                for k in call.keywords if k.arg is not None)
            for call in tree.calls)


def stack_classes(module: ast.Module) -> list[ast.ClassDef]:
    """The module's top-level classes written as TerraformStack subclasses (`TerraformStack`, `cdktf.TerraformStack`)."""
    return [node for node in module.body if type(node) is ast.ClassDef and any(
        (type(base) is ast.Name and base.id == "TerraformStack")
        or (type(base) is ast.Attribute and base.attr == "TerraformStack") for base in node.bases)]


def creates_provider(node: ast.AST) -> bool:
    """Whether code under `node` calls a provider construct (`AwsProvider(...)`, `provider.AwsProvider(...)`)."""
    return any(type(call) is ast.Call and (
        (type(call.func) is ast.Name and call.func.id.endswith("Provider"))
        or (type(call.func) is ast.Attribute and call.func.attr.endswith("Provider"))) for call in ast.walk(node))


def scope_calls(stack: ast.ClassDef) -> list[ast.Call]:
    """The calls in a stack class's constructor of a plain name given the constructor's own scope (its first
    parameter after self) as their first argument: `VpcStack(scope, ...)` where `self` builds inside the stack."""
    init = next((n for n in stack.body if type(n) is ast.FunctionDef and n.name == "__init__"), None)
    if init is None or len(init.args.args) < 2:
        return []
    scope = init.args.args[1].arg
    return [call for call in ast.walk(init) if type(call) is ast.Call and type(call.func) is ast.Name
            and call.args and type(call.args[0]) is ast.Name and call.args[0].id == scope]


class StackInStack(Trigger):
    """The file defines a TerraformStack subclass that creates no provider construct, or one whose constructor calls
    a class with its own scope (the app) as the first argument."""

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains("TerraformStack"):
            return False
        tree = facts.tree
        if tree is None:
            return True
        stacks = stack_classes(tree.module)
        if not stacks:
            return False
        # The walk's calls, placed by line: cheaper than walking each class again.
        providers = [call.lineno for call in tree.calls if (
            (type(call.func) is ast.Name and call.func.id.endswith("Provider"))
            or (type(call.func) is ast.Attribute and call.func.attr.endswith("Provider")))]
        for stack in stacks:
            if not any(stack.lineno <= line <= stack.end_lineno for line in providers):
                return True
            init = next((n for n in stack.body if type(n) is ast.FunctionDef and n.name == "__init__"), None)
            if init is None or len(init.args.args) < 2:
                continue
            scope = init.args.args[1].arg
            if any(init.lineno <= call.lineno <= init.end_lineno and type(call.func) is ast.Name and call.args
                   and type(call.args[0]) is ast.Name and call.args[0].id == scope for call in tree.calls):
                return True
        return False


def as_trigger(declared) -> Trigger:
    """A rule's `triggers` as a Trigger: a tuple of strings is `Text(*strings)`, nothing is `Always()`."""
    if isinstance(declared, Trigger):
        return declared
    if not declared:
        return Always()
    return Text(*declared)


def iter_triggers(trigger: Trigger) -> Iterator[Trigger]:
    """The trigger and every part of it."""
    yield trigger
    for part in getattr(trigger, "parts", ()):
        yield from iter_triggers(part)
    if isinstance(trigger, Not):
        yield from iter_triggers(trigger.part)
