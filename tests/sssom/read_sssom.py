"""Parse and validate an SSSOM/TSV file with sssom-py; print what it read as JSON.

Run by tests/test_sssom.py with the python of .venv-sssom (sssom-py and its dependencies
are too many for the test extra).
"""

import json
import sys

from sssom.constants import SchemaValidationType
from sssom.parsers import parse_sssom_table
from sssom.validators import validate

mappings = parse_sssom_table(sys.argv[1])
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
