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
