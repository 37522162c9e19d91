from django.db import migrations, models

# Every paid order's lines, counted once; after this the sale keeps the count itself.
BACKFILL = """
    UPDATE tickets_tickettype SET paid_tickets = COALESCE((
        SELECT SUM(line.quantity)
        FROM tickets_orderline line JOIN tickets_order ord ON ord.id = line.order_id
        WHERE line.ticket_type_id = tickets_tickettype.id AND ord.status = 'paid'
    ), 0)
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
