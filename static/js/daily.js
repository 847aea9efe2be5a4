// In-place actions on notes (« Ma journée », calendar, Notes tab): an action refused because the
// note changed (409) or a value is wrong (422) still redraws its item, which says why.
// Loaded by the pages that have such actions (templates/notes/_quick_script.html); every
// action also works without it, as a plain form post and a redirect back.
//
// The item redrawn replaces the button that was pressed, so the keyboard focus would fall back to
// the top of the page: it goes to the same control in the new item (the "Mark not done" that
// replaced "Mark done", the « Demain » pressed), else the item's first control. What happened is
// read out by the page's status region (#quick-status: a live region must be on the page before its
// text changes to be announced; an error is an alert of its own).
if (!window.relanceQuickActions) {
  window.relanceQuickActions = true;
  const ITEMS = ".home-item, .note-item, .cal-item, .cal-row, .quick-log";
  let pressed = null; // what the last action was asked with: its URL and its button's value

  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const source = event.detail.elt;
    const url = source.getAttribute("hx-post") || source.getAttribute("hx-get") || "";
    const submitter = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent
      ? event.detail.requestConfig.triggeringEvent.submitter : null;
    const button = submitter || (source.matches("button, a") ? source : null);
    pressed = {
      url: button ? (button.getAttribute("hx-post") || button.getAttribute("hx-get") || url) : url,
      value: button ? button.getAttribute("value") || "" : "",
      closing: url.includes("close=1"),
      logging: Boolean(source.closest(".quick-log")),
    };
  });

  const sameControl = (item) => {
    if (!pressed) return null;
    const controls = [...item.querySelectorAll("button, a[hx-get], input:not([type=hidden]), select")];
    const path = pressed.url.split("?")[0];
    if (pressed.closing) return item.querySelector('a[hx-get*="/actions/"]');
    return controls.find((control) => {
      const own = control.getAttribute("hx-post") || control.getAttribute("hx-get") || "";
      return own.split("?")[0] === path && (control.getAttribute("value") || "") === pressed.value;
    }) || null;
  };

  const focusIn = (item) => {
    let target;
    if (item.matches(".quick-log")) {
      target = item.querySelector(".is-invalid") || item.querySelector('input[name="text"]');
    } else {
      const menu = item.querySelector('[data-testid="quick-menu"]');
      target = menu ? menu.querySelector("button, a") : sameControl(item) || item.querySelector("button, a[hx-get]");
    }
    if (!target) {
      item.setAttribute("tabindex", "-1");
      target = item;
    }
    target.focus({ preventScroll: true });
  };

  const announce = (item) => {
    const region = document.getElementById("quick-status");
    const notice = item.querySelector('[role="status"]');
    if (!region || !notice) return; // an error is a role="alert" of its own: read out as it appears
    notice.removeAttribute("role"); // read once, by the region
    region.textContent = "";
    window.setTimeout(() => { region.textContent = notice.textContent.trim(); }, 50);
  };

  document.addEventListener("htmx:afterSwap", (event) => {
    const item = event.target;
    if (!(item instanceof Element) || !item.matches(ITEMS) || !pressed) return;
    // A call logged on the Notes tab also adds its row to the list: the form keeps the focus.
    if (pressed.logging && !item.matches(".quick-log")) return;
    announce(item);
    focusIn(item);
    pressed = null;
  });
}
