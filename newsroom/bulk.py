"""Many rows at once: inserts through PostgreSQL `COPY` (`bulk_create` elsewhere), lookups with one array parameter.

For an import of thousands of posts, building one multi-row INSERT through the ORM (model instances, per-value
quoting, a statement of megabytes that PostgreSQL must parse) cost as much CPU as PostgreSQL spent storing the
rows. COPY streams the same values without the statement, and `insert_rows` skips the model instances too.
"""

import datetime
import functools
import uuid

from django.db import connections, router
from django.db.models import Lookup
from django.db.models.lookups import In
from django.utils import timezone

# Python types that psycopg stores exactly as these fields' own preparation would: a value of the type goes to
# COPY as it is, anything else (None aside) through the field's `get_db_prep_save`.
AS_IS = {
    **dict.fromkeys(["CharField", "TextField", "SlugField", "URLField", "EmailField", "FileField"], str),
    **dict.fromkeys(["IntegerField", "PositiveIntegerField", "BigIntegerField", "PositiveBigIntegerField",
                     "SmallIntegerField", "PositiveSmallIntegerField", "AutoField", "BigAutoField"], int),
    "BooleanField": bool, "FloatField": float, "UUIDField": uuid.UUID,
}


def insert_rows(model, rows, using=None):
    """Insert new rows given as dicts of {attname: value} (`article_id`, not `article`); return their primary keys.

    For callers that have the values already: no model instances are built. A missing key takes the field's
    default, auto_now and auto_now_add fields take the time of the call, the primary key comes from the database.
    Values should have their field's Python type (str, int, aware datetime...); others are prepared by the field.
    """
    rows = list(rows)
    if not rows:
        return []
    connection = connections[using or router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return [obj.pk for obj in model.objects.using(connection.alias).bulk_create(model(**row) for row in rows)]
    now = timezone.now()
    sources = [_source(field, now) for field in _fields(model)]
    values = (
        [row[name] if name in row else default() if call else default for name, default, call in sources]
        for row in rows
    )
    return _copy(connection, model, values, len(rows))


def _source(field, now):
    """(attname, default, whether the default is called per row) for a column of `insert_rows`."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return None, now, False  # no row key is None: always the time of the call
    if field.has_default() and callable(field.default):
        return field.attname, field.get_default, True  # a uuid4, a fresh dict: one per row
    return field.attname, field.get_default(), False


@functools.cache
def _fields(model):
    """The columns an insert writes, the primary key included (its value comes from the sequence); a column with a
    database default (`db_default`) is left out, so the database computes it, whatever a row says."""
    return [field for field in model._meta.concrete_fields if not field.generated and not field.has_db_default()]


def _copy(connection, model, value_rows, count):
    """COPY `count` rows of field values (in `_fields` order, the primary key's ignored); return the new keys."""
    meta = model._meta
    fields = _fields(model)
    pk_index = fields.index(meta.pk)
    prepare = [_preparer(field, connection) for field in fields]
    quote = connection.ops.quote_name
    with connection.wrap_database_errors, connection.cursor() as cursor:
        # COPY returns no ids: take them from the primary key's sequence first, in one round trip.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), meta.pk.column, count],
        )
        pks = [pk for (pk,) in cursor.fetchall()]
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk, values in zip(pks, value_rows, strict=True):
                values[pk_index] = pk
                copy.write_row([adapt(value) for adapt, value in zip(prepare, values, strict=True)])
    return pks


def _preparer(field, connection):
    """How one field's values become database values, decided once per insert rather than once per value."""
    prepare = functools.partial(field.get_db_prep_save, connection=connection)
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    if kind == "DateTimeField":
        # PostgreSQL takes aware datetimes as they are; a naive one gets Django's warning and time zone.
        datetime_type = datetime.datetime
        return lambda value: value if value is None or (
            type(value) is datetime_type and value.tzinfo is not None) else prepare(value)
    as_is = AS_IS.get(kind)
    if as_is is None:
        return prepare
    return lambda value: value if value is None or type(value) is as_is else prepare(value)


class AnyOf(Lookup):
    """`field__any=values`: `field = ANY(%s)` with one array parameter on PostgreSQL, `IN (...)` elsewhere.

    A long `__in` list is one placeholder per value, which psycopg splits out of the SQL with a regular
    expression on every execution (half a second a 10,000-post import) and PostgreSQL parses and plans anew.
    Registered on every field by the newsroom app (newsroom.apps.NewsroomConfig.ready).
    """

    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql" or not self.rhs:
            return In(self.lhs, self.rhs).as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(value, connection, prepared=True) for value in self.rhs]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)

