// The console's one script: it keeps the request log page live by polling
// the console's JSON endpoint with the page's own filter. Every value is set
// as text (never as HTML), so a logged field cannot inject markup.
"use strict";
(function () {
  var table = document.getElementById("log");
  if (!table || !table.dataset.live) {
    return;
  }
  var url = table.dataset.live;
  var body = table.tBodies[0];
  var state = document.getElementById("live-state");

  function cell(row, text, cls) {
    var td = document.createElement("td");
    if (cls) {
      td.className = cls;
    }
    if (text instanceof Node) {
      td.appendChild(text);
    } else {
      td.textContent = text;
    }
    row.appendChild(td);
    return td;
  }
  function code(text) {
    var c = document.createElement("code");
    c.textContent = text;
    return c;
  }
  function stamp(iso) {
    return iso.replace("T", " ").replace(/\.\d+/, "").replace(/Z$/, "Z");
  }
  function problem(p) {
    var frag = document.createDocumentFragment();
    if (!p) {
      return frag;
    }
    frag.appendChild(document.createTextNode(p.title || ""));
    if (p.errors && p.errors.length) {
      var ul = document.createElement("ul");
      ul.className = "fields";
      p.errors.forEach(function (e) {
        var li = document.createElement("li");
        li.appendChild(code(e.field));
        li.appendChild(document.createTextNode(": " + e.rule));
        ul.appendChild(li);
      });
      frag.appendChild(ul);
    }
    return frag;
  }
  function render(items) {
    var rows = document.createDocumentFragment();
    items.forEach(function (e) {
      var tr = document.createElement("tr");
      if (e.dropped || e.status >= 400) {
        tr.className = "failed";
      }
      cell(tr, stamp(e.time));
      cell(tr, e.org || "");
      cell(tr, code(e.method + " " + (e.route || "")));
      cell(tr, e.dropped ? "dropped" : String(e.status), "num");
      cell(tr, e.latency_ms.toFixed(1), "num");
      cell(tr, code(e.request_id));
      cell(tr, problem(e.problem));
      rows.appendChild(tr);
    });
    if (!items.length) {
      var tr = document.createElement("tr");
      tr.className = "none";
      var td = cell(tr, "No request matches.");
      td.colSpan = 7;
      rows.appendChild(tr);
    }
    body.replaceChildren(rows);
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 401) {
          throw new Error("the session has ended: reload the page to log in");
        }
        if (!r.ok) {
          throw new Error("the log answered " + r.status);
        }
        return r.json();
      })
      .then(function (doc) {
        render(doc.items);
        table.dataset.polled = String(Number(table.dataset.polled || 0) + 1);
        setTimeout(poll, 2000);
      })
      .catch(function (err) {
        if (state) {
          state.textContent = "Live updates stopped: " + err.message + ".";
        }
      });
  }
  setTimeout(poll, 2000);
})();
