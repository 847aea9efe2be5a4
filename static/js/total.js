// Opportunity form: « Total » = (value − purchase costs) × success % / 100, live as the fields change.
// The same figure the database stores (prospection/expressions.py): rounded to the cent, half away
// from zero, worked out in whole cents with BigInt so that no float error creeps in. Amounts are read
// as the server reads them (prospection/forms.py normalize_amount) and written in the user's money
// format, given by the server in data- attributes (crm/formatting.py money_parts). Without this script
// the formula is shown and the total appears once saved.
(() => {
  const box = document.querySelector("[data-live-total]");
  if (!box) {
    return;
  }
  const output = box.querySelector("input");
  const fields = ["id_value", "id_purchase_costs", "id_success_percent"].map((id) => document.getElementById(id));
  if (!output || fields.some((field) => !field)) {
    return;
  }
  const english = (document.documentElement.lang || "fr").startsWith("en");
  const { decimal, group, prefix, suffix } = box.dataset;

  // "10 000,50 $" (fr), "$10,000.50" (en), "10000.50" → 1000050n cents; null when not an amount.
  function cents(text) {
    let amount = text.replace(/[\s\u00a0\u202f'’$€]/g, "");
    if (amount === "") {
      return 0n;
    }
    if (amount.includes(",") && amount.includes(".")) {
      const mark = amount.lastIndexOf(",") > amount.lastIndexOf(".") ? "," : ".";
      amount = amount.split(mark === "," ? "." : ",").join("").replace(mark, ".");
    } else if (amount.includes(",")) {
      amount = english && /^\d{1,3}(,\d{3})+$/.test(amount) ? amount.split(",").join("") : amount.replace(",", ".");
    }
    const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(amount);
    return match ? BigInt(match[1]) * 100n + BigInt((match[2] || "").padEnd(2, "0")) : null;
  }

  function percent(text) {
    const value = text.trim();
    return /^\d{1,3}$/.test(value) && Number(value) <= 100 ? BigInt(value) : null;
  }

  // Cents in the user's money format, as format_money writes them: -1 000,00 $ / -$1,000.00.
  function money(amount) {
    const negative = amount < 0n;
    const absolute = negative ? -amount : amount;
    const units = (absolute / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, group);
    const number = `${units}${decimal}${(absolute % 100n).toString().padStart(2, "0")}`;
    return `${negative ? "-" : ""}${prefix}${number}${suffix}`;
  }

  function update() {
    const [value, costs] = fields.slice(0, 2).map((field) => cents(field.value));
    const rate = percent(fields[2].value);
    if (value === null || costs === null || rate === null) {
      output.value = "";
      return;
    }
    const scaled = (value - costs) * rate; // 100 × the total in cents
    output.value = money(scaled >= 0n ? (scaled + 50n) / 100n : -((50n - scaled) / 100n));
  }

  const pending = box.querySelector("[data-total-pending]");
  if (pending) {
    pending.hidden = true;
  }
  fields.forEach((field) => field.addEventListener("input", update));
  update();
})();
