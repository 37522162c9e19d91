"""The culture office role: a group that may read attendance (and later statistics) of every event."""

from django.db import migrations

GROUP = "Culture office"


def create_group(apps, schema_editor):  # type: ignore[no-untyped-def]
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    scan_type, _ = ContentType.objects.get_or_create(app_label="tickets", model="scan")
    permission, _ = Permission.objects.get_or_create(
        content_type=scan_type,
        codename="view_all_attendance",
        defaults={"name": "Can see attendance of every event"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0003_door_scanning"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
