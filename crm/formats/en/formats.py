"""English dates nobody reads two ways (Django's own "m/d/Y" is 12 January to a Canadian).

Tables and forms: 2026-12-01. Text, cards and e-mails: 1 Dec 2026. Headings: 1 December.
Names not set here (TIME_FORMAT "2:30 p.m.", FIRST_DAY_OF_WEEK Sunday...) are Django's English.
"""

DATE_FORMAT = "j M Y"  # 1 Dec 2026
DATETIME_FORMAT = "j M Y, P"  # 1 Dec 2026, 2:30 p.m.
SHORT_DATE_FORMAT = "Y-m-d"  # 2026-12-01
SHORT_DATETIME_FORMAT = "Y-m-d P"  # 2026-12-01 2:30 p.m.
MONTH_DAY_FORMAT = "j F"  # 1 December
YEAR_MONTH_FORMAT = "F Y"  # December 2026

# What the forms accept: what the pages show first, then other day-first or spelled-out
# forms; never 12/01/2026, which one reader takes for 1 December and another for 12 January.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-01 (also what date inputs send)
    "%d %b %Y",  # 1 Dec 2026
    "%d %B %Y",  # 1 December 2026
    "%b %d %Y",  # Dec 1 2026
    "%b %d, %Y",  # Dec 1, 2026
    "%B %d %Y",  # December 1 2026
    "%B %d, %Y",  # December 1, 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
]
