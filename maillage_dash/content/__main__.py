"""``python -m maillage_dash.content``: check the practice sheets, practices and testimonials."""

import sys

from maillage_dash.content.model import main

sys.exit(main())
