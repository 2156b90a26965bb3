/* The one page script: WebSocket hints that refresh parts of the page, confirmations before
 * actions that cannot be undone, and the board's filters folded away on a phone.
 *
 * - /ws/board/ (pages with [data-ws-board]): "task.changed" updates seat counts in place
 *   ([data-seats-for=ID]) and asks htmx to reload regions marked data-live="task.changed".
 * - /ws/me/ (signed-in pages, body[data-ws-me]): claim, hour and review events show a short
 *   note and reload regions whose data-live lists the event type; a "notification" shows its
 *   title and adds one to the nav's unread count (#nav-unread).
 * - A form, or the button pressed, with data-confirm="question" asks the question first
 *   (window.confirm); Cancel sends nothing.
 * - <details data-closed-on-phone> (open in the HTML, so it is open without script) is closed on
 *   a narrow screen when none of its fields is set.
 * Events are hints: the reloaded HTML comes from the server, which stays the source of truth.
 * No inline code anywhere, so the strict Content-Security-Policy holds.
 */
(function () {
  "use strict";

  var notes = null;

  function socketUrl(path) {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  }

  function refreshRegions(type) {
    var regions = document.querySelectorAll("[data-live]");
    for (var i = 0; i < regions.length; i++) {
      var wanted = regions[i].getAttribute("data-live").split(/\s+/);
      if (wanted.indexOf(type) !== -1 && window.htmx) {
        window.htmx.trigger(regions[i], "live");
      }
    }
  }

  var timers = {};
  function debounced(key, fn) {
    clearTimeout(timers[key]);
    timers[key] = setTimeout(fn, 250);
  }

  function note(type) {
    if (!notes) return;
    var text = notes.getAttribute("data-msg-" + type.replace(".", "-"));
    if (!text) return;
    var item = document.createElement("div");
    item.className = "live-note";
    var span = document.createElement("span");
    span.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = notes.getAttribute("data-msg-dismiss") || "×";
    close.addEventListener("click", function () { item.remove(); });
    item.appendChild(span);
    item.appendChild(close);
    notes.appendChild(item);
    setTimeout(function () { item.remove(); }, 8000);
  }

  function showText(text) {
    if (!notes || !text) return;
    var item = document.createElement("div");
    item.className = "live-note";
    var span = document.createElement("span");
    span.textContent = text;
    item.appendChild(span);
    notes.appendChild(item);
    setTimeout(function () { item.remove(); }, 8000);
  }

  function onNotification(event) {
    showText(event.title);
    var link = document.getElementById("nav-notices");
    if (!link) return;
    var badge = document.getElementById("nav-unread");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "badge";
      badge.id = "nav-unread";
      badge.textContent = "0";
      link.appendChild(document.createTextNode(" "));
      link.appendChild(badge);
    }
    badge.textContent = String((parseInt(badge.textContent, 10) || 0) + 1);
  }

  function onTaskChanged(task) {
    if (!task || task.id === undefined) return;
    var known = false;
    var cells = document.querySelectorAll('[data-seats-for="' + task.id + '"]');
    for (var i = 0; i < cells.length; i++) {
      known = true;
      if (task.seats_left !== undefined && cells[i].textContent !== String(task.seats_left)) {
        cells[i].textContent = String(task.seats_left);
        var card = cells[i].closest("[data-task-id]");
        if (card) {
          card.classList.remove("fresh");
          void card.offsetWidth;
          card.classList.add("fresh");
        }
      }
    }
    // A task that is new here, or that left the open board, changes the list itself.
    if (!known || task.status !== "open") {
      debounced("task.changed", function () { refreshRegions("task.changed"); });
    }
  }

  function connect(path, stateName, onEvent) {
    var delay = 1000;
    function open() {
      var ws = new WebSocket(socketUrl(path));
      ws.addEventListener("open", function () {
        delay = 1000;
        document.documentElement.setAttribute("data-" + stateName, "open");
      });
      ws.addEventListener("message", function (message) {
        var event;
        try { event = JSON.parse(message.data); } catch (e) { return; }
        if (event && event.type) onEvent(event);
      });
      ws.addEventListener("close", function (closing) {
        document.documentElement.setAttribute("data-" + stateName, "closed");
        if (closing.code === 4401) return; // signed out: do not retry
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      });
    }
    open();
  }

  // Actions that cannot be undone ask first. Registered in the capture phase, so a refusal stops
  // the submission before htmx or markBusy see it.
  function confirmFirst(event) {
    var form = event.target;
    if (!form || form.tagName !== "FORM") return;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!question) return;
    if (!window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }

  function fieldIsSet(field) {
    if (field.tagName === "SELECT") return field.selectedIndex > 0;
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    return field.type !== "hidden" && field.value !== "";
  }

  // On a phone the board's filters would fill the first screen: fold them unless one is in use;
  // open them again when the screen grows (a turned tablet, a resized window).
  function foldOnPhone() {
    if (!window.matchMedia) return;
    var narrow = window.matchMedia("(max-width: 47.99rem)");
    function apply() {
      var boxes = document.querySelectorAll("details[data-closed-on-phone]");
      for (var i = 0; i < boxes.length; i++) {
        var fields = boxes[i].querySelectorAll("input, select, textarea");
        var used = false;
        for (var j = 0; j < fields.length; j++) {
          if (fieldIsSet(fields[j])) used = true;
        }
        if (!narrow.matches) boxes[i].setAttribute("open", "");
        else if (!used) boxes[i].removeAttribute("open");
      }
    }
    apply();
    if (narrow.addEventListener) narrow.addEventListener("change", apply);
  }

  // A plain form that was sent shows it is working (bulk decisions, exports) and is not sent twice.
  function markBusy(event) {
    var form = event.target;
    if (!form || form.hasAttribute("hx-get") || form.hasAttribute("hx-post") || event.defaultPrevented) return;
    form.classList.add("is-busy");
    form.setAttribute("aria-busy", "true");
  }

  function clearBusy(event) {
    if (!event.persisted) return; // a page restored by Back must not stay busy
    var forms = document.querySelectorAll("form.is-busy");
    for (var i = 0; i < forms.length; i++) {
      forms[i].classList.remove("is-busy");
      forms[i].removeAttribute("aria-busy");
    }
  }

  function start() {
    document.addEventListener("submit", confirmFirst, true);
    document.addEventListener("submit", markBusy);
    foldOnPhone();
    window.addEventListener("pageshow", clearBusy);
    notes = document.getElementById("live-notes");
    if (document.querySelector("[data-ws-board]")) {
      connect("/ws/board/", "ws-board", function (event) {
        if (event.type === "task.changed") onTaskChanged(event.task);
      });
    }
    var me = document.body.getAttribute("data-ws-me");
    if (me) {
      connect(me, "ws-me", function (event) {
        if (event.type === "notification") return onNotification(event);
        note(event.type);
        debounced(event.type, function () { refreshRegions(event.type); });
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
