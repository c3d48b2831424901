from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneIterationPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """The production algorithm at one iteration: hashing the personas' passwords stops dominating the run,
    and the hashes stay verifiable by servers the tests start in other processes (the count is in the hash)."""

    iterations = 1
