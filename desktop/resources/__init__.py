"""The app's data files: the catalog and the icons.

They sit next to this file in a source tree, a wheel and a PyInstaller bundle alike (the spec
collects this folder), so code finds them from :data:`FOLDER`. Not ``importlib.resources``: it
imports zipfile, tempfile and more, which every start would pay for.
"""

from pathlib import Path

#: The folder holding ``catalog/`` and ``icons/``.
FOLDER = Path(__file__).resolve().parent
