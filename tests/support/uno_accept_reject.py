"""Accept All and Reject All through LibreOffice: run with LibreOffice's Python (`.venv-office/bin/python`,
which has the `uno` module), on the UNO port of a running unoserver. For each Word file given, it opens the
file twice (hidden), dispatches `.uno:AcceptAllTrackedChanges` on one and `.uno:RejectAllTrackedChanges`
on the other, and prints, as JSON, the paragraphs of the text that result (tables left out) and the
texts of the paragraphs in the heading style given.

    .venv-office/bin/python tests/support/uno_accept_reject.py UNO_PORT "Heading 2" FILE.docx [FILE.docx ...]

One UNO connection for every file: LibreOffice starts once.
"""

import json
import sys

import uno
from com.sun.star.beans import PropertyValue

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def _property(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _settled(document, heading_style):
    """The text's paragraphs and the texts of those in `heading_style`, in a few UNO calls (a call per
    paragraph would take most of the time)."""
    paragraphs = document.getText().getString().replace("\r\n", "\n").split("\n")
    search = document.createSearchDescriptor()
    search.SearchStyles = True
    search.SearchString = heading_style
    found = document.findAll(search)
    return {"paragraphs": paragraphs, "headings": [found.getByIndex(i).getString() for i in range(found.getCount())]}


def main(port, heading_style, paths):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    context = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    results = {}
    for path in paths:
        results[path] = {}
        for name, command in COMMANDS.items():
            document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0,
                                                    (_property("Hidden", True),))
            try:
                dispatcher.executeDispatch(document.getCurrentController().getFrame(), command, "", 0, ())
                results[path][name] = _settled(document, heading_style)
            finally:
                document.close(True)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3:])
