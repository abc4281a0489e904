"""``python -m exposure``: the same as the ``exposure`` command."""

from .cli import main

raise SystemExit(main())
