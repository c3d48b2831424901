import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each worker pays its start-up costs here rather than on its first request (see config/warmup.py).
from config.warmup import warm_up  # noqa: E402  (needs the apps loaded by get_wsgi_application)

warm_up()
