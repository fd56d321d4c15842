"""The page measurements of the phone-layout checks, shared by every browser test that checks a layout.

`page.evaluate(MEASURE_JS, viewport_width)` returns: the layout and scroll
widths, `<html lang>`, the elements that stick out to the right
(`overflowing`), each body-text paragraph's font size, line height, width and
line count (`paragraphs`, page furniture left out), and every tap target's
size (`targets`). tests/site/test_mobile_layout.py explains the rules.
"""

MEASURE_JS = r"""
(vw) => {
  const describe = (el) => {
    const parts = [];
    for (let e = el, i = 0; e && e.nodeType === 1 && i < 4; e = e.parentElement, i++) {
      let s = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(s + '#' + e.id); break; }
      const cls = [...e.classList].slice(0, 2);
      if (cls.length) s += '.' + cls.join('.');
      parts.unshift(s);
      if (s === 'body' || s === 'main') break;
    }
    const text = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('title') || '')
      .replace(/\s+/g, ' ').trim();
    return parts.join(' > ') + (text ? ` "${text.length > 40 ? text.slice(0, 40) + '…' : text}"` : '');
  };
  const shown = (el) => {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;               // visually hidden (clip)
    if (r.right + scrollX <= 0 || r.bottom + scrollY <= 0) return false;  // parked off-page (skip link)
    return true;
  };
  const cs = (el) => getComputedStyle(el);
  const isInline = (el) => cs(el).display.startsWith('inline') || cs(el).display === 'contents';

  // --- horizontal overflow --------------------------------------------------
  const doc = document.documentElement;
  const overflowing = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= vw + 0.5 || r.width === 0 || !shown(el)) continue;
    // Only the outermost culprit: skip when the parent overflows too.
    const parent = el.parentElement;
    if (parent && parent !== document.body && parent.getBoundingClientRect().right > vw + 0.5) continue;
    // Inside a container that scrolls or clips sideways (e.g. a table
    // wrapper) the overflow is that container's business, not the page's.
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body && a !== doc; a = a.parentElement) {
      if (cs(a).overflowX !== 'visible') { clipped = true; break; }
    }
    if (clipped) continue;
    overflowing.push(`${describe(el)} right edge at ${r.right.toFixed(1)}px`);
    if (overflowing.length >= 10) break;
  }

  // --- body text ---------------------------------------------------------------
  // Page furniture is not body text: paragraphs in header/footer (page's or
  // article's), heading groups (taglines), figures, nav, asides, footnotes.
  const FURNITURE = 'header, footer, hgroup, figure, nav, aside, .footnotes, [role=doc-endnotes], [data-footnotes]';
  const paragraphs = [];
  for (const p of document.querySelectorAll('main p')) {
    if (!shown(p) || !p.innerText.trim()) continue;
    if (p.parentElement.closest(FURNITURE)) continue;
    const s = cs(p);
    const fs = parseFloat(s.fontSize);
    const lh = s.lineHeight === 'normal' ? null : parseFloat(s.lineHeight);
    const height = p.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
    const width = p.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    const lines = lh ? Math.round(height / lh) : null;
    paragraphs.push({what: describe(p), fontSize: fs, lineHeight: lh, width, lines});
  }

  // --- tap targets ---------------------------------------------------------------
  // Lighthouse-style "inline in text": the link, or an inline ancestor of it
  // inside the same block, has a non-blank text node as a sibling.
  const inlineInText = (el) => {
    if (!isInline(el)) return false;
    for (let node = el; node.parentElement; node = node.parentElement) {
      for (const sib of node.parentElement.childNodes) {
        if (sib !== node && sib.nodeType === Node.TEXT_NODE && sib.textContent.trim()) return true;
      }
      if (!isInline(node.parentElement)) return false;
    }
    return false;
  };
  const targets = [];
  const selector = 'a[href], button, summary, select, input:not([type=hidden]), [role=button], [role=link]';
  for (const el of document.querySelectorAll(selector)) {
    if (!shown(el)) continue;
    const inChrome = !!el.closest('header, nav, footer');
    const exempt = !inChrome && inlineInText(el);
    const text = (el.innerText || '').replace(/\s+/g, '').trim();
    // A link stretched by an absolutely placed ::after (an index card's title) is tapped anywhere on the
    // box its ::after covers: its nearest positioned ancestor.
    let r = el.getBoundingClientRect();
    const after = getComputedStyle(el, '::after');
    if (after.content !== 'none' && after.position === 'absolute') {
      let box = el.parentElement;
      while (box && getComputedStyle(box).position === 'static') box = box.parentElement;
      if (box) r = box.getBoundingClientRect();
    }
    targets.push({
      what: describe(el), width: r.width, height: r.height,
      iconLike: [...text].length <= 2, exempt, inChrome,
    });
  }

  return {
    innerWidth: window.innerWidth,
    clientWidth: doc.clientWidth,
    scrollWidth: doc.scrollWidth,
    lang: doc.getAttribute('lang'),
    overflowing, paragraphs, targets,
  };
}
"""
