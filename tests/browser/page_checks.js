// What a reader sees on the page, measured in one pass (tests/browser/test_every_page.py):
// words whose letters sit on more than one line, visible text under 12 CSS px (SVG text scaled by its
// picture), sideways scrolling of the page, and axe-core's WCAG violations (axe is injected beforehand).
async (axeOptions) => {
  const MIN_PX = 12;
  // Lines may break at spaces, hyphens, dashes and slashes: a "word" is what lies between them.
  const WORD = /[^\s\-\/\u2010-\u2015]{2,}/gu;
  // Tokens with no break opportunity may wrap anywhere: addresses (a URL, an e-mail) and checksums.
  const UNBREAKABLE = /:\/\/|@|^[0-9a-f]{32,}$/i;
  const hiddenCache = new Map();

  // Visually hidden text (1 px boxes that clip their content) is read aloud, never seen.
  const clippedAway = (element) => {
    if (!element || element === document.body) return false;
    if (hiddenCache.has(element)) return hiddenCache.get(element);
    const rect = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    const clipped = (rect.width <= 1 || rect.height <= 1) && style.overflow !== "visible";
    const result = clipped || style.visibility === "hidden" || clippedAway(element.parentElement);
    hiddenCache.set(element, result);
    return result;
  };

  const shown = (rects) => Array.from(rects).filter((r) => r.width > 0 && r.height > 0);

  const lineCount = (rects) => {
    const middles = [];
    for (const r of rects) {
      const middle = (r.top + r.bottom) / 2;
      if (!middles.some((m) => Math.abs(m - middle) < r.height / 2)) middles.push(middle);
    }
    return middles.length;
  };

  const fontPx = (element) => {
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (element instanceof SVGElement && element.getScreenCTM) {
      const ctm = element.getScreenCTM();
      return ctm ? size * Math.hypot(ctm.a, ctm.b) : size;
    }
    return size;
  };

  const describe = (element) => {
    const id = element.id ? `#${element.id}` : "";
    const classes = typeof element.className === "string" && element.className
      ? "." + element.className.trim().split(/\s+/).join(".") : "";
    return `${element.tagName.toLowerCase()}${id}${classes}`;
  };

  const cut = [], small = [];
  const seenSmall = new Set();
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue;
    const element = node.parentElement;
    if (!text.trim() || !element || element.closest("script, style, title, desc, option")) continue;
    range.selectNodeContents(node);
    const rects = shown(range.getClientRects());
    if (!rects.length || clippedAway(element)) continue;

    const size = fontPx(element);
    if (size < MIN_PX - 0.05) {
      const key = `${describe(element)} ${size.toFixed(1)}`;
      if (!seenSmall.has(key)) {
        seenSmall.add(key);
        small.push(`"${text.trim().slice(0, 40)}" (${describe(element)}) ${size.toFixed(1)} px`);
      }
    }

    // Tokens without a break opportunity (checksums, file names, addresses) may wrap anywhere.
    if (lineCount(rects) < 2 || element.closest(".wrap-anywhere")) continue;
    for (const token of text.matchAll(/\S+/g)) {
      if (UNBREAKABLE.test(token[0])) continue;
      for (const match of token[0].matchAll(WORD)) {
        const start = token.index + match.index;
        range.setStart(node, start);
        range.setEnd(node, start + match[0].length);
        if (lineCount(shown(range.getClientRects())) > 1) {
          cut.push(`"${match[0]}" (${describe(element)})`);
        }
      }
    }
  }
  const overflow = document.documentElement.scrollWidth - window.innerWidth;

  const results = await axe.run(document, axeOptions);
  const violations = results.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(", ")}`);
  // axe leaves text of the same colour as its background "incomplete" (it might be hidden on purpose):
  // the white-on-white "Remove" button was one. Nothing here is hidden that way.
  for (const check of results.incomplete) {
    if (check.id !== "color-contrast") continue;
    for (const n of check.nodes) {
      if (n.any.some((part) => (part.data || {}).messageKey === "equalRatio")) {
        violations.push(`${JSON.stringify(n.target)}: text in the colour of its background`);
      }
    }
  }
  return {cut, small, overflow, axe: violations};
}
