class ConflictError(Exception):
    """A write based on a stale version of an object (optimistic locking), or a race lost to another user.

    Browser views show it as a message; the API answers 409.
    """
