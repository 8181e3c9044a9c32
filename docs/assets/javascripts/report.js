/*
 * Three small behaviours: search loaded when first used (below), the
 * browser bar's colour handed over to Material, and permalinks: a click follows the link (so the URL and :target
 * update) and copies the block's full address, then says so briefly.
 * Without JavaScript, or without clipboard access, the link still works as
 * a link.
 */
(function () {
  "use strict";

  var toast;
  var timer;

  /*
   * Search loads when first used (button pressed, field focused, / s f):
   * search.js, and the index, asked for at once (window.reportSearchIndex).
   */
  var searchScript = new URL("search.js", document.currentScript.src).href;
  var searchIndex = new URL("../../search/paragraphs.json", document.currentScript.src).href;
  var searchToggle = document.getElementById("__search");
  var searchField = document.querySelector("[data-report-search] .md-search__input");

  function loadSearch() {
    if (searchScript) {
      window.reportSearchIndex = fetch(searchIndex, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error(searchIndex + ": " + response.status);
        }
        return response.json();
      });
      var script = document.createElement("script");
      script.src = searchScript;
      document.body.appendChild(script);
      searchScript = null;
    }
  }

  if (searchToggle && searchField) {
    searchToggle.addEventListener("change", function () {
      if (searchToggle.checked) {
        loadSearch();
        searchField.focus();
      }
    });
    searchField.addEventListener("focus", loadSearch);
    document.addEventListener("pointerdown", function (event) {
      if (event.target.closest && event.target.closest('label[for="__search"]')) {
        loadSearch();
      }
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName);
      if (searchToggle.checked || typing || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      if (event.key === "/" || event.key === "s" || event.key === "f") {
        event.preventDefault();
        searchToggle.checked = true;
        searchToggle.dispatchEvent(new Event("change"));
      }
    });
  }

  function confirm(message) {
    if (!toast) {
      toast = document.createElement("div");
      toast.className = "report-toast";
      toast.setAttribute("role", "status");
      document.body.appendChild(toast);
    }
    toast.textContent = message;
    toast.setAttribute("data-visible", "");
    clearTimeout(timer);
    timer = setTimeout(function () {
      toast.removeAttribute("data-visible");
    }, 2000);
  }

  /*
   * The browser's bar: the build's theme-color <meta>s (finish/fixes.py)
   * give it the header's colour from the first paint, by the system's scheme.
   * Material adds its own <meta>, coloured from the palette in use; once that
   * has its colour, it alone decides, so that a reader's choice shows too.
   */
  function handOverThemeColor() {
    var material = document.head.querySelector('meta[name="theme-color"]:not([media])');
    if (!material || !material.content) {
      return false;
    }
    document.head.querySelectorAll('meta[name="theme-color"][media]').forEach(function (meta) {
      meta.remove();
    });
    return true;
  }

  if (!handOverThemeColor()) {
    var observer = new MutationObserver(function () {
      if (handOverThemeColor()) {
        observer.disconnect();
      }
    });
    observer.observe(document.head, { childList: true, subtree: true, attributeFilter: ["content"] });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.permalink");
    if (!link || !navigator.clipboard) {
      return;
    }
    var address = new URL(link.getAttribute("href"), location.href).href;
    navigator.clipboard.writeText(address).then(
      function () {
        confirm(link.getAttribute("data-copied"));
      },
      function () {
        /* No permission: the address bar already shows the link. */
      }
    );
  });
})();
