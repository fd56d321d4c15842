/* publisher — the preview pages' small script (no framework).
   - Relative times: every [data-relative] element gets "あと3日4時間" / "2日前", worked out here
     from the ISO instant, so a static preview stays true as time passes.
   - Dashboard: sort by any column (headings become buttons; the sort menu does the same on a
     phone), filter by status. Without this script the table is shown in its default order.
   - Phone view: ?lang= and ?size= pick the page and the frame; the switches change them in place.
   The words come from <script id="preview-strings"> (publisher/preview/strings.py). */
(function () {
  "use strict";

  var strings = {};
  try {
    strings = JSON.parse(document.getElementById("preview-strings").textContent);
  } catch (e) { /* no strings: the relative times stay empty */ }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] !== undefined ? values[key] : "";
    });
  }

  // --- relative times -----------------------------------------------------------------
  function duration(ms) {
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    if (days >= 2) {  // long spans in whole days: "307日", not "307日17時間"
      return fill(strings.unit_day, {n: Math.round(minutes / 1440)});
    }
    if (days > 0) {
      return fill(strings.unit_day, {n: days}) + (hours ? fill(strings.unit_hour, {n: hours}) : "");
    }
    if (hours > 0) {
      return fill(strings.unit_hour, {n: hours}) + (rest ? fill(strings.unit_minute, {n: rest}) : "");
    }
    return fill(strings.unit_minute, {n: rest});
  }

  function relative(instant, now, overdue) {
    var diff = instant - now;
    if (overdue && diff < -60000) {  // a draft past its planned date is late, not "published N days ago"
      return fill(strings.relative_overdue, {time: duration(-diff)});
    }
    if (Math.abs(diff) < 60000) {
      return diff >= 0 ? strings.relative_soon : strings.relative_just_now;
    }
    return diff > 0 ? fill(strings.relative_future, {time: duration(diff)})
                    : fill(strings.relative_past, {time: duration(-diff)});
  }

  function updateRelativeTimes() {
    var now = Date.now();
    document.querySelectorAll("[data-relative]").forEach(function (el) {
      var instant = Date.parse(el.getAttribute("data-relative"));
      if (!isNaN(instant)) {
        var overdue = el.hasAttribute("data-overdue-after") && instant < now;
        el.textContent = relative(instant, now, overdue);
        el.classList.toggle("overdue", overdue);
      }
    });
  }

  // --- dashboard ---------------------------------------------------------------------
  function setUpDashboard(table) {
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var toolbar = document.querySelector("[data-toolbar]");
    var select = document.querySelector("[data-sort-select]");
    var directionButton = document.querySelector("[data-sort-direction]");
    var count = document.querySelector("[data-count]");
    var noMatch = document.querySelector("[data-no-match]");
    var state = {key: "", direction: "ascending", filter: ""};
    var collator = new Intl.Collator("ja", {numeric: true});

    function columnOf(key) {
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].getAttribute("data-sort-key") === key) { return i; }
      }
      return -1;
    }

    function value(row, column, numeric) {
      var raw = row.cells[column].getAttribute("data-sort-value") || "";
      return numeric ? parseFloat(raw) : raw;
    }

    function apply() {
      var column = state.key ? columnOf(state.key) : -1;
      var numeric = column >= 0 && headings[column].getAttribute("data-sort-type") === "number";
      var sign = state.direction === "descending" ? -1 : 1;
      var sorted = rows.slice().sort(function (a, b) {
        var order = 0;
        if (column >= 0) {
          var x = value(a, column, numeric), y = value(b, column, numeric);
          order = numeric ? (x - y) : collator.compare(x, y);
          order *= sign;
        }
        // Ties (and the default order) keep the page's own order: next releases first.
        return order || (+a.getAttribute("data-default") - +b.getAttribute("data-default"));
      });
      var shown = 0;
      sorted.forEach(function (row) {
        tbody.appendChild(row);
        var visible = !state.filter || row.getAttribute("data-status") === state.filter;
        row.hidden = !visible;
        if (visible) { shown++; }
      });
      headings.forEach(function (th, i) {
        if (!th.hasAttribute("data-sort-key")) { return; }
        th.setAttribute("aria-sort", i === column ? state.direction : "none");
      });
      if (select) { select.value = state.key; }
      if (directionButton) {
        directionButton.textContent = strings["sort_" + state.direction] || state.direction;
        directionButton.setAttribute("data-direction", state.direction);
      }
      if (count) { count.textContent = fill(strings.count_articles, {n: shown}); }
      if (noMatch) { noMatch.hidden = shown > 0; }
      document.querySelectorAll("[data-filter]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-filter") === state.filter));
      });
    }

    headings.forEach(function (th) {
      var key = th.getAttribute("data-sort-key");
      if (!key) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        if (state.key === key) {
          state.direction = state.direction === "ascending" ? "descending" : "ascending";
        } else {
          state.key = key;
          state.direction = "ascending";
        }
        apply();
      });
    });
    if (select) {
      select.addEventListener("change", function () {
        state.key = select.value;
        apply();
      });
    }
    if (directionButton) {
      directionButton.addEventListener("click", function () {
        state.direction = state.direction === "ascending" ? "descending" : "ascending";
        apply();
      });
    }
    document.querySelectorAll("[data-filter]").forEach(function (button) {
      button.addEventListener("click", function () {
        state.filter = button.getAttribute("data-filter");
        apply();
      });
    });
    if (toolbar) { toolbar.hidden = false; }
    apply();
  }

  // --- phone view ----------------------------------------------------------------------
  function setUpPhoneView(frame) {
    var desktop = document.querySelector("[data-desktop-frame]");
    var caption = document.querySelector("[data-phone-caption]");
    var open = document.querySelector("[data-open-page]");
    var languages = Array.prototype.slice.call(document.querySelectorAll("[data-lang]"));
    var sizes = Array.prototype.slice.call(document.querySelectorAll("[data-size]"));
    var params = new URLSearchParams(location.search);
    var current = {lang: params.get("lang"), size: params.get("size")};

    function pick(list, attribute, wanted) {
      for (var i = 0; i < list.length; i++) {
        if (list[i].getAttribute(attribute) === wanted) { return list[i]; }
      }
      return list[0];
    }

    function link(lang, size) {
      return "phone.html?lang=" + encodeURIComponent(lang) + "&size=" + encodeURIComponent(size);
    }

    function apply(push) {
      var language = pick(languages, "data-lang", current.lang);
      var size = pick(sizes, "data-size", current.size);
      if (!language || !size) { return; }
      current.lang = language.getAttribute("data-lang");
      current.size = size.getAttribute("data-size");
      var href = language.getAttribute("data-href");
      var width = size.getAttribute("data-width"), height = size.getAttribute("data-height");
      if (frame.getAttribute("src") !== href) { frame.setAttribute("src", href); }
      if (desktop && desktop.getAttribute("src") !== href) { desktop.setAttribute("src", href); }
      frame.width = width;
      frame.height = height;
      var label = fill(caption ? caption.getAttribute("data-template") : "", {width: width, height: height});
      frame.title = label;
      if (caption) { caption.textContent = label; }
      if (open) { open.setAttribute("href", href); }
      languages.forEach(function (a) {
        a.setAttribute("href", link(a.getAttribute("data-lang"), current.size));
        if (a === language) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); }
      });
      sizes.forEach(function (a) {
        a.setAttribute("href", link(current.lang, a.getAttribute("data-size")));
        if (a === size) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); }
      });
      if (push && history.replaceState) { history.replaceState(null, "", link(current.lang, current.size)); }
    }

    languages.concat(sizes).forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        if (a.hasAttribute("data-lang")) { current.lang = a.getAttribute("data-lang"); }
        if (a.hasAttribute("data-size")) { current.size = a.getAttribute("data-size"); }
        apply(true);
      });
    });
    apply(false);
  }

  function start() {
    updateRelativeTimes();
    setInterval(updateRelativeTimes, 60000);
    var table = document.querySelector("[data-dashboard]");
    if (table) { setUpDashboard(table); }
    var frame = document.querySelector("[data-phone-frame]");
    if (frame) { setUpPhoneView(frame); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
