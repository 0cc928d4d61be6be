// The warning before a signed-in session ends (workspace/sessions.py). The server decides: before
// showing anything, the script asks how long the session has left, so that activity in another tab
// counts. "Stay signed in" posts to the same address. Without JavaScript nothing is shown, and a
// form sent after the end is kept until its sender signs in again.
(function () {
  "use strict";
  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var statusUrl = dialog.dataset.statusUrl;
  var warningSeconds = parseInt(dialog.dataset.warningSeconds, 10);
  var countdown = dialog.querySelector("[data-session-countdown]");
  var finalNote = dialog.querySelector("[data-session-final]");
  var extendForm = dialog.querySelector("[data-session-extend]");
  var timer = null;
  var endsAt = 0;

  function schedule(seconds, callback) {
    window.clearTimeout(timer);
    timer = window.setTimeout(callback, Math.max(0, seconds) * 1000);
  }

  function show(state) {
    dialog.querySelectorAll("[data-session-state]").forEach(function (part) {
      part.hidden = part.dataset.sessionState !== state;
    });
    dialog.setAttribute("aria-labelledby", state === "ended" ? "session-ended-title" : "session-warning-title");
    if (!dialog.open) {
      dialog.showModal();
    }
    var button = dialog.querySelector("[data-session-state='" + state + "'] button");
    if (button) {
      button.focus();
    }
  }

  function format(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var left = Math.round((endsAt - Date.now()) / 1000);
    if (left <= 0) {
      check();
      return;
    }
    countdown.textContent = format(left);
    schedule(1, tick);
  }

  function answer(data) {
    var left = data.remaining;
    if (left <= 0) {
      show("ended");
      return;
    }
    if (left > warningSeconds) {
      if (dialog.open) {
        dialog.close();
      }
      schedule(left - warningSeconds, check);
      return;
    }
    endsAt = Date.now() + left * 1000;
    finalNote.hidden = data.extendable;
    extendForm.hidden = !data.extendable;
    show("warning");
    tick();
  }

  function check() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(answer)
      .catch(function () { schedule(30, check); });
  }

  extendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(statusUrl, { method: "POST", credentials: "same-origin", body: new FormData(extendForm) })
      .then(function (response) { return response.json(); })
      .then(answer)
      .catch(function () { schedule(30, check); });
  });

  dialog.querySelector("[data-session-close]").addEventListener("click", function () {
    dialog.close();
  });

  schedule(parseInt(dialog.dataset.idleSeconds, 10) - warningSeconds, check);
})();
