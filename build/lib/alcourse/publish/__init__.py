"""Publishing: the offline JupyterLite site and helpers for the Jupyter Book.

- :mod:`alcourse.publish.vendor` — install-time only: fetch the Pyodide runtime (npm) and the
  pure-Python wheels it needs (PyPI) so that the JupyterLite site never loads from a CDN;
- :mod:`alcourse.publish.lite` — build the JupyterLite site (``make lite``) from those files,
  the trainee (release) versions of the module notebooks and an ``alcourse`` wheel;
- :mod:`alcourse.publish.sphinxext` — the book's "Run in your browser" and JupyterHub links.
"""
