"""kg: knowledge graph of Vietnamese administrative plans.

The data flow is loaders (files → Document) → kg (Document → RDF → store) → queries → viz.
This package stays light to import: RDF and store modules are imported where they are used.
"""

__version__ = "0.1.0"
