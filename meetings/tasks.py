"""Background work of meetings and events, run by the task queue (``manage.py db_worker``)."""

from django_tasks import task

from .models import OutgoingMail


@task()
def deliver_mail(mail_id):
    """Send one mail from the outbox."""
    from .mail import send_now

    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None:
        return False
    return send_now(mail)
