"""One spelling-insensitive form of a romanised Korean name, in Python and as the same SQL expression."""

import re

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func, Value
from django.db.models.functions import Lower

# Applied in this order, identically in Python and in SQL.
DIGRAPHS = [("eo", "o"), ("eu", "u"), ("ae", "e"), ("ph", "p"), ("th", "t"), ("kh", "k"), ("ch", "c"), ("sh", "s")]
LETTERS_FROM, LETTERS_TO = "bdgjl", "ptkcr"


def skeleton(text: str) -> str:
    """`Unnyul` and `Unryul` → `unyun`; `Bullyeong` and `Puryong` → `punyong`; `Cheorwon`, `Cholwon` → `conwon`."""
    value = re.sub(r"[^a-z]", "", text.lower())
    for before, after in DIGRAPHS:
        value = value.replace(before, after)
    value = value.translate(str.maketrans(LETTERS_FROM, LETTERS_TO))
    return re.sub(r"[nr]+", "n", value)


class _RegexpReplace(Func):
    function = "REGEXP_REPLACE"

    def __init__(self, expression, pattern: str, replacement: str):
        super().__init__(expression, Value(pattern), Value(replacement), Value("g"))


class _Replace(Func):
    function = "REPLACE"


class _Translate(Func):
    function = "TRANSLATE"


def skeleton_sql(field: str):
    """The same transformation as `skeleton`, as a PostgreSQL expression (immutable, so it can be indexed)."""
    expression = _RegexpReplace(Lower(field), "[^a-z]", "")
    for before, after in DIGRAPHS:
        expression = _Replace(expression, Value(before), Value(after))
    expression = _Translate(expression, Value(LETTERS_FROM), Value(LETTERS_TO))
    return _RegexpReplace(expression, "[nr]+", "n")


# SQLite (`make run`) has no REGEXP_REPLACE: the same Python function, registered on each new connection.
class SqliteSkeleton(Func):
    function = "regional_skeleton"
    output_field = CharField()


def _register_on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "regional_skeleton", 1, lambda text: skeleton(text or ""), deterministic=True
        )


connection_created.connect(_register_on_sqlite, dispatch_uid="regional_search_skeleton")
