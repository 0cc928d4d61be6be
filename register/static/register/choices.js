// Search-as-you-type for the selects marked data-options (tom-select, served from our own files).
// Without JavaScript they stay plain selects with every allowed option; with it, typing asks the
// options endpoint the form names (data-options-url) for at most twenty matching entries.
(function () {
  "use strict";
  function enhance(form) {
    var template = form.getAttribute("data-options-url");
    form.querySelectorAll("select[data-options]").forEach(function (select) {
      var url = template.replace("KIND", select.getAttribute("data-options"));
      var control = new TomSelect(select, {
        valueField: "value",
        labelField: "text",
        searchField: ["text"],
        maxOptions: 20,
        allowEmptyOption: true,
        clearAfterSelect: true, // a select of several: the next search starts empty
        loadThrottle: 250,
        shouldLoad: function (query) { return query.length > 0; },
        load: function (query, callback) {
          fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) { return response.json(); })
            .then(function (data) { callback(data.results); })
            .catch(function () { callback(); });
        },
        render: {
          no_results: function () { return '<div class="no-results">' + (document.documentElement.lang.indexOf("de") === 0 ? "Keine Treffer" : "No matches") + "</div>"; },
        },
      });
      // The label now names tom-select's combobox; the original select only carries the value.
      control.input.setAttribute("aria-hidden", "true");
      control.input.tabIndex = -1;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof TomSelect === "undefined") return;
    document.querySelectorAll("form[data-options-url]").forEach(enhance);
  });
})();
