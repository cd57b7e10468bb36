// Briefbot web: progressive enhancement only. Without this file every form still works and the
// server checks everything. With it: live rule checking and the browser's time zone as default.
(function () {
  "use strict";
  var me = document.currentScript;
  var okText = (me && me.dataset.ok) || "OK";
  var checkingText = (me && me.dataset.checking) || "…";

  var tz = document.getElementById("timezone");
  if (tz && document.getElementById("subscribe-form") && !tz.getAttribute("aria-invalid")) {
    try {
      var guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (guess && tz.value === tz.defaultValue && tz.dataset.touched !== "1") { tz.value = guess; }
    } catch (e) { /* keep the server's default */ }
  }

  function check(text) {
    return fetch("/api/rule?text=" + encodeURIComponent(text), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); });
  }

  function wire(field) {
    var status = document.getElementById(field.id + "-status");
    if (!status) { return; }
    var timer = null;
    var seq = 0;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var lines = field.dataset.ruleCheck === "lines"
          ? field.value.split(/\r?\n/).map(function (s) { return s.trim(); }).filter(Boolean)
          : [field.value.trim()].filter(Boolean);
        var mine = ++seq;
        if (!lines.length) { status.textContent = ""; status.className = "status"; return; }
        status.textContent = checkingText; status.className = "status";
        Promise.all(lines.map(check)).then(function (results) {
          if (mine !== seq) { return; }
          var bad = [];
          results.forEach(function (res, i) {
            if (!res.ok) { bad.push((lines.length > 1 ? (i + 1) + ": " : "") + res.message); }
          });
          status.textContent = bad.length ? bad.join(" · ") : okText;
          status.className = "status " + (bad.length ? "bad" : "good");
        }).catch(function () { status.textContent = ""; });
      }, 350);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-rule-check]"), wire);
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
