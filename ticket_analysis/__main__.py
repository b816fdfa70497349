"""Allow ``python -m ticket_analysis``."""

from ticket_analysis.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
