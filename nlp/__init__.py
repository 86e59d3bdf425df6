"""biyelelt: audit Mongolian anti-corruption implementation reports.

Авлигатай тэмцэх үндэсний хөтөлбөр болон байгууллагын төлөвлөгөөний биелэлтийн
тайланг уншиж, биелэлт бүрийг ангилж, нотолгоонд суурилсан оноо гаргаж, тайлагнасан
хувьтай харьцуулан зөрүүтэй мөрийг илрүүлнэ.
"""

from .text import normalize

__version__ = "0.1.0"

__all__ = ["normalize", "__version__"]
