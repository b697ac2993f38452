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

  document.addEventListener("DOMContentLoaded", function () {
    foldMenu();
    labelCells();
  });
})();
