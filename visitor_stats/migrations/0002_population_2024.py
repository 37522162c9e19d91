from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    Population = apps.get_model("visitor_stats", "Population")
    Population.objects.get_or_create(
        year=2024, defaults={"residents": 63_838, "source": "Danmarks Statistik, Helsingør Kommune (217)"}
    )


class Migration(migrations.Migration):
    dependencies = [("visitor_stats", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
