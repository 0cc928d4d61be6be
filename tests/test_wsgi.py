"""The production entry point."""

import gc
import importlib


def test_the_worker_freezes_what_it_loaded_so_that_collections_skip_it():
    import vernetzt.wsgi

    gc.unfreeze()
    try:
        importlib.reload(vernetzt.wsgi)
        assert gc.get_freeze_count() > 50_000  # Django, the apps and the URLconf's views
        assert callable(vernetzt.wsgi.application)
    finally:
        gc.unfreeze()
