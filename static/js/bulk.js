// Bulk lists (crm/bulk.py): the header checkbox ticks or unticks every row of the page.
// Without JavaScript it stays hidden and rows are ticked one by one.
document.querySelectorAll("[data-bulk-select-all]").forEach((all) => {
  const boxes = () => all.form.querySelectorAll("input[type=checkbox][name=ids]");
  all.hidden = false;
  all.addEventListener("change", () => boxes().forEach((box) => { box.checked = all.checked; }));
  all.form.addEventListener("change", (event) => {
    if (event.target.name === "ids") {
      const ticked = [...boxes()].filter((box) => box.checked).length;
      all.checked = ticked === boxes().length;
      all.indeterminate = ticked > 0 && ticked < boxes().length;
    }
  });
});
