"""Audit events are append-only at the database: triggers reject UPDATE, DELETE (and TRUNCATE)."""

from django.db import migrations

from inbeeld.core.audit import trigger_drop_sql, trigger_install_sql


def install(apps, schema_editor):
    for sql in trigger_install_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in trigger_drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(install, drop)]
