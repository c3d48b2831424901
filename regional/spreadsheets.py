"""What makes an exported cell safe to open in a spreadsheet: shared by every CSV and XLSX export."""

import re

# A cell starting with one of these is read as a formula by spreadsheets (CSV injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Plain numbers (a negative rank change, "-3") are data, not formulas, and stay numbers in the sheet.
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralise_formula(value):
    """Text a spreadsheet would run as a formula gets a leading `'`; every other value comes back unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
