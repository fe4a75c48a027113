#!/usr/bin/python3
"""Executes one notebook through a real Jupyter kernel and reports the first failing cell.

Usage: execute.py NOTEBOOK [--timeout SECONDS] [--output EXECUTED.ipynb] [--cwd DIR]

Prints one JSON object on stdout:
  {"notebook", "ok", "cells", "seconds", "failure": null | {"cell", "index", "source", "reason", "message"}}
"cell" counts code cells from 1 (as a reader counts them); "index" is the position among all cells.

A cell fails when the kernel reports an error (tslab reports compile and runtime errors on stderr,
not as "error" outputs), when it writes to stderr (unless the cell is tagged "stderr-ok"), or when
it runs longer than the timeout. tslab aborts every cell after a failing one, so we stop there.
Cells tagged "skip-execution" are left as they are.
"""
import argparse
import json
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KERNEL = "message-passing-ts"


def output_text(cell, stream=None):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and (stream is None or out.get("name") == stream):
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error" and stream in (None, "stderr"):
            parts.append("\n".join(out.get("traceback", [])) or f"{out.get('ename')}: {out.get('evalue')}")
    return "".join(parts).strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--timeout", type=int, default=60, help="seconds allowed per cell")
    ap.add_argument("--output", help="write the executed notebook here")
    ap.add_argument("--cwd", default=".", help="working directory of the kernel")
    args = ap.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=args.timeout,
        kernel_name=KERNEL,
        allow_errors=False,
        resources={"metadata": {"path": args.cwd}},
    )
    started = time.monotonic()
    failure = None
    code_number = 0
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                code_number += 1
                # Jupyter's convention (nbclient's own default): a cell a reader runs, a build does not,
                # such as a lesson's cell that grades the reader's exercise.
                if "skip-execution" in cell.metadata.get("tags", []):
                    continue
                reason = None
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    reason = f"timed out after {args.timeout} s"
                except CellExecutionError:
                    reason = "error"
                except DeadKernelError:
                    reason = "the kernel died"
                if reason is None and "stderr-ok" not in cell.metadata.get("tags", []):
                    if output_text(cell, "stderr"):
                        reason = "wrote to stderr"
                if reason:
                    failure = {
                        "cell": code_number,
                        "index": index,
                        "source": cell.source.strip().splitlines()[0] if cell.source.strip() else "",
                        "reason": reason,
                        "message": output_text(cell, "stderr") or output_text(cell),
                    }
                    break
    except Exception as exc:  # kernel not found, could not start, ...
        failure = {"cell": code_number, "index": -1, "source": "", "reason": "kernel", "message": f"{type(exc).__name__}: {exc}"}

    if args.output:
        nbformat.write(nb, args.output)
    json.dump(
        {
            "notebook": args.notebook,
            "ok": failure is None,
            "cells": code_number,
            "seconds": round(time.monotonic() - started, 2),
            "failure": failure,
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
