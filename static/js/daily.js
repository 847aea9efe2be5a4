// In-place actions on notes (« Ma journée », calendar, Notes tab): an action refused because the
// note changed (409) or a value is wrong (422) still redraws its item, which says why.
// Loaded by the pages that have such actions (templates/notes/_quick_script.html); every
// action also works without it, as a plain form post and a redirect back.
if (!window.relanceQuickActions) {
  window.relanceQuickActions = true;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
}
