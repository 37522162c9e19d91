from django.db import migrations, models

# The valid tickets of paid orders, counted once; after this the sale keeps the count itself.
BACKFILL = """
    UPDATE tickets_tickettype SET paid_tickets = (
        SELECT COUNT(*)
        FROM tickets_ticket t JOIN tickets_order ord ON ord.id = t.order_id
        WHERE t.ticket_type_id = tickets_tickettype.id AND t.status = 'valid' AND ord.status = 'paid'
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0006_scan_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="tickettype",
            name="paid_tickets",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Tickets of this type on paid orders, kept up to date by every sale, cancellation and refund.",
                verbose_name="tickets on paid orders",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
