"""The shared cache on SQLite files (diskcache), with its connections kept open by each process.

Django closes every cache at the end of each request (``request_finished``). For diskcache that closes
its SQLite connections – with a checkpoint of the write-ahead log – and the next request that reads
the cache (the site identity, the page cache's versions, the API's rate limits) opens them again and
reads the cache's settings with a query and a PRAGMA each: for a list of the JSON API that took
about as long as reading its rows. The connections belong to a process and a thread (diskcache opens
new ones after a fork), so they can stay open for the life of the worker.
"""

from diskcache import DjangoCache


class DiskCache(DjangoCache):
    def close(self, **kwargs):
        """Kept open (see above); diskcache closes them itself when the process forks."""
