"""facttrack: a static fact-tracker site generator.

Every number on the site links back to the exact passage of its source text.
The build is a pipeline, one module per step:
load -> validate -> link -> derive -> render -> write (see build.py).
"""

__version__ = "0.1.0"
