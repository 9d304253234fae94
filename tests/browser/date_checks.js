// The dates a reader sees on the page (tests/browser/test_every_page.py): each must stand on one line, its
// day, month and year together. `pattern` matches a date in English, French or Spanish (month names from
// Babel), with plain or no-break spaces. SVG text never wraps; hidden text has no boxes.
(pattern) => {
  const DATE = new RegExp(pattern, "gu");
  const shown = (rects) => Array.from(rects).filter((r) => r.width > 0 && r.height > 0);
  const lineCount = (rects) => {
    const middles = [];
    for (const r of rects) {
      const middle = (r.top + r.bottom) / 2;
      if (!middles.some((m) => Math.abs(m - middle) < r.height / 2)) middles.push(middle);
    }
    return middles.length;
  };
  const broken = [];
  let seen = 0;
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest("script, style, template, title, desc, option, svg")) continue;
    for (const match of node.nodeValue.matchAll(DATE)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = shown(range.getClientRects());
      if (!rects.length) continue;
      seen += 1;
      if (lineCount(rects) > 1) broken.push(`"${match[0]}" in "${element.textContent.trim().slice(0, 60)}"`);
    }
  }
  return {seen, broken, overflow: document.documentElement.scrollWidth - window.innerWidth};
}
