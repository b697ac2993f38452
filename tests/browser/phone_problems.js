() => {
  const TARGETS = ["button", "select", "a.button", ".topbar a", "label.option", "label.choice",
    "input:not([type=hidden]):not([type=radio]):not([type=checkbox])",
    "label:has(input[type=radio])", "label:has(input[type=checkbox])",
    "input[type=radio]:not(label input)", "input[type=checkbox]:not(label input)",
    "p.views a", "p.links a", "p.exports a", "ul.todo li > a", "main summary",
    "table.calendar a.chip", "table:not(.sheet):not(.calendar):not(.grid) td a"].join(", ");
  const width = window.innerWidth, problems = [];
  if (document.documentElement.scrollWidth > width)
    problems.push("page is " + document.documentElement.scrollWidth + " px wide");
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX; if (s === "auto" || s === "scroll") return true; }
    return false; };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") +
    " '" + (el.textContent || el.value || "").trim().slice(0, 30) + "'";
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    if ((box.right > width + 1 || box.left < -1 || box.width > width) && !scrolls(el))
      problems.push("wider than the screen: " + name(el) + " " + Math.round(box.left) + "-" + Math.round(box.right));
    const ownText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (ownText && parseFloat(getComputedStyle(el).fontSize) < 15.9)
      problems.push("small type: " + name(el) + " " + getComputedStyle(el).fontSize);
    const target = el.matches(TARGETS);
    if (target && (box.height < 43.5 || box.width < 43.5))
      problems.push("small target: " + name(el) + " " + Math.round(box.width) + "x" + Math.round(box.height));
  }
  return [...new Set(problems)].slice(0, 12);
}
