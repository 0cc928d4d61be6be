"""Django's PostgreSQL backend with timestamps read faster (``base.py``)."""
