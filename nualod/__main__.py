"""Run the command line as ``python -m nualod``."""

from nualod.cli import command_line

command_line()
