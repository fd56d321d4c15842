// The search page (/<lang>/search/): starts Pagefind's UI in #search with the
// site's strings, and runs the words the index pages' search box sent (?q=).
// Loaded only here, after pagefind-ui.js (both deferred), so the pages that
// carry the search box load no script at all.
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  // Result links are root-relative (/ja/slug/): resolve the site's root here, so
  // the site works under a base path (/blog/) and on any preview host alike.
  // The bundle's path is made absolute too: Pagefind imports its files from it.
  function here(attribute) {
    return new URL(element.getAttribute(attribute), window.location.href).pathname;
  }
  var words = new URLSearchParams(window.location.search).get("q");
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: here("data-bundle"),
    baseUrl: here("data-root"),
    showImages: false,
    showSubResults: true,
    autofocus: !words,  // the box on the index pages had the focus already
    translations: JSON.parse(element.getAttribute("data-strings") || "{}")
  });
  if (words) {
    ui.triggerSearch(words);
  }
})();
