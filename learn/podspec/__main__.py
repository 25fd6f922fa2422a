import sys

from learn.podspec.cli import main

sys.exit(main())
