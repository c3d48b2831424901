# The house's English dates ("10 April 2025", "10 Apr 2025 14:05"): day first, the month in words, so that no
# reader confuses 04/10 with 10/04. Other languages keep Django's own formats (Korean: 2025년 4월 10일).
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
