"""The test suite runs the site's settings in development mode, as `make run` does.

The site fails closed (production unless DJANGO_DEBUG=1), and pytest-django reads the settings
before any conftest, so development is asked for here, before they are imported.
"""

import os

os.environ["DJANGO_DEBUG"] = "1"

from learn.settings import *  # noqa: F403
