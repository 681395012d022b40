"""Allow ``python -m incidents``."""

from incidents.cli import main

raise SystemExit(main())
