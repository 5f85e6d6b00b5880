"""Insert many new rows at once: PostgreSQL `COPY` where available, `bulk_create` elsewhere.

For an import of thousands of posts, building one multi-row INSERT through the ORM (model instances, per-value
quoting, a statement of megabytes that PostgreSQL must parse) cost as much CPU as PostgreSQL spent storing the
rows. COPY streams the same values, adapted by the same fields, without the statement.
"""

from django.db import connections, router


def insert_all(objs, using=None):
    """Save new, unsaved instances of one model, like `bulk_create`: primary keys are set on them afterwards.

    Like `bulk_create`, this does not call `save()` or send signals; fields' `pre_save` (auto_now) still apply.
    """
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    connection = connections[using or router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return model.objects.using(connection.alias).bulk_create(objs)
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.generated]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert_all")  # FK ids of objects saved since
    quote = connection.ops.quote_name
    with connection.wrap_database_errors, connection.cursor() as cursor:
        # COPY returns no ids: take them from the primary key's sequence first, in one round trip.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
