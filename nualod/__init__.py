"""nualod: publish National Urban Forum good practices as linked open data.

The public API is exported lazily, so that ``import nualod`` (and any stage module, such as
``nualod.read.dates``) does not pay for importing pySHACL, rdflib or the pipeline.

>>> import nualod
>>> nualod.Practice.__module__
'nualod.model.records'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Exported name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "City": "nualod.model.records",
    "Indicator": "nualod.model.records",
    "LinkedPractice": "nualod.model.records",
    "Origin": "nualod.model.records",
    "Practice": "nualod.model.records",
    "Region": "nualod.model.records",
    "Source": "nualod.model.records",
    "Theme": "nualod.model.records",
    "link_practice": "nualod.link.practice",
    "read_inputs": "nualod.read.inputs",
    "PublishResult": "nualod.run.publish",
    "practices_graph": "nualod.run.publish",
    "publish": "nualod.run.publish",
    "HarvestResult": "nualod.harvesting.fetch",
    "harvest": "nualod.harvesting.fetch",
    "ValidationReport": "nualod.validate.shacl",
    "validate_files": "nualod.validate.stream",
    "SiteResult": "nualod.site.build",
    "build_site": "nualod.site.build",
    "Changelog": "nualod.releases.changelog",
    "diff_releases": "nualod.releases.changelog",
    "QueryResult": "nualod.serve.sparql",
    "run_query": "nualod.serve.sparql",
}

__all__ = [
    "Changelog",
    "City",
    "HarvestResult",
    "Indicator",
    "LinkedPractice",
    "Origin",
    "Practice",
    "PublishResult",
    "QueryResult",
    "Region",
    "SiteResult",
    "Source",
    "Theme",
    "ValidationReport",
    "__version__",
    "build_site",
    "diff_releases",
    "harvest",
    "link_practice",
    "practices_graph",
    "publish",
    "read_inputs",
    "run_query",
    "validate_files",
]

if TYPE_CHECKING:
    from nualod.harvesting.fetch import HarvestResult, harvest
    from nualod.link.practice import link_practice
    from nualod.model.records import (
        City,
        Indicator,
        LinkedPractice,
        Origin,
        Practice,
        Region,
        Source,
        Theme,
    )
    from nualod.read.inputs import read_inputs
    from nualod.releases.changelog import Changelog, diff_releases
    from nualod.run.publish import PublishResult, practices_graph, publish
    from nualod.serve.sparql import QueryResult, run_query
    from nualod.site.build import SiteResult, build_site
    from nualod.validate.shacl import ValidationReport
    from nualod.validate.stream import validate_files


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nualod' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
