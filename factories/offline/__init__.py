"""Offline entry: the service worker that keeps This month and the entry forms, and the web app manifest.

The pages are the same server-rendered pages; `static/js/offline.js` keeps drafts typed without a connection
on the device and syncs them through the API's report endpoints (the same services and version checks as
online entry) when the connection returns.
"""
