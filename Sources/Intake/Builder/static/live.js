// Live updates for the builder: the one script of the pages. Everything works without it (a
// refresh shows the truth); with it, a region marked data-events follows the product's
// server-sent events and swaps in the server's freshly rendered fragment on each change.
(function () {
  "use strict";
  var region = document.getElementById("live");
  if (!region || !region.dataset.events || region.dataset.live !== "on" || !window.EventSource) return;
  var source = new EventSource(region.dataset.events, { withCredentials: true });
  var pending = null;
  function refresh() {
    if (pending) return pending;
    pending = fetch(window.location.pathname + window.location.search, {
      headers: { "X-Fragment": "live" }, credentials: "same-origin", cache: "no-store"
    }).then(function (response) {
      if (!response.ok) throw new Error("fragment " + response.status);
      var live = response.headers.get("X-Live");
      return response.text().then(function (html) {
        if (region.innerHTML !== html) region.innerHTML = html;
        region.dataset.live = live || "off";
        if (region.dataset.live !== "on") source.close();
      });
    }).catch(function () { /* the next event or a reload shows the truth */ })
      .then(function () { pending = null; });
    return pending;
  }
  source.addEventListener("status", refresh);
  source.onerror = function () {
    // The stream ends after a final status; the browser would reconnect forever.
    if (region.dataset.live !== "on") source.close();
  };
})();
