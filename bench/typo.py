#!/usr/bin/env python3
"""The typographic figures of any PDF, read from its glyph origins: one tool and one definition
for kanwu's PDF and xelatex + ctex's (issue 10's comparison).

    pip install pymupdf
    python3 bench/typo.py out/2021-01.pdf target/bench/run/tex/sample.pdf

The definitions are those of src/print/typography.rs (which reads Typst's frames instead):

- body lines: glyphs of the most common size (0.85–1.2 × it), grouped by baseline; a line of
  mostly bold glyphs or holding a larger one (a heading) is not a body line;
- a glyph's natural width is its advance in the PDF's font (/W, what MuPDF's glyph box spans);
  its advance as set is the distance to the next glyph's origin on the line;
- full lines: those ending within 0.5 pt of the most common right edge of their page parity
  (a closing mark ending a line may end there at its full width or at half of it: Typst trims
  it to half);
- squeezed: on a full line, a run of marks set at least 0.5 pt (visibly: 1.5 pt) under its
  normal width — natural widths, less half a mark between two marks in a row, half a closing
  mark at a line end and half an opening mark at a line start;
- the narrowest pair: two marks in a row (not three, not at a line's ends, no doubled mark),
  from the first mark's origin to the origin of the glyph after the second, in em;
- the CJK–Latin gap: between a 汉字 and a Latin letter or digit beside it, next origin less
  (origin + natural width), in em of the body size; median;
- 孤字: a paragraph's last line (not full, starting where the full line above starts) with one
  character besides marks; 避头尾: a closing mark starting a line or an opening mark ending one.
"""

import statistics
import sys
from collections import Counter, defaultdict

import pymupdf

CLOSING = set("，。、；：？！）》”’〉」』】〕〗］｝．")
OPENING = set("（《“‘〈「『【〔〖［｛")
QUOTES = set("“”‘’")
STOPS = set("，。、；：")
SQUEEZED_PT = 0.5
VISIBLE_PT = 1.5
EDGE_PT = 0.5


def is_mark(c):
    return c in CLOSING or c in OPENING


def is_han(c):
    o = ord(c)
    return (0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F)


def is_latin(c):
    return (c.isascii() and c.isalnum()) or c in "#$%&"


def doubled(run):
    stops = sum(1 for c in run if c in STOPS)
    return stops >= 2 or "””" in run or "““" in run or "’’" in run


class Glyph:
    __slots__ = ("c", "x", "natural", "size", "bold", "advance")

    def __init__(self, c, x, natural, size, bold):
        self.c, self.x, self.natural, self.size, self.bold = c, x, natural, size, bold
        self.advance = natural


def glyphs_by_page(path):
    doc = pymupdf.open(path)
    pages = []
    for page in doc:
        out = []
        for span in page.get_texttrace():
            if span["dir"] != (1.0, 0.0) or span["type"] == 3:
                continue
            size = span["size"]
            bold = "bold" in span["font"].lower() or "black" in span["font"].lower()
            for (u, _gid, origin, bbox) in span["chars"]:
                if u < 0:
                    continue
                out.append((round(origin[1], 1), Glyph(chr(u), origin[0], bbox[2] - bbox[0],
                                                       size, bold)))
        pages.append(out)
    return pages


def body_lines(pages):
    sizes = Counter()
    for page in pages:
        for _, g in page:
            sizes[round(g.size, 1)] += 1
    body = max(sizes.items(), key=lambda kv: (kv[1], kv[0]))[0]
    lines = []
    for index, page in enumerate(pages):
        rows = defaultdict(list)
        for y, g in page:
            if g.size > body * 1.2 + 0.01 or g.size < body * 0.85:
                continue
            rows[y].append(g)
        for y in sorted(rows):
            gs = sorted(rows[y], key=lambda g: g.x)
            while gs and gs[-1].c.isspace():
                gs.pop()
            if not gs:
                continue
            if sum(g.bold for g in gs) * 2 > len(gs):
                continue
            if any(g.size > body + 0.01 for g in gs):
                continue
            for a, b in zip(gs, gs[1:]):
                a.advance = b.x - a.x
            lines.append({"page": index + 1, "y": y, "glyphs": gs,
                          "text": "".join(g.c for g in gs)})
    # The right edge per page parity: where most lines end (full width of the last glyph).
    ends = [Counter(), Counter()]
    for l in lines:
        last = l["glyphs"][-1]
        ends[l["page"] % 2][round(last.x + last.natural, 1)] += 1
    edge = [max(c.items(), key=lambda kv: (kv[1], kv[0]))[0] if c else None for c in ends]
    for l in lines:
        last = l["glyphs"][-1]
        e = edge[l["page"] % 2]
        trimmed = last.natural / 2 if last.c in CLOSING else last.natural
        l["full"] = e is not None and (abs(last.x + last.natural - e) < EDGE_PT
                                       or abs(last.x + trimmed - e) < EDGE_PT)
        # The last glyph of a full line reaches the edge.
        last.advance = (e - last.x) if l["full"] else last.natural
        l["x0"] = l["glyphs"][0].x
    return body, lines


def runs(gs):
    out = []
    i = 0
    while i < len(gs):
        if not is_mark(gs[i].c):
            i += 1
            continue
        start = i
        while i < len(gs) and is_mark(gs[i].c):
            i += 1
        run = gs[start:i]
        em = run[0].size
        natural = sum(g.natural for g in run)
        actual = sum(g.advance for g in run)
        normal = natural - 0.5 * em * (len(run) - 1)
        at_start, at_end = start == 0, i == len(gs)
        if at_end and run[-1].c in CLOSING:
            normal -= 0.5 * em
        if at_start and run[0].c in OPENING:
            normal -= 0.5 * em
        text = "".join(g.c for g in run)
        pairs = []
        if not at_start and not at_end and len(run) == 2 and not doubled(text):
            context = "".join(g.c for g in gs[max(0, start - 2):min(len(gs), i + 2)])
            pairs.append(((run[0].advance + run[1].advance) / em, context))
        out.append((normal - actual, pairs))
    return out


def measure(path):
    body, lines = body_lines(glyphs_by_page(path))
    f = {"pages": pymupdf.open(path).page_count, "body": body, "lines": len(lines), "full": 0,
         "squeezed": 0, "visibly": 0, "pair": None, "gaps": [], "runts": [], "kinsoku": [],
         "quotes": 0, "narrow_quotes": 0}
    for k, l in enumerate(lines):
        gs = l["glyphs"]
        rs = runs(gs)
        if l["full"]:
            f["full"] += 1
            squeeze = max([s for s, _ in rs], default=0.0)
            f["squeezed"] += squeeze >= SQUEEZED_PT
            f["visibly"] += squeeze >= VISIBLE_PT
        for _, pairs in rs:
            for w, text in pairs:
                if f["pair"] is None or w < f["pair"][0]:
                    f["pair"] = (w, text, l["page"])
        if l["text"][0] in CLOSING or l["text"][-1] in OPENING:
            f["kinsoku"].append((l["page"], l["text"]))
        if k > 0:
            prev = lines[k - 1]
            chars = sum(1 for c in l["text"] if not is_mark(c) and not c.isspace())
            if (chars <= 1 and not l["full"] and prev["full"]
                    and l["x0"] <= prev["x0"] + EDGE_PT and prev["page"] == l["page"]):
                f["runts"].append((l["page"], l["text"]))
        for a, b in zip(gs, gs[1:]):
            if (is_han(a.c) and is_latin(b.c)) or (is_latin(a.c) and is_han(b.c)):
                gap = b.x - (a.x + a.natural)
                # Neighbours in one run of text, not two cells of a table on one baseline.
                if -0.1 * body < gap < body:
                    f["gaps"].append(gap / body)
        for g in gs:
            if g.c in QUOTES:
                f["quotes"] += 1
                f["narrow_quotes"] += g.natural < 0.9 * g.size
    return f


def row(name, f):
    pct = lambda n: f"{n} ({100 * n / max(f['full'], 1):.0f} %)"
    pair = f"{f['pair'][0]:.3f} em ({f['pair'][0] * f['body']:.1f} pt, {f['pair'][1]}, p. {f['pair'][2]})" \
        if f["pair"] else "–"
    gap = f"{statistics.median(f['gaps']):.3f} em" if f["gaps"] else "–"
    return (f"| {name} | {f['pages']} | {f['full']} | {pct(f['squeezed'])} | {pct(f['visibly'])} "
            f"| {pair} | {gap} | {len(f['runts'])} | {len(f['kinsoku'])} |")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print("| PDF | pages | full lines | squeezed ≥ 0.5 pt | visibly ≥ 1.5 pt | narrowest pair "
          "| CJK–Latin gap, median | 孤字 | 避头尾 |")
    print("|---|---|---|---|---|---|---|---|---|")
    details = []
    for path in sys.argv[1:]:
        f = measure(path)
        print(row(path, f))
        details += [f"{path}: 孤字 p. {p}: {t}" for p, t in f["runts"]]
        details += [f"{path}: 避头尾 p. {p}: {t}" for p, t in f["kinsoku"]]
    for d in details:
        print(d, file=sys.stderr)


if __name__ == "__main__":
    main()
