"""Reads for analysts: a page per factory, and the pivot explorer (`pivot`). Every queryset starts in
`regional.scoping`; figures are sums of approved reports, aggregated in the database."""
