// What a reader sees on the page, measured in one pass (tests/browser/test_every_page.py):
// words whose letters sit on more than one line, visible text under 12 CSS px (SVG text scaled by its
// picture), sideways scrolling of the page, filter buttons off their fields' line, a table row whose cells
// start on different lines, and axe-core's WCAG violations (axe is injected beforehand).
async (axeOptions) => {
  const MIN_PX = 12;
  // Lines may break at spaces, hyphens, dashes and slashes: a "word" is what lies between them.
  const WORD = /[^\s\-\/\u2010-\u2015]{2,}/gu;
  // Tokens with no break opportunity may wrap anywhere: a URL and a checksum.
  const UNBREAKABLE = /:\/\/|^[0-9a-f]{32,}$/i;
  // An e-mail address may break at its "@" and dots too, never inside "demo" or "org"; an ISO date
  // ("2018-02-10") is one word.
  const EMAIL_PART = /[^\s\-\/\u2010-\u2015@.]{2,}/gu;
  const ISO_DATE = /\d{4}-\d\d-\d\d/gu;
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
      const words = token[0].includes("@") ? EMAIL_PART : /^\d{4}-\d\d-\d\d/.test(token[0]) ? ISO_DATE : WORD;
      for (const match of token[0].matchAll(words)) {
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

  // A filter bar's buttons stand on the same line as the fields beside them (Uptake's "Show" once sat
  // 14 px above its selects, lifted by its paragraph's margin).
  const misaligned = [];
  for (const bar of document.querySelectorAll("form.filters")) {
    const controls = shown(Array.from(bar.querySelectorAll(
      "select, textarea, input:not([type=checkbox]):not([type=radio]):not([type=hidden])"),
      (c) => c.getBoundingClientRect()));
    for (const button of bar.querySelectorAll("button, a.button, input[type=submit]")) {
      const box = button.getBoundingClientRect();
      if (!box.width) continue;
      const beside = controls.filter((c) => c.top < box.bottom && box.top < c.bottom);
      if (beside.some((c) => Math.abs(c.bottom - box.bottom) > 2)) {
        misaligned.push(`"${button.textContent.trim()}" (${describe(button)}) is not on the line of its fields`);
      }
    }
  }

  // The cells of a table row start on one line (the editions' list of options once began a line lower than
  // its row, pushed down by the list's margin). A cell that opens with a button or a tag (padding of
  // their own) is not counted.
  const firstLineTop = (cell) => {
    const cellWalker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = cellWalker.nextNode(); node; node = cellWalker.nextNode()) {
      const element = node.parentElement;
      if (!node.nodeValue.trim() || element.closest("script") || clippedAway(element)) continue;
      range.selectNodeContents(node);
      const rect = shown(range.getClientRects())[0];
      if (!rect) continue;
      return element.closest("button, .button, .tag, .stage, summary, select") ? null : rect.top;
    }
    return null;
  };
  for (const row of document.querySelectorAll("table > tbody > tr")) {
    const cells = Array.from(row.children).filter((cell) => getComputedStyle(cell).display === "table-cell");
    const tops = cells.map(firstLineTop).filter((top) => top !== null);
    if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 6) {
      misaligned.push(`a row's cells start ${Math.round(Math.max(...tops) - Math.min(...tops))} px apart: `
        + `"${row.textContent.trim().replace(/\s+/g, " ").slice(0, 50)}"`);
    }
  }

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
  return {cut, small, overflow, misaligned, axe: violations};
}
