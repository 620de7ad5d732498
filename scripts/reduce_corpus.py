#!/usr/bin/env python3
"""Reduce a goconform corpus to its data: keep only preprocessor and DATA/GLOBL lines.

usage: reduce_corpus.py SRC_CORPUS_DIR DST_DIR

Copies the corpus directory SRC (the one holding manifest.json) to DST and rewrites
every .s and .h file there so that only these lines survive:

  * preprocessor lines (`#include`, `#define` with its `\\` continuation lines,
    `#ifdef`/`#ifndef`/`#else`/`#endif`/`#undef`/`#line`),
  * DATA and GLOBL statements.

Everything else (TEXT lines, instructions, labels, macro invocations,
FUNCDATA/PCDATA...) becomes an empty line, so line numbers are unchanged.
Comments are removed from the kept lines (a block comment may start on a dropped
line). The manifest is copied unchanged: its flags name `$DIR`, which is the
directory holding the manifest, so the same invocations now assemble the reduced
files. Prints one summary line.
"""
import json
import os
import re
import shutil
import sys

STMT_RE = re.compile(r"^\s*(DATA|GLOBL)\b")


def strip_comments(line, in_block):
    """Remove // and /* */ comments (strings and char literals respected).

    Returns (text, in_block) where in_block says whether a block comment is
    still open at the end of the line."""
    out = []
    i = 0
    n = len(line)
    while i < n:
        if in_block:
            j = line.find("*/", i)
            if j < 0:
                return "".join(out), True
            i = j + 2
            in_block = False
            out.append(" ")
            continue
        c = line[i]
        if c == "/" and line.startswith("//", i):
            break
        if c == "/" and line.startswith("/*", i):
            in_block = True
            i += 2
            continue
        if c in "\"'`":
            q = c
            j = i + 1
            while j < n:
                if line[j] == "\\" and q != "`":
                    j += 2
                    continue
                if line[j] == q:
                    break
                j += 1
            out.append(line[i:j + 1])
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out), in_block


def reduce_text(text):
    """Return (new_text, kept_data_lines, kept_pp_lines, dropped_lines)."""
    lines = text.split("\n")
    res = []
    in_block = False
    cont = False  # inside a #define continuation
    kept_data = kept_pp = dropped = 0
    for line in lines:
        if cont:
            # continuation of a preprocessor line: keep verbatim (comments and all),
            # Go's lexer handles comments inside macro bodies itself
            res.append(line)
            kept_pp += 1
            cont = line.rstrip().endswith("\\")
            continue
        was_block = in_block
        code, in_block = strip_comments(line, in_block)
        s = code.strip()
        if not was_block and s.startswith("#"):
            # keep the preprocessor line; drop trailing comments only when it does
            # not continue (a `\` must stay last)
            if line.rstrip().endswith("\\"):
                res.append(line)
                cont = True
                # a block comment opened on a continued #define line is unusual; be safe
                in_block = False
            else:
                res.append(code.rstrip())
            kept_pp += 1
            continue
        if STMT_RE.match(code) and not was_block:
            res.append(code.rstrip())
            kept_data += 1
            continue
        if s:
            dropped += 1
        res.append("")
    return "\n".join(res), kept_data, kept_pp, dropped


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    if not os.path.isfile(os.path.join(src, "manifest.json")):
        print(f"reduce_corpus: no manifest.json in {src}", file=sys.stderr)
        return 2
    tmp = dst + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp, symlinks=True,
                    ignore=shutil.ignore_patterns("build.log"))
    nfiles = ndata = npp = ndrop = nchanged = 0
    for root, _dirs, files in os.walk(tmp):
        for f in files:
            if not (f.endswith(".s") or f.endswith(".h")):
                continue
            p = os.path.join(root, f)
            if os.path.islink(p):
                continue
            with open(p, encoding="utf-8", errors="surrogateescape") as fh:
                text = fh.read()
            new, d, pp, dr = reduce_text(text)
            nfiles += 1
            ndata += d
            npp += pp
            ndrop += dr
            if new != text:
                nchanged += 1
                with open(p, "w", encoding="utf-8", errors="surrogateescape") as fh:
                    fh.write(new)
    with open(os.path.join(tmp, "manifest.json")) as fh:
        man = json.load(fh)
    man["reduced"] = "DATA/GLOBL and preprocessor lines only (scripts/reduce_corpus.py)"
    with open(os.path.join(tmp, "manifest.json"), "w") as fh:
        json.dump(man, fh, indent=1)
    shutil.rmtree(dst, ignore_errors=True)
    os.rename(tmp, dst)
    print(f"reduce_corpus: {man.get('goarch')}: {len(man['invocations'])} invocations, "
          f"{nfiles} .s/.h files ({nchanged} rewritten): kept {ndata} DATA/GLOBL lines and "
          f"{npp} preprocessor lines, dropped {ndrop} other lines -> {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
