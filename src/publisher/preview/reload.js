/* publish preview: reload this tab when the site is rebuilt (added by the server, not part of the site).

   One tab at a time listens to the server (Server-Sent Events) and passes each version on to the others
   (BroadcastChannel); the Web Locks API picks that tab and hands the job to another when it closes. A
   browser keeps at most six connections to one HTTP/1.1 server, and one event stream per tab (or per
   frame of the phone view) would use them up. Without those APIs (a plain-http address other than
   localhost, an old browser) each tab listens for itself. */
(function () {
  "use strict";
  var served = "__PREVIEW_VERSION__";
  var latest = null;
  var channel = window.BroadcastChannel ? new BroadcastChannel("publish-preview") : null;

  function seen(version) {
    if (version !== served) {
      window.location.reload();
    }
  }

  function listen() {
    var events = new EventSource("__PREVIEW_EVENTS__");
    events.addEventListener("version", function (event) {
      latest = event.data;
      if (channel) {
        channel.postMessage({ version: latest });
      }
      if (latest !== served) {
        events.close();
        seen(latest);
      }
    });
    events.onerror = function () {
      // The browser retries by itself after a dropped connection (the server restarting);
      // if it gave up, start again.
      if (events.readyState === EventSource.CLOSED) {
        window.setTimeout(listen, 1000);
      }
    };
  }

  if (channel && navigator.locks) {
    channel.onmessage = function (message) {
      var data = message.data || {};
      if (data.ask && latest !== null) {
        channel.postMessage({ version: latest });
      } else if (typeof data.version === "string") {
        seen(data.version);
      }
    };
    navigator.locks.request("publish-preview-events", function () {
      listen();
      return new Promise(function () {});  // held while this tab is open
    });
    channel.postMessage({ ask: true });  // a build may have finished before this tab was listening
  } else {
    listen();
  }
})();
