# English as it is written in the Netherlands and the UK: day before month (never 07/14/2019).
from django.conf.locale.en_GB.formats import *  # noqa: F403
