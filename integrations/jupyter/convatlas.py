"""ConvAtlas for Jupyter: diagrams that survive nbconvert.

    import convatlas
    convatlas.show("resnet50", stage="conv3_x")
    convatlas.show(definition=open("mynet.yaml").read(), dir="lr")

The diagram is drawn by the convatlas binary (on PATH, or named by the CONVATLAS
environment variable) and shown as an <img> holding the SVG as a data URI in the
cell's text/html output: nbconvert's HTML export keeps it (it blanks SVG output),
and the image follows the reader's colour scheme (theme="auto") unless told
otherwise. Options are those of an arch block: stage, dir, expand, collapse, theme,
background, preset.
"""

import base64
import html
import os
import re
import subprocess

BINARY = os.environ.get("CONVATLAS", "convatlas")

__all__ = ["show", "Diagram"]


class Diagram:
    """A drawn diagram; Jupyter shows it through _repr_html_."""

    def __init__(self, svg):
        self.svg = svg
        m = re.search(r"<title[^>]*>([^<]*)</title>", svg)
        self.title = html.unescape(m.group(1)) if m else "diagram"

    def _repr_html_(self):
        uri = "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()
        return '<img class="convatlas" src="%s" alt="%s" style="max-width: 100%%; height: auto">' % (
            uri, html.escape(self.title))

    def save(self, path):
        """Writes the SVG to a file."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.svg)


def show(network=None, definition=None, **options):
    """Draws a catalogue network by id, or the network a YAML definition describes."""
    if (network is None) == (definition is None):
        raise ValueError("show takes a catalogue id (show(\"resnet50\")) or definition=\"…\", not both")
    words = [".arch"]
    if network is not None:
        words.append("#" + network)
    for key, value in options.items():
        words.append('%s="%s"' % (key, str(value).replace('"', "")))
    run = subprocess.run([BINARY, "fence", "{" + " ".join(words) + "}"], input=(definition or "").encode(),
                         capture_output=True, timeout=60)
    if run.returncode != 0:
        raise ValueError(run.stderr.decode(errors="replace").strip().removeprefix("convatlas: "))
    return Diagram(run.stdout.decode())
