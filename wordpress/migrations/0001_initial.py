import django.db.models.deletion
from django.db import migrations, models


def content_type_to(old_app, new_app):
    """Give the model's content type its new app, so permissions, admin history and
    generic relations keep pointing at it (rather than a fresh row beside a stale one)."""

    def rename(apps, schema_editor):
        ContentType = apps.get_model('contenttypes', 'ContentType')
        types = ContentType.objects.using(schema_editor.connection.alias)
        if not types.filter(app_label=new_app, model='importeditem').exists():
            types.filter(app_label=old_app, model='importeditem').update(app_label=new_app)

    return rename


class Migration(migrations.Migration):
    """ImportedItem, moved here from blog (whose migration 0004 lets go of it): the
    table blog_importeditem is taken over as it is, rows, indexes and constraints
    included; nothing in the database changes but the content type's app."""

    initial = True

    dependencies = [
        ('blog', '0004_importeditem_moved_to_wordpress'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportedItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('site', models.CharField(help_text="The WordPress blog's base URL.", max_length=200)),
                        ('wp_type', models.CharField(choices=[('post', 'Post'), ('page', 'Page'), ('attachment', 'Attachment'), ('comment', 'Comment'), ('category', 'Category'), ('tag', 'Tag'), ('author', 'Author')], max_length=20, verbose_name='WordPress type')),
                        ('wp_id', models.CharField(help_text='The numeric id; the slug for categories and tags, the login for authors.', max_length=200, verbose_name='WordPress id')),
                        ('guid', models.CharField(blank=True, max_length=500)),
                        ('old_path', models.CharField(blank=True, help_text="The path of the item's WordPress page.", max_length=500)),
                        ('old_url', models.URLField(blank=True, help_text="For attachments: the file's WordPress address.", max_length=1000)),
                        ('object_id', models.PositiveBigIntegerField(null=True)),
                        ('imported_at', models.DateTimeField(auto_now=True)),
                        ('content_type', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                    ],
                    options={
                        'db_table': 'blog_importeditem',
                        'indexes': [models.Index(fields=['wp_type', 'wp_id'], name='imported_item_wp_id_idx'), models.Index(fields=['old_path'], name='imported_item_old_path_idx'), models.Index(fields=['content_type', 'object_id'], name='imported_item_object_idx')],
                        'constraints': [models.UniqueConstraint(fields=('site', 'wp_type', 'wp_id'), name='imported_item_unique_wp_id')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_type_to('blog', 'wordpress'), content_type_to('wordpress', 'blog'), elidable=True
        ),
    ]
