"""UNO helper of one warm LibreOffice instance in the PDF conversion pool.

Connects to a running soffice over a UNO pipe, converts a small DOCX once so
that Writer, the DOCX import filter and the PDF export filter are loaded, then
prints a "ready" line. Afterwards it reads newline-delimited JSON requests on
stdin, {"id", "input", "output"} with absolute file paths, and converts them
one at a time. Each request gets one JSON reply line on stdout:
{"type": "converted", "id"} or {"type": "failed", "id", "reason", "message"}.
The reason is "document" when LibreOffice rejected the input and the instance
is still usable, and "instance" when the instance should be replaced.

When stdin closes, for example because the Node.js process that started both
processes was killed, the helper kills the soffice process group, removes the
pipe's socket file and exits, so no soffice outlives the pool. The wire format is described in
packages/documents/src/UnoHelperProtocol.ts, which must change with this file.

Run with Debian's /usr/bin/python3 and python3-uno:
    /usr/bin/python3 convert_server.py --pipe NAME --soffice-pgid PID --connect-timeout SECONDS
"""

import argparse
import json
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
import zipfile

EXIT_CONNECT_FAILED = 2
EXIT_UNO_MISSING = 3
EXIT_WARM_UP_FAILED = 4

try:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
    from com.sun.star.io import IOException
    from com.sun.star.lang import IllegalArgumentException
except ImportError as error:
    sys.stderr.write(
        f"Failed to import the UNO Python bridge with {sys.executable}: {error}. "
        "Install it with `apt-get install -y --no-install-recommends python3-uno`, "
        "or point DOCSERVER_PYTHON at a Python that has it.\n"
    )
    sys.exit(EXIT_UNO_MISSING)

DOCX_IMPORT_FILTER = "MS Word 2007 XML"
PDF_EXPORT_FILTER = "writer_pdf_Export"
CONNECT_RETRY_SECONDS = 0.1

# com.sun.star.document.MacroExecMode.NEVER_EXECUTE and UpdateDocMode.NO_UPDATE:
# no macros run and no linked content is fetched while loading.
NEVER_EXECUTE = 0
NO_UPDATE = 0

WARM_UP_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/>'
        "</Relationships>"
    ),
    "word/document.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Warm-up</w:t></w:r></w:p></w:body></w:document>"
    ),
}


class DocumentRejected(Exception):
    """LibreOffice could not load or export the input, but the instance still works."""


def property_value(name, value):
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def write_message(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def kill_soffice_and_exit(soffice_pgid, pipe_name):
    try:
        os.killpg(soffice_pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    # sal (LibreOffice 7.4) leaves the pipe's socket file behind when soffice is killed.
    try:
        os.remove(f"/tmp/OSL_PIPE_{os.getuid()}_{pipe_name}")
    except OSError:
        pass
    os._exit(0)


def read_requests(requests, soffice_pgid, pipe_name):
    """Queues stdin lines. On end of input, kills soffice and exits the helper."""
    for line in sys.stdin:
        requests.put(line)
    kill_soffice_and_exit(soffice_pgid, pipe_name)


def connect(pipe_name, timeout_seconds):
    local_context = uno.getComponentContext()
    resolver = local_context.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local_context
    )
    url = f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            context = resolver.resolve(url)
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except NoConnectException:
            if time.monotonic() >= deadline:
                sys.stderr.write(f"soffice did not accept UNO connections on pipe {pipe_name} within {timeout_seconds} seconds.\n")
                sys.exit(EXIT_CONNECT_FAILED)
            time.sleep(CONNECT_RETRY_SECONDS)


def convert(desktop, input_path, output_path):
    """Converts one DOCX file to PDF. Raises DocumentRejected when LibreOffice rejects the input."""
    load_properties = (
        property_value("FilterName", DOCX_IMPORT_FILTER),
        property_value("Hidden", True),
        property_value("ReadOnly", True),
        property_value("MacroExecutionMode", NEVER_EXECUTE),
        property_value("UpdateDocMode", NO_UPDATE),
    )
    try:
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(input_path), "_blank", 0, load_properties)
    except (IllegalArgumentException, IOException) as error:
        raise DocumentRejected(f"LibreOffice failed to load {input_path} with the {DOCX_IMPORT_FILTER!r} filter: {error.Message}") from error
    if document is None:
        raise DocumentRejected(f"LibreOffice failed to load {input_path} with the {DOCX_IMPORT_FILTER!r} filter: the file is not a Word document it can read")
    try:
        document.storeToURL(uno.systemPathToFileUrl(output_path), (property_value("FilterName", PDF_EXPORT_FILTER),))
    except IOException as error:
        raise DocumentRejected(f"LibreOffice failed to export {input_path} as PDF: {error.Message}") from error
    finally:
        document.close(True)


def warm_up(desktop):
    directory = tempfile.mkdtemp(prefix="pw-uno-warm-up-")
    try:
        input_path = os.path.join(directory, "warm-up.docx")
        with zipfile.ZipFile(input_path, "w") as archive:
            for name, content in WARM_UP_PARTS.items():
                archive.writestr(name, content)
        convert(desktop, input_path, os.path.join(directory, "warm-up.pdf"))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def handle(desktop, line):
    try:
        request = json.loads(line)
        request_id = request["id"]
        input_path = request["input"]
        output_path = request["output"]
    except (ValueError, KeyError, TypeError) as error:
        write_message({"type": "failed", "id": None, "reason": "instance", "message": f"Invalid request line {line.strip()!r}: {error}"})
        return
    try:
        convert(desktop, input_path, output_path)
        write_message({"type": "converted", "id": request_id})
    except DocumentRejected as error:
        write_message({"type": "failed", "id": request_id, "reason": "document", "message": str(error)})
    except Exception as error:
        # A disposed bridge or an unexpected UNO error: the instance is in an unknown state.
        message = getattr(error, "Message", "") or str(error)
        write_message({"type": "failed", "id": request_id, "reason": "instance", "message": f"{type(error).__name__}: {message}"})


def main():
    parser = argparse.ArgumentParser(description="Converts DOCX to PDF on a running soffice, driven by JSON lines on stdin.")
    parser.add_argument("--pipe", required=True, help="name of the UNO pipe soffice accepts connections on")
    parser.add_argument("--soffice-pgid", required=True, type=int, help="process group of soffice, killed when stdin closes")
    parser.add_argument("--connect-timeout", required=True, type=float, help="seconds to wait for soffice to accept the connection")
    arguments = parser.parse_args()

    requests = queue.Queue()
    threading.Thread(target=read_requests, args=(requests, arguments.soffice_pgid, arguments.pipe), daemon=True).start()

    desktop = connect(arguments.pipe, arguments.connect_timeout)
    started = time.monotonic()
    try:
        warm_up(desktop)
    except Exception as error:
        sys.stderr.write(f"Warm-up conversion failed: {type(error).__name__}: {getattr(error, 'Message', '') or error}\n")
        sys.exit(EXIT_WARM_UP_FAILED)
    write_message({"type": "ready", "warmUpMillis": round((time.monotonic() - started) * 1000)})

    while True:
        handle(desktop, requests.get())


if __name__ == "__main__":
    main()
