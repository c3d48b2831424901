"""Notifications: an in-app inbox and e-mail, per kind and per user's preference.

Who is told what is decided by `regional.scoping` (a county official only ever hears about their own county);
each notification is created once per recipient, kind and subject (a database constraint), so a beat that runs
twice or a retried worker never tells anyone twice; e-mail goes out after the transaction commits, in the
recipient's language.
"""
