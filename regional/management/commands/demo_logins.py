from django.core.management.base import BaseCommand

from factories.demo import DEMO_USERS, demo_password
from regional.models import User


class Command(BaseCommand):
    help = "Print the app's URL and the demo login of each role."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        users = {user.username: user for user in User.objects.filter(is_demo=True).select_related("county", "province")}
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Regional is starting at {url}"))
        self.stdout.write("Demo logins (username / password):")
        for username, _role, _county, _province in DEMO_USERS:
            user = users.get(username)
            if user is None:
                continue
            unit = user.county or user.province or "whole programme"
            self.stdout.write(f"  {user.get_role_display():<24} {username:<26} {demo_password(username):<18} ({unit})")
        self.stdout.write("")
