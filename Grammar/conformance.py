#!/usr/bin/env python3
"""The Lark side of the grammar conformance test.

Reads a JSON list of scripts on standard input and prints a JSON list of booleans: whether
Grammar/centreql.lark accepts each one. Run by Tests/CentreQLTests/GrammarConformanceTests.swift.
Also usable by hand: python3 Grammar/conformance.py FILE.cql ...
"""
import json
import os
import sys

from lark import Lark, Token
from lark.exceptions import LarkError


class ContinuationLines:
    """Drops the newlines that do not end a statement: inside brackets, next to a `|`, after a `,`."""

    always_accept = ("_NL",)

    def process(self, stream):
        depth = 0
        pending = None  # a newline held back until we know whether a `|` follows
        previous = None
        for token in stream:
            if token.type in ("LPAR", "LSQB"):
                depth += 1
            elif token.type in ("RPAR", "RSQB"):
                depth = max(0, depth - 1)
            if token.type == "_NL":
                if depth > 0 or previous is None or previous in ("_NL", "VBAR", "COMMA"):
                    continue
                pending = token
                previous = "_NL"
                continue
            if pending is not None:
                if token.type != "VBAR":
                    yield pending
                pending = None
            yield token
            previous = token.type
        if pending is not None:
            yield pending


def parser():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "centreql.lark"), encoding="utf-8") as f:
        # Earley, not LALR(1): after `group category` a "(" may open the per-group pipeline or a
        # call's arguments, which one token of lookahead cannot tell apart.
        return Lark(f.read(), parser="earley", lexer="basic", postlex=ContinuationLines(), maybe_placeholders=False)


def accepts(lark, text):
    text = text.lstrip("\ufeff")
    try:
        lark.parse(text + "\n")
        return True
    except LarkError:
        return False


def main():
    lark = parser()
    if len(sys.argv) > 1:
        ok = True
        for path in sys.argv[1:]:
            with open(path, encoding="utf-8") as f:
                result = accepts(lark, f.read())
            print(f"{path}: {'accepted' if result else 'rejected'}")
            ok = ok and result
        sys.exit(0 if ok else 1)
    scripts = json.load(sys.stdin)
    json.dump([accepts(lark, s) for s in scripts], sys.stdout)


if __name__ == "__main__":
    main()
