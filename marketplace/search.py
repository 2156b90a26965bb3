"""Words for the board's search, the same way for the indexed text and for the query.

PostgreSQL's text-search parser does not segment Chinese, and a trigram index cannot serve a
two-character pattern. So Chinese runs are cut into overlapping two-character grams (as Lucene's
CJK analyser does): "农民工欠薪" gives 农民 民工 工欠 欠薪, and a query for 欠薪 is the one gram 欠薪.
Latin words and numbers are kept whole, lowercased.
"""

import re

# CJK Unified Ideographs, Extension A and compatibility ideographs.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")


def tokenize(text: str) -> list[str]:
    """The distinct search tokens of ``text``, in order of first appearance."""
    tokens: list[str] = []
    seen: set[str] = set()
    for match in _TOKEN.finditer((text or "").lower()):
        word = match.group()
        if _CJK_RUN.fullmatch(word) and len(word) > 1:
            grams = [word[i : i + 2] for i in range(len(word) - 1)]
        else:
            grams = [word]
        for gram in grams:
            if gram not in seen:
                seen.add(gram)
                tokens.append(gram)
    return tokens


def search_text_for(*parts: str) -> str:
    """The stored form: tokens separated by single spaces, with a space at each end.

    The surrounding spaces let the SQLite fallback match whole tokens with ``LIKE '% word %'``.
    """
    tokens = tokenize(" ".join(p or "" for p in parts))
    return f" {' '.join(tokens)} " if tokens else ""


def tsquery_for(tokens: list[str]) -> str:
    """A PostgreSQL ``to_tsquery('simple', ...)`` string: every token must be present.

    Tokens hold only letters, digits and ideographs, so they need no quoting.
    """
    return " & ".join(tokens)
