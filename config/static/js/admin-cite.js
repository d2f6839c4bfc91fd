/* Highlight to cite: beside a fact's form, the archived text of the source chosen in
 * the evidence row being edited. Selecting a passage in it fills that row's quote; the
 * current quote is marked where it stands. The text comes from the admin's
 * <source>/text.json (staff only, drafts included); the panel's words come with it,
 * translated by the server. A static file: the content security policy forbids inline
 * scripts. */
(function () {
  "use strict";

  // Quotes are compared as markets/quotes.py does: whitespace dropped, full-width
  // punctuation made half-width, nothing else.
  var PUNCTUATION = {
    "，": ",", "。": ".", "｡": ".", "．": ".", "；": ";", "：": ":", "！": "!",
    "？": "?", "（": "(", "）": ")", "【": "[", "】": "]", "［": "[", "］": "]",
    "｛": "{", "｝": "}", "＜": "<", "＞": ">", "“": '"', "”": '"', "＂": '"',
    "‘": "'", "’": "'", "＇": "'", "－": "-", "～": "~", "％": "%", "＋": "+",
    "＝": "=", "／": "/", "＼": "\\", "＆": "&", "＃": "#", "＠": "@", "＊": "*",
    "｜": "|"
  };

  function folded(text) {
    var out = [];
    var origin = [];
    for (var index = 0; index < text.length; index++) {
      var char = text[index];
      if (/\s/.test(char) || /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/.test(char)) {
        continue;
      }
      var piece = PUNCTUATION[char] || char;
      for (var k = 0; k < piece.length; k++) {
        out.push(piece[k]);
        origin.push(index);
      }
    }
    return { text: out.join(""), origin: origin };
  }

  function locate(quote, text) {
    var needle = folded(quote).text;
    if (!needle) return null;
    var haystack = folded(text);
    var found = haystack.text.indexOf(needle);
    if (found < 0) return null;
    return {
      start: haystack.origin[found],
      end: haystack.origin[found + needle.length - 1] + 1
    };
  }

  var adminRoot = (function () {
    var home = document.querySelector(".breadcrumbs a");
    return home ? home.getAttribute("href") : "/admin/";
  })();
  var texts = {}; // source id -> promise of the text.json answer
  var current = null; // the evidence row being edited: its <tr> or inline element
  var panel, heading, status, body;

  function fetchText(sourceId) {
    if (!texts[sourceId]) {
      texts[sourceId] = fetch(adminRoot + "markets/source/" + sourceId + "/text.json", {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) {
          // A source without an archived text answers no text, and a reason.
          data.ok = response.ok && typeof data.text === "string";
          return data;
        });
      });
    }
    return texts[sourceId];
  }

  // A tabular inline's row, or a stacked inline's whole item (whose fields are each
  // a .form-row of their own: the source and its quote are in different ones).
  function rowOf(element) {
    return element.closest("tr.form-row, .inline-related");
  }

  function sourceOf(row) {
    var select = row && row.querySelector('select[name$="-source"]');
    return select && select.value ? select.value : "";
  }

  function quoteOf(row) {
    return row && row.querySelector('textarea[name$="-quote"]');
  }

  function makePanel() {
    panel = document.createElement("aside");
    panel.className = "source-text-panel";
    panel.hidden = true;
    panel.setAttribute("aria-live", "polite");
    heading = document.createElement("h2");
    status = document.createElement("p");
    status.className = "source-text-status";
    body = document.createElement("div");
    body.className = "source-text-body";
    body.lang = "zh-Hans";
    panel.append(heading, status, body);
    body.addEventListener("mouseup", cite);
    body.addEventListener("keyup", cite);
    place();
    window.matchMedia("(min-width: 1100px)").addEventListener("change", place);
  }

  // Wide screens: beside the form, sticky. Narrow ones: above the evidence inlines.
  function place() {
    var form = document.querySelector("#content-main > form");
    var inlines = document.querySelector(".inline-group");
    if (!form) return;
    if (window.matchMedia("(min-width: 1100px)").matches) {
      var layout = form.parentElement.classList.contains("cite-layout")
        ? form.parentElement
        : null;
      if (!layout) {
        layout = document.createElement("div");
        layout.className = "cite-layout";
        form.parentElement.insertBefore(layout, form);
        layout.appendChild(form);
      }
      layout.appendChild(panel);
    } else if (inlines) {
      inlines.parentElement.insertBefore(panel, inlines);
    } else {
      form.parentElement.insertBefore(panel, form);
    }
  }

  function show(row) {
    current = row;
    var sourceId = sourceOf(row);
    if (!sourceId) {
      panel.hidden = true;
      return;
    }
    fetchText(sourceId).then(function (data) {
      if (current !== row || sourceOf(row) !== sourceId) return;
      panel.hidden = false;
      panel.dataset.source = sourceId;
      if (!data.ok) {
        heading.textContent = "";
        status.textContent = data.detail || "";
        body.textContent = "";
        body.dataset.text = "";
        return;
      }
      heading.textContent = data.heading;
      body.dataset.text = data.text;
      mark(data);
    });
  }

  // The text, with the row's current quote marked where it stands.
  function mark(data) {
    var text = body.dataset.text || "";
    var quote = quoteOf(current);
    var where = quote && quote.value ? locate(quote.value, text) : null;
    body.textContent = "";
    if (!where) {
      body.textContent = text;
      status.textContent = quote && quote.value ? data.labels.not_found : data.labels.hint;
      return;
    }
    var highlighted = document.createElement("mark");
    highlighted.textContent = text.slice(where.start, where.end);
    body.append(text.slice(0, where.start), highlighted, text.slice(where.end));
    status.textContent = data.labels.found;
    var top = highlighted.offsetTop - body.offsetTop - body.clientHeight / 3;
    body.scrollTop = Math.max(0, top);
  }

  function cite() {
    var selection = window.getSelection();
    if (!current || !selection || selection.isCollapsed) return;
    if (!body.contains(selection.anchorNode) || !body.contains(selection.focusNode)) {
      return;
    }
    var passage = selection.toString().trim();
    var quote = quoteOf(current);
    if (!passage || !quote) return;
    quote.value = passage;
    quote.dispatchEvent(new Event("input", { bubbles: true }));
    fetchText(panel.dataset.source).then(mark);
  }

  function firstRowWithSource() {
    var selects = document.querySelectorAll('select[name$="-source"]');
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value && selects[i].name.indexOf("__prefix__") < 0) {
        return rowOf(selects[i]);
      }
    }
    return null;
  }

  function init() {
    if (!document.querySelector('textarea[name$="-quote"]')) return;
    makePanel();
    var onSourceChange = function (event) {
      var target = event.target;
      if (!target.matches || !target.matches('select[name$="-source"]')) return;
      if (target.name.indexOf("__prefix__") >= 0) return;
      var row = rowOf(target);
      // A source chosen makes its row the one cited; an empty row (the widget
      // announces every select as it starts) takes the panel only from itself.
      if (target.value || row === current) show(row);
    };
    // The autocomplete (select2) announces a choice through jQuery only.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("change", 'select[name$="-source"]', onSourceChange);
    } else {
      document.addEventListener("change", onSourceChange);
    }
    document.addEventListener("focusin", function (event) {
      if (event.target.matches('textarea[name$="-quote"]')) {
        var row = rowOf(event.target);
        if (row !== current || panel.hidden) show(row);
      }
    });
    document.addEventListener("input", function (event) {
      if (event.target.matches('textarea[name$="-quote"]') && rowOf(event.target) === current) {
        var sourceId = sourceOf(current);
        if (sourceId) fetchText(sourceId).then(function (data) {
          if (data.ok) mark(data);
        });
      }
    });
    var first = firstRowWithSource();
    if (first) show(first);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
