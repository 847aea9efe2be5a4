// Opportunity form: the lost reason and comment are shown only when the stage is a lost one.
// Without JavaScript they are always shown; the server requires the reason either way.
(function () {
  const block = document.getElementById("lost-fields");
  const stage = document.getElementById("id_stage");
  if (!block || !stage) {
    return;
  }
  const lostStages = (block.dataset.lostStages || "").split(" ").filter(Boolean);
  function update() {
    const lost = lostStages.includes(stage.value);
    // A reason already refused by the server stays in sight.
    block.hidden = !lost && !block.querySelector(".is-invalid");
  }
  stage.addEventListener("change", update);
  update();
})();
