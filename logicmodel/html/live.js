// The live preview: reload when the server says the model's page has a new version.
// EventSource reconnects by itself, so a restarted server is picked up as well.
(() => {
  "use strict";
  const live = document.getElementById("lm-live");
  if (!live || !window.EventSource) return;
  const seen = live.dataset.version;
  const events = new EventSource(live.dataset.events);
  events.addEventListener("message", (e) => {
    if (e.data && e.data !== seen) { events.close(); location.reload(); }
  });
})();
