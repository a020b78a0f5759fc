import sys

from reverie.app.cli import main

sys.exit(main())
