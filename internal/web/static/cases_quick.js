// Quick intake: keep every keystroke on the device and never lose a send.
//
// The form's fields are saved to localStorage on each input, with the
// client key the page was given (or the one of the draft being restored).
// A submit made while offline, or one whose request fails, stays in the
// draft and is sent again when the connection returns; the server upserts
// by the client key, so sending twice never makes a second case. Without
// JavaScript the form is a plain POST and the page's own key does the same.
(function () {
  "use strict";
  var form = document.getElementById("quick-intake");
  if (!form || !window.localStorage || !window.fetch) { return; }
  var store = form.getAttribute("data-draft");
  var offline = document.getElementById("quick-offline");
  var restored = document.getElementById("quick-draft");
  var sending = false;

  function fields() {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { out[el.name] = el.value; }
      } else {
        out[el.name] = el.value;
      }
    });
    return out;
  }

  function save(pending) {
    var d = { fields: fields(), pending: !!pending, saved: Date.now() };
    try { localStorage.setItem(store, JSON.stringify(d)); } catch (e) { /* storage full: the form still posts */ }
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(store) || "null"); } catch (e) { return null; }
  }

  function restore(d) {
    Object.keys(d.fields || {}).forEach(function (name) {
      var els = form.querySelectorAll("[name='" + name.replace(/[^a-z_]/g, "") + "']");
      Array.prototype.forEach.call(els, function (el) {
        if (el.type === "radio" || el.type === "checkbox") {
          el.checked = el.value === d.fields[name];
        } else {
          el.value = d.fields[name];
        }
      });
    });
  }

  function send() {
    if (sending) { return; }
    if (!navigator.onLine) { offline.hidden = false; return; }
    sending = true;
    var body = new URLSearchParams();
    var f = fields();
    Object.keys(f).forEach(function (k) { body.append(k, f[k]); });
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin", redirect: "follow" })
      .then(function (resp) {
        sending = false;
        if (resp.redirected && resp.ok) {
          localStorage.removeItem(store);
          window.location.assign(resp.url);
          return;
        }
        if (resp.status >= 500 || resp.status === 0) { offline.hidden = false; return; }
        // The server refused a field: post the form the plain way so the
        // page shows the messages; the draft stays until a send succeeds.
        save(false);
        HTMLFormElement.prototype.submit.call(form);
      })
      .catch(function () {
        sending = false;
        offline.hidden = false;
      });
  }

  var d = load();
  if (d && d.fields && d.fields.client_key) {
    restore(d);
    restored.hidden = false;
    if (d.pending) { send(); }
  } else {
    save(false);
  }
  form.addEventListener("input", function () { save(false); });
  form.addEventListener("change", function () { save(false); });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    save(true);
    send();
  });
  window.addEventListener("online", function () {
    var p = load();
    if (p && p.pending) { offline.hidden = true; send(); }
  });
})();
