"""Split a post into front matter and body, and load the front matter safely (YAML `---` or TOML `+++`)."""

import re
import tomllib
from dataclasses import dataclass

import yaml
from django.conf import settings
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from articles.importing.bylines import AUTHOR_KEYS, NAME_KEYS, TRANSLATOR_KEYS
from articles.importing.errors import PostError

DELIMITERS = {"---": "YAML", "+++": "TOML"}
MAX_NESTING = 20

# Only plain data: no aliases, no explicit or custom tags (!!python/..., !!binary, !!set...), no implicit timestamps
# (dates stay strings, parsed by one rule in fields.py, and `extra` stays JSON).
_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")}
_ALLOWED_TAGS = _SCALAR_TAGS | {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
# Fields that are text whatever YAML 1.1 reads into an unquoted value: `language: no` is Norwegian, not False, and
# `tags: [2024, on]` are the tags "2024" and "on". Their plain scalars keep the characters the author typed.
TEXT_KEYS = frozenset({
    "title", "language", "lang", "locale", "category", "categories", "tags", "code", "slug",
    "description", "excerpt", "summary", *AUTHOR_KEYS, *TRANSLATOR_KEYS,
    "translationKey", "translation_key", "translation_of", "ref",
})
# ...and, in a mapping under one of them (`author: {name: no}`), the fields that are text too.
MAPPED_TEXT_KEYS = frozenset({*NAME_KEYS, "slug"})
_TOML_LINE = re.compile(r"at line (\d+)")


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.1 resolution without the timestamp rule."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}

try:
    from yaml.cyaml import CParser as _Parser  # libyaml: about ten times faster
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


class _SafeLoader(_Parser, yaml.constructor.SafeConstructor, _Resolver):
    def __init__(self, stream):
        _Parser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        _Resolver.__init__(self)


@dataclass(frozen=True)
class FrontMatter:
    data: dict
    key_lines: dict  # top-level key -> 1-based line in the file
    line: int  # line of the opening delimiter
    body: str
    body_line: int  # line where the body starts


def split(path, text):
    """Find the delimited front matter (blank lines may precede it) and return it loaded, with the body."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise PostError(path, 1, "the file is empty: expected front matter opened by '---' (YAML) or '+++' (TOML)")
    delimiter = lines[start].rstrip()
    if delimiter not in DELIMITERS:
        raise PostError(path, start + 1, "no front matter: the file must start with '---' (YAML) or '+++' (TOML)")
    closers = {delimiter, "..."} if delimiter == "---" else {delimiter}
    end = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip() in closers), None)
    if end is None:
        raise PostError(path, start + 1, f"unterminated front matter: no closing '{delimiter}' line")
    source = "".join(lines[start + 1:end])
    limit = settings.IMPORT_MAX_FRONT_MATTER_BYTES
    if len(source.encode()) > limit:
        raise PostError(path, start + 1, f"front matter is larger than {limit:,} bytes")
    first = start + 2  # 1-based line of the first front-matter line
    loader = load_yaml if delimiter == "---" else load_toml
    data, key_lines = loader(path, source, first)
    return FrontMatter(data, key_lines, start + 1, "".join(lines[end + 1:]), end + 2)


def load_yaml(path, source, first):
    """Load YAML with a safe constructor, refusing aliases, tags and deep nesting before building anything."""
    loader = _SafeLoader(source)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = first + mark.line if mark else first
            raise PostError(path, line, f"YAML syntax error: {exc.problem or exc}") from None
        except yaml.YAMLError as exc:
            raise PostError(path, first, f"YAML syntax error: {exc}") from None
        if root is None:
            return {}, {}
        if not isinstance(root, MappingNode):
            kind = "a list" if isinstance(root, SequenceNode) else "a single value"
            raise PostError(path, first + root.start_mark.line, f"front matter must be a mapping of keys, got {kind}")
        try:
            data = _PlainBuilder(loader, path, first).build(root, 0)
        except yaml.YAMLError as exc:
            raise PostError(path, first, f"YAML error: {exc}") from None
        key_lines = {}
        for key, _ in root.value:
            key_lines.setdefault(key.value, first + key.start_mark.line)
        return data, key_lines
    finally:
        loader.dispose()


class _PlainBuilder:
    """Build plain data from the node graph in one walk, refusing what is not plain before building it.

    A node reached twice is an alias (the root of alias bombs and cycles). Strings are taken as they are; other
    scalars (int, float, bool, null) go through the safe constructor, except under a TEXT_KEYS key (and a
    MAPPED_TEXT_KEYS key of a mapping there), where they stay the text typed. One walk rather than a check and then
    PyYAML's constructor: the constructor was a third of the time to load a post's front matter.
    """

    def __init__(self, loader, path, first):
        self.loader, self.path, self.first, self.seen = loader, path, first, set()

    def build(self, node, depth, text=False):
        line = self.first + node.start_mark.line
        if id(node) in self.seen:
            raise PostError(self.path, line, "YAML aliases and anchors are not allowed in front matter")
        self.seen.add(id(node))
        if depth > MAX_NESTING:
            raise PostError(self.path, line, f"front matter is nested more than {MAX_NESTING} levels deep")
        tag = node.tag
        if tag == _STR or (text and isinstance(node, ScalarNode) and tag != _NULL and tag in _SCALAR_TAGS):
            return node.value
        if tag not in _ALLOWED_TAGS:
            raise PostError(self.path, line, f"YAML tag {tag!r} is not allowed in front matter")
        if isinstance(node, MappingNode):
            mapping = {}
            for key, value in node.value:
                if not isinstance(key, ScalarNode):
                    raise PostError(self.path, self.first + key.start_mark.line,
                                    "front-matter keys must be plain strings")
                name = self.build(key, depth + 1)
                keys = TEXT_KEYS if depth == 0 else MAPPED_TEXT_KEYS if text else ()
                mapping[name] = self.build(value, depth + 1, text=name in keys)
            return mapping
        if isinstance(node, SequenceNode):
            return [self.build(item, depth + 1, text) for item in node.value]
        return self.loader.construct_object(node)


def load_toml(path, source, first):
    """Load TOML (tomllib); key lines come from a scan of the top-level `key = value` lines."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = first + int(match[1]) - 1 if match else first
        raise PostError(path, line, f"TOML syntax error: {exc}") from None
    except RecursionError:
        raise PostError(path, first, f"front matter is nested more than {MAX_NESTING} levels deep") from None
    key_lines = {}
    for offset, line in enumerate(source.splitlines()):
        stripped = line.strip()
        if stripped.startswith("["):
            break  # keys after the first [table] header belong to that table
        key, sep, _ = stripped.partition("=")
        if sep:
            key_lines.setdefault(key.strip().strip("\"'"), first + offset)
    return data, key_lines
