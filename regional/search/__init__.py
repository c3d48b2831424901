"""Search for counties and factories from the header: English or Korean names, the other romanisations the
sources use (Unnyul/Unryul, Bullyeong/Puryong, Cheorwon/Cholwon), factory names and codes.

Names are compared by their *skeleton*: the letters that survive the differences between McCune–Reischauer,
Revised Romanisation and the press's spellings. The same skeleton is computed in Python for the query and in SQL
for the rows, where a trigram index on the expression keeps it fast at any scale (PostgreSQL).
"""
