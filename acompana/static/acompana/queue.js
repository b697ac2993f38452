// What waits on the phone until there is signal: a queue in IndexedDB, each submission encrypted
// (AES-GCM) with the key the server gave this device for this login. The key is kept only as a
// non-extractable CryptoKey and dropped at logout; the next person on the same phone sees that
// something waits, never what. Each submission carries its own id: sending it twice stores it once.
(function () {
  "use strict";
  var DB_NAME = "acompana", KEYS = "keys", QUEUE = "queue", SENT = "sent";
  var config = document.getElementById("offline-config");
  var urls = config ? JSON.parse(config.textContent) : {};
  var csrf = null, person = null, listeners = [];

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore(KEYS, {keyPath: "key_id"});
        db.createObjectStore(QUEUE, {keyPath: "id"});
        db.createObjectStore(SENT, {keyPath: "id"});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode), result;
        Promise.resolve(work(tx.objectStore(store))).then(function (r) { result = r; });
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all(store) {
    return run(store, "readonly", function (s) {
      return new Promise(function (resolve) { var r = s.getAll(); r.onsuccess = function () { resolve(r.result); }; });
    });
  }

  function put(store, value) { return run(store, "readwrite", function (s) { s.put(value); }); }
  function remove(store, id) { return run(store, "readwrite", function (s) { s.delete(id); }); }
  function clear(store) { return run(store, "readwrite", function (s) { s.clear(); }); }

  function bytes(base64) {
    return Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
  }

  function importKey(base64) {
    // Not extractable: the key can encrypt and decrypt here, but never be read back.
    return crypto.subtle.importKey("raw", bytes(base64), "AES-GCM", false, ["encrypt", "decrypt"]);
  }

  // Online: this login's key (made current), and the keys of what this same person left queued.
  function fetchKeys() {
    return all(QUEUE).then(function (items) {
      return all(KEYS).then(function (keys) {
        var known = keys.map(function (k) { return k.key_id; });
        var missing = items.map(function (i) { return i.key_id; })
          .filter(function (id, n, list) { return known.indexOf(id) < 0 && list.indexOf(id) === n; });
        return fetch(urls.key + "?tengo=" + missing.join(","), {credentials: "same-origin", redirect: "manual"});
      });
    }).then(function (response) {
      if (!response.ok) throw new Error("no session");
      return response.json();
    }).then(function (answer) {
      csrf = answer.csrf;
      person = answer.person;
      var others = Object.keys(answer.keys || {}).map(function (id) {
        return importKey(answer.keys[id]).then(function (key) {
          return put(KEYS, {key_id: id, key: key, person: answer.person, current: false});
        });
      });
      return Promise.all(others).then(function () { return all(KEYS); }).then(function (keys) {
        // A key of another person left here (a session that expired without logout) is dropped.
        return Promise.all(keys.filter(function (k) { return k.person !== answer.person; })
          .map(function (k) { return remove(KEYS, k.key_id); }));
      }).then(function () { return importKey(answer.key); }).then(function (key) {
        return all(KEYS).then(function (keys) {
          return Promise.all(keys.filter(function (k) { return k.current && k.key_id !== answer.key_id; })
            .map(function (k) { k.current = false; return put(KEYS, k); }));
        }).then(function () {
          return put(KEYS, {key_id: answer.key_id, key: key, person: answer.person, current: true});
        });
      });
    });
  }

  function currentKey() {
    return all(KEYS).then(function (keys) {
      return keys.filter(function (k) { return k.current; })[0] || null;
    });
  }

  // Keep a submission on the phone, encrypted; returns its id.
  function add(kind, payload, label) {
    var id = crypto.randomUUID();
    return currentKey().then(function (key) {
      if (!key) throw new Error("no key on this phone: log in with signal once");
      var iv = crypto.getRandomValues(new Uint8Array(12));
      var plain = new TextEncoder().encode(JSON.stringify({kind: kind, payload: payload, label: label}));
      return crypto.subtle.encrypt({name: "AES-GCM", iv: iv}, key.key, plain).then(function (data) {
        return put(QUEUE, {id: id, key_id: key.key_id, iv: iv, data: data, at: new Date().toISOString()});
      });
    }).then(function () { changed(); sync(); return id; });
  }

  function readable() {
    return Promise.all([all(QUEUE), all(KEYS)]).then(function (both) {
      var keys = {};
      both[1].forEach(function (k) { keys[k.key_id] = k; });
      return {mine: both[0].filter(function (i) { return keys[i.key_id]; }),
              others: both[0].filter(function (i) { return !keys[i.key_id]; }), keys: keys};
    });
  }

  function decrypt(item, keys) {
    return crypto.subtle.decrypt({name: "AES-GCM", iv: item.iv}, keys[item.key_id].key, item.data)
      .then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
  }

  var syncing = null;
  // Send what this person has queued, one by one; stop at the first sign of no signal or no
  // session (the rest waits, untouched, for the next chance).
  function sync() {
    if (syncing) return syncing;
    if (!navigator.onLine) return Promise.resolve();
    syncing = (csrf ? Promise.resolve() : fetchKeys()).then(readable).then(function (found) {
      return found.mine.reduce(function (previous, item) {
        return previous.then(function (go) {
          if (!go) return false;
          return decrypt(item, found.keys).then(function (content) {
            return fetch(urls.send, {
              method: "POST", credentials: "same-origin", redirect: "manual",
              headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
              body: JSON.stringify({id: item.id, kind: content.kind, payload: content.payload})
            }).then(function (response) {
              if (response.status === 200 || response.status === 400) {
                return response.json().then(function (answer) {
                  return put(SENT, {id: item.id, status: answer.status, message: answer.message || "",
                                    outcome: answer.outcome || {}, label: content.label,
                                    at: new Date().toISOString()})
                    .then(function () { return remove(QUEUE, item.id); })
                    .then(function () { changed(); return true; });
                });
              }
              csrf = null;  // logged out or expired: wait for the next login
              return false;
            });
          });
        });
      }, Promise.resolve(true));
    }).catch(function () { csrf = null; }).then(function () { syncing = null; changed(); });
    return syncing;
  }

  function changed() {
    readable().then(function (found) {
      listeners.forEach(function (listener) { listener(found.mine.length, found.others.length); });
    });
  }

  // Logout (or a login page): this phone forgets every key it holds; the queue stays, unreadable.
  function forget() {
    csrf = null;
    return clear(KEYS).catch(function () { return null; });
  }

  window.AcompanaQueue = {
    add: add, sync: sync, forget: forget, fetchKeys: fetchKeys,
    sent: function () { return all(SENT); },
    onChange: function (listener) { listeners.push(listener); changed(); },
    dump: function () { return Promise.all([all(QUEUE), all(KEYS)]); }
  };
})();
