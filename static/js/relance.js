// Relance: small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  // Buttons that copy a value (e.g. the calendar feed URL).
  const copy = event.target.closest("[data-copy-target]");
  if (copy) {
    const field = document.getElementById(copy.dataset.copyTarget);
    if (field && navigator.clipboard) {
      navigator.clipboard.writeText(field.value);
      copy.textContent = copy.dataset.copiedLabel || copy.textContent;
    }
  }
});
document.addEventListener("submit", (event) => {
  // Forms that ask first (deletes): data-confirm="Are you sure?".
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
// Forms fetched into a closed panel (e.g. "Add a person", "Edit"): the panel
// opens with the cursor in the form; asked again while open, the form (and
// what was typed) stays; the button says whether its panel is open.
function firstField(panel) {
  return panel.querySelector("input:not([type=hidden]), select, textarea");
}
function markExpanded(panel, expanded) {
  document.querySelectorAll(`[aria-controls="${panel.id}"]`).forEach((button) => {
    button.setAttribute("aria-expanded", expanded ? "true" : "false");
  });
}
document.addEventListener("htmx:beforeRequest", (event) => {
  const target = event.detail.target;
  if (target.classList.contains("collapse") && target.classList.contains("show") && firstField(target)) {
    event.preventDefault();
    firstField(target).focus();
  }
});
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (target.classList.contains("collapse")) {
    target.classList.add("show");
    markExpanded(target, true);
    const field = firstField(target);
    if (field) {
      field.focus();
    }
  }
});
document.addEventListener("hidden.bs.collapse", (event) => markExpanded(event.target, false));
