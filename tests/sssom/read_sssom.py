"""Parse and validate an SSSOM/TSV file with sssom-py; print what it read as JSON.

Run by tests/test_sssom.py with the python of .venv-sssom (sssom-py and its dependencies
are too many for the test extra)::

    .venv-sssom/bin/python tests/sssom/read_sssom.py FILE

Only the standard library is imported at module level, so pytest's doctest collection can
import this file where sssom-py is not installed.
"""

from __future__ import annotations

import json
import sys


def main(path: str) -> None:
    """Print the mapping set's problems, id, licence and rows; exit 1 if it does not validate."""
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    mappings = parse_sssom_table(path)
    reports = validate(
        mappings,
        [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness],
        fail_on_error=True,
    )
    print(
        json.dumps(
            {
                "problems": [str(r) for report in reports.values() for r in report.results],
                "mapping_set_id": mappings.metadata["mapping_set_id"],
                "license": mappings.metadata["license"],
                "rows": json.loads(mappings.df.to_json(orient="records")),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
