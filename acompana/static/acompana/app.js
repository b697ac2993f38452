// Every page: the menu folds into one button on a phone, and tables read as lists there.
(function () {
  "use strict";

  function foldMenu() {
    var button = document.querySelector(".menu-button");
    var menu = document.getElementById("main-menu");
    if (!button || !menu) return;
    document.documentElement.classList.add("js-menu");
    button.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // The menu's sections open without JavaScript (details); with it, one is open at a time and
  // a tap elsewhere or Escape closes it, as people expect of a menu at a desk.
  function menuSections() {
    var groups = document.querySelectorAll("details.menu-group");
    if (!groups.length) return;
    function closeAll(except) {
      groups.forEach(function (group) { if (group !== except) group.open = false; });
    }
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () { if (group.open) closeAll(group); });
    });
    document.addEventListener("click", function (event) {
      closeAll(event.target.closest("details.menu-group"));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeAll(null);
    });
  }

  // On a narrow screen each row of a table becomes a card; each cell shows its column's name.
  function labelCells() {
    document.querySelectorAll("main table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          var head = heads[index];
          if (head && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", head.textContent.trim());
        });
      });
    });
  }

  // The installable app: the service worker keeps the files and this person's pages; the
  // queue's count shows what waits; logging out makes the phone forget keys and kept pages.
  function installableApp() {
    var config = document.getElementById("offline-config");
    if (!config) return;
    var settings = JSON.parse(config.textContent);
    var queue = window.AcompanaQueue;
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(settings.worker, {scope: "/"}).then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (registration) {
        if (settings.logged_in && settings.keep.length && navigator.onLine) {
          registration.active.postMessage({type: "keep", urls: settings.keep});
        }
        if (!settings.logged_in) registration.active.postMessage({type: "forget"});
      }).catch(function () { return null; });
    }
    if (!queue) return;
    // What waits on the phone must survive a full storage and a restart: ask not to be evicted.
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () { return null; });
    if (!settings.logged_in) {
      queue.forget();
    } else if (navigator.onLine) {
      queue.fetchKeys().then(queue.sync).catch(function () { return null; });
    }
    window.addEventListener("online", function () { queue.sync(); });
    var pending = document.getElementById("pending");
    queue.onChange(function (mine, others) {
      var text = mine === 1 ? pending.dataset.one : pending.dataset.many.replace("{n}", mine);
      if (others) text = (mine ? text + " · " : "") + pending.dataset.others;
      pending.textContent = text;
      pending.hidden = !(mine || others);
    });
    document.querySelectorAll("form.logout").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.forgotten) return;
        event.preventDefault();
        var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
        if (worker) worker.postMessage({type: "forget"});
        queue.forget().then(function () { form.dataset.forgotten = "1"; form.submit(); });
      });
    });
    installPrompt();
  }

  // The browser offers to install the app: a Spanish button asks instead of the browser's bar.
  function installPrompt() {
    var button = document.getElementById("install");
    if (!button) return;
    var offer = null;
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      offer = event;
      button.hidden = false;
    });
    button.addEventListener("click", function () {
      if (!offer) return;
      offer.prompt();
      offer.userChoice.then(function () { button.hidden = true; offer = null; });
    });
    window.addEventListener("appinstalled", function () { button.hidden = true; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldMenu();
    menuSections();
    labelCells();
    installableApp();
  });
})();
