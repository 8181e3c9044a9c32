/*
 * Permalinks: a click follows the link (so the URL and :target update) and
 * copies the block's full address, then says so briefly. Without
 * JavaScript, or without clipboard access, the link still works as a link.
 */
(function () {
  "use strict";

  var toast;
  var timer;

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
