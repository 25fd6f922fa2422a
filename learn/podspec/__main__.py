import os
import sys

from learn.podspec.cli import main

try:
    sys.exit(main())
except BrokenPipeError:
    # The reader went away (`... | head`): stop quietly, as command-line tools do.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(141)  # 128 + SIGPIPE, what a shell reports for a pipe closed early
