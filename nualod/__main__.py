"""Run the command line as ``python -m nualod``."""

from nualod.cli import main

main(prog_name="nualod")
