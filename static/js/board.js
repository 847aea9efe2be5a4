// The pipeline board: drag a card to another column (SortableJS) and the card's own move form is
// sent with the new stage (htmx), exactly as its menu and "Move" button would send it. Without
// JavaScript, or without SortableJS, the menu and button work alone.
(function () {
  function init(root) {
    if (typeof Sortable === "undefined") {
      return;
    }
    root.querySelectorAll(".board-cards").forEach((list) => {
      if (list.dataset.sortable) {
        return;
      }
      list.dataset.sortable = "on";
      Sortable.create(list, {
        group: "board",
        sort: false, // a column's order is by total: only moves to another column mean something
        forceFallback: true, // pointer events, the same in every browser
        draggable: ".board-card",
        filter: "a, select, button, input, textarea, label",
        preventOnFilter: false,
        animation: 120,
        onEnd(event) {
          if (event.from === event.to) {
            return;
          }
          const form = event.item.querySelector("form.board-move");
          if (!form) {
            return;
          }
          // SortableJS leaves a style attribute on the card; htmx copies a replaced element's style
          // onto its successor (same id) while settling, which the strict CSP refuses.
          event.item.removeAttribute("style");
          form.elements.stage.value = event.to.dataset.stage;
          form.requestSubmit();
        },
      });
    });
  }
  document.addEventListener("htmx:afterSettle", () => {
    // After a move, the keyboard stays on the card that moved (or on the reason asked for).
    const moved = document.querySelector("[data-focus-after-move]");
    if (moved) {
      moved.removeAttribute("data-focus-after-move");
      // A card moved into a folded won or lost column is hidden: the keyboard goes to that column's header.
      const folded = moved.closest("details:not([open])");
      const target = folded ? folded.querySelector("summary") : moved.querySelector("select");
      if (target) {
        target.focus();
      }
    }
  });
  if (window.htmx) {
    window.htmx.onLoad(init);
  } else {
    init(document);
  }
})();
