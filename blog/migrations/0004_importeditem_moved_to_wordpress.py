from django.db import migrations


class Migration(migrations.Migration):
    """ImportedItem now belongs to the wordpress app (its migration 0001 takes it
    over). Only the migration state forgets it: the table and its rows stay where
    they are, and this migration needs nothing from the wordpress app."""

    dependencies = [
        ('blog', '0003_importeditem'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='ImportedItem'),
            ],
            database_operations=[],
        ),
    ]
