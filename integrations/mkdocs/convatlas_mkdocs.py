"""ConvAtlas for MkDocs: a pymdownx.superfences custom fence drawing ```arch blocks
with the convatlas binary at build time.

In mkdocs.yml (with this folder on PYTHONPATH, or the file beside mkdocs.yml):

    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: arch
              class: arch
              format: !!python/name:convatlas_mkdocs.fence
              validator: !!python/name:convatlas_mkdocs.validator

Blocks: ```arch with the id in the body (resnet50 stage=conv3_x) or a definition,
```{.arch #resnet50 stage=conv3_x}, or ```arch resnet50 stage="conv3_x" (superfences
reads an info string's options only when their values are quoted). The binary is
found on PATH, or named by the CONVATLAS environment variable. A block that cannot
be drawn is shown as an error in the page and logged as a warning, so that
`mkdocs build --strict` fails.
"""

import html
import logging
import os
import subprocess

log = logging.getLogger("mkdocs.convatlas")

BINARY = os.environ.get("CONVATLAS", "convatlas")


def validator(language, inputs, options, attrs, md):
    """Accepts every option of an arch block: convatlas judges them, naming the bad one."""
    options.update(inputs)
    return True


def fence(source, language, class_name, options, md, **kwargs):
    """Draws one block: its info string rebuilt in the attribute form convatlas reads."""
    words = ["." + language]
    if kwargs.get("id_value"):
        words.append("#" + kwargs["id_value"])
    for key, value in options.items():
        if value == key and "=" not in key:
            words.append(key)  # a bare word: ```arch resnet50
        else:
            words.append('%s="%s"' % (key, value.replace('"', "")))
    info = "{" + " ".join(words) + "}"
    try:
        run = subprocess.run([BINARY, "fence", info], input=source.encode(), capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as err:
        return _failure("%s could not be run: %s" % (BINARY, err))
    if run.returncode != 0:
        return _failure(run.stderr.decode(errors="replace").strip().removeprefix("convatlas: "))
    return '<figure class="arch-figure">%s</figure>' % run.stdout.decode()


def _failure(message):
    log.warning("an arch block could not be drawn: %s", message)
    return '<div class="arch-error" role="alert"><strong>This diagram could not be drawn:</strong> %s</div>' % html.escape(message)
