{% load static %}// Acompaña's service worker: the app's files and the pages a person needs are kept on the phone,
// so they open with no signal. Served from the site's root: its scope is the whole site.
"use strict";
const STATIC_CACHE = "acompana-static-{{ version }}";
const PAGES_CACHE = "acompana-pages";
const OFFLINE_PAGE = "{% url 'offline:offline_page' %}";
const STATIC_FILES = [
  OFFLINE_PAGE,
  "{% static 'acompana/site.css' %}",
  "{% static 'acompana/app.js' %}",
  "{% static 'acompana/queue.js' %}",
  "{% static 'acompana/speak.js' %}",
  "{% static 'acompana/questionnaire.js' %}",
  "{% static 'acompana/session_kit.js' %}",
  "{% static 'django_htmx/htmx-2.min.js' %}",
  "{% static 'acompana/icons/icon.svg' %}",
  "{% static 'acompana/icons/icon-192.png' %}",
  "{% url 'offline:manifest' %}",
];
// Never kept: keys, sync, and logging in or out.
const NEVER = ["{% url 'offline:key' %}", "{% url 'offline:send' %}", "/cuenta/"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(STATIC_FILES))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name.startsWith("acompana-static-") && name !== STATIC_CACHE)
    .map((name) => caches.delete(name)))).then(() => self.clients.claim()));
});

// The page asks to keep the pages its person needs ("keep"), or to forget them at logout.
self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "keep") {
    event.waitUntil(caches.open(PAGES_CACHE).then((cache) => Promise.all(
      (message.urls || []).map((url) => fetch(url, {credentials: "same-origin", redirect: "manual"})
        .then((response) => { if (response.ok) return keepWithPictures(cache, url, response); })
        .catch(() => null))))
      .then(() => event.source && event.source.postMessage({type: "kept"})));
  } else if (message.type === "forget") {
    event.waitUntil(caches.delete(PAGES_CACHE)
      .then(() => event.source && event.source.postMessage({type: "forgotten"})));
  }
});

// A kept page keeps its pictures too (the session's images, the handout's drawings).
function keepWithPictures(cache, url, response) {
  return response.clone().text().then((html) => {
    const pictures = [...html.matchAll(/<img[^>]+src="([^"]+)"/g)].map((found) => found[1])
      .filter((src) => new URL(src, self.location.origin).origin === self.location.origin);
    return cache.put(url, response).then(() => Promise.all(pictures.map((src) =>
      caches.match(src).then((kept) => kept || fetch(src).then((picture) => {
        if (picture.ok) return cache.put(src, picture);
      }).catch(() => null)))));
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (NEVER.some((path) => url.pathname.startsWith(path))) return;
  if (request.mode === "navigate") {
    // Network first, so online pages are fresh; a kept page refreshes its copy; offline, the
    // copy, or the page saying it was not kept.
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(PAGES_CACHE).then((cache) => cache.match(request).then((kept) => {
          if (kept) cache.put(request, copy);
        }));
      }
      return response;
    }).catch(() => caches.open(PAGES_CACHE).then((cache) => cache.match(request))
      .then((kept) => kept || caches.match(OFFLINE_PAGE))));
    return;
  }
  // Files: the kept copy first; others from the network, kept for the next time.
  event.respondWith(caches.match(request).then((kept) => kept || fetch(request).then((response) => {
    if (response.ok && url.pathname.startsWith("{% get_static_prefix %}")) {
      const copy = response.clone();
      caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  })));
});
