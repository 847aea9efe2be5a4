// The "/" key puts the cursor in the header's search box, unless the user is typing somewhere.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
    return;
  }
  const active = document.activeElement;
  if (active && (active.isContentEditable || active.closest("input, textarea, select, [contenteditable]"))) {
    return;
  }
  const box = document.getElementById("header-search");
  if (box && box.offsetParent !== null) {  // not inside the collapsed menu of a phone
    event.preventDefault();
    box.focus();
    box.select();
  }
});
