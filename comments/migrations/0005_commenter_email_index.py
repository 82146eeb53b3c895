"""An index for screening's question "has this commenter been approved before?",
asked on every comment POST: `user_email__iexact` compares UPPER(user_email), which
without this index scans every comment (55 ms at 100,000 comments). The table is
django-contrib-comments', so the index is created here in SQL. SQLite compares with
LIKE instead and leaves it unused, at no harm."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_recheck_backoff")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS comment_email_upper_idx "
            "ON django_comments (UPPER(user_email))",
            "DROP INDEX IF EXISTS comment_email_upper_idx",
        )
    ]
