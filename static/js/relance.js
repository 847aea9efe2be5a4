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
document.addEventListener("htmx:afterSwap", (event) => {
  // A form fetched into a closed panel (e.g. "Add a person"): open it and put the cursor in it.
  const target = event.detail.target;
  if (target.classList.contains("collapse")) {
    target.classList.add("show");
    const field = target.querySelector("input:not([type=hidden]), select, textarea");
    if (field) {
      field.focus();
    }
  }
});
