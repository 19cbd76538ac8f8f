"""Load the Zelfredzaamheid-Matrix 2017 (domain and level names only) as the default instrument."""

from django.db import migrations

from inbeeld.care.instruments import ZRM_2017, install


def load(apps, schema_editor):
    install(apps.get_model("care", "Instrument"), apps.get_model("care", "Domain"), ZRM_2017)


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
