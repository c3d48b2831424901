import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each worker pays its start-up costs here rather than on its first request (see config/warmup.py).
from config.warmup import warm_up  # noqa: E402  (needs the apps loaded by get_wsgi_application)

warm_up()

# Everything loaded so far lives as long as the worker: moved out of the collector's generations, a full
# collection no longer walks the whole of Django and the app (~120 ms each in a fresh worker, the tail of the
# API's latency under load), only what requests allocate since (~7 ms). Python's `gc.freeze` (bench, API).
import gc  # noqa: E402

gc.freeze()
