import sys

from minigan.cli import main

sys.exit(main())
