"""Settings of the Celery worker that tests marked `worker` start: the project's own,
plus the few values the test changed for itself (the sandbox's address, the click
stream's name), handed over as JSON by `tests/worker.py`."""

import json
import os

from advocacy.settings import *  # noqa: F403

globals().update(json.loads(os.environ.get("CHORUS_WORKER_OVERRIDES", "{}")))
