// Starts Redoc on the API's documentation page (api/templates/api/redoc.html) from a file, not inline, for
// the Content Security Policy. The schema's address and Redoc's options (REDOC_UI_SETTINGS, as JSON) are
// the container's data attributes.
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  var settings = container.dataset.settings ? JSON.parse(container.dataset.settings) : {};
  window.Redoc.init(container.dataset.specUrl, settings, container);
})();
