// Small progressive enhancements; every page works without them. No inline script anywhere (CSP).
document.addEventListener("DOMContentLoaded", () => {
  // Auto-submit filter forms whose selects carry data-autosubmit.
  document.querySelectorAll("select[data-autosubmit], input[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
  // "Select all" checkboxes: <input type="checkbox" data-select-all="name-of-boxes">
  document.querySelectorAll("input[data-select-all]").forEach((master) => {
    master.addEventListener("change", () => {
      document.querySelectorAll(`input[name="${master.dataset.selectAll}"]`).forEach((box) => {
        box.checked = master.checked;
      });
    });
  });
  // Confirm before destructive actions: <button data-confirm="Are you sure?">
  document.querySelectorAll("[data-confirm]").forEach((element) => {
    element.addEventListener("click", (event) => {
      if (!window.confirm(element.dataset.confirm)) event.preventDefault();
    });
  });
});

// Ready-made return reasons: <button data-fill="textarea-id" data-text="…"> puts its text in the textarea,
// where the reviewer edits it before returning.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-fill]");
  if (!button) return;
  const field = document.getElementById(button.dataset.fill);
  if (!field) return;
  field.value = button.dataset.text;
  field.focus();
  field.setSelectionRange(field.value.length, field.value.length);
});
