"""Allow ``python -m ticket_analysis``."""

import sys

try:
    from ticket_analysis.cli import main
except KeyboardInterrupt:  # Ctrl-C while starting up: no traceback, nothing written
    sys.stderr.write("ERROR: interrupted while starting; nothing was written\n")
    raise SystemExit(130) from None

if __name__ == "__main__":
    raise SystemExit(main())
