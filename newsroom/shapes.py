"""Serializers over `.values()` rows: one declaration is the OpenAPI schema, the `?fields=` vocabulary and the code.

A RowSerializer's fields name their row columns in `source`, in the `__` paths `.values()` takes ("category__slug");
a nested row serializer reads its fields under its own source, a `many=True` one reads a column holding a list of
rows (a JSON array folded into the row). `columns()` is what the query must select for it.

DRF's own to_representation calls get_attribute and to_representation per field and per row, and that was most
of a list request's time. Instead, as dataclasses writes `__init__`, the shape is written once per field selection
as one Python expression over the row (a dict literal) and compiled: it runs as fast as hand-written code.
"""

from datetime import UTC
from functools import cache, lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def utc_iso(moment):
    """DRF's ISO 8601 form of a time in UTC (`Z` suffix)."""
    if not moment:
        return None
    text = moment.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def column(path, name):
    return f"{path}__{name}" if path else name


class Emitter:
    """The pieces of one generated function: values it refers to, and values computed once per call from `ctx`
    or shared by every field that asks (the images of a page, read with their renditions in one query)."""

    def __init__(self):
        self.names = {"utc_iso": utc_iso}
        self.hoisted = {}  # expression -> local name
        self.shared = {}  # key -> (factory, [items])
        self.loops = 0

    def bind(self, value):
        name = f"_g{len(self.names)}"
        self.names[name] = value
        return name

    def hoist(self, expression):
        return self.hoisted.setdefault(expression, f"_h{len(self.hoisted)}")

    def share(self, key, factory, item):
        """A local computed once per call as `factory(rows, ctx, items)`, `items` those of every field sharing it."""
        _, items = self.shared.setdefault(key, (factory, []))
        if item not in items:
            items.append(item)
        return f"_s_{key}"

    def loop_variable(self):
        self.loops += 1
        return f"item{self.loops}"

    def function(self, body):
        lines = ["def shape(rows, ctx):"]
        for key, (factory, items) in self.shared.items():
            lines.append(f"    _s_{key} = {self.bind(factory)}(rows, ctx, {tuple(items)!r})")
        lines += [f"    {name} = {expression}" for expression, name in self.hoisted.items()]
        lines.append(f"    return [{body} for row in rows]")
        namespace = {}
        exec(compile("\n".join(lines), "<row shape>", "exec"), self.names, namespace)  # noqa: S102 (our own code)
        return namespace["shape"]


def emit(field, emitter, var, path, items=""):
    """The expression of `field`'s value in the row `var`, its columns under `path`; `items` the list column the
    row comes from (empty at the top level)."""
    if hasattr(field, "row_expression"):
        return field.row_expression(emitter, var, path, items)
    if isinstance(field, serializers.ListSerializer):
        item, child = emitter.loop_variable(), field.child
        shape = (child.row_expression if hasattr(child, "row_expression") else child.dict_expression)(
            emitter, item, "", field.source
        )
        return f"[{shape} for {item} in ({var}[{column(path, field.source)!r}] or ())]"
    value = f"{var}[{column(path, field.source)!r}]"
    if isinstance(field, RowSerializer):
        shape = field.dict_expression(emitter, var, column(path, field.source), items)
        if not field.allow_null:
            return shape
        # A related row that is not there (a LEFT JOIN that found nothing) has no value in its first column.
        return f"(None if {var}[{column(column(path, field.source), field.columns()[0])!r}] is None else {shape})"
    if isinstance(field, serializers.SerializerMethodField):
        if path:
            raise TypeError(f"{field.field_name}: a method field reads the row it is given, not a nested one")
        return f"{emitter.bind(getattr(field.parent, field.method_name))}({var}, ctx)"
    if isinstance(field, serializers.DateTimeField):
        return f"utc_iso({value})"
    for kind, convert in ((serializers.CharField, "str"), (serializers.IntegerField, "int")):
        if isinstance(field, kind):
            return f"(None if {value} is None else {convert}({value}))" if field.allow_null else f"{convert}({value})"
    raise TypeError(f"{field.field_name}: no row expression for {type(field).__name__}")


def field_columns(field, path):
    """The row columns `field` reads under `path`; none for a list, whose column is folded in by the query."""
    if hasattr(field, "row_columns"):
        return field.row_columns(path)
    if isinstance(field, serializers.ListSerializer):
        return ()
    if isinstance(field, RowSerializer):
        return tuple(column(column(path, field.source), name) for name in field.columns())
    if isinstance(field, serializers.SerializerMethodField):
        return tuple(column(path, name) for name in field.columns)
    return (column(path, field.source),)


class RowContext:
    """What the rows of one response share: the request, for absolute URLs."""

    def __init__(self, request):
        self.request = request

    def url_prefix(self, view_name, lookup, placeholder):
        """The absolute detail URL up to the lookup value."""
        path = detail_path_prefix(view_name, lookup, placeholder, get_urlconf(), get_script_prefix())
        return self.request.build_absolute_uri(path) if self.request is not None else path


@cache
def detail_path_prefix(view_name, lookup, placeholder, urlconf, script_prefix):
    """A detail path up to its lookup value: reversed once per URLconf and script prefix (it cost a tenth of a
    detail)."""
    return reverse(view_name, kwargs={lookup: placeholder}, urlconf=urlconf).removesuffix(f"{placeholder}/")


class RowListSerializer(serializers.ListSerializer):
    """A page of rows in one pass of the child's generated shape (model instances: DRF's own way)."""

    def to_representation(self, data):
        if isinstance(data, list) and all(isinstance(row, dict) for row in data[:1]):
            return self.child.shape(data, self.context.get("request"), self.context.get("fields"))
        return super().to_representation(data)


# A read-only serializer of `.values()` rows (see the module docstring); a field a subclass declares again keeps
# its parent's place. (No docstring: drf-spectacular would show it as the description of every shape.)
class RowSerializer(serializers.Serializer):

    class Meta:
        list_serializer_class = RowListSerializer

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        parent = next(base._declared_fields for base in cls.__mro__[1:] if hasattr(base, "_declared_fields"))
        order = [*parent, *(name for name in cls._declared_fields if name not in parent)]
        cls._declared_fields = {name: cls._declared_fields[name] for name in order if name in cls._declared_fields}

    @classmethod
    @cache
    def bound_fields(cls):
        """The class's fields, bound (sources set), built once."""
        return cls().fields

    @classmethod
    def field_names(cls):
        return list(cls.bound_fields())

    @classmethod
    @cache
    def columns(cls, path=""):
        """The row columns this shape reads, once each, in the order of its fields."""
        found = (name for field in cls.bound_fields().values() for name in field_columns(field, path))
        return tuple(dict.fromkeys(found))

    @classmethod
    def item_columns(cls, name):
        """The columns of the rows in the list column of field `name` (a `many=True` field)."""
        child = cls.bound_fields()[name].child
        return child.row_columns("") if hasattr(child, "row_columns") else type(child).columns()

    @classmethod
    def shaper(cls, fields=None):
        """The generated `shape(rows, ctx)`: every field, or the fields named (in declared order)."""
        if not fields:
            return full_shape(cls)
        return compiled_shape(cls, tuple(name for name in cls.bound_fields() if name in fields))

    @classmethod
    def shape(cls, rows, request, fields=None):
        """`rows` as JSON-ready dicts."""
        return cls.shaper(fields)(rows, RowContext(request))

    def dict_expression(self, emitter, var, path, items="", names=None):
        fields = self.fields
        pairs = (f"{name!r}: {emit(fields[name], emitter, var, path, items)}" for name in names or fields)
        return "{" + ", ".join(pairs) + "}"

    def to_representation(self, row):
        if not isinstance(row, dict):  # a model instance, read by DRF's fields (a category's children)
            return super().to_representation(row)
        return self.shape([row], self.context.get("request"), self.context.get("fields"))[0]


@cache
def full_shape(serializer_class):
    return compiled_shape(serializer_class, tuple(serializer_class.bound_fields()))


@lru_cache(maxsize=256)  # a `?fields=` selection each: bounded, since a client chooses them
def compiled_shape(serializer_class, names):
    emitter = Emitter()
    return emitter.function(serializer_class().dict_expression(emitter, "row", "", "", names))


class RowMethodField(serializers.SerializerMethodField):
    """A value computed from the row by the serializer's `get_<name>(row, ctx)` (a staticmethod), which reads
    `columns`."""

    def __init__(self, columns, **kwargs):
        self.columns = columns
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.URI)
class DetailURLField(serializers.Field):
    """The absolute URL of a detail, from the row's lookup column: the prefix reversed once per response."""

    view_name = lookup = placeholder = None

    def __init__(self, **kwargs):
        kwargs.setdefault("source", self.lookup)
        super().__init__(read_only=True, **kwargs)

    def row_expression(self, emitter, var, path, items):
        prefix = emitter.hoist(f"ctx.url_prefix({self.view_name!r}, {self.lookup!r}, {self.placeholder!r})")
        return f"{prefix} + str({var}[{column(path, self.source)!r}]) + '/'"

    def to_representation(self, value):  # for the serializers that run on model instances (authors)
        prefix = RowContext(self.context.get("request")).url_prefix(self.view_name, self.lookup, self.placeholder)
        return f"{prefix}{value}/"


class CommaSeparatedField(serializers.ListField):
    """A list of strings from a column holding them comma-separated (an aggregate), sorted."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), read_only=True, **kwargs)

    def row_expression(self, emitter, var, path, items):
        value = f"{var}[{column(path, self.source)!r}]"
        return f"(sorted({value}.split(',')) if {value} else [])"
