"""Write the anonymous answers of closed surveys once more in random order (see needs.release)."""

from django.core.management.base import BaseCommand

from needs.release import release_closed


class Command(BaseCommand):
    help = "Release held anonymous answers of closed surveys and shuffle all their responses once."

    def handle(self, *args, **options):
        done = release_closed()
        for survey_pk, count in done.items():
            self.stdout.write(f"survey {survey_pk}: {count} responses written in random order")
        if not done:
            self.stdout.write("nothing to do")
