// The door scanner: camera (jsQR) and handheld scanners, an answer that fills the screen, live counts,
// and, when the network is gone, answers from the device (scanner-offline.js checks the signed codes)
// with a queue of scans that is uploaded when the network returns.
(function () {
  "use strict";

  var root = document.querySelector("[data-scanner]");
  var configElement = document.getElementById("scanner-config");
  if (!root || !configElement) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var texts = config.texts;
  var urls = config.urls;

  var STORE = "kultur.scanner.";
  var SYNC_EVERY_MS = 10000;
  var UPLOAD_EVERY_MS = 10000;
  var REQUEST_TIMEOUT_MS = 3000;
  var CAMERA_EVERY_MS = 120;
  var SAME_CODE_PAUSE_MS = 2000;
  var RESULT_SHOWN_MS = { ok: 2500, attention: 4000, rejected: 5000 };
  var BATCH_SIZE = 500;

  // ---- small helpers ----------------------------------------------------------------------------

  function $(selector) {
    return root.querySelector(selector);
  }

  function load(key, fallback) {
    try {
      var value = window.localStorage.getItem(STORE + key);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      if (value === null || value === undefined) {
        window.localStorage.removeItem(STORE + key);
      } else {
        window.localStorage.setItem(STORE + key, JSON.stringify(value));
      }
    } catch (error) {
      console.warn("The scanner could not store its data", error);
    }
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return values[name] === undefined ? match : String(values[name]);
    });
  }

  function nonce() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function clock(iso) {
    return new Intl.DateTimeFormat(config.language, {
      hour: "2-digit", minute: "2-digit", timeZone: "Europe/Copenhagen"
    }).format(new Date(iso));
  }

  function when(iso) {
    return new Intl.DateTimeFormat(config.language, {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      timeZone: "Europe/Copenhagen"
    }).format(new Date(iso));
  }

  // ---- state ------------------------------------------------------------------------------------

  var state = {
    token: load("deviceToken", null),
    identity: null,
    setup: load("setup", null), // {event, title, gate, direction}
    sync: null,                  // the event's offline data, see syncData()
    local: {},                   // this device's own offline admissions: ticket id -> {at, gate, inside, changed}
    queue: load("queue", []),
    refused: load("refused", []), // queued scans the server will never store, kept aside
    online: navigator.onLine !== false,
    lastCode: "",
    lastCodeAt: 0,
    busy: false,
    timers: [],
    stream: null,
    offlineTimings: []
  };

  function show(step) {
    root.setAttribute("data-step", step);
    root.querySelectorAll("[data-section]").forEach(function (section) {
      section.hidden = section.getAttribute("data-section") !== step;
    });
  }

  function setOnline(online) {
    state.online = online;
    root.setAttribute("data-online", online ? "true" : "false");
    $("[data-network-text]").textContent = online ? texts.online : texts.offline;
  }

  function updateQueue() {
    save("queue", state.queue);
    save("refused", state.refused);
    root.setAttribute("data-queue", String(state.queue.length));
    root.setAttribute("data-refused", String(state.refused.length));
    $("[data-queue-text]").textContent = format(texts.queued, { count: state.queue.length });
    var refused = $("[data-refused-text]");
    refused.hidden = !state.refused.length;
    refused.textContent = format(texts.refused, { count: state.refused.length });
    $("[data-refused-details]").hidden = !state.refused.length;
    var list = $("[data-refused-list]");
    list.textContent = "";
    state.refused.forEach(function (kept) {
      var line = document.createElement("li");
      line.textContent = keptAsideText(kept);
      list.appendChild(line);
    });
  }

  // One scan kept aside, for the list on screen: when, where and which ticket, and why it was refused.
  function keptAsideText(kept) {
    var item = kept && kept.entry !== undefined ? kept.entry : kept;
    var refusal = (kept && kept.refusal) || {};
    var parts = [];
    if (item && typeof item === "object") {
      if (item.scanned_at && !isNaN(Date.parse(item.scanned_at))) {
        parts.push(when(item.scanned_at));
      }
      parts.push(item.direction === "out" ? texts.direction_out : texts.direction_in);
      if (item.gate) {
        parts.push(String(item.gate));
      }
      var claim = typeof item.code === "string" ? window.kulturTicketCheck.parse(item.code) : null;
      if (claim) {
        parts.push(format(texts.kept_ticket, { id: claim.ticketId.slice(0, 8) }));
      }
    } else {
      parts.push(texts.kept_unreadable);
    }
    parts.push(refusalReason(refusal));
    return parts.join(" · ");
  }

  function refusalReason(refusal) {
    if (refusal.code === "permission_denied") {
      return texts.kept_venue;
    }
    var messages = [];
    Object.keys(refusal.errors || {}).forEach(function (field) {
      messages = messages.concat(refusal.errors[field]);
    });
    var reason = messages.filter(function (message) { return typeof message === "string"; })[0] || refusal.detail;
    return reason ? format(texts.kept_refused_because, { reason: reason }) : texts.kept_refused;
  }

  $("[data-refused-clear]").addEventListener("click", function () {
    if (window.confirm(texts.kept_clear_confirm)) {
      state.refused = [];
      updateQueue();
    }
  });

  // ---- the API ----------------------------------------------------------------------------------

  // Resolves with {status, body}; rejects only when the server could not be reached.
  function api(method, url, body) {
    var headers = { "Accept": "application/json", "Accept-Language": config.language };
    if (state.token) {
      headers.Authorization = "Device " + state.token;
    }
    if (method !== "GET") {
      headers["Content-Type"] = "application/json";
      headers["X-CSRFToken"] = config.csrf_token;
    }
    var controller = new AbortController();
    var timer = window.setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal
    }).then(function (response) {
      window.clearTimeout(timer);
      if (response.status >= 500) {
        throw new Error("Server error " + response.status);
      }
      return response.json().catch(function () { return {}; }).then(function (data) {
        setOnline(true);
        return { status: response.status, body: data };
      });
    }, function (error) {
      window.clearTimeout(timer);
      setOnline(false);
      throw error;
    });
  }

  function withQuery(url, params) {
    var query = new URLSearchParams(params).toString();
    return url + (query ? "?" + query : "");
  }

  // ---- signing in -------------------------------------------------------------------------------

  function signIn(message) {
    stopScanning();
    $("[data-signin-message]").textContent = message || "";
    show("signin");
  }

  function start() {
    updateQueue();
    setOnline(navigator.onLine !== false);
    return api("GET", urls.me).then(function (answer) {
      if (answer.status === 200) {
        state.identity = answer.body;
        save("identity", answer.body);
        return chooseEvent();
      }
      if (answer.status === 401 && state.token) {
        forgetDevice();
        return signIn(texts.device_revoked);
      }
      if (answer.status === 403) {
        return signIn(texts.not_allowed);
      }
      return signIn("");
    }, function () {
      // No network: carry on with what was loaded last time, if anything.
      state.identity = load("identity", null);
      if (state.identity && state.setup && load("sync." + state.setup.event, null)) {
        return startScanning();
      }
      return signIn(texts.register_network);
    });
  }

  function forgetDevice() {
    state.token = null;
    save("deviceToken", null);
    save("identity", null);
  }

  $("[data-register-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("#registration-code");
    var error = $("[data-register-error]");
    var code = input.value.trim();
    input.removeAttribute("aria-invalid");
    error.textContent = "";
    if (!code) {
      input.setAttribute("aria-invalid", "true");
      error.textContent = texts.register_empty;
      input.focus();
      return;
    }
    state.token = null;
    api("POST", urls.register, { code: code }).then(function (answer) {
      if (answer.status === 201 && answer.body.token) {
        state.token = answer.body.token;
        save("deviceToken", state.token);
        input.value = "";
        start();
      } else {
        input.setAttribute("aria-invalid", "true");
        error.textContent = texts.register_failed;
        input.focus();
      }
    }, function () {
      error.textContent = texts.register_network;
    });
  });

  $("[data-forget-device]").addEventListener("click", function () {
    forgetDevice();
    start();
  });

  // ---- choosing the event, gate and direction ---------------------------------------------------

  function describeIdentity(identity) {
    var who = format(identity.kind === "device" ? texts.signed_in_device : texts.signed_in_user, { name: identity.name });
    if (identity.all_venues) {
      return who + " " + texts.all_venues;
    }
    var names = (identity.venues || []).map(function (venue) { return venue.name; }).join(", ");
    return names ? who + " " + format(texts.venues, { names: names }) : who;
  }

  function chooseEvent() {
    stopScanning();
    show("setup");
    var identity = state.identity;
    $("[data-identity]").textContent = identity ? describeIdentity(identity) : "";
    $("[data-forget-device]").hidden = !state.token;
    var signout = $("[data-signout]");
    if (signout) {
      signout.hidden = Boolean(state.token);
    }
    var select = $("#scanner-event");
    var gate = $("#scanner-gate");
    var setup = state.setup || {};
    gate.value = setup.gate || load("gate", "") || config.default_gate;
    var direction = root.querySelector('input[name="direction"][value="' + (setup.direction === "out" ? "out" : "in") + '"]');
    direction.checked = true;
    var message = $("[data-setup-message]");
    message.textContent = texts.loading;
    select.textContent = "";
    state.eventsLoaded = api("GET", urls.events).then(function (answer) {
      if (answer.status !== 200) {
        return answer.status === 403 ? signIn(texts.not_allowed) : signIn(texts.signed_out);
      }
      save("events", answer.body.results);
      message.textContent = answer.body.results.length ? "" : texts.no_events;
      fillEvents(select, answer.body.results, setup.event);
    }, function () {
      var events = load("events", []);
      message.textContent = texts.events_offline;
      fillEvents(select, events, setup.event);
    });
    return state.eventsLoaded;
  }

  function fillEvents(select, events, chosen) {
    select.textContent = "";
    events.forEach(function (event) {
      var option = document.createElement("option");
      option.value = event.slug;
      option.textContent = event.title + " – " + when(event.starts_at) + " – " + event.venue.name;
      option.selected = event.slug === chosen;
      select.appendChild(option);
    });
  }

  $("[data-setup-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    unlockSound();
    // Started before the list of events arrived: go on once it is there.
    (state.eventsLoaded || Promise.resolve()).then(submitSetup);
  });

  function submitSetup() {
    if (root.getAttribute("data-step") !== "setup") {
      return;
    }
    var select = $("#scanner-event");
    var gate = $("#scanner-gate");
    var ok = true;
    [[select, "[data-event-error]", texts.event_empty], [gate, "[data-gate-error]", texts.gate_empty]].forEach(function (check) {
      var empty = !check[0].value.trim();
      $(check[1]).textContent = empty ? check[2] : "";
      if (empty) {
        check[0].setAttribute("aria-invalid", "true");
        if (ok) {
          check[0].focus();
        }
        ok = false;
      } else {
        check[0].removeAttribute("aria-invalid");
      }
    });
    if (!ok) {
      return;
    }
    var option = select.options[select.selectedIndex];
    state.setup = {
      event: select.value,
      title: option ? option.textContent.split(" – ")[0] : select.value,
      gate: gate.value.trim(),
      direction: root.querySelector('input[name="direction"]:checked').value
    };
    save("setup", state.setup);
    save("gate", state.setup.gate);
    startScanning();
  }

  $("[data-change]").addEventListener("click", function () {
    chooseEvent();
  });

  // ---- scanning ---------------------------------------------------------------------------------

  function startScanning() {
    var setup = state.setup;
    show("scan");
    $("[data-event-title]").textContent = setup.title;
    $("[data-gate-text]").textContent = setup.gate;
    $("[data-direction-text]").textContent = setup.direction === "out" ? texts.direction_out : texts.direction_in;
    state.sync = load("sync." + setup.event, null);
    state.local = load("local." + setup.event, {});
    if (state.sync) {
      showCounts(state.sync.counts);
    }
    focusCode();
    refresh();
    startCamera();
    state.timers.push(window.setInterval(refresh, SYNC_EVERY_MS));
    state.timers.push(window.setInterval(upload, UPLOAD_EVERY_MS));
  }

  function stopScanning() {
    state.timers.forEach(function (timer) { window.clearInterval(timer); });
    state.timers = [];
    stopCamera();
  }

  function focusCode() {
    var input = $("#ticket-code");
    if (input && !$("[data-section=scan]").hidden) {
      input.focus();
    }
  }

  // A handheld scanner types into whatever has focus: keep it on the code field, unless staff
  // deliberately moved to another control.
  $("#ticket-code").addEventListener("blur", function () {
    window.setTimeout(function () {
      if (document.activeElement === document.body || document.activeElement === null) {
        focusCode();
      }
    }, 0);
  });

  $("[data-code-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("#ticket-code");
    var code = input.value;
    input.value = "";
    input.focus();
    scan(code, "keyboard");
  });

  function scan(code, source) {
    code = (code || "").trim();
    if (!code || !state.setup) {
      return Promise.resolve();
    }
    var now = Date.now();
    if (source === "camera" && code === state.lastCode && now - state.lastCodeAt < SAME_CODE_PAUSE_MS) {
      state.lastCodeAt = now;
      return Promise.resolve();
    }
    state.lastCode = code;
    state.lastCodeAt = now;
    var item = {
      code: code,
      event: state.setup.event,
      gate: state.setup.gate,
      direction: state.setup.direction,
      nonce: nonce(),
      scanned_at: new Date(now).toISOString()
    };
    // Once a request has failed, answer from the device at once rather than wait for another
    // timeout at a busy door; the periodic sync finds out when the server is back.
    if (navigator.onLine === false || !state.online) {
      setOnline(false);
      return checkOffline(item);
    }
    return api("POST", urls.scan, item).then(function (answer) {
      if (answer.body && answer.body.result) {
        noteOnline(answer.body, item);
        return answerOnScreen(answer.body, false);
      }
      if (answer.status === 401) {
        return answerOnScreen({ result: "error", detail_key: state.token ? "device_revoked" : "signed_out" }, false);
      }
      if (answer.status === 403) {
        return answerOnScreen({ result: "error", detail_key: "forbidden" }, false);
      }
      return answerOnScreen({ result: "invalid", detail_key: "bad_input" }, false);
    }, function () {
      return checkOffline(item);
    });
  }

  // Keeps the offline lists and the counts current between two syncs.
  function noteOnline(body, item) {
    if (body.result !== "ok" || !body.ticket || !state.sync) {
      return;
    }
    notePassage(state.sync.used, body.ticket.id, item);
    save("sync." + state.setup.event, state.sync);
  }

  // Note in `records` (the server's lists or this device's own) that the holder of ticket `id` passed
  // the door as `item` says, and keep the counts on screen current until the next sync.
  function notePassage(records, id, item) {
    var known = window.kulturTicketCheck.latestPassage(state.local[id], state.sync.used[id]);
    var counts = state.sync.counts;
    if (item.direction === "out") {
      counts.inside_now = Math.max(0, counts.inside_now - 1);
      records[id] = Object.assign({}, known || { at: item.scanned_at, gate: item.gate },
        { inside: false, changed: item.scanned_at });
    } else {
      counts.checked_in += known ? 0 : 1;
      counts.inside_now += 1;
      records[id] = {
        at: known ? known.at : item.scanned_at, gate: known ? known.gate : item.gate, inside: true, changed: item.scanned_at
      };
    }
    showCounts(counts);
  }

  // ---- the answer on screen ---------------------------------------------------------------------

  var hideTimer = null;
  var resultElement = $("[data-result]");

  function kindOf(body) {
    if (body.result !== "ok") {
      return "rejected";
    }
    return body.attention ? "attention" : "ok";
  }

  function answerOnScreen(body, offline) {
    var kind = kindOf(body);
    var result = body.result;
    var ticket = body.ticket || null;
    var typeName = ticket && ticket.ticket_type ? ticket.ticket_type.name : (body.type_name || "");
    var word = kind === "attention" ? texts.titles.attention : (texts.titles[result] || texts.titles.error);
    var detail;
    if (body.detail_key) {
      detail = texts.details[body.detail_key];
    } else if (kind === "attention") {
      detail = ticket && ticket.is_companion ? texts.details.companion : texts.details.attention;
    } else if (result === "ok") {
      detail = state.setup && state.setup.direction === "out" ? texts.details.ok_exit
        : (body.is_reentry ? texts.details.ok_reentry : texts.details.ok);
    } else {
      detail = texts.details[result] || body.detail || "";
    }
    if (result === "already_used" && body.first_used && body.first_used.at) {
      detail += " " + format(texts.first_used, { time: clock(body.first_used.at), gate: body.first_used.gate || "–" });
    }
    resultElement.setAttribute("data-kind", kind);
    resultElement.setAttribute("data-result-code", result);
    $("[data-result-icon]").textContent = kind === "ok" ? "\u2713" : (kind === "attention" ? "!" : "\u2715");
    $("[data-result-word]").textContent = word;
    $("[data-result-type]").textContent = typeName;
    $("[data-result-detail]").textContent = detail;
    $("[data-result-note]").textContent = offline ? texts.checked_offline : "";
    resultElement.hidden = false;
    root.setAttribute("data-last-result", result);
    root.setAttribute("data-last-kind", kind);
    root.setAttribute("data-last-offline", offline ? "true" : "false");
    announce([word, typeName, detail, offline ? texts.checked_offline : ""].filter(Boolean).join(". "));
    beep(kind);
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hideResult, RESULT_SHOWN_MS[kind]);
  }

  function hideResult() {
    resultElement.hidden = true;
    focusCode();
  }

  resultElement.addEventListener("click", hideResult);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !resultElement.hidden) {
      hideResult();
    }
  });

  var announcer = $("[data-announcer]");
  function announce(text) {
    // Emptied first, so the same answer twice in a row is read out twice.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // ---- sound ------------------------------------------------------------------------------------

  var audio = null;
  var TONES = {
    ok: [[880, 0, 0.12]],
    attention: [[660, 0, 0.12], [990, 0.16, 0.12]],
    rejected: [[196, 0, 0.45]]
  };

  function unlockSound() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) {
      try {
        audio = new Context();
      } catch (error) {
        audio = null;
      }
    }
    if (audio && audio.state === "suspended") {
      audio.resume().catch(function () {});
    }
  }

  // Browsers only let a page make sounds after a tap or a key press (a handheld scanner's typing counts).
  document.addEventListener("pointerdown", unlockSound);
  document.addEventListener("keydown", unlockSound);

  function beep(kind) {
    unlockSound();
    if (!audio) {
      return;
    }
    var start = audio.currentTime + 0.01;
    TONES[kind].forEach(function (tone) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.type = kind === "rejected" ? "square" : "sine";
      oscillator.frequency.value = tone[0];
      gain.gain.setValueAtTime(0.0001, start + tone[1]);
      gain.gain.exponentialRampToValueAtTime(0.3, start + tone[1] + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + tone[1] + tone[2]);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + tone[1]);
      oscillator.stop(start + tone[1] + tone[2] + 0.02);
    });
    if (kind === "rejected" && navigator.vibrate) {
      navigator.vibrate(300);
    }
  }

  // ---- the camera -------------------------------------------------------------------------------

  var video = $("[data-video]");
  var canvas = document.createElement("canvas");
  var context2d = canvas.getContext("2d", { willReadFrequently: true });
  var cameraTimer = null;

  function cameraStatus(text) {
    $("[data-camera-status]").textContent = text;
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof window.jsQR !== "function") {
      cameraStatus(texts.camera_off);
      return;
    }
    cameraStatus(texts.camera_starting);
    navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } }
    }).then(function (stream) {
      if (root.getAttribute("data-step") !== "scan") {
        stream.getTracks().forEach(function (track) { track.stop(); });
        return;
      }
      state.stream = stream;
      video.srcObject = stream;
      return video.play().then(function () {
        cameraStatus(texts.camera_on);
        root.setAttribute("data-camera", "on");
        readFrame();
      });
    }).catch(function () {
      cameraStatus(texts.camera_off);
      root.setAttribute("data-camera", "off");
    });
  }

  function stopCamera() {
    window.clearTimeout(cameraTimer);
    cameraTimer = null;
    if (state.stream) {
      state.stream.getTracks().forEach(function (track) { track.stop(); });
      state.stream = null;
    }
    video.srcObject = null;
    root.removeAttribute("data-camera");
  }

  function readFrame() {
    cameraTimer = window.setTimeout(readFrame, CAMERA_EVERY_MS);
    if (video.readyState < 2 || !video.videoWidth) {
      return;
    }
    // 640 pixels across is plenty for a ticket held up to the camera, and keeps decoding quick.
    var scale = Math.min(1, 640 / video.videoWidth);
    var width = Math.round(video.videoWidth * scale);
    var height = Math.round(video.videoHeight * scale);
    canvas.width = width;
    canvas.height = height;
    context2d.drawImage(video, 0, 0, width, height);
    var found = window.jsQR(context2d.getImageData(0, 0, width, height).data, width, height, {
      inversionAttempts: "dontInvert"
    });
    if (found && found.data) {
      scan(found.data, "camera");
    }
  }

  // ---- counts and the event's offline data ------------------------------------------------------

  function showCounts(counts) {
    if (!counts) {
      return;
    }
    root.querySelectorAll("[data-count]").forEach(function (element) {
      var value = counts[element.getAttribute("data-count")];
      element.textContent = value === null || value === undefined ? texts.unlimited : String(value);
    });
  }

  // Turns a sync answer into lookup tables, merging it into the previous ones when incremental.
  function syncData(previous, answer) {
    var data = answer.incremental && previous ? previous : { tickets: {}, revoked: {}, used: {}, types: {} };
    data.event = answer.event;
    data.keys = answer.public_keys;
    data.types = {};
    answer.ticket_types.forEach(function (type) { data.types[type.id] = type; });
    answer.tickets.forEach(function (pair) { data.tickets[pair[0]] = pair[1]; });
    answer.revoked.forEach(function (pair) {
      data.revoked[pair[0]] = pair[1];
      delete data.tickets[pair[0]];
    });
    answer.used.forEach(function (used) {
      data.used[used.ticket] = { at: used.entered_at, gate: used.gate, inside: used.inside, changed: used.passed_at };
    });
    data.counts = answer.counts;
    data.next_since = answer.next_since;
    return data;
  }

  function refresh() {
    var setup = state.setup;
    if (!setup) {
      return Promise.resolve();
    }
    return upload().then(function () {
      var params = { event: setup.event };
      if (state.sync && state.sync.next_since && state.sync.event && state.sync.event.slug === setup.event) {
        params.since = state.sync.next_since;
      }
      return api("GET", withQuery(urls.sync, params));
    }).then(function (answer) {
      if (answer.status === 200) {
        state.sync = syncData(state.sync, answer.body);
        save("sync." + setup.event, state.sync);
        // Import the keys now, so the first offline check does not wait for it.
        Object.keys(state.sync.keys).forEach(function (keyId) {
          ticketCheck.importKey(state.sync.keys[keyId]).catch(function () {});
        });
        showCounts(state.sync.counts);
        root.setAttribute("data-synced", "true");
      } else if (answer.status === 401) {
        signIn(state.token ? texts.device_revoked : texts.signed_out);
      } else if (answer.status === 400 && state.sync) {
        // e.g. a `since` the server no longer accepts: start over with a full sync.
        state.sync.next_since = null;
      }
    }, function () {
      // Offline: keep working with what we have.
    });
  }

  function upload() {
    if (!state.queue.length || state.uploading) {
      return Promise.resolve();
    }
    state.uploading = true;
    var batch = state.queue.slice(0, BATCH_SIZE);
    var again = false;
    return api("POST", urls.batch, { scans: batch }).then(function (answer) {
      var unreadable = answer.status === 400 && answer.body.errors && answer.body.errors.scans;
      if (unreadable && !Array.isArray(unreadable)) {
        // Entries that are no scan at all (from a damaged store), listed by position: set them aside
        // and send the rest. Any other refusal of the whole batch is left for a later try.
        var setAside = batch.filter(function (entry, index) { return unreadable[index]; });
        state.refused = state.refused.concat(setAside.map(function (entry) {
          return { entry: entry, refusal: { code: answer.body.code } };
        }));
        state.queue = batch.filter(function (entry, index) { return !unreadable[index]; })
          .concat(state.queue.slice(batch.length));
        again = setAside.length > 0;
        updateQueue();
        return;
      }
      if (answer.status !== 200 || !Array.isArray(answer.body.results)) {
        return;
      }
      var before = state.queue.length;
      var done = {};
      answer.body.results.forEach(function (result, index) {
        var item = batch[index];
        if (!result || !item) {
          return;
        }
        done[item.nonce] = true;
        // An answer without a stored scan is a refusal that sending again would not change
        // (malformed, a venue not this scanner's, a nonce used before): kept aside, never resent.
        if (!result.scan) {
          console.warn("The server refused a queued scan", item, result);
          state.refused.push(Object.assign({}, item, { refusal: result }));
        }
      });
      state.queue = state.queue.filter(function (item) { return !item || !done[item.nonce]; });
      again = state.queue.length > 0 && state.queue.length < before;  // more than a batch was waiting
      updateQueue();
    }, function () {}).then(function () {
      state.uploading = false;
      return again ? upload() : undefined;
    });
  }

  window.addEventListener("online", function () {
    setOnline(true);
    refresh();
  });
  window.addEventListener("offline", function () {
    setOnline(false);
  });

  // ---- checking a code without the network (scanner-offline.js) -------------------------------

  var ticketCheck = window.kulturTicketCheck;

  function decideOffline(item) {
    return ticketCheck.check(item.code, {
      sync: state.sync,
      local: state.local,
      direction: item.direction,
      scannedAt: Date.parse(item.scanned_at),
      unknownType: texts.unknown_type
    });
  }

  function rememberOffline(answer, item) {
    if (answer.result !== "ok" || !answer.ticket) {
      return;
    }
    notePassage(state.local, answer.ticket.id, item);
    save("local." + item.event, state.local);
    save("sync." + item.event, state.sync);
  }

  function checkOffline(item) {
    if (!state.sync || !state.sync.event || state.sync.event.slug !== item.event) {
      return answerOnScreen({ result: "error", detail_key: "no_offline_data" }, true);
    }
    var started = performance.now();
    return decideOffline(item).then(function (answer) {
      var elapsed = performance.now() - started;
      state.offlineTimings.push(elapsed);
      root.setAttribute("data-offline-verify-ms", elapsed.toFixed(3));
      console.info("Offline check took " + elapsed.toFixed(2) + " ms");
      rememberOffline(answer, item);
      // who is signed in now: the queue may be uploaded after someone else has signed in on this phone
      var queued = { offline_result: answer.result };
      if (state.identity && state.identity.key) {
        queued.scanned_as = state.identity.key;
      }
      state.queue.push(Object.assign({}, item, queued));
      updateQueue();
      return answerOnScreen(answer, true);
    }, function (error) {
      console.error("Offline check failed", error);
      return answerOnScreen({ result: "error", detail_key: "no_offline_check" }, true);
    });
  }

  // For tests and for measuring: the offline check's timings, and the check itself.
  window.kulturScanner = {
    offlineTimings: state.offlineTimings,
    checkOffline: function (code) {
      var item = {
        code: code, event: state.setup.event, gate: state.setup.gate, direction: state.setup.direction,
        nonce: nonce(), scanned_at: new Date().toISOString()
      };
      var started = performance.now();
      return decideOffline(item).then(function (answer) {
        return { result: answer.result, ms: performance.now() - started };
      });
    }
  };

  start();
})();
