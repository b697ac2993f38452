"""Take back the `auth` and `audit` permissions coordinators were given: with them a coordinator
could change anyone's password or role in the admin, and read the clinician's access rows."""

from django.db import migrations

WITHDRAWN_APPS = ("auth", "audit")


def withdraw(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    for through in (User.user_permissions.through, Group.permissions.through):
        through.objects.filter(
            permission__content_type__app_label__in=WITHDRAWN_APPS).delete()


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length"),
                    ("audit", "0003_changes_and_address")]
    operations = [migrations.RunPython(withdraw, migrations.RunPython.noop)]
