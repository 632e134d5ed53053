"""Channels deliver a notification; each has the same send(delivery). Add a channel here, nowhere else."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import Delivery


class PermanentFailure(Exception):
    """Trying again would not help (e.g. the person has no e-mail address)."""


class InAppChannel:
    def send(self, delivery):
        # The notification record is what the app shows: nothing more to do.
        return None


class EmailChannel:
    def send(self, delivery):
        self.send_many([delivery])

    def send_many(self, deliveries):
        """One e-mail for one notification, or a digest of several for the same person."""
        recipient = deliveries[0].notification.recipient
        if not recipient.email:
            raise PermanentFailure(f"{recipient.username} has no e-mail address.")
        notifications = [d.notification for d in deliveries]
        subject = (
            f"focuspolicy: {notifications[0].title}"
            if len(notifications) == 1
            else f"focuspolicy: your daily digest ({len(notifications)} notifications)"
        )
        body = render_to_string(
            "notifications/email.txt",
            {
                "recipient": recipient,
                "notifications": notifications,
                "site_url": settings.SITE_URL.rstrip("/"),
            },
        )
        send_mail(subject, body, None, [recipient.email], fail_silently=False)


CHANNELS = {Delivery.Channel.IN_APP: InAppChannel(), Delivery.Channel.EMAIL: EmailChannel()}
