"""nualod: publish National Urban Forum good practices as linked open data."""

__version__ = "0.1.0"

from nualod.inputs import read_inputs
from nualod.link import link_practice
from nualod.publish import PublishResult, practices_graph, publish
from nualod.records import City, Indicator, LinkedPractice, Origin, Practice, Region, Source, Theme

__all__ = [
    "City",
    "Indicator",
    "LinkedPractice",
    "Origin",
    "Practice",
    "PublishResult",
    "Region",
    "Source",
    "Theme",
    "__version__",
    "link_practice",
    "practices_graph",
    "publish",
    "read_inputs",
]
