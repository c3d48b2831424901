"""Bench settings for the pages in Chromium: the bench's production behaviour (bench/settings.py, DEBUG off)
with production's static files too: collected with hashed names and gzip/Brotli copies
(`CompressedManifestStaticFilesStorage`) into DJANGO_STATIC_ROOT and served by WhiteNoise with far-future
caching, as the Dockerfile's `collectstatic` and the production settings do. Only the project's own static
files are collected (the admin's and DRF's are on no page measured), which keeps the collection to seconds."""

from bench.settings import *  # noqa: F403
from config.settings import STORAGES as PRODUCTION_STORAGES

STORAGES = PRODUCTION_STORAGES
STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
