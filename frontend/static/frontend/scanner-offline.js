// Checking a signed ticket code on the device, for the scanner page when the network is gone:
// "T1:" + base45(payload of 26 bytes + Ed25519 signature of 64 bytes), the payload being version,
// key id, ticket id (16 bytes), event id and valid-until (Unix seconds, both 4 bytes big-endian).
// The signature is checked with WebCrypto; the rules are the server's, applied to the lists of
// the scanner's last sync and its own admissions since.
(function () {
  "use strict";

  var BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  var PREFIX = "T1:";
  var VERSION = 1;
  var PAYLOAD_LENGTH = 26;
  var SIGNATURE_LENGTH = 64;
  var CODE_LENGTH = PREFIX.length + (PAYLOAD_LENGTH + SIGNATURE_LENGTH) / 2 * 3;
  var importedKeys = {};

  // RFC 9285: each 3 characters are 2 bytes (c + 45 d + 2025 e), a final 2 characters 1 byte.
  function base45Decode(text) {
    if (text.length % 3 === 1) {
      throw new Error("base45: bad length");
    }
    var bytes = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 ? 1 : 0));
    var out = 0;
    for (var i = 0; i < text.length; i += 3) {
      var chunk = text.slice(i, i + 3);
      var value = 0;
      for (var j = chunk.length - 1; j >= 0; j--) {
        var digit = BASE45.indexOf(chunk[j]);
        if (digit < 0) {
          throw new Error("base45: bad character");
        }
        value = value * 45 + digit;
      }
      if (value > (chunk.length === 3 ? 0xffff : 0xff)) {
        throw new Error("base45: value out of range");
      }
      if (chunk.length === 3) {
        bytes[out++] = value >> 8;
      }
      bytes[out++] = value & 0xff;
    }
    return bytes;
  }

  function uuidOf(bytes) {
    var hex = Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // What a code claims, or null when it is not a ticket code at all (the signature is not checked here).
  function parse(code) {
    if (code.length !== CODE_LENGTH || code.indexOf(PREFIX) !== 0) {
      return null;
    }
    var data;
    try {
      data = base45Decode(code.slice(PREFIX.length));
    } catch (error) {
      return null;
    }
    if (data.length !== PAYLOAD_LENGTH + SIGNATURE_LENGTH || data[0] !== VERSION) {
      return null;
    }
    var view = new DataView(data.buffer, 0, PAYLOAD_LENGTH);
    return {
      keyId: data[1],
      ticketId: uuidOf(data.subarray(2, 18)),
      eventId: view.getUint32(18),
      validUntil: view.getUint32(22) * 1000,
      payload: data.subarray(0, PAYLOAD_LENGTH),
      signature: data.subarray(PAYLOAD_LENGTH)
    };
  }

  // The WebCrypto key for a base64 raw Ed25519 public key, imported once.
  function importKey(base64) {
    if (!importedKeys[base64]) {
      var raw = Uint8Array.from(window.atob(base64), function (c) { return c.charCodeAt(0); });
      importedKeys[base64] = window.crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
    }
    return importedKeys[base64];
  }

  // Resolves true when one of `keys` (key id -> base64) signed the claim's payload.
  function verify(claim, keys) {
    var base64 = keys[String(claim.keyId)];
    if (!base64) {
      return Promise.resolve(false);
    }
    return importKey(base64).then(function (key) {
      return window.crypto.subtle.verify({ name: "Ed25519" }, key, claim.signature, claim.payload);
    });
  }

  // Of this device's own record of a ticket at the door and the server's (from the last sync or an
  // online answer), the one with the later passage: the holder may have gone out or in elsewhere since.
  function latestPassage(own, synced) {
    if (!own || !synced) {
      return own || synced;
    }
    return (Date.parse(synced.changed) || 0) > (Date.parse(own.changed) || 0) ? synced : own;
  }

  // The answer for a genuine code: `sync` holds the event and its ticket lists, `local` this device's
  // own admissions since; the order of the checks is the server's.
  function decide(claim, options) {
    var sync = options.sync;
    var event = sync.event;
    if (claim.eventId !== event.id) {
      return { result: "wrong_event" };
    }
    var typeId = sync.tickets[claim.ticketId];
    var type = typeId === undefined ? null : sync.types[typeId];
    var answer = {
      ticket: {
        id: claim.ticketId,
        ticket_type: type ? { id: type.id, name: type.name } : { id: null, name: options.unknownType },
        is_companion: Boolean(type && type.is_companion),
        requires_attention: Boolean(type && type.requires_attention)
      },
      attention: Boolean(type && (type.is_companion || type.requires_attention))
    };
    var used = latestPassage(options.local[claim.ticketId], sync.used[claim.ticketId]);
    if (options.direction === "out") {
      answer.result = used && used.inside ? "ok" : "not_inside";
    } else if (sync.revoked[claim.ticketId]) {
      answer.result = sync.revoked[claim.ticketId] === "refunded" ? "refunded" : "cancelled";
    } else if (event.status === "cancelled") {
      answer.result = "cancelled";
    } else if (options.scannedAt < Date.parse(event.admission_opens_at)) {
      answer.result = "not_yet_valid";
    } else if (options.scannedAt > claim.validUntil) {
      answer.result = "expired";
    } else if (used && (used.inside || !event.allows_reentry)) {
      answer.result = "already_used";
      answer.first_used = { at: used.at, gate: used.gate };
    } else {
      answer.result = "ok";
      answer.is_reentry = Boolean(used);
    }
    return answer;
  }

  // Resolves with the answer to a scanned code: parse, verify the signature, apply the rules.
  function check(code, options) {
    var claim = parse(code);
    if (!claim) {
      return Promise.resolve({ result: "invalid" });
    }
    return verify(claim, options.sync.keys).then(function (valid) {
      return valid ? decide(claim, options) : { result: "invalid" };
    });
  }

  window.kulturTicketCheck = {
    base45Decode: base45Decode,
    parse: parse,
    importKey: importKey,
    verify: verify,
    decide: decide,
    latestPassage: latestPassage,
    check: check
  };
})();
