from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from events import catalogue_version
        from tickets.models import TicketType

        # Prices and ticket types show on cached event pages: an edit must show at once.
        def changed(**_kwargs: object) -> None:
            catalogue_version.changed()

        post_save.connect(changed, sender=TicketType, weak=False, dispatch_uid="catalogue-save-TicketType")
        post_delete.connect(changed, sender=TicketType, weak=False, dispatch_uid="catalogue-delete-TicketType")
