"""How passwords are stored: Argon2id at a cost that keeps one sign-in well under 300 ms on one core."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FocusArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's second recommended profile (19 MiB, 2 passes, 1 lane).

    Django's default (100 MiB, 8 lanes) took about 600 ms on one core of our server. Hashes made with
    other parameters, or by another hasher, are rewritten with these at the person's next sign-in.
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
